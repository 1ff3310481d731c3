#!/bin/bash
# One Cairn repetition's setup for bench/run-server.sh (not timed): a fresh server data folder
# at $REPO served on loopback, a tenant with an administrator, this machine enrolled (state in
# $CAIRN_BENCH_STATE) and its policy set to back up $SRC.
set -eu
: "${REPO:?} ${SRC:?} ${CAIRN_BENCH_AGENT:?} ${CAIRN_BENCH_SERVER:?} ${CAIRN_BENCH_PIDFILE:?} ${CAIRN_BENCH_STATE:?}"
URL=https://127.0.0.1:$CAIRN_BENCH_PORT
if [ -f "$CAIRN_BENCH_PIDFILE" ]; then kill "$(cat "$CAIRN_BENCH_PIDFILE")" 2>/dev/null || true; sleep 1; fi
rm -rf "$REPO" "$CAIRN_BENCH_STATE"; mkdir -p "$CAIRN_BENCH_STATE"; chmod 700 "$CAIRN_BENCH_STATE"
S=$CAIRN_BENCH_SERVER
"$S" init --data "$REPO" --name localhost >/dev/null
"$S" tenant add bench --data "$REPO" --time-zone Asia/Seoul >/dev/null
export CAIRN_PASSWORD=bench-password-123
"$S" user add admin --data "$REPO" --tenant bench --admin >/dev/null
LOG=$(dirname "$CAIRN_BENCH_PIDFILE")/cairn-server.log
"$S" serve --data "$REPO" --listen "127.0.0.1:$CAIRN_BENCH_PORT" > "$LOG" 2>&1 &
echo $! > "$CAIRN_BENCH_PIDFILE"
for _ in $(seq 100); do grep -q "listening on" "$LOG" && break; sleep 0.1; done
grep -q "listening on" "$LOG" || { echo "cairn-server did not start:" >&2; cat "$LOG" >&2; exit 1; }
FP=$(openssl x509 -in "$REPO/tls/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2)
CODE=$("$S" enrollment-code --data "$REPO" --tenant bench | awk '/^code:/ {print $2}')
AGENT_ID=$("$CAIRN_BENCH_AGENT" enroll "$URL" --code "$CODE" --fingerprint "$FP" --state "$CAIRN_BENCH_STATE" \
  | sed -n 's/^enrolled as agent \([0-9]*\).*/\1/p')
CA=(--cacert "$REPO/tls/ca.pem")
TOKEN=$(curl -sf "${CA[@]}" "$URL/api/v1/session/login" -d "{\"login\":\"admin\",\"password\":\"$CAIRN_PASSWORD\"}" \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
curl -sf "${CA[@]}" -H "Authorization: Bearer $TOKEN" -X PUT "$URL/api/v1/servers/$AGENT_ID/policy" \
  -H 'Content-Type: application/json' -d "{\"paths\":[\"$SRC\"],\"interval_days\":1,\"hour\":2,\"retention_days\":30}" >/dev/null
