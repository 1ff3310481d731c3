# Unit tests of cairn_chunker (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestChunker SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestChunker.cpp LIBS cairn_chunker
    LABELS unit chunker)
