# Unit tests of garbage collection's parts (included from tests/unit/CMakeLists.txt); the whole
# collection runs end to end in tests/integration/TestGarbageCollection.cpp.
cairn_add_test(TestGcLiveSet
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestGcLiveSet.cpp
    LIBS cairn_server_ops
    LABELS unit server
    TIMEOUT 300)
