// Issue 4, acceptance 5: the server goes away in the middle of a backup and comes back; the agent
// retries, finishes the backup and reports it, and no result is lost.
//  - serverKilledForTwoMinutesMidBackup: a throttled backup (bandwidth_limit_kib) is uploading
//    (its progress shows bytes uploaded); the server is killed (SIGKILL) for 120 s and started
//    again on its port;
//  - serverStoppedMidBackup: the same with SIGTERM and a 20 s outage;
//  - resultWaitsWhileServerIsDown: the server dies exactly between the end of the backup and the
//    sending of its result — the policy's post-command kills it, and the post-command runs after
//    the snapshot is committed and before the result is queued — so the result must wait in the
//    agent's outbox, survive a kill -9 and restart of the agent, and go out once the server is back.
// Each asserts: the job ends succeeded (never failed) and its result is visible through the API,
// the snapshot restores identical, the agent's log shows it retried, and its outbox is empty at
// the end (`cairn-agent status --json`: results_waiting 0). Finally the server's catalog has no
// broken rows. Real cairn-server and cairn-agent processes on loopback. Test main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <algorithm>
#include <functional>
#include <memory>

using namespace cairn::test;

namespace {

const QByteArray kPassword = "outage-test-password";
constexpr int kBandwidthKib = 2048; // 2 MiB/s: the server is surely stopped mid-run

enum class Stop { Kill, Terminate };

} // namespace

