# Units of the server's API layer that need no server process.
cairn_add_test(TestCredentials SOURCES TestCredentials.cpp LIBS cairn_server_api LABELS server unit)
cairn_add_test(TestLoginThrottle SOURCES TestLoginThrottle.cpp LIBS cairn_server_api LABELS server unit)
cairn_add_test(TestJsonInput SOURCES TestJsonInput.cpp LIBS cairn_server_api LABELS server unit)
