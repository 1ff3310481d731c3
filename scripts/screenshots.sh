#!/bin/bash
# Makes docs/screenshots/: PNGs of the console's main views in Korean and in English, as the demo
# tenant's admin and as the demo operator. It starts the demo exactly as scripts/demo.sh does
# (Release build in build-release, a server on a free port, an enrolled agent with two backups;
# the console is not opened there), adds a little more to look at — a second server with its own
# agent and backup, a restore ticket the operator has accepted and one just submitted — and runs
# `cairn-console --screenshots` on a virtual display (xvfb-run) for each language and login. The
# demo's processes are stopped at the end. Hangul needs fonts-noto-cjk (scripts/install-deps.sh).
#   scripts/screenshots.sh [OUTPUT_DIR]        default docs/screenshots
#   CAIRN_BUILD=build-release  CAIRN_SCREENSHOTS_PORT=18443  CAIRN_KEEP_DEMO=1 (leave it running)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "${1:-$TOP/docs/screenshots}" && cd "${1:-$TOP/docs/screenshots}" && pwd)
export CAIRN_BUILD=${CAIRN_BUILD:-$TOP/build-release}
PORT=${CAIRN_SCREENSHOTS_PORT:-18443}
DEMO=$(mktemp -d /tmp/cairn-screenshots.XXXXXX)

"$TOP/scripts/install-deps.sh"
case "$(fc-match :lang=ko family)" in
  *CJK*|*Nanum*|*Gothic*|*Hangul*|*Malgun*) ;;
  *) echo "screenshots: no Korean font (fc-match :lang=ko gives '$(fc-match :lang=ko)'); install fonts-noto-cjk" >&2; exit 1 ;;
esac

echo "screenshots: starting the demo in $DEMO (log $DEMO/demo.log)"
CAIRN_DEMO_CONSOLE=0 CAIRN_DEMO_DIR="$DEMO" CAIRN_DEMO_PORT="$PORT" "$TOP/scripts/demo.sh" > "$DEMO/demo.log" 2>&1 \
  || { tail -30 "$DEMO/demo.log" >&2; exit 1; }
# shellcheck disable=SC1091
. "$DEMO/demo.env"
PIDS="$CAIRN_DEMO_AGENT_PID $CAIRN_DEMO_SERVER_PID"
stop() {
  if [ "${CAIRN_KEEP_DEMO:-0}" = 1 ]; then
    echo "screenshots: the demo keeps running (kill $PIDS; folder $DEMO)"
  else
    # shellcheck disable=SC2086
    kill $PIDS 2>/dev/null || true
  fi
}
trap stop EXIT

AGENT="$CAIRN_BUILD/app/agent/cairn-agent"
SERVER="$CAIRN_BUILD/app/server/cairn-server"
CONSOLE="$CAIRN_BUILD/app/console/cairn-console"
URL=$CAIRN_DEMO_URL CA=$CAIRN_DEMO_CA DATA=$CAIRN_DEMO_DATA
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
token() {
  curl -sf --cacert "$CA" "$URL/api/v1/session/login" \
    -d "{\"login\":\"$1\",\"password\":\"$(cat "$2")\"}" | json 'd["token"]'
}
ADMIN_TOKEN=$(token "$CAIRN_DEMO_ADMIN" "$CAIRN_DEMO_ADMIN_PASSWORD_FILE")
OPS_TOKEN=$(token "$CAIRN_DEMO_OPERATOR" "$CAIRN_DEMO_OPERATOR_PASSWORD_FILE")
api() { curl -sf --cacert "$CA" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }
ops() { curl -sf --cacert "$CA" -H "Authorization: Bearer $OPS_TOKEN" -H 'Content-Type: application/json' "$@"; }
wait_job() { # job id: waits until it has finished
  local state
  for _ in $(seq 600); do
    state=$(api "$URL/api/v1/jobs/$1" | json 'd["state"]')
    case $state in succeeded|warning|failed|cancelled|missed) return 0 ;; esac
    sleep 0.5
  done
  echo "screenshots: job $1 did not finish" >&2; return 1
}

