# Unit tests of cairn_platform, the Linux platform layer (included from tests/unit/CMakeLists.txt).
# Some cases wait for the 5 s SIGTERM → SIGKILL grace of a stopped command.
cairn_add_test(TestPlatform
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestPlatform.cpp
    LIBS cairn_platform Threads::Threads
    TIMEOUT 180)
