# Unit tests of the engine: keys, blobs, packs, trees, snapshot records, the index, the repository
# and a whole backup → check → restore round trip on an in-memory backend.
cairn_add_test(TestKeys SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestKeys.cpp LIBS cairn_repository LABELS unit engine)
cairn_add_test(TestPack SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestPack.cpp LIBS cairn_repository LABELS unit engine)
cairn_add_test(TestTree SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestTree.cpp LIBS cairn_repository LABELS unit engine)
cairn_add_test(TestSnapshotRecord SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestSnapshotRecord.cpp
    LIBS cairn_repository LABELS unit engine)
cairn_add_test(TestSqliteIndex SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestSqliteIndex.cpp
    LIBS cairn_repository LABELS unit engine)
cairn_add_test(TestRepository SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestRepository.cpp
    LIBS cairn_repository cairn_backend LABELS unit engine TIMEOUT 600)
cairn_add_test(TestEngineRoundTrip SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestEngineRoundTrip.cpp
    LIBS cairn_archiver cairn_restorer cairn_checker cairn_repository cairn_backend LABELS unit engine TIMEOUT 600)
