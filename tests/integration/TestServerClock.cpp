// The server's own passes in a real cairn-server process, driven by the documented test setting
// testing/clock_file (operations/tick_seconds=1): a server with a daily 02:00 policy (Asia/Seoul,
// offset 10 min) gets its scheduled job at 02:10 without any agent, the job becomes missed when
// the clock passes 05:10, the audit log says so, and a slot slept through while the clock jumps a
// day is recorded too; a clock file in a folder others can write is refused. The test's main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QThread>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

class TestServerClock : public QObject {
    Q_OBJECT

    QJsonArray jobsOf(qint64 agentId)
    {
        const ApiReply r = m_api->get(QStringLiteral("/api/v1/jobs?server=%1").arg(agentId));
        return r.json().value(QStringLiteral("items")).toArray();
    }

    // Sets the server's clock; it follows within a pass (1 s).
    void setClock(const QString &instant)
    {
        QThread::msleep(1100); // a new modification time (1 s resolution on some file systems)
        QFile f(m_clockPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(instant.toLatin1());
    }

    // Waits until the newest job of the server is in `state`; the job, or empty after 10 s.
    QJsonObject waitForNewestJob(qint64 agentId, int count, const QString &state)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000) {
            const QJsonArray jobs = jobsOf(agentId);
            if (jobs.size() == count && jobs.first().toObject().value(QStringLiteral("state")).toString() == state)
                return jobs.first().toObject();
            QThread::msleep(200);
        }
        qWarning("jobs: %s", QJsonDocument(QJsonObject {{QStringLiteral("items"), jobsOf(agentId)}}).toJson().constData());
        return {};
    }

    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    QString m_clockPath;

private slots:
    void scheduledJobRecordedThenMissedOnTheTestClock()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0); // Asia/Seoul
        QVERIFY(m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")));
        m_clockPath = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("clock"));
        {
            QFile f(m_clockPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("2026-11-02T00:00:00+09:00");
        }
        // A clock in a folder others can write is refused: they would set the server's time.
        const QString shared = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("shared"));
        QVERIFY(QDir().mkpath(shared));
        QVERIFY(QFile::setPermissions(shared, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther));
        const QString unsafe = m_server.writeConfig(QByteArray("[testing]\nclock_file=") + shared.toUtf8() + "/clock\n");
        QVERIFY(!m_server.start({QStringLiteral("--config"), unsafe}, 10000));
        QVERIFY2(m_server.log().contains("only its owner can write"), m_server.log().constData());

        const QString config = m_server.writeConfig(QByteArray("[testing]\nclock_file=") + m_clockPath.toUtf8()
            + "\n[operations]\ntick_seconds=1\n[schedule]\ntest_offset_seconds=600\n");
        QVERIFY(!config.isEmpty());
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        SimulatedAgent agent(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(agent.enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("web01")).status, 201);
        const qint64 id = agent.agentId();

        const ApiReply put = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(id),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv")}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 2}, {QStringLiteral("retention_days"), 30}});
        QVERIFY2(put.status == 200, qPrintable(put.describe()));
        QVERIFY2(put.json().value(QStringLiteral("updated_at")).toString().startsWith(QLatin1String("2026-11-01T15:00:0")),
            qPrintable(put.describe())); // the server's clock is the file's
        const ApiReply server = m_api->get(QStringLiteral("/api/v1/servers/%1").arg(id));
        QCOMPARE(server.json().value(QStringLiteral("next_run")).toString(), QStringLiteral("2026-11-01T17:10:00.000Z"));
        QVERIFY(jobsOf(id).isEmpty());

        // 02:10:30 KST: the slot's job appears, pending, without any agent asking.
        setClock(QStringLiteral("2026-11-02T02:10:30+09:00"));
        QJsonObject job = waitForNewestJob(id, 1, QStringLiteral("pending"));
        QVERIFY(!job.isEmpty());
        QCOMPARE(job.value(QStringLiteral("scheduled_at")).toString(), QStringLiteral("2026-11-01T17:10:00.000Z"));
        QCOMPARE(job.value(QStringLiteral("requested_by")).toString(), QStringLiteral("schedule"));
        // The agent sees it in its job list.
        const ApiReply pending = agent.client().get(QStringLiteral("/api/v1/agent/jobs"));
        QCOMPARE(pending.json().value(QStringLiteral("items")).toArray().size(), 1);

        // 05:10:00 KST: nobody started it within 3 hours: missed.
        setClock(QStringLiteral("2026-11-02T05:10:00+09:00"));
        job = waitForNewestJob(id, 1, QStringLiteral("missed"));
        QVERIFY(!job.isEmpty());
        QCOMPARE(job.value(QStringLiteral("error")).toString(), QStringLiteral("not started within 3 hours of its scheduled time"));
        const ApiReply audit = m_api->get(QStringLiteral("/api/v1/audit"));
        QVERIFY2(audit.json().value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("action")).toString()
                == u"job.missed",
            qPrintable(audit.describe()));

        // The clock jumps to the 4th, 04:00 KST: the 3rd's slot is recorded as missed at once and
        // the 4th's as pending.
        setClock(QStringLiteral("2026-11-04T04:00:00+09:00"));
        QCOMPARE(m_api->get(QStringLiteral("/api/v1/jobs")).status, 401); // a session lasts 12 hours of that clock
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        job = waitForNewestJob(id, 3, QStringLiteral("pending"));
        QVERIFY(!job.isEmpty());
        QCOMPARE(job.value(QStringLiteral("scheduled_at")).toString(), QStringLiteral("2026-11-03T17:10:00.000Z"));
        const QJsonObject third = jobsOf(id).at(1).toObject();
        QCOMPARE(third.value(QStringLiteral("scheduled_at")).toString(), QStringLiteral("2026-11-02T17:10:00.000Z"));
        QCOMPARE(third.value(QStringLiteral("state")).toString(), QStringLiteral("missed"));
        QVERIFY(m_server.stop());
    }
};

QTEST_GUILESS_MAIN(TestServerClock)
#include "TestServerClock.moc"
