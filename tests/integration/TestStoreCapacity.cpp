// Store capacity end to end through the API of a real cairn-server whose fill level comes from the
// test setting testing/capacity_file: below 80 % all is well; at 85 % operators are warned
// (GET /operator/capacity, the health view, an audit entry store.capacity, a WARN line); at 96 %
// new backups are refused with 507 store_full and the documented message (registering a job,
// starting one, uploading packs without a running backup), while a backup already running
// uploads, commits and finishes, and downloads keep working; back at 10 % backups go ahead.
// The test's main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

namespace {
const QString kFull
    = QStringLiteral("the backup store is 96% full; new backups are refused until space is freed (limit 95%)");
}

class TestStoreCapacity : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    QString m_capacityPath;

    void setUsed(const QByteArray &usedTotal)
    {
        QFile f(m_capacityPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(usedTotal);
    }

    static void expectFull(const ApiReply &r)
    {
        QVERIFY2(r.status == 507, qPrintable(r.describe()));
        const QJsonObject e = r.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("store_full"));
        QCOMPARE(e.value(QStringLiteral("message")).toString(), kFull);
    }

    QStringList capacityAudit(ApiClient &ops)
    {
        QStringList levels;
        const QJsonArray items
            = ops.get(QStringLiteral("/api/v1/audit")).json().value(QStringLiteral("items")).toArray();
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("action")).toString() == u"store.capacity")
                levels.prepend(o.value(QStringLiteral("detail")).toObject().value(QStringLiteral("level")).toString());
        }
        return levels; // oldest first
    }

private slots:
    void warnsAt80AndRefusesNewBackupsAt95()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0);
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        QVERIFY(
            m_server.addUser(QStringLiteral("kim"), "kim password", QStringLiteral("acme"), QStringLiteral("admin")));
        m_capacityPath = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("capacity"));
        setUsed("50 100");
        const QString config = m_server.writeConfig("[testing]\ncapacity_file=" + m_capacityPath.toUtf8() + "\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        ApiClient ops(m_server.baseUrl(), m_server.caPem()), kim(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(ops.login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
        QCOMPARE(kim.login(QStringLiteral("kim"), QStringLiteral("kim password")).status, 200);

        ApiReply r = ops.get(QStringLiteral("/api/v1/operator/capacity"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("level")).toString(), QStringLiteral("ok"));
        QCOMPARE(r.json().value(QStringLiteral("used_percent")).toInt(), 50);
        QCOMPARE(kim.get(QStringLiteral("/api/v1/operator/capacity")).status, 403);
        QCOMPARE(kim.get(QStringLiteral("/api/v1/health")).json().value(QStringLiteral("store")).toString(),
            QStringLiteral("ok"));

        SimulatedAgent agent(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(agent.enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("web01")).status, 201);
        // A backup starts while there is room.
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("agent")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const qint64 running = r.json().value(QStringLiteral("id")).toInteger();
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(running),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        // A second one is queued from the console (not started yet).
        r = kim.post(QStringLiteral("/api/v1/servers/%1/backup").arg(agent.agentId()), QJsonObject());
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const qint64 queued = r.json().value(QStringLiteral("id")).toInteger();

        // 85 %: a warning for operators, once.
        setUsed("85 100");
        r = ops.get(QStringLiteral("/api/v1/operator/capacity"));
        QCOMPARE(r.json().value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
        QCOMPARE(r.json().value(QStringLiteral("used_percent")).toInt(), 85);
        QCOMPARE(ops.get(QStringLiteral("/api/v1/health")).json().value(QStringLiteral("store")).toString(),
            QStringLiteral("warning"));
        QCOMPARE(ops.get(QStringLiteral("/api/v1/operator/capacity")).status, 200);
        QCOMPARE(capacityAudit(ops), QStringList {QStringLiteral("warning")});
        QVERIFY2(m_server.log().contains("WARN store capacity: 85% used"), m_server.log().constData());

        // 96 %: no new backup.
        setUsed("96 100");
        expectFull(agent.client().post(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("agent")}}));
        // The running backup goes on: its packs, its snapshot and its result are accepted.
        const auto pack = agent.buildPack(11, 3, 30000, true);
        r = agent.uploadPack(pack);
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        SnapshotId snapshot;
        r = agent.commitSnapshot(*pack.tree, &snapshot, running);
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(running),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("snapshot"), snapshot.toHex()}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        // Without a running backup, new packs are refused; downloads still work.
        expectFull(agent.uploadPack(agent.buildPack(12, 2, 30000, false)));
        r = agent.client().get(QStringLiteral("/api/v1/agent/packs/") + pack.id.toHex());
        QVERIFY2(r.status == 200 && r.body == pack.bytes, qPrintable(r.describe()));
        QCOMPARE(agent.uploadPack(pack).status, 200); // already stored: nothing new to keep
        // The queued backup cannot start: it fails with the reason, visible in its history.
        expectFull(agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(queued),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 1}}}}));
        r = kim.get(QStringLiteral("/api/v1/jobs/%1").arg(queued));
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(), kFull);
        QCOMPARE(ops.get(QStringLiteral("/api/v1/health")).json().value(QStringLiteral("store")).toString(),
            QStringLiteral("full"));
        QCOMPARE(capacityAudit(ops), (QStringList {QStringLiteral("warning"), QStringLiteral("full")}));
        QVERIFY2(m_server.log().contains("WARN store capacity: 96% used"), m_server.log().constData());

        // Space freed: backups go ahead again.
        setUsed("10 100");
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")},
                {QStringLiteral("trigger"), QStringLiteral("agent")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        QCOMPARE(capacityAudit(ops),
            (QStringList {QStringLiteral("warning"), QStringLiteral("full"), QStringLiteral("ok")}));
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    }
};

QTEST_GUILESS_MAIN(TestStoreCapacity)
#include "TestStoreCapacity.moc"
