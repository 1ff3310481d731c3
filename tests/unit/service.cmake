# The agent service's parts that need no server: its configuration file, the state folder
# (locks, atomic files, the results outbox) and its reading of the server's answers. The
# service against a real server is in tests/integration/agent_service.cmake.
cairn_add_test(TestAgentSettings
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestAgentSettings.cpp
    LIBS cairn_service
    LABELS unit agent)
cairn_add_test(TestStateFolder
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestStateFolder.cpp
    LIBS cairn_service
    LABELS unit agent)
cairn_add_test(TestServiceProtocol
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServiceProtocol.cpp
    LIBS cairn_service
    LABELS unit agent)
