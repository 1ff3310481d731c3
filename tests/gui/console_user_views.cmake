# The tenant views of the console: dashboard, server overview and policy editor, usage and
# billing, report recipients (GUI tests against a real cairn-server).
cairn_add_gui_test(TestConsoleDashboard SOURCES TestConsoleDashboard.cpp TIMEOUT 300)
cairn_add_gui_test(TestConsolePolicy SOURCES TestConsolePolicy.cpp TIMEOUT 300)
cairn_add_gui_test(TestConsoleBillingRecipients SOURCES TestConsoleBillingRecipients.cpp TIMEOUT 300)
