# Integration tests of cairn-server's /api/v1 (included from tests/integration/CMakeLists.txt). Both
# drive a real cairn-server process over TLS on loopback. TestTenantIsolation also links
# cairn_server_api to enumerate apiRoutes(), so that a route added later is covered automatically.

cairn_add_test(TestServerApi
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerApi.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 600)
cairn_add_test(TestTenantIsolation
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestTenantIsolation.cpp
    LIBS cairn_testagent cairn_server_api Qt6::Network
    LABELS integration server TIMEOUT 900)
add_dependencies(TestServerApi cairn-server)
add_dependencies(TestTenantIsolation cairn-server)

cairn_add_test(TestServerInit
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerInit.cpp
    LIBS cairn_testserver
    LABELS integration server
    TIMEOUT 300)
add_dependencies(TestServerInit cairn-server)

cairn_add_test(TestServerClock
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerClock.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server
    TIMEOUT 300)
add_dependencies(TestServerClock cairn-server)

cairn_add_test(TestServerCalendarCli
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerCalendarCli.cpp
    LIBS cairn_testserver
    LABELS integration server
    TIMEOUT 300)
add_dependencies(TestServerCalendarCli cairn-server)
