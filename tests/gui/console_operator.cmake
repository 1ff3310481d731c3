# The operators' views of the console: ticket queue and handling (with a real agent restoring),
# tenants and users, calendar, pricing, billing export and audit (GUI tests against a real
# cairn-server). TestConsoleOperatorAdmin's calendar case needs a server with /operator/calendar.
cairn_add_gui_test(TestConsoleTicketQueue SOURCES TestConsoleTicketQueue.cpp TIMEOUT 300)
cairn_add_gui_test(TestConsoleOperatorFlow SOURCES TestConsoleOperatorFlow.cpp TIMEOUT 300)
cairn_add_gui_test(TestConsoleOperatorAdmin SOURCES TestConsoleOperatorAdmin.cpp TIMEOUT 300)
