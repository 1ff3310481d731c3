// A restore ticket from start to end with a real cairn-server and a real `cairn-agent run`: the
// agent backs up a tree; a user asks for that snapshot to be restored into another folder; an
// operator writes in the thread, accepts and starts it; the agent restores; the ticket becomes
// completed by itself with the job's statistics; the restored files are identical to the source
// (content and metadata); and the audit log holds every operator action on the ticket.
// Main thread; the server and the agent are child processes.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

using namespace cairn::test;

namespace {
QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
} // namespace

class TestTicketRestoreEndToEnd : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QByteArray m_work, m_source;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_user, m_operator;
    AgentProcess m_agent;
    FixtureTree m_fixture;
    qint64 m_tenant = -1, m_agentId = -1;
    QString m_snapshot;

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path());
        m_source = m_work + "/src";
        FixtureOptions options;
        options.bigSparseFile = false;
        options.smallFiles = 120;
        options.smallDirs = 6;
        options.seed = testSeed();
        QVERIFY2(m_fixture.build(m_source, options), qPrintable(m_fixture.error));

        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(m_server.addUser(
            QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("member")));
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "operator's password", QString(), QStringLiteral("operator")));
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_user = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_operator = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_user->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QCOMPARE(m_operator->login(QStringLiteral("ops"), QStringLiteral("operator's password")).status, 200);
        m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("file-server"));
        QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
        QVERIFY2(m_agent.start(), m_agent.log().constData());

        // The snapshot: "back up now" with the tree as the policy's path (the schedule far away).
        const int farHour
            = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
        const ApiReply put
            = m_operator->putJson(QStringLiteral("/api/v1/servers/%1/policy?tenant=%2").arg(m_agentId).arg(m_tenant),
                QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_source)}},
                    {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), farHour},
                    {QStringLiteral("retention_days"), 30}});
        QVERIFY2(put.status == 200, qPrintable(put.describe()));
        const ApiReply now = m_user->post(QStringLiteral("/api/v1/servers/%1/backup").arg(m_agentId), QJsonObject {});
        QVERIFY2(now.status == 201, qPrintable(now.describe()));
        const QJsonObject job = waitForJobEnd(*m_user, now.json().value(QStringLiteral("id")).toInteger(), 300000);
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(job)));
        m_snapshot = job.value(QStringLiteral("snapshot")).toString();
        QCOMPARE(m_snapshot.size(), 64);
    }

    void cleanupTestCase()
    {
        m_agent.stop();
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        QVERIFY(removeTree(m_work));
    }

    void ticketRestoresTheSnapshot()
    {
        const QByteArray target = m_work + "/restored";
        ApiReply r = m_user->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_agentId}, {QStringLiteral("snapshot"), m_snapshot},
                {QStringLiteral("target"), QString::fromLocal8Bit(target)},
                {QStringLiteral("existing"), QStringLiteral("overwrite")},
                {QStringLiteral("contact"),
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("Kim")},
                        {QStringLiteral("phone"), QStringLiteral("02-123-4567")},
                        {QStringLiteral("email"), QStringLiteral("kim@example.com")}}},
                {QStringLiteral("note"), QStringLiteral("everything, into a new folder please")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        const qint64 id = r.json().value(QStringLiteral("id")).toInteger();
        const QString base = QStringLiteral("/api/v1/restore-tickets/%1").arg(id);
        const QString inTenant = QStringLiteral("?tenant=%1").arg(m_tenant);

        r = m_operator->post(base + QStringLiteral("/messages") + inTenant,
            QJsonObject {{QStringLiteral("body"), QStringLiteral("We will restore it now.")}});
        QVERIFY2(r.status == 201, qPrintable(r.describe()));
        r = m_operator->post(base + QStringLiteral("/accept") + inTenant, QJsonObject {});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        r = m_operator->post(base + QStringLiteral("/start") + inTenant, QJsonObject {});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const qint64 job = r.json().value(QStringLiteral("job")).toObject().value(QStringLiteral("id")).toInteger();
        QVERIFY(job > 0);

        // The ticket follows the job by itself: the user watches it.
        QJsonObject ticket;
        QStringList states;
        QElapsedTimer waited;
        waited.start();
        while (waited.elapsed() < 300000) {
            ticket = m_user->get(base).json();
            const QString state = ticket.value(QStringLiteral("state")).toString();
            if (states.isEmpty() || states.last() != state)
                states << state;
            if (state != u"running")
                break;
            QThread::msleep(200);
        }
        qInfo("ticket: %s", qPrintable(jsonText(ticket)));
        QCOMPARE(states.last(), QStringLiteral("completed"));
        QCOMPARE(states.first(), QStringLiteral("running"));
        const QJsonObject jobView = ticket.value(QStringLiteral("job")).toObject();
        QCOMPARE(jobView.value(QStringLiteral("id")).toInteger(), job);
        QCOMPARE(jobView.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QJsonObject stats = jobView.value(QStringLiteral("stats")).toObject();
        const qint64 files = stats.value(QStringLiteral("files")).toInteger();
        QVERIFY2(files >= 120, qPrintable(jsonText(stats)));
        QCOMPARE(stats.value(QStringLiteral("errors")).toInteger(-1), 0);
        QCOMPARE(ticket.value(QStringLiteral("resolution")).toString(),
            QStringLiteral("restore job %1 succeeded: %2 files, %3 bytes restored")
                .arg(job)
                .arg(files)
                .arg(stats.value(QStringLiteral("bytes")).toInteger()));
        QCOMPARE(ticket.value(QStringLiteral("sla")).toString(), QStringLiteral("met"));
        QVERIFY(!ticket.value(QStringLiteral("finished_at")).toString().isEmpty());

        // The files: identical to the source (content and metadata).
        const QStringList diffs = compareTrees(m_source, target + m_source);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));

        // The audit log: every operator action, and the ticket following its job.
        r = m_operator->get(QStringLiteral("/api/v1/audit?tenant=%1&limit=500").arg(m_tenant));
        QStringList actions;
        for (const QJsonValue &e : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = e.toObject();
            if (o.value(QStringLiteral("object")).toString() == QStringLiteral("ticket:%1").arg(id))
                actions.prepend(o.value(QStringLiteral("action")).toString()); // oldest first
        }
        QCOMPARE(actions,
            (QStringList {QStringLiteral("ticket.add"), QStringLiteral("ticket.message"),
                QStringLiteral("ticket.accept"), QStringLiteral("ticket.start"),
                QStringLiteral("ticket.job_finished")}));
        // The thread: the operator's message for the user.
        r = m_user->get(base + QStringLiteral("/messages"));
        QCOMPARE(r.json()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("body"))
                     .toString(),
            QStringLiteral("We will restore it now."));
    }
};

QTEST_GUILESS_MAIN(TestTicketRestoreEndToEnd)
#include "TestTicketRestoreEndToEnd.moc"
