# Storage backends: one conformance suite (BackendConformance.h) run against every backend.
cairn_add_test(TestBackendConformance
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/TestBackendConformance.cpp ${CMAKE_CURRENT_LIST_DIR}/BackendConformance.h
    LIBS cairn_backend Threads::Threads
    LABELS unit backend
    TIMEOUT 900)
