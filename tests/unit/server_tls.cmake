# Unit tests of cairn_server_tls: the certificate authority and pinning, serving TLS (real
# handshakes on loopback, the openssl CLI as a second opinion), and the master key file.
cairn_add_test(TestCertificateAuthority
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestCertificateAuthority.cpp ${CMAKE_CURRENT_LIST_DIR}/TlsTestSupport.h
    LIBS cairn_server_tls Qt6::Network LABELS unit server)
cairn_add_test(TestServerTls
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerTls.cpp ${CMAKE_CURRENT_LIST_DIR}/TlsTestSupport.h
    LIBS cairn_server_tls Qt6::Network LABELS unit server)
cairn_add_test(TestMasterKey SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestMasterKey.cpp
    LIBS cairn_server_tls cairn_repository LABELS unit server)
