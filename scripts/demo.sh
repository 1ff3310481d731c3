#!/bin/bash
# Installs what is missing, builds Cairn (Release) and runs a local backup and restore of a sample
# folder with the engine's command line, printing what happened at each step.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target cairn-agent
AGENT="$BUILD/app/agent/cairn-agent"

DEMO=${CAIRN_DEMO_DIR:-$(mktemp -d /tmp/cairn-demo.XXXXXX)}
SRC="$DEMO/sample" REPO="$DEMO/repo" OUT="$DEMO/restored"
mkdir -p "$SRC/docs" "$SRC/data"
cp -r "$TOP/docs/." "$SRC/docs/" 2>/dev/null || true
cp "$TOP/README.md" "$SRC/"
head -c $((8 << 20)) /dev/urandom > "$SRC/data/random.bin"
truncate -s 1G "$SRC/data/sparse.img" && printf 'cairn' | dd of="$SRC/data/sparse.img" bs=1 seek=$((512 << 20)) conv=notrunc status=none
ln -sf README.md "$SRC/link-to-readme"
export CAIRN_PASSPHRASE=${CAIRN_PASSPHRASE:-demo-passphrase}

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }
step "Create an encrypted repository" "$AGENT" local init --repo "$REPO"
step "First backup: everything is new" "$AGENT" local backup --repo "$REPO" "$SRC"
echo "appended line" >> "$SRC/README.md"
step "Second backup: only the changed file is read" "$AGENT" local backup --repo "$REPO" "$SRC"
step "Snapshots" "$AGENT" local snapshots --repo "$REPO"
step "Restore the latest snapshot elsewhere" "$AGENT" local restore --repo "$REPO" --snapshot latest --target "$OUT"
step "Verify every blob" "$AGENT" local check --repo "$REPO" --read-data
if diff -r "$SRC" "$OUT$SRC" >/dev/null; then
  echo; echo "Restored copy in $OUT$SRC is identical to $SRC."
  echo "Sparse file: $(du -h "$OUT$SRC/data/sparse.img" | cut -f1) on disk for $(du -h --apparent-size "$OUT$SRC/data/sparse.img" | cut -f1) of content."
else
  echo "Restored copy differs!" >&2; exit 1
fi
echo "Repository: $REPO ($(du -sh "$REPO" | cut -f1)). Demo folder: $DEMO"
