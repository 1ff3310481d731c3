# Unit tests of the catalog's console statements (SqlCatalogConsole.cpp) on real SQLite files
# (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestSqlCatalogConsole
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogConsole.cpp ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogFixture.h
    LIBS cairn_catalog
    LABELS unit server catalog)
