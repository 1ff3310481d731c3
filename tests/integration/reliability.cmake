# Integration tests that belong to the reliability suite too (tests/reliability/CMakeLists.txt), so
# that `ctest -L reliability` runs all of it. Crashes: TestKillDuringBackup (CAIRN_KILL_POINTS
# kills of a local backup), TestAgentKillResume, TestServerKill. Storage: TestDamageDetection,
# TestVerifyRuns, TestStoreCapacity. Network: TestAgentServerOutage. Hostile input and access:
# TestServerAbuse, TestTenantIsolation (isolation and role matrix over every route, expiry).
# Deferred: the tests are defined by other files here.
cmake_language(DEFER CALL set_property TEST TestKillDuringBackup TestAgentKillResume TestServerKill
    TestDamageDetection TestVerifyRuns TestStoreCapacity TestAgentServerOutage TestServerAbuse TestTenantIsolation
    APPEND PROPERTY LABELS reliability)
