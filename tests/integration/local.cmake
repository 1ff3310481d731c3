# Integration tests of the local CLI (included from tests/integration/CMakeLists.txt). They run the
# real cairn-agent binary on real files below /tmp.
cairn_add_test(TestLocalBackupRestore
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestLocalBackupRestore.cpp
    LABELS integration TIMEOUT 600 HEAVY)
cairn_add_test(TestDamageDetection
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestDamageDetection.cpp
    LABELS integration TIMEOUT 900 HEAVY)
cairn_add_test(TestKillDuringBackup
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/TestKillDuringBackup.cpp
    LABELS integration TIMEOUT 600 HEAVY)
add_dependencies(TestLocalBackupRestore cairn-agent)
add_dependencies(TestDamageDetection cairn-agent)
add_dependencies(TestKillDuringBackup cairn-agent)
