# Resilience of the agent service against real cairn-server and cairn-agent processes (issue 4,
# acceptance 3-5): tenant-wide deduplication between two servers, kill -9 of the agent during a
# backup, and the server going away in the middle of one. Slow: minutes each.
cairn_add_test(TestAgentTenantDedup
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestAgentTenantDedup.cpp
    LIBS cairn_testagent
    LABELS integration agent slow TIMEOUT 1800 HEAVY)
add_dependencies(TestAgentTenantDedup cairn-server cairn-agent)
cairn_add_test(TestAgentKillResume
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestAgentKillResume.cpp
    LIBS cairn_testagent Qt6::Network
    LABELS integration agent slow TIMEOUT 1800 HEAVY)
add_dependencies(TestAgentKillResume cairn-server cairn-agent)
cairn_add_test(TestAgentServerOutage
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestAgentServerOutage.cpp
    LIBS cairn_testagent
    LABELS integration agent slow TIMEOUT 1800 HEAVY)
add_dependencies(TestAgentServerOutage cairn-server cairn-agent)
