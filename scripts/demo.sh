#!/bin/bash
# Installs what is missing, builds Cairn (Release) and starts it on its embedded default: a
# cairn-server with a SQLite catalog and a local pack store, listening on https://127.0.0.1:8443.
# Then it shows the product at work: a tenant and an admin user are created, an agent enrolls
# with a one-time code and the certificate fingerprint and runs as a service; a backup policy is
# set and "back up now" is pressed through the console API (twice: the second run reads only
# what changed), the results are read back from the job history, the latest snapshot is
# restored elsewhere and every stored blob is verified. Server and agent keep running.
#   CAIRN_DEMO_PORT=8443  CAIRN_DEMO_DIR=/tmp/...   CAIRN_BUILD=build-release
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target cairn-agent cairn-server
AGENT="$BUILD/app/agent/cairn-agent"
SERVER="$BUILD/app/server/cairn-server"
PORT=${CAIRN_DEMO_PORT:-8443}
URL="https://127.0.0.1:$PORT"

DEMO=${CAIRN_DEMO_DIR:-$(mktemp -d /tmp/cairn-demo.XXXXXX)}
DATA="$DEMO/server" STATE="$DEMO/agent" SRC="$DEMO/sample" OUT="$DEMO/restored"
mkdir -p "$SRC/docs" "$SRC/data" "$STATE"
cp -r "$TOP/docs/." "$SRC/docs/" 2>/dev/null || true
cp "$TOP/README.md" "$SRC/"
head -c $((8 << 20)) /dev/urandom > "$SRC/data/random.bin"
truncate -s 1G "$SRC/data/sparse.img" && printf 'cairn' | dd of="$SRC/data/sparse.img" bs=1 seek=$((512 << 20)) conv=notrunc status=none
ln -sf README.md "$SRC/link-to-readme"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Create the server's data folder (catalog, master key, TLS certificate, pack store)" \
  "$SERVER" init --data "$DATA" --name localhost
FINGERPRINT=$(openssl x509 -in "$DATA/tls/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2)
step "Add a tenant" "$SERVER" tenant add demo --data "$DATA" --time-zone Asia/Seoul --language ko
export CAIRN_PASSWORD=${CAIRN_DEMO_PASSWORD:-demo-password-123}
step "Add a tenant administrator" "$SERVER" user add admin --data "$DATA" --tenant demo --admin

"$SERVER" serve --data "$DATA" --listen "127.0.0.1:$PORT" > "$DEMO/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  grep -q "listening on" "$DEMO/server.log" 2>/dev/null && break
  kill -0 $SERVER_PID 2>/dev/null || { cat "$DEMO/server.log" >&2; exit 1; }
  sleep 0.2
done
echo; echo "cairn-server is running (pid $SERVER_PID): $(grep 'listening on' "$DEMO/server.log")"

CODE=$("$SERVER" enrollment-code --data "$DATA" --tenant demo | awk '/^code:/ {print $2}')
step "Enroll this machine (one-time code, pinned certificate fingerprint)" \
  "$AGENT" enroll --server "$URL" --code "$CODE" --fingerprint "$FINGERPRINT" --state "$STATE" --hostname demo-host
CA=(--cacert "$DATA/tls/ca.pem")
TOKEN=$(curl -s "${CA[@]}" "$URL/api/v1/session/login" \
  -d "{\"login\":\"admin\",\"password\":\"$CAIRN_PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
api() { curl -s "${CA[@]}" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
AGENT_ID=$(grep -o '"agent": *[0-9]*' "$STATE/agent.json" | grep -o '[0-9]*$')
printf '[agent]\nstate_dir=%s\npoll_seconds=2\n' "$STATE" > "$DEMO/agent.conf"
"$AGENT" run --config "$DEMO/agent.conf" > "$DEMO/agent.log" 2>&1 &
AGENT_PID=$!
echo; echo "cairn-agent service is running (pid $AGENT_PID; log $DEMO/agent.log)"
step "Set this server's backup policy (daily at 02:00 Asia/Seoul, keep 30 days)" \
  api -X PUT "$URL/api/v1/servers/$AGENT_ID/policy" \
  -d "{\"paths\":[\"$SRC\"],\"interval_days\":1,\"hour\":2,\"retention_days\":30}"
echo
backup_now() { # presses "back up now" and waits for the job's result
  local job state
  job=$(api -X POST "$URL/api/v1/servers/$AGENT_ID/backup" | sed -n 's/^{[^{]*"id":\([0-9]*\).*/\1/p')
  job=${job:-$(api "$URL/api/v1/jobs?server=$AGENT_ID&limit=1" | sed -n 's/.*"id":\([0-9]*\),"kind".*/\1/p')}
  for _ in $(seq 600); do
    state=$(api "$URL/api/v1/jobs/$job" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
    case $state in succeeded|warning|failed|cancelled) break ;; esac
    sleep 0.5
  done
  api "$URL/api/v1/jobs/$job"; echo
}
step "Back up now (first run: everything is new)" backup_now
echo "appended line" >> "$SRC/README.md"
step "Back up now again (only the changed file is read)" backup_now
step "Snapshots" "$AGENT" snapshots --state "$STATE"
step "Restore the latest snapshot elsewhere" \
  "$AGENT" restore --state "$STATE" --snapshot latest --target "$OUT"
step "Verify every stored blob" "$AGENT" remote check --state "$STATE" --read-data
step "The agent's own view" "$AGENT" status --state "$STATE"
if diff -r "$SRC" "$OUT$SRC" >/dev/null; then
  echo; echo "Restored copy in $OUT$SRC is identical to $SRC."
  echo "Sparse file: $(du -h "$OUT$SRC/data/sparse.img" | cut -f1) on disk for $(du -h --apparent-size "$OUT$SRC/data/sparse.img" | cut -f1) of content."
else
  echo "Restored copy differs!" >&2; exit 1
fi

step "The console API: the tenant's servers" \
  curl -s --cacert "$DATA/tls/ca.pem" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/servers"
echo
step "The console API: usage" curl -s --cacert "$DATA/tls/ca.pem" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/usage"
echo
cat <<EOF

cairn-server keeps running at $URL (pid $SERVER_PID; log $DEMO/server.log),
and the agent service too (pid $AGENT_PID; log $DEMO/agent.log; 'cairn-agent status --state $STATE').
  Log in:   curl --cacert $DATA/tls/ca.pem $URL/api/v1/session/login -d '{"login":"admin","password":"$CAIRN_PASSWORD"}'
  API:      docs/API.md
  Stop:     kill $AGENT_PID $SERVER_PID
Demo folder: $DEMO (the desktop console comes with a later release).
EOF
