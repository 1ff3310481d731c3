# Unit tests of cairn_billing: statements computed from concrete price lists and usage, checked
# against figures worked out by hand (included from tests/unit/CMakeLists.txt).
cairn_add_test(TestBilling SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestBilling.cpp LIBS cairn_billing
    LABELS unit server TIMEOUT 120)
