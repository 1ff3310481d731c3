# Unit test of the catalog's billing and verify tables (SqlCatalogBilling.cpp, SqlCatalogVerify.cpp)
# on real SQLite files in temporary folders.
cairn_add_test(TestSqlCatalogBilling
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogBilling.cpp ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogFixture.h
    LIBS cairn_catalog
    LABELS unit server catalog billing)