class TestAgentServerOutage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    int m_sources = 0;

    QByteArray path(const QByteArray &name) const { return QFile::encodeName(m_tmp.path()) + '/' + name; }
    static QString tail(const QByteArray &log, int chars = 5000) { return QString::fromUtf8(log.right(chars)); }

    // A folder of `files` incompressible files of `size` bytes, unlike any other of this test.
    QByteArray makeSource(int files, qint64 size)
    {
        const int n = ++m_sources;
        const QByteArray dir = path("source-" + QByteArray::number(n));
        if (!QDir().mkpath(QString::fromLocal8Bit(dir + "/sub")))
            return {};
        for (int i = 0; i < files; ++i)
            if (!writeFile(dir + (i % 2 ? "/sub/f" : "/f") + QByteArray::number(i),
                    testPattern(size, quint64(n) << 32 | quint64(i))))
                return {};
        return dir;
    }

    bool login()
    {
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        const ApiReply r = m_api->login(QStringLiteral("kim"), QString::fromUtf8(kPassword));
        if (r.status != 200)
            qWarning("login: %s", qPrintable(r.describe()));
        return r.status == 200;
    }

    // Sets the policy of `agent` and waits until the running agent has it. Its scheduled slot
    // today is two hours past in the tenant's zone: the service starts nothing on its own.
    bool setPolicy(AgentProcess &agent, qint64 id, const QByteArray &source, const QJsonObject &extra)
    {
        const ApiReply r = putIdlePolicy(*m_api, id, source, extra);
        if (r.status != 200)
            return false;
        const QByteArray updated = r.json().value(QStringLiteral("updated_at")).toString().toUtf8();
        return agent.waitForLog("backup policy (updated " + updated + ")", 30000);
    }

    // A new agent of the tenant, enrolled, running, with a policy on `source`.
    std::unique_ptr<AgentProcess> startAgent(
        const QString &hostname, const QByteArray &source, const QJsonObject &policy, qint64 &id)
    {
        auto agent = std::make_unique<AgentProcess>();
        id = agent->enroll(m_server, QStringLiteral("acme"), hostname);
        if (id <= 0) {
            qWarning("enroll: %s", qPrintable(describe(agent->lastResult())));
            return nullptr;
        }
        if (!agent->start()) {
            qWarning("start: %s", qPrintable(tail(agent->log())));
            return nullptr;
        }
        if (!setPolicy(*agent, id, source, policy)) {
            qWarning("the agent did not take the policy: %s", qPrintable(tail(agent->log())));
            return nullptr;
        }
        return agent;
    }

    qint64 backUpNow(qint64 agent)
    {
        const ApiReply r = m_api->post(QStringLiteral("/api/v1/servers/%1/backup").arg(agent), QJsonObject {});
        if (r.status != 201)
            qWarning("back up now: %s", qPrintable(r.describe()));
        return r.status == 201 ? r.json().value(QStringLiteral("id")).toInteger() : -1;
    }

    QJsonObject job(qint64 id) { return m_api->get(QStringLiteral("/api/v1/jobs/%1").arg(id)).json(); }

    static bool isFinished(const QJsonObject &job)
    {
        const QString state = job.value(QStringLiteral("state")).toString();
        return !state.isEmpty() && state != u"pending" && state != u"running";
    }

    static QJsonObject status(AgentProcess &agent)
    {
        const ProcessResult r = agent.run({QStringLiteral("status"), QStringLiteral("--json")}, 60000);
        return QJsonDocument::fromJson(r.out).object();
    }

    // The job's snapshot restores identical to `source`.
    void verifyRestore(AgentProcess &agent, const QJsonObject &done, const QByteArray &source)
    {
        const QString snapshot = done.value(QStringLiteral("snapshot")).toString();
        QVERIFY(!snapshot.isEmpty());
        const QByteArray target = source + "-restored";
        const ProcessResult r = agent.run({QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshot,
            QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(source, target + source);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 20).join(QLatin1Char('\n'))));
    }

    // The outbox is empty and the last run the agent remembers is this job, succeeded.
    void verifyNothingWaiting(AgentProcess &agent, qint64 jobId)
    {
        const QJsonObject st = status(agent);
        QVERIFY2(st.contains(QStringLiteral("results_waiting")), QJsonDocument(st).toJson().constData());
        QCOMPARE(st.value(QStringLiteral("results_waiting")).toInt(-1), 0);
        QVERIFY2(!st.contains(QStringLiteral("current_job")), QJsonDocument(st).toJson().constData());
        const QJsonObject last = st.value(QStringLiteral("last_run")).toObject();
        QCOMPARE(last.value(QStringLiteral("job")).toInteger(), jobId);
        QCOMPARE(last.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
    }

    // A throttled backup of `files` MiB; once its progress shows bytes uploaded the server is
    // stopped (`how`) for `outageMs`, then started again on the same port.
    void outageMidBackup(Stop how, int outageMs, const QString &hostname, int files)
    {
        const QByteArray source = makeSource(files, 1 << 20);
        QVERIFY(!source.isEmpty());
        qint64 agentId = -1;
        auto agent = startAgent(
            hostname, source, QJsonObject {{QStringLiteral("bandwidth_limit_kib"), kBandwidthKib}}, agentId);
        QVERIFY(agent);
        const qint64 jobId = backUpNow(agentId);
        QVERIFY(jobId > 0);
        QJsonObject progress;
        QVERIFY2(waitUntil(
                     [&] {
                         progress = job(jobId).value(QStringLiteral("progress")).toObject();
                         return progress.value(QStringLiteral("bytes_uploaded")).toInteger() > 0;
                     },
                     120000),
            qPrintable(QStringLiteral("the backup did not upload anything:\n") + tail(agent->log())));
        const qint64 logFrom = agent->log().size();
        QElapsedTimer outage;
        outage.start();
        if (how == Stop::Kill)
            m_server.kill9();
        else
            QVERIFY2(m_server.stop(), "the server did not stop on SIGTERM within 15 s");
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        qInfo("server %s with %lld of %lld bytes uploaded (phase %s)", how == Stop::Kill ? "killed" : "stopped",
            progress.value(QStringLiteral("bytes_uploaded")).toInteger(), qint64(files) << 20,
            qPrintable(progress.value(QStringLiteral("phase")).toString()));

        // While the server is away the job goes on waiting: the agent still holds it.
        QTest::qWait(qMin(outageMs / 2, 10000));
        const QJsonObject during = status(*agent);
        QCOMPARE(during.value(QStringLiteral("server_reachable")).toBool(true), false);
        QCOMPARE(during.value(QStringLiteral("job_running")).toBool(), true);
        QCOMPARE(during.value(QStringLiteral("current_job"))
                     .toObject()
                     .value(QStringLiteral("job"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toInteger(),
            jobId);
        QThread::msleep(quint64(qMax<qint64>(0, outageMs - outage.elapsed())));
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY(login());
        qInfo("server back after %.1f s", outage.elapsed() / 1000.0);

        QElapsedTimer back;
        back.start();
        QJsonObject done;
        QVERIFY2(waitUntil([&] { return isFinished(done = job(jobId)); }, 300000),
            qPrintable(
                QStringLiteral("the job did not end within 5 minutes of the server's return:\n") + tail(agent->log())));
        qInfo("job %lld %s %.1f s after the server came back; %lld files, %lld bytes uploaded", jobId,
            qPrintable(done.value(QStringLiteral("state")).toString()), back.elapsed() / 1000.0,
            done.value(QStringLiteral("stats")).toObject().value(QStringLiteral("files")).toInteger(),
            done.value(QStringLiteral("stats")).toObject().value(QStringLiteral("bytes_uploaded")).toInteger());
        QVERIFY2(done.value(QStringLiteral("state")).toString() == u"succeeded",
            qPrintable(QString::fromUtf8(QJsonDocument(done).toJson()) + tail(agent->log())));
        QCOMPARE(
            done.value(QStringLiteral("stats")).toObject().value(QStringLiteral("files")).toInteger(), qint64(files));

        // The agent retried: the upload in flight, and the service's own requests.
        const QByteArray log = agent->log().mid(logFrom);
        QVERIFY2(log.contains("job " + QByteArray::number(jobId) + ": ") && log.contains("; retrying in "),
            qPrintable(tail(log)));
        QVERIFY2(log.contains("the server is reachable again"), qPrintable(tail(log)));
        qInfo("upload retries logged during the outage: %lld", qint64(log.count("; retrying in ")));
        QVERIFY(!log.contains("job " + QByteArray::number(jobId) + " (backup) failed"));

        // Its result is the agent's last run, and nothing waits in the outbox.
        QVERIFY(
            waitUntil([&] { return status(*agent).value(QStringLiteral("results_waiting")).toInt(-1) == 0; }, 30000));
        verifyNothingWaiting(*agent, jobId);
        verifyRestore(*agent, done, source);
        QVERIFY(agent->stop());
        QVERIFY2(noSanitizerReport(agent->log()), "the agent's output has a sanitizer report (above)");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY2(m_server.addTenant(QStringLiteral("acme")) > 0, m_server.log().constData());
        QVERIFY2(m_server.addUser(QStringLiteral("kim"), kPassword, QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY(login());
    }

    // A function that failed while the server was away leaves it to the next one to start it.
    void init()
    {
        if (!m_server.isRunning()) {
            QVERIFY2(m_server.start(), m_server.log().constData());
            QVERIFY(login());
        }
    }

    // 36 MiB: two full packs and a small one; 18 s of uploads at the policy's limit.
    void serverKilledForTwoMinutesMidBackup()
    {
        outageMidBackup(Stop::Kill, 120000, QStringLiteral("outage-kill"), 36);
    }

    void serverStoppedMidBackup() { outageMidBackup(Stop::Terminate, 20000, QStringLiteral("outage-term"), 20); }

    void resultWaitsWhileServerIsDown()
    {
        const QByteArray source = makeSource(8, 256 << 10);
        QVERIFY(!source.isEmpty());
        const QByteArray marker = path("post-command-ran");
        // Runs after the snapshot is committed, before the result is queued and sent.
        const QString post
            = QStringLiteral("kill -9 %1 && touch %2").arg(m_server.pid()).arg(QString::fromLocal8Bit(marker));
        qint64 agentId = -1;
        auto agent = startAgent(
            QStringLiteral("outage-result"), source, QJsonObject {{QStringLiteral("post_command"), post}}, agentId);
        QVERIFY(agent);
        const qint64 jobId = backUpNow(agentId);
        QVERIFY(jobId > 0);
        const QByteArray jobTag = "job " + QByteArray::number(jobId);
        QVERIFY2(agent->waitForLog(jobTag + " (backup) succeeded", 120000), qPrintable(tail(agent->log())));
        QElapsedTimer outage;
        outage.start();
        QVERIFY(QFileInfo::exists(QString::fromLocal8Bit(marker)));
        m_server.kill9(); // already dead: this only lets ServerProcess see it (and reap it)
        QVERIFY2(agent->waitForLog("cannot send the result of " + jobTag + " (kept to send later)", 30000),
            qPrintable(tail(agent->log())));
        QCOMPARE(status(*agent).value(QStringLiteral("results_waiting")).toInt(-1), 1);

        // The result is on disk: it survives the agent being killed while the server is away.
        agent->kill9();
        const qint64 logFrom = agent->log().size();
        QVERIFY2(agent->start(), qPrintable(tail(agent->log())));
        const QJsonObject during = status(*agent);
        QCOMPARE(during.value(QStringLiteral("results_waiting")).toInt(-1), 1);
        QCOMPARE(during.value(QStringLiteral("server_reachable")).toBool(true), false);
        QVERIFY(!during.contains(QStringLiteral("current_job"))); // finished: not run again

        QThread::msleep(quint64(qMax<qint64>(0, 20000 - outage.elapsed())));
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY(login());
        qInfo("server back after %.1f s", outage.elapsed() / 1000.0);
        QElapsedTimer back;
        back.start();
        QJsonObject done;
        QVERIFY2(waitUntil([&] { return isFinished(done = job(jobId)); }, 180000),
            qPrintable(QStringLiteral("the result did not arrive within 3 minutes of the server's return:\n")
                + tail(agent->log())));
        qInfo("job %lld's result arrived %.1f s after the server came back", jobId, back.elapsed() / 1000.0);
        QVERIFY2(
            done.value(QStringLiteral("state")).toString() == u"succeeded", QJsonDocument(done).toJson().constData());
        const QJsonObject stats = done.value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("files")).toInteger(), qint64(8));
        QCOMPARE(
            stats.value(QStringLiteral("post_command")).toObject().value(QStringLiteral("exit_code")).toInt(-1), 0);
        // The agent logs the delivery once the server's answer is back, which may be just after
        // the job shows as finished through the API.
        QVERIFY2(agent->waitForLog(jobTag + ": result delivered", 30000, logFrom), qPrintable(tail(agent->log().mid(logFrom))));
        const QByteArray log = agent->log().mid(logFrom);
        // Delivered to the restarted server (its log holds this run only).
        const QByteArray resultLine = "POST /api/v1/agent/jobs/" + QByteArray::number(jobId) + "/result 20";
        QVERIFY2(waitUntil([&] { return m_server.log().contains(resultLine); }, 10000), m_server.log().right(3000).constData());
        QVERIFY(!log.contains(jobTag + " (backup) started")); // the result went out; the job did not run again
        verifyNothingWaiting(*agent, jobId);
        verifyRestore(*agent, done, source);
        QVERIFY(agent->stop());
        QVERIFY2(noSanitizerReport(agent->log()), "the agent's output has a sanitizer report (above)");
    }

    void catalogIsConsistent()
    {
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        const QStringList problems = catalogIntegrityProblems(catalog.db());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(sqlCount(catalog.db(), QStringLiteral("SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'")), 0);
    }

    void cleanupTestCase()
    {
        for (int n = 1; n <= m_sources; ++n) {
            removeTree(path("source-" + QByteArray::number(n)));
            removeTree(path("source-" + QByteArray::number(n) + "-restored"));
        }
    }
};

QTEST_GUILESS_MAIN(TestAgentServerOutage)
#include "TestAgentServerOutage.moc"
