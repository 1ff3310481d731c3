# The console's views through the API of a real cairn-server (included from
# tests/integration/CMakeLists.txt): dashboard, sorted job history, snapshot search, holiday
# calendar and service health, driven by simulated agents and the test clock file.
cairn_add_test(TestConsoleEndpoints
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestConsoleEndpoints.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 600)
add_dependencies(TestConsoleEndpoints cairn-server)
