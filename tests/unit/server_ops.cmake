# Unit tests of cairn_server_ops: the server's own passes on an injected clock, over SqlCatalog on
# real SQLite files (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestOperationsSchedule
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestOperationsSchedule.cpp ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogFixture.h
    LIBS cairn_server_ops cairn_server_api cairn_catalog
    LABELS unit server
    TIMEOUT 120)
