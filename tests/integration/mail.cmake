# End-to-end mail tests (included from tests/integration/CMakeLists.txt): a real cairn-server on
# the test clock sends failure mails and daily reports to a real SMTP server on loopback
# (Debian's aiosmtpd, tests/support SmtpSink), including an outage of that server.
cairn_add_test(TestMailOutbox
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestMailOutbox.cpp
    LIBS cairn_testagent cairn_smtpsink Qt6::Network
    LABELS integration server mail
    TIMEOUT 600)
add_dependencies(TestMailOutbox cairn-server)
