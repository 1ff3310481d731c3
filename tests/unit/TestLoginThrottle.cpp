// Login rate limiting per (login, address), per address and per login, with a sliding window.
#include "api/LoginThrottle.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace cairn::server;

namespace {
const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
const QString alice = QStringLiteral("alice");
} // namespace

class TestLoginThrottle : public QObject {
    Q_OBJECT
private slots:
    void perLoginAndAddressLimit()
    {
        LoginThrottle t;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(t.admit(alice, QStringLiteral("10.0.0.1"), t0.addSecs(i)), 0);
        const int wait = t.admit(alice, QStringLiteral("10.0.0.1"), t0.addSecs(5));
        QVERIFY2(wait > 14 * 60 && wait <= 15 * 60, qPrintable(QString::number(wait)));
        // The same login from elsewhere is not locked out by someone guessing from 10.0.0.1 …
        QCOMPARE(t.admit(alice, QStringLiteral("10.0.0.2"), t0.addSecs(5)), 0);
        // … nor is another login from the same address.
        QCOMPARE(t.admit(QStringLiteral("bob"), QStringLiteral("10.0.0.1"), t0.addSecs(5)), 0);
        // The window slides: once the first failure ages out, one attempt is allowed again.
        QCOMPARE(t.admit(alice, QStringLiteral("10.0.0.1"), t0.addSecs(15 * 60 + 1)), 0);
    }
    void perAddressLimit()
    {
        LoginThrottle t;
        for (int i = 0; i < 20; ++i)
            QCOMPARE(t.admit(QStringLiteral("user%1").arg(i), QStringLiteral("192.0.2.7"), t0), 0);
        QVERIFY(t.admit(QStringLiteral("fresh-user"), QStringLiteral("192.0.2.7"), t0) > 0);
        QCOMPARE(t.admit(QStringLiteral("fresh-user"), QStringLiteral("192.0.2.8"), t0), 0);
    }
    void perLoginLimitAcrossAddresses()
    {
        LoginThrottle t;
        for (int i = 0; i < 50; ++i)
            QCOMPARE(t.admit(alice, QStringLiteral("198.51.100.%1").arg(i), t0), 0);
        QVERIFY(t.admit(alice, QStringLiteral("203.0.113.1"), t0) > 0);
    }
    void successIsNotCounted()
    {
        LoginThrottle t;
        for (int i = 0; i < 4; ++i)
            QCOMPARE(t.admit(QStringLiteral("carol"), QStringLiteral("a"), t0), 0);
        QCOMPARE(t.admit(QStringLiteral("carol"), QStringLiteral("a"), t0), 0);
        t.succeeded(QStringLiteral("carol"), QStringLiteral("a"));
        // The four failures before the success are forgotten for this pair.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(t.admit(QStringLiteral("carol"), QStringLiteral("a"), t0), 0);
        // Many successful logins from one address never add up to a block.
        LoginThrottle u;
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(u.admit(QStringLiteral("dave"), QStringLiteral("b"), t0), 0);
            u.succeeded(QStringLiteral("dave"), QStringLiteral("b"));
        }
    }
    void parallelAttemptsCannotExceedTheLimit()
    {
        LoginThrottle t;
        std::atomic<int> admitted{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&] {
                for (int k = 0; k < 10; ++k)
                    if (t.admit(alice, QStringLiteral("10.9.9.9"), t0) == 0)
                        ++admitted;
            });
        for (auto &th : threads)
            th.join();
        QCOMPARE(admitted.load(), 5);
    }
    void memoryIsBounded()
    {
        LoginThrottle::Limits limits;
        limits.maxEntries = 100;
        LoginThrottle t(limits);
        for (int i = 0; i < 3000; ++i)
            t.admit(QStringLiteral("u%1").arg(i), QStringLiteral("a%1").arg(i), t0.addMSecs(i));
        // The newest keys are still tracked.
        for (int i = 0; i < 4; ++i)
            t.admit(QStringLiteral("u2999"), QStringLiteral("a2999"), t0.addMSecs(3000 + i));
        QVERIFY(t.admit(QStringLiteral("u2999"), QStringLiteral("a2999"), t0.addMSecs(4000)) > 0);
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "TestLoginThrottle.moc"
