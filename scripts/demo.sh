#!/bin/bash
# Installs what is missing, builds Cairn (Release) and starts it on its embedded default: a
# cairn-server with a SQLite catalog and a local pack store, listening on https://127.0.0.1:8443.
# Then it shows the product at work: a tenant, an admin user and an operator are created, an
# agent enrolls with a one-time code and the certificate fingerprint and runs as a service; a
# backup policy is set and "back up now" is pressed through the console API (twice: the second run
# reads only what changed), the results are read back from the job history, the latest snapshot
# is restored elsewhere and every stored blob is verified. Server and agent keep running, and the
# desktop console (cairn-console) opens logged in as the demo admin: at once when a display is
# available ($DISPLAY or $WAYLAND_DISPLAY), under Xvfb with CAIRN_DEMO_XVFB=1, else the script
# prints the command that opens it. Without a display it still ends with exit code 0.
#   CAIRN_DEMO_PORT=8443  CAIRN_DEMO_DIR=/tmp/...   CAIRN_BUILD=build-release
#   CAIRN_DEMO_CONSOLE=0  do not open the console (scripts/screenshots.sh)
# The demo folder keeps demo.env (address, certificate, logins, password files, process ids) for
# scripts that build on the demo.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=ON >/dev/null
cmake --build "$BUILD" --target cairn-agent cairn-server cairn-console
AGENT="$BUILD/app/agent/cairn-agent"
SERVER="$BUILD/app/server/cairn-server"
CONSOLE="$BUILD/app/console/cairn-console"
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
OPERATOR_PASSWORD=${CAIRN_DEMO_OPERATOR_PASSWORD:-operator-password-123}
step "Add an operator of the service (handles restore tickets of every tenant)" \
  env CAIRN_PASSWORD="$OPERATOR_PASSWORD" "$SERVER" user add operator --data "$DATA" --operator
# The console reads the passwords from files only their owner can read.
(umask 077; printf '%s\n' "$CAIRN_PASSWORD" > "$DEMO/admin.password"; printf '%s\n' "$OPERATOR_PASSWORD" > "$DEMO/operator.password")

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
cat > "$DEMO/demo.env" <<EOF
CAIRN_DEMO_URL=$URL
CAIRN_DEMO_CA=$DATA/tls/ca.pem
CAIRN_DEMO_DATA=$DATA
CAIRN_DEMO_AGENT_STATE=$STATE
CAIRN_DEMO_AGENT_ID=$AGENT_ID
CAIRN_DEMO_SAMPLE=$SRC
CAIRN_DEMO_ADMIN=admin
CAIRN_DEMO_ADMIN_PASSWORD_FILE=$DEMO/admin.password
CAIRN_DEMO_OPERATOR=operator
CAIRN_DEMO_OPERATOR_PASSWORD_FILE=$DEMO/operator.password
CAIRN_DEMO_SERVER_PID=$SERVER_PID
CAIRN_DEMO_AGENT_PID=$AGENT_PID
EOF

CONSOLE_ARGS=(--server "$URL" --ca "$DATA/tls/ca.pem" --login admin --password-file "$DEMO/admin.password")
OPERATOR_ARGS=(--server "$URL" --ca "$DATA/tls/ca.pem" --login operator --password-file "$DEMO/operator.password")
STOP="kill $AGENT_PID $SERVER_PID"
if [ "${CAIRN_DEMO_CONSOLE:-1}" = 0 ]; then
  CONSOLE_NOTE="not opened (CAIRN_DEMO_CONSOLE=0)."
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$CONSOLE" "${CONSOLE_ARGS[@]}" > "$DEMO/console.log" 2>&1 &
  CONSOLE_PID=$!
  STOP="kill $CONSOLE_PID $AGENT_PID $SERVER_PID"
  CONSOLE_NOTE="cairn-console is open, logged in as the demo admin (pid $CONSOLE_PID; log $DEMO/console.log)."
elif [ "${CAIRN_DEMO_XVFB:-0}" = 1 ]; then
  xvfb-run -a "$CONSOLE" "${CONSOLE_ARGS[@]}" > "$DEMO/console.log" 2>&1 &
  CONSOLE_PID=$!
  STOP="kill $CONSOLE_PID $AGENT_PID $SERVER_PID"
  CONSOLE_NOTE="cairn-console runs on a virtual display (Xvfb), logged in as the demo admin (pid $CONSOLE_PID; log $DEMO/console.log)."
else
  CONSOLE_NOTE="no display here (DISPLAY, WAYLAND_DISPLAY); on a desktop open it, logged in as the demo admin, with
            $CONSOLE ${CONSOLE_ARGS[*]}
          or run this script with CAIRN_DEMO_XVFB=1 to start it on a virtual display."
fi

cat <<EOF

cairn-server keeps running at $URL (pid $SERVER_PID; log $DEMO/server.log),
and the agent service too (pid $AGENT_PID; log $DEMO/agent.log; 'cairn-agent status --state $STATE').
  Console:  $CONSOLE_NOTE
  Operator: log in as the demo operator (File > Log out in the console, then login "operator",
            password "$OPERATOR_PASSWORD"), or open a second console:
            $CONSOLE ${OPERATOR_ARGS[*]}
  Admin:    login "admin", password "$CAIRN_PASSWORD" (add --language ko or en to choose the language)
  API:      curl --cacert $DATA/tls/ca.pem $URL/api/v1/session/login -d '{"login":"admin","password":"$CAIRN_PASSWORD"}'
            (docs/API.md)
  Stop:     $STOP
Demo folder: $DEMO
EOF
