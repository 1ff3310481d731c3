# The console's History tab (paging, server-side sort, filters, live progress, run detail), the
# Restore tab's request form and tickets, and the user's whole flow with a real agent. They need a
# cairn-server with the console views (GET /jobs sort=/order=, /snapshots/{id}/search).
cairn_add_gui_test(TestConsoleHistory SOURCES TestConsoleHistory.cpp LABELS console TIMEOUT 300)
cairn_add_gui_test(TestConsoleRestoreRequest SOURCES TestConsoleRestoreRequest.cpp LABELS console TIMEOUT 300)
cairn_add_gui_test(TestConsoleUserFlow SOURCES TestConsoleUserFlow.cpp LABELS console TIMEOUT 300)
