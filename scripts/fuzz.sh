#!/bin/sh
# The long form of Cairn's fuzzing (issue 7, docs/RELIABILITY.md): builds the libFuzzer targets of
# tests/fuzz with clang (CAIRN_FUZZ=ON, -O1 -g, ASan+UBSan) and runs each for the given time on a
# working copy of its committed corpus, one target after another.
#   scripts/fuzz.sh [seconds per target, default 600] [target ...]   fuzz (all targets by default)
#   scripts/fuzz.sh merge [target ...]   add the inputs of the last run that reach new coverage to
#                                        the committed corpus (libFuzzer -merge=1; keeps it small)
# Per target it prints, and appends to $CAIRN_RELIABILITY_REPORT if set, one line
#   reliability: fuzz/<name> form=long tried=<executions> seconds=<s> crashes=<n> corpus=<files>
# Crashing inputs are kept in <build>/fuzz/<name>/crashes/; the script exits 1 if any target
# crashed. A target that crashes is restarted (at most 5 times) until its time is used up.
# The build folder is $CAIRN_FUZZ_BUILD, by default build-fuzz next to the source folder.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${CAIRN_FUZZ_BUILD:-$(dirname "$ROOT")/build-fuzz}
ALL="pack tree records json http_head restore_path feed"

MODE=fuzz
SECONDS_PER_TARGET=600
if [ "${1:-}" = merge ]; then
  MODE=merge; shift
elif [ -n "${1:-}" ]; then
  SECONDS_PER_TARGET=$1; shift
fi
TARGETS=${*:-$ALL}

# Inputs longer than this are not tried: the formats' interesting structure fits well below.
max_len() {
  case $1 in
    pack) echo 65536 ;; tree) echo 16384 ;; http_head) echo 20000 ;; restore_path) echo 1024 ;; *) echo 8192 ;;
  esac
}

# What Cairn needs, plus clang and Debian's compiler runtime (libFuzzer, sanitizers).
"$ROOT/scripts/install-deps.sh" clang libclang-rt-14-dev

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCAIRN_GUI=OFF -DCAIRN_TESTS=OFF -DCAIRN_BENCH=OFF \
  -DCAIRN_FUZZ=ON >/dev/null
bins=""
for t in $TARGETS; do bins="$bins cairn-fuzz-$t"; done
# shellcheck disable=SC2086
cmake --build "$BUILD" --target $bins >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

if [ "$MODE" = merge ]; then
  for t in $TARGETS; do
    work="$BUILD/fuzz/$t/corpus"
    [ -d "$work" ] || { echo "no corpus of a run of $t in $work" >&2; continue; }
    before=$(ls "$ROOT/tests/fuzz/corpus/$t" | wc -l)
    "$BUILD/tests/fuzz/cairn-fuzz-$t" -merge=1 -max_len="$(max_len "$t")" \
      "$ROOT/tests/fuzz/corpus/$t" "$work" >"$BUILD/fuzz/$t/merge.log" 2>&1
    echo "fuzz/$t: corpus $before -> $(ls "$ROOT/tests/fuzz/corpus/$t" | wc -l) files"
  done
  exit 0
fi

failed=0
for t in $TARGETS; do
  dir="$BUILD/fuzz/$t"
  rm -rf "$dir/corpus" "$dir/logs"
  mkdir -p "$dir/corpus" "$dir/crashes" "$dir/logs"
  cp "$ROOT/tests/fuzz/corpus/$t"/* "$dir/corpus/" 2>/dev/null || true
  crashes_before=$(ls "$dir/crashes" | wc -l)
  start=$(date +%s)
  tried=0
  runs=0
  unexplained=0
  while :; do
    left=$((SECONDS_PER_TARGET - ($(date +%s) - start)))
    [ "$left" -gt 0 ] && [ "$runs" -lt 6 ] || break
    runs=$((runs + 1))
    log="$dir/logs/run-$runs.log"
    "$BUILD/tests/fuzz/cairn-fuzz-$t" -max_total_time="$left" -print_final_stats=1 -timeout=60 \
      -rss_limit_mb=2560 -max_len="$(max_len "$t")" -artifact_prefix="$dir/crashes/" "$dir/corpus" \
      >"$log" 2>&1 && rc=0 || rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    tried=$((tried + ${n:-0}))
    [ "$rc" -ne 0 ] || break
    echo "fuzz/$t: run $runs ended with status $rc (see $log)" >&2
    # A failure that left no input behind (the target did not start, say) counts as a crash too.
    if ! grep -q "Test unit written to" "$log"; then unexplained=$((unexplained + 1)); fi
  done
  seconds=$(($(date +%s) - start))
  crashes=$(($(ls "$dir/crashes" | wc -l) - crashes_before + unexplained))
  corpus=$(ls "$dir/corpus" | wc -l)
  line="reliability: fuzz/$t form=long tried=$tried seconds=$seconds crashes=$crashes corpus=$corpus"
  echo "$line"
  if [ -n "${CAIRN_RELIABILITY_REPORT:-}" ]; then echo "$line" >>"$CAIRN_RELIABILITY_REPORT"; fi
  [ "$crashes" -eq 0 ] || failed=1
done
exit $failed
