# Network faults (issue 7): a real agent service and a real server with a FaultRelay between them
# that cuts uploads and downloads at random byte counts and slows the link. About two minutes of
# CPU in the bounded form (ASan Debug), more rounds and bigger trees in the long form.
cairn_add_test(TestNetworkFaults
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestNetworkFaults.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS reliability network TIMEOUT 1800 HEAVY)
add_dependencies(TestNetworkFaults cairn-server cairn-agent)
