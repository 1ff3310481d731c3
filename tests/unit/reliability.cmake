# Unit tests that belong to the reliability suite too (tests/reliability/CMakeLists.txt), so that
# `ctest -L reliability` runs all of it: catalog crash safety, HTTP limits, parsing of server
# answers by the agent, the login rate limit. Deferred: the tests are defined by other files here.
cmake_language(DEFER CALL set_property TEST TestSqlCatalogCrash TestHttpFrontendLimits TestRemoteParsing
    TestLoginThrottle APPEND PROPERTY LABELS reliability)
