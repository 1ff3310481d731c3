# Tests of cairn_server_http, the hardened HTTP front end (included from tests/unit/CMakeLists.txt).

# Pure logic, no sockets.
cairn_add_test(TestHttpFrontendHeadParser SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontendHeadParser.cpp
    LIBS cairn_server_http LABELS unit server http TIMEOUT 60)
cairn_add_test(TestHttpFrontendResponseEncoder SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontendResponseEncoder.cpp
    LIBS cairn_server_http LABELS unit server http TIMEOUT 60)
# Qt 6.4's QFuture::then(context) behaviour the front end's design relies on.
cairn_add_test(TestHttpFrontendFutureContext SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontendFutureContext.cpp
    LIBS Qt6::Concurrent LABELS unit server http TIMEOUT 60)

# Real loopback sockets against a front end on its own thread.
qt_add_library(cairn_http_testsupport STATIC
    ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontendSupport.h ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontendSupport.cpp)
target_include_directories(cairn_http_testsupport PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(cairn_http_testsupport PUBLIC cairn_server_http Qt6::Network PRIVATE cairn_config)
foreach(t Protocol Limits Disconnect Tls Stress)
    cairn_add_test(TestHttpFrontend${t} SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestHttpFrontend${t}.cpp
        LIBS cairn_http_testsupport LABELS unit server http TIMEOUT 180)
endforeach()
