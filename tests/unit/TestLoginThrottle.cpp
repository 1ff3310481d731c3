// Login rate limiting per login and per address, with a sliding window.
#include "api/LoginThrottle.h"

#include <QTest>

using namespace cairn::server;

class TestLoginThrottle : public QObject {
    Q_OBJECT
private slots:
    void perLoginLimit()
    {
        LoginThrottle t;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(t.retryAfter(QStringLiteral("alice"), QStringLiteral("10.0.0.1"), t0), 0);
            t.recordFailure(QStringLiteral("alice"), QStringLiteral("10.0.0.1"), t0.addSecs(i));
        }
        const int wait = t.retryAfter(QStringLiteral("alice"), QStringLiteral("10.0.0.2"), t0.addSecs(5));
        QVERIFY2(wait > 14 * 60 && wait <= 15 * 60, qPrintable(QString::number(wait)));
        // Another login from the same address is not blocked by alice's failures.
        QCOMPARE(t.retryAfter(QStringLiteral("bob"), QStringLiteral("10.0.0.1"), t0.addSecs(5)), 0);
        // The window slides: after the first failure ages out, one attempt is allowed again.
        QCOMPARE(t.retryAfter(QStringLiteral("alice"), QStringLiteral("10.0.0.1"), t0.addSecs(15 * 60 + 1)), 0);
    }
    void perAddressLimit()
    {
        LoginThrottle t;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        for (int i = 0; i < 20; ++i)
            t.recordFailure(QStringLiteral("user%1").arg(i), QStringLiteral("192.0.2.7"), t0);
        QVERIFY(t.retryAfter(QStringLiteral("fresh-user"), QStringLiteral("192.0.2.7"), t0) > 0);
        QCOMPARE(t.retryAfter(QStringLiteral("fresh-user"), QStringLiteral("192.0.2.8"), t0), 0);
    }
    void successClearsTheLogin()
    {
        LoginThrottle t;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        for (int i = 0; i < 4; ++i)
            t.recordFailure(QStringLiteral("carol"), QStringLiteral("a"), t0);
        t.recordSuccess(QStringLiteral("carol"));
        t.recordFailure(QStringLiteral("carol"), QStringLiteral("b"), t0);
        QCOMPARE(t.retryAfter(QStringLiteral("carol"), QStringLiteral("c"), t0), 0);
    }
    void memoryIsBounded()
    {
        LoginThrottle::Limits limits;
        limits.maxEntries = 100;
        LoginThrottle t(limits);
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        for (int i = 0; i < 10000; ++i)
            t.recordFailure(QStringLiteral("u%1").arg(i), QStringLiteral("a%1").arg(i), t0.addMSecs(i));
        // The newest keys are still tracked.
        for (int i = 0; i < 4; ++i)
            t.recordFailure(QStringLiteral("u9999"), QStringLiteral("x"), t0.addMSecs(10000 + i));
        QVERIFY(t.retryAfter(QStringLiteral("u9999"), QStringLiteral("y"), t0.addMSecs(20000)) > 0);
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "TestLoginThrottle.moc"
