# End-to-end tests of the agent service (included from tests/integration/CMakeLists.txt): a real
# cairn-server and a real `cairn-agent run` on loopback. The scheduled backup; the service's
# backup jobs (incremental runs, cancel, pre/post commands, the server going away); the
# `status`, `backup --now`, `run` and `enroll` commands; restore jobs dispatched by an operator.
foreach(name TestAgentRestoreJob TestAgentService TestAgentServiceCli TestAgentServiceSchedule)
    cairn_add_test(${name}
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/${name}.cpp
        LIBS cairn_testagent
        LABELS integration agent TIMEOUT 1200)
    add_dependencies(${name} cairn-server cairn-agent)
endforeach()
