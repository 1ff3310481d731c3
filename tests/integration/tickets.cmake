# Restore tickets through the API of a real cairn-server (included from
# tests/integration/CMakeLists.txt): the workflow with simulated agents, the SLA clock driven by
# the test clock file, and the whole way end to end with a real cairn-agent restoring the data.
cairn_add_test(TestTicketWorkflow
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestTicketWorkflow.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 600)
add_dependencies(TestTicketWorkflow cairn-server)

cairn_add_test(TestTicketSla
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestTicketSla.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 600)
add_dependencies(TestTicketSla cairn-server)

cairn_add_test(TestTicketRestoreEndToEnd
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestTicketRestoreEndToEnd.cpp
    LIBS cairn_testagent
    LABELS integration agent TIMEOUT 1200)
add_dependencies(TestTicketRestoreEndToEnd cairn-server cairn-agent)
