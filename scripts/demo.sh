#!/bin/bash
# Installs what is missing, builds Cairn (Release) and starts it on its embedded default: a
# cairn-server with a SQLite catalog and a local pack store, listening on https://127.0.0.1:8443.
# Then it shows the product at work: a tenant and an admin user are created, an agent enrolls
# with a one-time code and the certificate fingerprint, backs up a sample folder twice (the
# second run reads only what changed), lists its snapshots, restores the latest one and verifies
# every stored blob; the console API is queried with curl. The server keeps running at the end.
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
step "First backup: everything is new" "$AGENT" remote backup --state "$STATE" "$SRC"
echo "appended line" >> "$SRC/README.md"
step "Second backup: only the changed file is read" "$AGENT" remote backup --state "$STATE" "$SRC"
step "Snapshots" "$AGENT" remote snapshots --state "$STATE"
step "Restore the latest snapshot elsewhere" \
  "$AGENT" remote restore --state "$STATE" --snapshot latest --target "$OUT"
step "Verify every stored blob" "$AGENT" remote check --state "$STATE" --read-data
if diff -r "$SRC" "$OUT$SRC" >/dev/null; then
  echo; echo "Restored copy in $OUT$SRC is identical to $SRC."
  echo "Sparse file: $(du -h "$OUT$SRC/data/sparse.img" | cut -f1) on disk for $(du -h --apparent-size "$OUT$SRC/data/sparse.img" | cut -f1) of content."
else
  echo "Restored copy differs!" >&2; exit 1
fi

TOKEN=$(curl -s --cacert "$DATA/tls/ca.pem" "$URL/api/v1/session/login" \
  -d "{\"login\":\"admin\",\"password\":\"$CAIRN_PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
step "The console API: the tenant's servers" \
  curl -s --cacert "$DATA/tls/ca.pem" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/servers"
echo
step "The console API: usage" curl -s --cacert "$DATA/tls/ca.pem" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/usage"
echo
cat <<EOF

cairn-server keeps running at $URL (pid $SERVER_PID; log $DEMO/server.log).
  Log in:   curl --cacert $DATA/tls/ca.pem $URL/api/v1/session/login -d '{"login":"admin","password":"$CAIRN_PASSWORD"}'
  API:      docs/API.md
  Stop it:  kill $SERVER_PID
Demo folder: $DEMO (the desktop console comes with a later release).
EOF
