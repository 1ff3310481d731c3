# Abuse, load and crash tests of a real cairn-server process over TLS (included from
# tests/integration/CMakeLists.txt). Measured on 2 busy cores: abuse ~20 s (ASan ~30 s), load ~10 s
# (ASan ~45 s), kill ~6 s (ASan ~16 s). The load and kill tests read the catalog afterwards (Qt Sql).

cairn_add_test(TestServerAbuse
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerAbuse.cpp
    LIBS cairn_testagent Qt6::Network LABELS integration server TIMEOUT 240)
cairn_add_test(TestServerLoad
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerLoad.cpp
    LIBS cairn_testagent Qt6::Sql LABELS integration server TIMEOUT 600 SERIAL)
cairn_add_test(TestServerKill
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestServerKill.cpp
    LIBS cairn_testagent Qt6::Sql LABELS integration server TIMEOUT 300)
foreach(t TestServerAbuse TestServerLoad TestServerKill)
    add_dependencies(${t} cairn-server)
endforeach()
