# Packaging test (included from tests/integration/CMakeLists.txt): cpack builds the cairn-agent
# .deb and .rpm from this build tree into a temporary folder and TestPackaging.sh checks them
# (layout, conffile, maintainer scripts, systemd-analyze verify) and a plain cmake --install.
# Needs dpkg-deb, dpkg-shlibdeps, rpmbuild and systemd-analyze (scripts/install-deps.sh); no
# network. Run alone with: ctest -L packaging
add_test(NAME TestPackaging
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/TestPackaging.sh
        ${PROJECT_BINARY_DIR} ${CMAKE_CPACK_COMMAND} ${CMAKE_COMMAND} $<TARGET_FILE:cairn-agent>)
set_tests_properties(TestPackaging PROPERTIES LABELS packaging TIMEOUT 600)
