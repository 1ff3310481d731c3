#!/bin/bash
# Installs what is missing, builds Cairn with its tests (Debug, AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs the whole test suite with CTest.
#   CAIRN_SANITIZE=OFF scripts/test.sh   plain Debug build
#   scripts/test.sh -R Chunker           extra arguments go to ctest
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/scripts/install-deps.sh"
BUILD=${CAIRN_TEST_BUILD:-$TOP/build-test}
cmake -S "$TOP" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAIRN_TESTS=ON \
      -DCAIRN_SANITIZE=${CAIRN_SANITIZE:-ON} >/dev/null
cmake --build "$BUILD"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD" --output-on-failure --timeout 1200 -j "${CAIRN_TEST_JOBS:-2}" "$@"
