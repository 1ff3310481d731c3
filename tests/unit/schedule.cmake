# Unit tests of cairn_schedule, the schedule slots shared by agent and server (included from
# tests/unit/CMakeLists.txt).
cairn_add_test(TestSchedule SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestSchedule.cpp LIBS cairn_schedule
    LABELS unit schedule TIMEOUT 120)
