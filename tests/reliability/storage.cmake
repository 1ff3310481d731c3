# Storage faults and hostile server answers (issue 7): packs damaged on a real server's store,
# catalog rows removed, a full disk during a pack write (tmpfs; skipped without the right to
# mount), and a malicious server's snapshot restored by the real agent.
cairn_add_test(TestStorageFaults
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestStorageFaults.cpp
    LIBS cairn_testagent Qt6::Sql
    LABELS reliability storage TIMEOUT 1200 HEAVY)
add_dependencies(TestStorageFaults cairn-server cairn-agent)
cairn_add_test(TestMaliciousRestore
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestMaliciousRestore.cpp
    LIBS cairn_testagent Qt6::Sql
    LABELS reliability security TIMEOUT 900)
add_dependencies(TestMaliciousRestore cairn-server cairn-agent)
