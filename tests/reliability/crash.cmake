# Crashes: SIGKILL of the agent, the server and gc at random points of backup, restore, retention
# and garbage collection (TestCrashPoints). Older crash tests stay where they were written:
# tests/integration TestKillDuringBackup, TestAgentKillResume, TestServerKill; unit
# TestSqlCatalogCrash.
cairn_add_test(TestCrashPoints
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestCrashPoints.cpp
    LIBS cairn_testagent
    LABELS reliability crash slow TIMEOUT 7200 HEAVY)
add_dependencies(TestCrashPoints cairn-server cairn-agent)
