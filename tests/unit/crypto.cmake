# Unit tests of cairn_crypto and cairn_compress (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestCrypto SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestCrypto.cpp LIBS cairn_crypto)
cairn_add_test(TestZstd SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestZstd.cpp LIBS cairn_compress PkgConfig::ZSTD)
cairn_add_test(TestOpenSslThreadExit SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestOpenSslThreadExit.cpp LIBS cairn_crypto)
