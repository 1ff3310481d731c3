# The remote path's pure parts (no server): header parsing, fingerprints, credentials. The
# server-backed tests are in tests/integration/remote.cmake.
cairn_add_test(TestRemoteParsing
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestRemoteParsing.cpp
    LIBS cairn_remote cairn_repository
    LABELS unit remote)
cairn_add_test(TestPackSpool
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestPackSpool.cpp
    LIBS cairn_remote cairn_crypto Threads::Threads
    LABELS unit remote)
