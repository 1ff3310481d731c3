// The usage sampler in a real cairn-server, driven by the test clock (testing/clock_file,
// operations/tick_seconds=1): one sample of the tenant's stored bytes per tenant-local day taken by
// the server itself (May 29 before any upload, May 30 and 31 after one pack), none invented for
// June 1 while the clock jumps from May 31 to June 2, and May's statement kept by the server once
// May is over, from exactly those samples; June's estimate counts June 2 only.
// The test's main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include <QFile>
#include <QJsonArray>
#include <QThread>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

class TestBillingSampler : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    QString m_clockPath;
    std::unique_ptr<ApiClient> m_ops;
    qint64 m_tenant = 0;

    void setClock(const QByteArray &instant)
    {
        QThread::msleep(1100); // a new modification time
        QFile f(m_clockPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(instant);
        f.close();
        // The session lives 12 hours of that clock: log in again after each jump.
        QCOMPARE(m_ops->login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
    }

    // The estimate's figures once they show `sampledDays` samples (the sampler runs every second).
    QJsonObject waitForEstimate(qint64 sampledDays)
    {
        QElapsedTimer t;
        t.start();
        QJsonObject figures;
        while (t.elapsed() < 15000) {
            const ApiReply r = m_ops->get(QStringLiteral("/api/v1/billing/estimate?tenant=%1").arg(m_tenant));
            figures
                = r.json().value(QStringLiteral("statement")).toObject().value(QStringLiteral("figures")).toObject();
            if (figures.value(QStringLiteral("sampledDays")).toInteger() == sampledDays)
                return figures;
            QThread::msleep(200);
        }
        qWarning("estimate figures: %s", QJsonDocument(figures).toJson().constData());
        return {};
    }

private slots:
    void samplesOncePerDayAndKeepsTheMonth()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        m_clockPath = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("clock"));
        {
            QFile f(m_clockPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("2026-05-29T10:00:00+09:00");
        }
        const QString config = m_server.writeConfig(
            "[testing]\nclock_file=" + m_clockPath.toUtf8() + "\n[operations]\ntick_seconds=1\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        m_ops = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_ops->login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);

        ApiReply r = m_ops->putJson(QStringLiteral("/api/v1/operator/prices"),
            QJsonObject {{QStringLiteral("currency"), QStringLiteral("KRW")},
                {QStringLiteral("baseFeePerMonth"), QStringLiteral("50000")},
                {QStringLiteral("extraServerPerMonth"), QStringLiteral("10000")},
                {QStringLiteral("extraGbPerMonth"), QStringLiteral("100")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        r = m_ops->patch(QStringLiteral("/api/v1/tenants/%1").arg(m_tenant),
            QJsonObject {{QStringLiteral("activated_at"), QStringLiteral("2026-05-01T00:00:00+09:00")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));

        // May 29: sampled at the server's first pass, before any data: 0 bytes.
        QJsonObject figures = waitForEstimate(1);
        QVERIFY(!figures.isEmpty());
        QCOMPARE(figures.value(QStringLiteral("storageByteDays")).toInteger(), qint64(0));

        SimulatedAgent agent(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(agent.enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("web01")).status, 201);
        const auto pack = agent.buildPack(7, 4, 50000, true);
        QCOMPARE(agent.uploadPack(pack).status, 201);
        const qint64 stored = pack.bytes.size();
        QThread::msleep(2500); // passes on May 29 after the upload take no second sample
        figures = waitForEstimate(1);
        QCOMPARE(figures.value(QStringLiteral("storageByteDays")).toInteger(), qint64(0));

        setClock("2026-05-30T10:00:00+09:00");
        figures = waitForEstimate(2);
        QCOMPARE(figures.value(QStringLiteral("storageByteDays")).toInteger(), stored);
        setClock("2026-05-31T23:30:00+09:00");
        figures = waitForEstimate(3);
        QCOMPARE(figures.value(QStringLiteral("storageByteDays")).toInteger(), 2 * stored);

        // June 2: June 1 passed while the server was not looking: no sample is made up for it.
        setClock("2026-06-02T10:00:00+09:00");
        figures = waitForEstimate(1);
        QCOMPARE(figures.value(QStringLiteral("storageByteDays")).toInteger(), stored);
        QCOMPARE(figures.value(QStringLiteral("activeDays")).toInteger(), qint64(2));

        // May is over: the server kept its statement from the three May samples (0, S, S).
        r = m_ops->get(QStringLiteral("/api/v1/billing/statements?tenant=%1").arg(m_tenant));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonArray kept = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.first().toObject().value(QStringLiteral("month")).toString(), QStringLiteral("2026-05"));
        r = m_ops->get(QStringLiteral("/api/v1/billing/statements?tenant=%1&month=2026-05").arg(m_tenant));
        QCOMPARE(r.json().value(QStringLiteral("source")).toString(), QStringLiteral("kept"));
        const QJsonObject may = r.json().value(QStringLiteral("statement")).toObject();
        const QJsonObject f = may.value(QStringLiteral("figures")).toObject();
        QCOMPARE(may.value(QStringLiteral("kind")).toString(), QStringLiteral("final"));
        QCOMPARE(f.value(QStringLiteral("sampledDays")).toInteger(), qint64(3));
        QCOMPARE(f.value(QStringLiteral("storageByteDays")).toInteger(), 2 * stored);
        QCOMPARE(f.value(QStringLiteral("averageBytes")).toInteger(), (2 * stored * 2 + 3) / 6); // 2S/3 half up
        QCOMPARE(f.value(QStringLiteral("activeDays")).toInteger(), qint64(31));
        QCOMPARE(f.value(QStringLiteral("serverDays")).toInteger(), qint64(3)); // enrolled May 29
        QCOMPARE(may.value(QStringLiteral("totalMinor")).toInteger(), qint64(50000));
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    }
};

QTEST_GUILESS_MAIN(TestBillingSampler)
#include "TestBillingSampler.moc"
