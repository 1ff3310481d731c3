#!/bin/bash
# Runs the shared side-by-side benchmark (../shared/bench/compare.sh) with Cairn plugged in:
# Release build of cairn-agent, local repository. Installs restic, borgbackup and time if missing.
#   bench/run.sh              REPS=3, cold page cache, all tools
#   REPS=1 TOOLS="restic cairn" bench/run.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
SHARED=${CAIRN_SHARED:-$TOP/../shared}
[ -x "$SHARED/bench/compare.sh" ] || { echo "bench: $SHARED/bench/compare.sh not found (set CAIRN_SHARED)" >&2; exit 2; }
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_BENCH_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=OFF >/dev/null
cmake --build "$BUILD" --target cairn-agent >/dev/null
AGENT="$BUILD/app/agent/cairn-agent"
export CAIRN_PASSPHRASE=bench
export CAIRN_INIT="\"$AGENT\" local init --repo \"\$REPO\""
export CAIRN_BACKUP="\"$AGENT\" local backup --repo \"\$REPO\" \"\$SRC\""
export CAIRN_RESTORE="\"$AGENT\" local restore --repo \"\$REPO\" --snapshot latest --target \"\$DST\""
export TOOLS=${TOOLS:-"restic borg-zstd3 cairn"}
exec "$SHARED/bench/compare.sh"
