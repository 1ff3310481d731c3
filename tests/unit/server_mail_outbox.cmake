# Unit tests of the mail outbox in the catalog (SqlCatalogMail.cpp) and the Mailer's report
# period (ops/Mailer.h), on real SQLite files (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestSqlCatalogMail
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogMail.cpp ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogFixture.h
    LIBS cairn_server_ops cairn_catalog Qt6::Sql
    LABELS unit server catalog mail
    TIMEOUT 120)
