# Tests of cairn_mail (included from tests/unit/CMakeLists.txt): MIME messages and the report
# mails are checked as Python's email package reads them; the SMTP client talks to a real
# aiosmtpd server on loopback (tests/support/smtp_sink.py, driven by SmtpSink).
cairn_add_test(TestMailMessage SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestMailMessage.cpp
    LIBS cairn_mail cairn_smtpsink LABELS unit server mail TIMEOUT 120)
cairn_add_test(TestReportMail SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestReportMail.cpp
    LIBS cairn_mail cairn_smtpsink LABELS unit server mail TIMEOUT 120)
cairn_add_test(TestSmtpClient SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestSmtpClient.cpp
    LIBS cairn_mail cairn_smtpsink Qt6::Network LABELS integration server mail TIMEOUT 300)
