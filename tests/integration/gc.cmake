# Retention and garbage collection end to end (included from tests/integration/CMakeLists.txt): a
# real cairn-server on a test clock and a real cairn-agent; `cairn-server gc` during a backup.
cairn_add_test(TestGarbageCollection
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestGarbageCollection.cpp
    LIBS cairn_testagent
    LABELS integration server TIMEOUT 900)
add_dependencies(TestGarbageCollection cairn-server cairn-agent)
