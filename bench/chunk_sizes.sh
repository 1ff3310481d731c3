#!/bin/bash
# Measures the effect of the chunk-size choice on the shared dataset: repository size after the
# full backup, bytes added by the incremental (after ../shared/bench/modify.sh), and times.
#   bench/chunk_sizes.sh [SIZES...]   sizes as MIN/AVG/MAX in KiB (default: four candidates)
#   LEVEL=3 bench/chunk_sizes.sh      zstd level of the repositories (default: the engine's)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd); TOP=$(dirname "$HERE")
SHARED=${CAIRN_SHARED:-$TOP/../shared}
BUILD=${CAIRN_BENCH_BUILD:-$TOP/build-release}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_GUI=OFF >/dev/null
cmake --build "$BUILD" --target cairn-agent >/dev/null
A="$BUILD/app/agent/cairn-agent"
BENCH=${BENCH:-/tmp/cairn-bench}; V1=${V1:-$BENCH/v1}; [ -d "$V1" ] || "$SHARED/bench/make_dataset.sh" "$V1" >/dev/null
W=$BENCH/chunks; export CAIRN_PASSPHRASE=bench
[ $# -gt 0 ] || set -- 8/32/128 16/64/256 32/128/512 64/256/1024
echo "| chunk sizes KiB | full s | repo after full MB | incr s | incr added MB | blobs |"
echo "|---|---|---|---|---|---|"
for sizes in "$@"; do
  rm -rf "$W"; mkdir -p "$W"; cp -a "$V1" "$W/src"
  "$A" local init --repo "$W/repo" --chunk-sizes "$sizes" ${LEVEL:+--compression-level "$LEVEL"} >/dev/null
  t0=$(date +%s.%N); "$A" local backup --repo "$W/repo" "$W/src" >/dev/null; t1=$(date +%s.%N)
  full=$(du -sb "$W/repo" | cut -f1)
  "$SHARED/bench/modify.sh" "$W/src" >/dev/null
  t2=$(date +%s.%N); "$A" local backup --repo "$W/repo" "$W/src" >/dev/null; t3=$(date +%s.%N)
  incr=$(du -sb "$W/repo" | cut -f1)
  blobs=$(sqlite3 "$W/repo/index.sqlite" 'select count(*) from blobs' 2>/dev/null || echo NA)
  printf '| %s | %.2f | %.1f | %.2f | %.1f | %s |\n' "$sizes" "$(echo "$t1 - $t0" | bc)" "$(echo "$full / 1000000" | bc -l)" \
    "$(echo "$t3 - $t2" | bc)" "$(echo "($incr - $full) / 1000000" | bc -l)" "$blobs"
done
rm -rf "$W"
