# Integration tests of the agent's remote path (included from tests/integration/CMakeLists.txt):
# RemoteBackend against a real cairn-server (the backend conformance suite plus retries,
# enrollment and TLS pinning), and the cairn-agent `enroll` / `remote` commands end to end.
cairn_add_test(TestRemoteBackend
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestRemoteBackend.cpp ${CMAKE_CURRENT_LIST_DIR}/../unit/BackendConformance.h
    LIBS cairn_remote cairn_repository cairn_testserver Qt6::Network Threads::Threads
    LABELS integration remote TIMEOUT 900)
target_include_directories(TestRemoteBackend PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../unit)
cairn_add_test(TestRemoteAgent
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestRemoteAgent.cpp
    LIBS cairn_testserver
    LABELS integration remote TIMEOUT 900)
add_dependencies(TestRemoteBackend cairn-server)
add_dependencies(TestRemoteAgent cairn-server cairn-agent)
