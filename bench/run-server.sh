#!/bin/bash
# The shared side-by-side benchmark (../shared/bench/compare.sh) with Cairn plugged in through
# its server, as a customer runs it: cairn-agent → TLS on loopback → cairn-server on the same
# machine (both Release), the server's data folder as the "repository". restic and borg use
# their local repositories in the same run. Installs restic, borgbackup and time if missing.
#   bench/run-server.sh                         REPS=3, cold page cache, all tools
#   REPS=1 TOOLS="restic cairn" bench/run-server.sh
# Each Cairn repetition: `cairn-server init` of $REPO, a tenant, an administrator, `serve` in the
# background (stopped by the next repetition and at the end), `cairn-agent enroll`, a policy
# for $SRC set through the console API; then the timed steps are `cairn-agent backup --now`
# (full, then incremental) and `cairn-agent restore --snapshot latest`.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
SHARED=${CAIRN_SHARED:-$TOP/../shared}
[ -x "$SHARED/bench/compare.sh" ] || { echo "bench: $SHARED/bench/compare.sh not found (set CAIRN_SHARED)" >&2; exit 2; }
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_BENCH_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=OFF >/dev/null
cmake --build "$BUILD" --target cairn-agent cairn-server >/dev/null
export CAIRN_BENCH_AGENT="$BUILD/app/agent/cairn-agent" CAIRN_BENCH_SERVER="$BUILD/app/server/cairn-server"
export BENCH=${BENCH:-/tmp/cairn-bench}
export CAIRN_BENCH_PORT=${CAIRN_BENCH_PORT:-18643}
PIDFILE=$BENCH/cairn-server.pid
stop_server() { [ -f "$PIDFILE" ] && { kill "$(cat "$PIDFILE")" 2>/dev/null; sleep 1; rm -f "$PIDFILE"; }; true; }
trap stop_server EXIT
export CAIRN_BENCH_PIDFILE=$PIDFILE
export CAIRN_BENCH_STATE=$BENCH/cairn-agent-state
# CAIRN_INIT runs with $REPO and $SRC exported by compare.sh.
export CAIRN_INIT="\"$HERE/server-init.sh\""
export CAIRN_BACKUP="\"\$CAIRN_BENCH_AGENT\" backup --now --state \"\$CAIRN_BENCH_STATE\""
export CAIRN_RESTORE="\"\$CAIRN_BENCH_AGENT\" restore --state \"\$CAIRN_BENCH_STATE\" --snapshot latest --target \"\$DST\""
export TOOLS=${TOOLS:-"restic borg-zstd3 cairn"}
"$SHARED/bench/compare.sh"
