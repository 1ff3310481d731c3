# Unit tests of cairn_calendar, the business calendar and SLA clock of restore tickets: due times,
# business time, SLA states, monthly compliance and the shipped Korean holiday data (included from
# tests/unit/CMakeLists.txt).
cairn_add_test(TestBusinessCalendar SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestBusinessCalendar.cpp
    LIBS cairn_calendar LABELS unit server TIMEOUT 120)
