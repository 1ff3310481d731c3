cairn_add_gui_test(TestConsoleLogin SOURCES TestConsoleLogin.cpp LABELS console TIMEOUT 120)