echo "screenshots: a second server with its own agent and a backup"
SRC2="$DEMO/sample-db"
mkdir -p "$SRC2/etc" "$SRC2/var/lib/db"
cp -r "$TOP/scripts" "$SRC2/etc/"
head -c $((4 << 20)) /dev/urandom > "$SRC2/var/lib/db/table.dat"
CODE=$("$SERVER" enrollment-code --data "$DATA" --tenant demo | awk '/^code:/ {print $2}')
FINGERPRINT=$(openssl x509 -in "$CA" -noout -fingerprint -sha256 | cut -d= -f2)
"$AGENT" enroll --server "$URL" --code "$CODE" --fingerprint "$FINGERPRINT" --state "$DEMO/agent2" --hostname db-01 > /dev/null
printf '[agent]\nstate_dir=%s\npoll_seconds=2\n' "$DEMO/agent2" > "$DEMO/agent2.conf"
"$AGENT" run --config "$DEMO/agent2.conf" > "$DEMO/agent2.log" 2>&1 &
PIDS="$! $PIDS"
AGENT2=$(grep -o '"agent": *[0-9]*' "$DEMO/agent2/agent.json" | grep -o '[0-9]*$')
api -X PUT "$URL/api/v1/servers/$AGENT2/policy" \
  -d "{\"paths\":[\"$SRC2\"],\"interval_days\":7,\"weekday\":6,\"hour\":3,\"retention_days\":14}" > /dev/null
JOB=$(api -X POST "$URL/api/v1/servers/$AGENT2/backup" | json 'd["id"]')
wait_job "$JOB"

echo "screenshots: restore tickets"
SERVER1=$CAIRN_DEMO_AGENT_ID
SNAPSHOT=$(api "$URL/api/v1/snapshots?server=$SERVER1&limit=1" | json '(d["items"] if isinstance(d, dict) else d)[0]["id"]')
ticket() { # note: submits a restore of the sample's docs folder
  api -X POST "$URL/api/v1/restore-tickets" -d "{\"server\":$SERVER1,\"snapshot\":\"$SNAPSHOT\",
    \"paths\":[\"$CAIRN_DEMO_SAMPLE/docs\"],\"target\":\"$DEMO/restored-by-ticket\",\"existing\":\"keep-both\",
    \"contact\":{\"name\":\"김민지\",\"phone\":\"+82 10-1234-5678\",\"email\":\"minji@example.com\"},\"note\":\"$1\"}" \
    | json 'str(d["id"]) + " " + str(d["tenant"])'
}
read -r T1 TENANT <<< "$(ticket "10월 문서 폴더를 복구해 주세요. / Please restore the October documents.")"
ops -X POST "$URL/api/v1/restore-tickets/$T1/accept?tenant=$TENANT" -d '{"message":"접수했습니다. 곧 복구를 시작합니다."}' > /dev/null
api -X POST "$URL/api/v1/restore-tickets/$T1/messages" -d '{"body":"감사합니다. 오늘 중으로 부탁드립니다."}' > /dev/null
ticket "설정 파일만 필요합니다. / Only the configuration files are needed." > /dev/null

echo "screenshots: the console on a virtual display, into $OUT"
export XDG_CONFIG_HOME="$DEMO/console-config" # the console's own settings stay out of the user's
unset QT_QPA_PLATFORM
status=0
for lang in ko en; do
  for who in admin operator; do
    if [ $who = admin ]; then login=$CAIRN_DEMO_ADMIN pw=$CAIRN_DEMO_ADMIN_PASSWORD_FILE
    else login=$CAIRN_DEMO_OPERATOR pw=$CAIRN_DEMO_OPERATOR_PASSWORD_FILE; fi
    echo "== $login, $lang"
    xvfb-run -a -s "-screen 0 1600x1000x24" "$CONSOLE" --server "$URL" --ca "$CA" --login "$login" \
      --password-file "$pw" --language "$lang" --screenshots "$OUT" || status=1
  done
done
ls -l "$OUT"/*.png | awk '{print $5, $NF}'
[ $status = 0 ] || { echo "screenshots: the console reported a failure (see above)" >&2; exit 1; }
