# The console's languages: the runtime switch (GUI, against a real server) and the check that the
# committed .ts files are what lupdate makes of the sources and that Korean is complete
# (issue 6, acceptance 2; fails until every view's text is translated). Run the check alone with
#   ctest --test-dir <build folder> -R TestConsoleTranslations --output-on-failure
cairn_add_gui_test(TestConsoleLanguage SOURCES TestConsoleLanguage.cpp TIMEOUT 120)

# lupdate as the update_translations target runs it: the same generated project description of
# cairn_ui (Qt's LinguistTools write it at configure time) and the same options.
cairn_add_test(TestConsoleTranslations SOURCES TestConsoleTranslations.cpp LABELS console TIMEOUT 180)
get_target_property(cairn_ui_binary_dir cairn_ui BINARY_DIR)
target_compile_definitions(TestConsoleTranslations PRIVATE
    CAIRN_LUPDATE="$<TARGET_FILE:Qt6::lupdate>"
    CAIRN_CMAKE="${CMAKE_COMMAND}"
    CAIRN_LUPDATE_PROJECT="${cairn_ui_binary_dir}/.lupdate/cairn_ui_project.cmake"
    CAIRN_LUPDATE_GENERATOR="${_Qt6_LINGUIST_TOOLS_DIR}/GenerateLUpdateProject.cmake"
    CAIRN_TS_DIR="${PROJECT_SOURCE_DIR}/translations")
