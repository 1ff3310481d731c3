# Unit tests of cairn_catalog: SqlCatalog on real SQLite files in temporary folders (included from
# tests/unit/CMakeLists.txt).

foreach(t IN ITEMS TestSqlCatalog TestSqlCatalogJobs TestSqlCatalogSchema TestSqlCatalogIsolation
                   TestSqlCatalogPagination TestSqlCatalogPacks TestSqlCatalogConcurrency TestSqlCatalogCrash
                   TestSqlCatalogSchedule TestSqlCatalogGc)
    cairn_add_test(${t}
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/${t}.cpp ${CMAKE_CURRENT_LIST_DIR}/TestSqlCatalogFixture.h
        LIBS cairn_catalog Threads::Threads
        LABELS unit server catalog)
endforeach()
