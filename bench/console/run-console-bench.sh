#!/bin/bash
# Times the console's views on a large catalog (issue 6, acceptance 4): builds (Release) the
# server, the seeding program and cairn-bench-console, seeds a data folder with 500 servers and
# 100,000 history rows and starts cairn-server on it (bench/console/server_views.sh, which also
# prints the server-side timings), then runs cairn-bench-console offscreen as the tenant admin:
# dashboard open, history open, and scrolling both tables. Exits non-zero when a view took a
# second or more to open.
#   bench/console/run-console-bench.sh
#   SERVERS=500 JOBS=100000 DAYS=90 ROWS=10000 CAIRN_BENCH_BUILD=build-release bench/console/run-console-bench.sh
#   CAIRN_BENCH_REUSE=1 ...   use the data folder and server of a previous run if still serving
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
export CAIRN_BENCH_BUILD=${CAIRN_BENCH_BUILD:-$TOP/build-release}
export CAIRN_BENCH_DATA=${CAIRN_BENCH_DATA:-/tmp/cairn-console-bench}
export CAIRN_BENCH_PORT=${CAIRN_BENCH_PORT:-18644}
export CAIRN_PASSWORD=${CAIRN_PASSWORD:-bench-password-123}
URL=https://127.0.0.1:$CAIRN_BENCH_PORT

cmake -S "$TOP" -B "$CAIRN_BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=ON \
    -DCAIRN_BENCH=ON >/dev/null
cmake --build "$CAIRN_BENCH_BUILD" --target cairn-server cairn-bench-seed cairn-bench-console >/dev/null
BENCH=$CAIRN_BENCH_BUILD/bench/console-ui/cairn-bench-console

if [ "${CAIRN_BENCH_REUSE:-0}" = 1 ] && curl -sf --cacert "$CAIRN_BENCH_DATA/tls/ca.pem" "$URL/api/v1/health" >/dev/null; then
    echo "== reusing the server at $URL ($CAIRN_BENCH_DATA)"
    PID=""
else
    # Seeds, starts the server and leaves it running for us (its pid is in its output).
    OUT=$(mktemp)
    CAIRN_BENCH_NO_BUILD=1 KEEP_SERVER=1 "$HERE/server_views.sh" | tee "$OUT"
    PID=$(sed -n 's/.*the server keeps running: pid \([0-9]*\).*/\1/p' "$OUT")
    rm -f "$OUT"
    [ -n "$PID" ] || { echo "run-console-bench: the server did not keep running" >&2; exit 2; }
fi
stop() { [ -z "$PID" ] || [ "${CAIRN_BENCH_REUSE:-0}" = 1 ] || kill "$PID" 2>/dev/null || true; }
trap stop EXIT

PASSWORD_FILE=$(mktemp)
printf '%s\n' "$CAIRN_PASSWORD" > "$PASSWORD_FILE"
echo "== the console's views (cairn-bench-console, offscreen)"
status=0
QT_QPA_PLATFORM=offscreen "$BENCH" --server "$URL" --ca "$CAIRN_BENCH_DATA/tls/ca.pem" --login admin \
    --password-file "$PASSWORD_FILE" --rows "${ROWS:-10000}" || status=$?
rm -f "$PASSWORD_FILE"
exit $status
