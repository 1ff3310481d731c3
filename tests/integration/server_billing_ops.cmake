# Billing statements, the usage sampler, store capacity and verify runs in a real cairn-server
# (issue 5). Each drives the server process over TLS on loopback; TestBillingStatements also opens
# the data folder's catalog to write servers and usage samples of a past month.
cairn_add_test(TestBillingStatements
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestBillingStatements.cpp
    LIBS cairn_testserver cairn_catalog Qt6::Network
    LABELS integration server billing TIMEOUT 300)
cairn_add_test(TestBillingSampler
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestBillingSampler.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server billing TIMEOUT 300)
cairn_add_test(TestStoreCapacity
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestStoreCapacity.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 300)
cairn_add_test(TestVerifyRuns
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestVerifyRuns.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration server TIMEOUT 300)
foreach(t TestBillingStatements TestBillingSampler TestStoreCapacity TestVerifyRuns)
    add_dependencies(${t} cairn-server)
endforeach()
