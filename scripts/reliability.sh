#!/bin/bash
# The long form of Cairn's reliability suite (docs/RELIABILITY.md). Builds the tests as CI does
# (Debug, AddressSanitizer and UndefinedBehaviorSanitizer), runs every test labelled
# "reliability" with CAIRN_RELIABILITY=long (more crash rounds, kill points, faults, agents and
# packs), then every fuzz target for 600 s (scripts/fuzz.sh), and prints the figures the tests
# reported: one "reliability: <area> ..." line each, collected in <build>/reliability-report.txt.
#   scripts/reliability.sh                  everything (about two hours on 2 cores)
#   CAIRN_FUZZ_SECONDS=60 scripts/reliability.sh   shorter fuzzing
#   scripts/reliability.sh -R TestCrashPoints      extra arguments go to ctest (no fuzzing then)
# The bounded form is part of the ordinary test run (scripts/test.sh; `ctest -L reliability`).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${CAIRN_TEST_BUILD:-$TOP/build-test}
export CAIRN_RELIABILITY=long
export CAIRN_KILL_POINTS=${CAIRN_KILL_POINTS:-60} # TestKillDuringBackup
export CAIRN_RELIABILITY_REPORT=$BUILD/reliability-report.txt
mkdir -p "$BUILD"
: >"$CAIRN_RELIABILITY_REPORT"

status=0
# scripts/test.sh installs, builds as CI does and hands its arguments to ctest.
CAIRN_TEST_BUILD=$BUILD "$TOP/scripts/test.sh" -L reliability "$@" || status=$?
if [ $# -eq 0 ]; then
  "$TOP/scripts/fuzz.sh" "${CAIRN_FUZZ_SECONDS:-600}" || status=1
fi
echo
echo "== reliability figures ($CAIRN_RELIABILITY_REPORT)"
cat "$CAIRN_RELIABILITY_REPORT"
exit $status
