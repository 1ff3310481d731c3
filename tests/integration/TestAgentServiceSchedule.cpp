// The agent service runs a scheduled backup on its own (issue 4, acceptance 1): a real
// cairn-server whose schedule/test_offset_seconds puts this agent's slot about 45 seconds after
// the policy is set, a real `cairn-agent run`, and nobody pressing "back up now". The test checks
// the job the service registers for the slot, the run's statistics against the tree, how soon the
// console shows the result after the agent finished, and that the slot does not run twice (neither
// by the running service nor after a restart). Main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <sys/stat.h>

using namespace cairn::test;

namespace {

const QString kZone = QStringLiteral("Asia/Seoul");

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

class TestAgentServiceSchedule : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    AgentProcess m_agent;
    QByteArray m_source;
    qint64 m_files = 0, m_bytes = 0;

    // A few MB in 25 files of varied sizes over three directories.
    bool buildTree(quint32 seed)
    {
        m_source = QFile::encodeName(m_tmp.filePath(QStringLiteral("src")));
        for (const char *dir : {"", "/a", "/b", "/b/c"})
            if (::mkdir((m_source + dir).constData(), 0755) != 0)
                return false;
        const char *const dirs[] = {"/a/", "/b/", "/b/c/", "/"};
        for (int i = 0; i < 25; ++i) {
            const qint64 size = i == 0 ? (1 << 20) : 1000 + (qint64(i) * 104729) % 300000;
            const QByteArray path = m_source + dirs[i % 4] + "file" + QByteArray::number(i);
            if (!writeFile(path, randomBytes(size, quint64(seed) * 1000 + quint64(i))))
                return false;
            ++m_files;
            m_bytes += size;
        }
        return true;
    }

