#!/bin/bash
# Times the server side of the console's views on a large catalog (issue 6, acceptance 4):
# seeds a data folder with 500 servers and 100,000 history rows (cairn-bench-seed), starts
# cairn-server on it and times, with curl, the median of 5 requests of: GET /servers,
# GET /dashboard, the first page of GET /jobs, a page deep in the history (reached by following
# the next cursors), the history sorted by finish time (first and deep page), one server's
# history sorted by finish time, and the operators' health view.
#
#   bench/console/server_views.sh
#   SERVERS=500 JOBS=100000 BUSY_JOBS=20000 DAYS=90 CAIRN_BENCH_DATA=/tmp/cairn-console-bench bench/console/server_views.sh
#   (BUSY_JOBS: how many of the jobs belong to the first server, whose history the console bench scrolls)
#   KEEP_SERVER=1 ...     leave the server running afterwards (for timing the console against it)
#   REUSE_DATA=1 ...      time an already seeded $CAIRN_BENCH_DATA again instead of seeding anew
#
# The seeded folder stays at $CAIRN_BENCH_DATA (default /tmp/cairn-console-bench) with tenant
# "demo", its administrator "admin" and an operator "operator", both with the password
# $CAIRN_PASSWORD (default bench-password-123); the script prints how to serve it again.
# Builds cairn-server and cairn-bench-seed in $CAIRN_BENCH_BUILD (default build-release, Release)
# unless CAIRN_BENCH_NO_BUILD=1 (then the binaries already there are used).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${CAIRN_BENCH_BUILD:-$TOP/build-release}
DATA=${CAIRN_BENCH_DATA:-/tmp/cairn-console-bench}
PORT=${CAIRN_BENCH_PORT:-18644}
SERVERS=${SERVERS:-500} JOBS=${JOBS:-100000} DAYS=${DAYS:-90}
export CAIRN_PASSWORD=${CAIRN_PASSWORD:-bench-password-123}
REPS=5

if [ "${CAIRN_BENCH_NO_BUILD:-0}" != 1 ]; then
    cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=OFF \
        -DCAIRN_BENCH=ON >/dev/null
    cmake --build "$BUILD" --target cairn-server cairn-bench-seed >/dev/null
fi
S=$BUILD/app/server/cairn-server
SEED=$BUILD/bench/console/cairn-bench-seed
[ -x "$S" ] && [ -x "$SEED" ] || { echo "server_views: $S or $SEED is missing" >&2; exit 2; }

if [ "${REUSE_DATA:-0}" = 1 ] && [ -f "$DATA/catalog.sqlite" ]; then
    echo "== reusing $DATA"
    "$SEED" --data "$DATA" --tenant demo --timings-only
else
    rm -rf "$DATA"
    "$S" init --data "$DATA" --name localhost >/dev/null
    "$S" tenant add demo --data "$DATA" --time-zone Asia/Seoul --language ko >/dev/null
    "$S" user add admin --data "$DATA" --tenant demo --admin >/dev/null
    "$S" user add operator --data "$DATA" --operator >/dev/null
    echo "== seeding $DATA"
    "$SEED" --data "$DATA" --tenant demo --servers "$SERVERS" --jobs "$JOBS" --days "$DAYS" \
        --busy-server-jobs "${BUSY_JOBS:-20000}"
fi

LOG=$DATA/../cairn-console-bench-server.log
"$S" serve --data "$DATA" --listen "127.0.0.1:$PORT" >"$LOG" 2>&1 &
PID=$!
stop() { [ "${KEEP_SERVER:-0}" = 1 ] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; }
trap stop EXIT
for _ in $(seq 300); do grep -q "listening on" "$LOG" && break; sleep 0.1; done
grep -q "listening on" "$LOG" || { echo "cairn-server did not start:" >&2; cat "$LOG" >&2; exit 1; }

