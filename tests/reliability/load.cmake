# Load: TestServerLoad (tests/integration) again with 200 simulated agents uploading and committing
# at once while two console clients query, then an operator's verify run over every pack and the
# catalog checked against every upload. Bounded: 10 packs (2 snapshots) per agent; long form
# (scripts/reliability.sh): 60 packs (12 snapshots) per agent.
add_test(NAME TestLoad200Agents COMMAND TestServerLoad)
set_tests_properties(TestLoad200Agents PROPERTIES TIMEOUT 3600 RUN_SERIAL TRUE
    LABELS "reliability;load;slow"
    ENVIRONMENT "CAIRN_SERVER=$<TARGET_FILE:cairn-server>;CAIRN_LOAD_AGENTS=200;CAIRN_LOAD_PACKS=10;CAIRN_LOAD_PACKS_LONG=60;QTEST_FUNCTION_TIMEOUT=3600000")