    QJsonArray scheduledJobs(qint64 agentId)
    {
        const ApiReply r = m_api->get(QStringLiteral("/api/v1/jobs?server=%1").arg(agentId));
        QJsonArray out;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QStringLiteral("requested_by")).toString() == u"schedule")
                out.append(v);
        return out;
    }

    // How many agent GET /agent/jobs polls the server's access log shows after byte `from`.
    int jobPolls(qint64 from) { return int(m_server.log().mid(from).count(" GET /api/v1/agent/jobs ")); }

    bool waitForJobPolls(qint64 from, int count, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (jobPolls(from) < count) {
            if (clock.elapsed() > timeoutMs)
                return false;
            QThread::msleep(100);
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(QTimeZone(kZone.toLatin1()).isValid(), "the system's time zone database lacks Asia/Seoul");
        QVERIFY(buildTree(testSeed()));
        qInfo("tree: %lld files, %lld bytes", m_files, m_bytes);
        QVERIFY2(m_server.init(), m_server.log().constData());
        const ProcessResult t = m_server.admin({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme"),
            QStringLiteral("--time-zone"), kZone});
        QVERIFY2(t.exitCode == 0, qPrintable(describe(t)));
        QVERIFY2(
            m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
    }

    void cleanupTestCase() { QVERIFY(removeTree(QFile::encodeName(m_tmp.path()))); }

    void scheduledBackupRunsOnItsOwn()
    {
        // The slot: 45 s from now, i.e. hour H of the tenant's zone plus the offset that puts it
        // there; the server learns the offset at start, so it is computed first.
        const QTimeZone zone(kZone.toLatin1());
        const QDateTime now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        const QDateTime slot = now.addSecs(45);
        const QDateTime local = slot.toTimeZone(zone);
        const int hour = local.time().hour();
        const QDateTime hourStart(local.date(), QTime(hour, 0), zone);
        const qint64 offset = hourStart.secsTo(slot);
        QVERIFY(offset >= 0 && offset < 3600);
        qInfo("slot %s = %02d:00 %s + %lld s", qPrintable(iso(slot)), hour, qPrintable(kZone), offset);

        const QString config
            = m_server.writeConfig(QByteArray("[schedule]\ntest_offset_seconds=") + QByteArray::number(offset) + '\n');
        QVERIFY(!config.isEmpty());
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        const qint64 agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("scheduled-host"));
        QVERIFY2(agentId > 0, qPrintable(describe(m_agent.lastResult())));
        QVERIFY2(m_agent.start(), m_agent.log().constData());

        const ApiReply put = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(agentId),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_source)}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), hour},
                {QStringLiteral("retention_days"), 30}});
        QVERIFY2(put.status == 200, qPrintable(put.describe()));
        const QString updatedAt = put.json().value(QStringLiteral("updated_at")).toString();
        const qint64 margin = QDateTime::fromString(updatedAt, Qt::ISODateWithMs).secsTo(slot);
        qInfo("policy set at %s, %lld s before the slot", qPrintable(updatedAt), margin);
        // The agent reads its configuration every 6 s: it needs some seconds to learn the policy.
        QVERIFY2(margin >= 10 && margin <= 60,
            qPrintable(QStringLiteral("setting up took too long: the slot is %1 s after the policy").arg(margin)));

        // Server and agent compute the same slot.
        const ApiReply server = m_api->get(QStringLiteral("/api/v1/servers/%1").arg(agentId));
        QCOMPARE(server.json().value(QStringLiteral("next_run")).toString(), iso(slot));
        const QByteArray learned
            = "backup policy (updated " + updatedAt.toLatin1() + "): next scheduled run " + iso(slot).toLatin1();
        QVERIFY2(m_agent.waitForLog(learned, 30000), m_agent.log().right(3000).constData());
        QVERIFY2(scheduledJobs(agentId).isEmpty(), "a scheduled job before its slot");

        // The job appears on its own at the slot.
        QJsonObject job;
        QElapsedTimer clock;
        clock.start();
        while (job.isEmpty() && clock.elapsed() < (margin + 60) * 1000) {
            const QJsonArray jobs = scheduledJobs(agentId);
            if (!jobs.isEmpty())
                job = jobs.first().toObject();
            else
                QThread::msleep(200);
        }
        QVERIFY2(!job.isEmpty(),
            qPrintable(QStringLiteral("no scheduled job appeared by %1 s after the slot; agent log:\n")
                           .arg(QDateTime::currentDateTimeUtc().secsTo(slot) * -1)
                + QString::fromUtf8(m_agent.log().right(3000))));
        const qint64 jobId = qint64(job.value(QStringLiteral("id")).toDouble());
        QCOMPARE(job.value(QStringLiteral("kind")).toString(), QStringLiteral("backup"));
        QCOMPARE(job.value(QStringLiteral("scheduled_at")).toString(), iso(slot));

        // Until it finishes: the moment the agent logs its end, and the moment the console shows it.
        const QByteArray finishedLine = "job " + QByteArray::number(jobId) + " (backup) succeeded";
        QElapsedTimer poll;
        poll.start();
        qint64 loggedAtMs = -1, visibleAtMs = -1;
        while (poll.elapsed() < 120000) {
            if (loggedAtMs < 0 && m_agent.log().contains(finishedLine))
                loggedAtMs = poll.elapsed();
            const ApiReply r = m_api->get(QStringLiteral("/api/v1/jobs/%1").arg(jobId));
            if (r.status == 200 && isFinishedJobState(r.json().value(QStringLiteral("state")).toString())) {
                job = r.json();
                if (visibleAtMs < 0)
                    visibleAtMs = poll.elapsed();
            }
            if (visibleAtMs >= 0 && (loggedAtMs >= 0 || job.value(QStringLiteral("state")).toString() != u"succeeded"))
                break;
            QThread::msleep(100);
        }
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded",
            (QJsonDocument(job).toJson() + m_agent.log().right(3000)).constData());
        QVERIFY2(loggedAtMs >= 0, m_agent.log().right(3000).constData());
        const qint64 delayMs = std::max<qint64>(0, visibleAtMs - loggedAtMs);
        const QDateTime loggedAt = m_agent.logTime(finishedLine);
        const QDateTime finishedAt
            = QDateTime::fromString(job.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(loggedAt.isValid() && finishedAt.isValid());
        const qint64 recordedMs = loggedAt.msecsTo(finishedAt);
        qInfo("agent logged the end at %s; the server recorded it at %s (%lld ms later); the console showed it %lld ms "
              "after the log line appeared",
            qPrintable(iso(loggedAt)), qPrintable(iso(finishedAt)), recordedMs, delayMs);
        QVERIFY2(delayMs <= 10000, qPrintable(QStringLiteral("visible %1 ms after the agent finished").arg(delayMs)));
        QVERIFY2(recordedMs >= -1000 && recordedMs <= 10000,
            qPrintable(QStringLiteral("finished_at is %1 ms after the agent's log line").arg(recordedMs)));

        // It ran at the slot, not before.
        const QDateTime startedAt
            = QDateTime::fromString(job.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
        qInfo("started %lld ms after the slot, finished %lld ms after it", slot.msecsTo(startedAt),
            slot.msecsTo(finishedAt));
        QVERIFY2(startedAt >= slot, qPrintable(job.value(QStringLiteral("started_at")).toString()));
        QVERIFY2(slot.secsTo(startedAt) < 30, qPrintable(job.value(QStringLiteral("started_at")).toString()));

        // The statistics describe the tree.
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        qInfo("stats: %s", QJsonDocument(stats).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(stats.value(QStringLiteral("files")).toInteger(), m_files);
        QCOMPARE(stats.value(QStringLiteral("bytes_scanned")).toInteger(), m_bytes);
        QVERIFY(stats.value(QStringLiteral("bytes_new")).toInteger() > 0);
        QCOMPARE(stats.value(QStringLiteral("errors")).toInteger(), 0);
        const QString snapshot = job.value(QStringLiteral("snapshot")).toString();
        QCOMPARE(snapshot.size(), 64);
        const ApiReply snaps = m_api->get(QStringLiteral("/api/v1/snapshots?server=%1").arg(agentId));
        const QJsonArray items = snaps.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value(QStringLiteral("id")).toString(), snapshot);
        QCOMPARE(items.first().toObject().value(QStringLiteral("job")).toInteger(), jobId);

        // The slot runs once: not again while the service keeps polling ...
        const qint64 logFrom = m_agent.log().size();
        const qint64 accessFrom = m_server.log().size();
        QVERIFY2(waitForJobPolls(accessFrom, 3, 30000), m_server.log().right(2000).constData());
        QCOMPARE(scheduledJobs(agentId).size(), 1);
        // ... nor after a restart of the service.
        QVERIFY(m_agent.stop());
        const qint64 restartFrom = m_server.log().size();
        QVERIFY2(m_agent.start(), m_agent.log().right(3000).constData());
        QVERIFY2(waitForJobPolls(restartFrom, 3, 30000), m_server.log().right(2000).constData());
        QCOMPARE(scheduledJobs(agentId).size(), 1);
        const QByteArray later = m_agent.log().mid(logFrom);
        QVERIFY2(!later.contains("scheduled backup of") && !later.contains("(backup) started"), later.constData());
        const ApiReply all = m_api->get(QStringLiteral("/api/v1/jobs?server=%1").arg(agentId));
        QCOMPARE(all.json().value(QStringLiteral("items")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAgentServiceSchedule)
#include "TestAgentServiceSchedule.moc"