URL=https://127.0.0.1:$PORT/api/v1
CA=(--cacert "$DATA/tls/ca.pem")
login() {
    curl -sf "${CA[@]}" "$URL/session/login" -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"$CAIRN_PASSWORD\"}" | jq -r .token
}
USER_TOKEN=$(login admin)
OPS_TOKEN=$(login operator)

# median of $REPS: total time and the server's part (first byte after the request was sent), ms
timed() { # name token path
    local name=$1 token=$2 path=$3 totals=() servers=() size=0
    for _ in $(seq $REPS); do
        read -r total pre first size < <(curl -s -o /dev/null "${CA[@]}" -H "Authorization: Bearer $token" \
            -w '%{time_total} %{time_pretransfer} %{time_starttransfer} %{size_download}\n' "$URL$path")
        totals+=("$(awk -v t="$total" 'BEGIN { print t * 1000 }')")
        servers+=("$(awk -v f="$first" -v p="$pre" 'BEGIN { print (f - p) * 1000 }')")
    done
    local mt ms
    mt=$(printf '%s\n' "${totals[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p")
    ms=$(printf '%s\n' "${servers[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p")
    printf '%-44s %8.1f ms %8.1f ms %10d bytes\n' "$name" "$ms" "$mt" "$size"
}

# Follows `next` for $2 pages of 500 and prints the query string of the page after them.
deep() { # query pages
    local query=$1 pages=$2 next key
    for _ in $(seq "$pages"); do
        next=$(curl -sf "${CA[@]}" -H "Authorization: Bearer $USER_TOKEN" "$URL/jobs?$query" | jq -r '.next')
        [ "$next" = null ] && break
        if [[ $next =~ ^[0-9]+$ ]]; then key=before; else key=after; fi
        query=$(echo "$query" | sed -E 's/&(before|after)=[^&]*//')"&$key=$next"
    done
    echo "$query"
}

SERVER_ID=$(curl -sf "${CA[@]}" -H "Authorization: Bearer $USER_TOKEN" "$URL/servers" | jq '.items[0].id')
DEEP_ID=$(deep "limit=500" 150)
DEEP_FINISHED=$(deep "limit=500&sort=finished_at&order=desc" 150)

echo "== timings (median of $REPS; server = first byte - request sent; total includes TLS setup)"
printf '%-44s %11s %11s %16s\n' "view" "server" "total" "answer"
timed "GET /servers" "$USER_TOKEN" "/servers"
timed "GET /dashboard (30 days)" "$USER_TOKEN" "/dashboard"
timed "GET /dashboard?days=366" "$USER_TOKEN" "/dashboard?days=366"
timed "GET /jobs first page (500, with total)" "$USER_TOKEN" "/jobs?limit=500"
timed "GET /jobs page 151 (rows 75,001-75,500)" "$USER_TOKEN" "/jobs?$DEEP_ID"
timed "GET /jobs sort=finished_at first page" "$USER_TOKEN" "/jobs?limit=500&sort=finished_at&order=desc"
timed "GET /jobs sort=finished_at page 151" "$USER_TOKEN" "/jobs?$DEEP_FINISHED"
timed "GET /jobs sort=started_at asc first page" "$USER_TOKEN" "/jobs?limit=500&sort=started_at&order=asc"
timed "GET /jobs status=failed sort=finished_at" "$USER_TOKEN" "/jobs?limit=500&status=failed&sort=finished_at"
timed "GET /jobs server=$SERVER_ID sort=finished_at" "$USER_TOKEN" "/jobs?limit=500&server=$SERVER_ID&sort=finished_at"
timed "GET /operator/health" "$OPS_TOKEN" "/operator/health"
echo "== data folder: $DATA (tenant demo; log in as admin or operator, password \$CAIRN_PASSWORD=$CAIRN_PASSWORD)"
echo "   serve it again: $S serve --data $DATA --listen 127.0.0.1:$PORT"
[ "${KEEP_SERVER:-0}" = 1 ] && echo "   the server keeps running: pid $PID, https://127.0.0.1:$PORT (CA $DATA/tls/ca.pem)"
exit 0
