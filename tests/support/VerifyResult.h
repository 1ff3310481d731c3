// Qt Test assertions for the engine's Status and Result<T> values: succeeded (else the error's
// message is the failure text), or failed with exactly the expected ErrorCode.
#pragma once

#include "base/Result.h"

#include <QTest>

#define CAIRN_VERIFY_OK(expr)                                                                                          \
    do {                                                                                                               \
        const auto &cairn_r_ = (expr);                                                                                 \
        QVERIFY2(cairn_r_.ok(), cairn_r_.ok() ? "" : qPrintable(cairn_r_.error().message));                            \
    } while (0)

// The Status/Result expression must fail with exactly `expectedCode`.
#define CAIRN_VERIFY_ERROR(expr, expectedCode)                                                                         \
    do {                                                                                                               \
        const auto &cairn_r_ = (expr);                                                                                 \
        QVERIFY2(!cairn_r_.ok(), "succeeded unexpectedly: " #expr);                                                    \
        QCOMPARE(::cairn::errorCodeName(cairn_r_.error().code), ::cairn::errorCodeName(expectedCode));                 \
    } while (0)
