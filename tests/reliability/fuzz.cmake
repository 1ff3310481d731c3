# Hostile input (issue 7): each fuzz target of tests/fuzz replays its committed corpus
# (tests/fuzz/corpus/<name>/) once, in a few seconds: the bounded form of fuzzing that runs in CI.
# Inputs that once crashed a target live in that corpus, so each stays a regression test. The
# long form is scripts/fuzz.sh (libFuzzer, clang, minutes per target).
include(${PROJECT_SOURCE_DIR}/tests/fuzz/FuzzTargets.cmake)
foreach(name IN LISTS cairn_fuzz_targets)
    set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
    if(CAIRN_FUZZ)
        add_test(NAME FuzzReplay_${name} COMMAND cairn-fuzz-${name} -runs=0 ${corpus})
    else()
        add_test(NAME FuzzReplay_${name} COMMAND cairn-fuzz-${name} ${corpus})
    endif()
    set_tests_properties(FuzzReplay_${name} PROPERTIES TIMEOUT 120 LABELS "reliability;fuzz"
        FAIL_REGULAR_EXPRESSION "ERROR: AddressSanitizer|runtime error:|fuzz property broken"
        # An input that makes a parser grow without end fails fast instead of filling the memory.
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:max_allocation_size_mb=256")
endforeach()

# Regression test of the bug fuzz_json found (the server accepted restore targets its agents
# refuse): a plain Qt Test beside the targets.
cairn_add_test(TestRestoreSpecAgreement SOURCES ${PROJECT_SOURCE_DIR}/tests/fuzz/TestRestoreSpecAgreement.cpp
    LIBS cairn_server_api cairn_service LABELS reliability fuzz TIMEOUT 60)
