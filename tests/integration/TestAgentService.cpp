// The agent service's backup jobs end to end (issue 4, acceptance 2 and the service's behaviour):
// a real cairn-server and a real `cairn-agent run` on loopback, driven through the console API as
// a tenant administrator. An incremental run after 1% of 1000 files changed reads and uploads only
// those; a running backup is cancelled from the console; the policy's pre/post commands run (and
// fail, time out, or are refused by the agent's configuration) as the policy says; a backup
// survives the server going away for 15 seconds. Policies use an hour 12 hours away, so no
// scheduled run interferes. Main thread.
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

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn::test;

namespace {

constexpr qint64 kMiB = 1 << 20;

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

qint64 statInt(const QJsonObject &job, const char *key)
{
    return job.value(QStringLiteral("stats")).toObject().value(QLatin1String(key)).toInteger(-1);
}

} // namespace

class TestAgentService : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_work;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    AgentProcess m_agent;
    qint64 m_agentId = -1;
    int m_farHour = 0;
    quint32 m_seed = 0;

    QByteArray path(const QByteArray &name) const { return m_work + '/' + name; }

    // Sets this server's policy (paths plus `extra` fields) and waits until the running service
    // has read it: a "back up now" must not run with the previous one.
    bool setPolicy(const QList<QByteArray> &paths, const QJsonObject &extra = {})
    {
        QJsonArray list;
        for (const QByteArray &p : paths)
            list.append(QString::fromLocal8Bit(p));
        QJsonObject policy {{QStringLiteral("paths"), list}, {QStringLiteral("interval_days"), 1},
            {QStringLiteral("hour"), m_farHour}, {QStringLiteral("retention_days"), 30}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            policy.insert(it.key(), it.value());
        const qint64 from = m_agent.log().size();
        const ApiReply r = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId), policy);
        if (r.status != 200) {
            qWarning("PUT policy: %s", qPrintable(r.describe()));
            return false;
        }
        const QByteArray learned
            = "backup policy (updated " + r.json().value(QStringLiteral("updated_at")).toString().toLatin1();
        if (!m_agent.waitForLog(learned, 30000, from)) {
            qWarning("the service did not read the new policy:\n%s", m_agent.log().mid(from).constData());
            return false;
        }
        return true;
    }

    // "Back up now" from the console; the job's id, or -1.
    qint64 backupNow()
    {
        const ApiReply r = m_api->post(QStringLiteral("/api/v1/servers/%1/backup").arg(m_agentId), QJsonObject {});
        if (r.status != 201) {
            qWarning("back up now: %s", qPrintable(r.describe()));
            return -1;
        }
        return qint64(r.json().value(QStringLiteral("id")).toDouble());
    }

    QJsonObject runBackup(int timeoutMs = 120000)
    {
        const qint64 id = backupNow();
        return id > 0 ? waitForJobEnd(*m_api, id, timeoutMs) : QJsonObject();
    }

    // Waits until the job is running (and, if `phase` is given, its progress shows that phase).
    bool waitForRunning(qint64 jobId, int timeoutMs, const QString &phase = QString())
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            const QJsonObject job = m_api->get(QStringLiteral("/api/v1/jobs/%1").arg(jobId)).json();
            const QString state = job.value(QStringLiteral("state")).toString();
            const QString now
                = job.value(QStringLiteral("progress")).toObject().value(QStringLiteral("phase")).toString();
            if (state == u"running" && (phase.isEmpty() || now == phase))
                return true;
            if (isFinishedJobState(state)) {
                qWarning("job %lld ended before it could be caught running: %s", jobId, qPrintable(jsonText(job)));
                return false;
            }
            QThread::msleep(50);
        }
        return false;
    }

    QJsonArray snapshots()
    {
        return m_api->get(QStringLiteral("/api/v1/snapshots?server=%1&limit=500").arg(m_agentId))
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    }

    // Random (incompressible) files of `size` bytes each in a new directory.
    bool writeRandomDir(const QByteArray &dir, int files, qint64 size, quint64 seed)
    {
        if (::mkdir(dir.constData(), 0755) != 0)
            return false;
        for (int i = 0; i < files; ++i)
            if (!writeFile(dir + "/data" + QByteArray::number(i), randomBytes(size, seed + quint64(i))))
                return false;
        return true;
    }

    QJsonObject agentStatus()
    {
        const ProcessResult r = m_agent.run({QStringLiteral("status"), QStringLiteral("--json")}, 60000);
        return QJsonDocument::fromJson(r.out).object();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path());
        m_seed = testSeed();
        m_farHour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0);
        QVERIFY2(
            m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("service-host"));
        QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
        QVERIFY2(m_agent.start(), m_agent.log().constData());
    }

    void cleanupTestCase()
    {
        m_agent.stop();
        QVERIFY(removeTree(m_work));
    }

    void incrementalReadsOnlyChangedFiles()
    {
        // 1000 files in 10 directories: 8 of 1 MiB and more, the others 100 B to 6 kB.
        const QByteArray root = path("inc");
        QVERIFY(::mkdir(root.constData(), 0755) == 0);
        auto fileName = [&](int i) { return root + "/d" + QByteArray::number(i / 100) + "/f" + QByteArray::number(i); };
        qint64 total = 0;
        for (int d = 0; d < 10; ++d)
            QVERIFY(::mkdir((root + "/d" + QByteArray::number(d)).constData(), 0755) == 0);
        for (int i = 0; i < 1000; ++i) {
            const qint64 size = i % 125 == 0 ? kMiB + (qint64(i) * 37) % 65536 : 100 + (qint64(i) * 7919) % 6000;
            QVERIFY(writeFile(fileName(i), randomBytes(size, (quint64(m_seed) << 20) + quint64(i))));
            total += size;
        }
        QVERIFY(setPolicy({root}));
        const QJsonObject first = runBackup();
        QVERIFY2(first.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(first)));
        QCOMPARE(statInt(first, "files"), 1000);
        QCOMPARE(statInt(first, "bytes_scanned"), total);
        qInfo("first run: %s", qPrintable(jsonText(first.value(QStringLiteral("stats")).toObject())));

        // Change 1%: every 100th file, one in each directory; two of them are the 1 MiB kind
        // (rewritten in the middle, same size), the others grow by 100 bytes.
        qint64 changedBytes = 0;
        int changed = 0;
        for (int i = 0; i < 1000; i += 100) {
            const int fd = ::open(fileName(i).constData(), O_WRONLY | O_CLOEXEC);
            QVERIFY(fd >= 0);
            struct stat st;
            QVERIFY(::fstat(fd, &st) == 0);
            const bool big = st.st_size >= kMiB;
            const QByteArray patch = randomBytes(big ? 4096 : 100, (quint64(m_seed) << 20) + 5000 + quint64(i));
            const off_t at = big ? off_t(st.st_size / 2) : off_t(st.st_size);
            QCOMPARE(::pwrite(fd, patch.constData(), size_t(patch.size()), at), ssize_t(patch.size()));
            QVERIFY(::fstat(fd, &st) == 0);
            ::close(fd);
            changedBytes += st.st_size;
            ++changed;
        }
        const QJsonObject second = runBackup();
        QVERIFY2(second.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(second)));
        const qint64 uploaded = statInt(second, "bytes_uploaded");
        // What may be uploaded besides the changed files' data: the trees of the 10 changed
        // directories and of the directories above them (the root's path), blob and pack headers,
        // the snapshot record. A tree entry is well under 300 bytes; 100 entries a directory.
        const int treesChanged = 10 + int(root.count('/')) + 1;
        const qint64 bound = changedBytes + treesChanged * 100 * 300 + 64 * 1024;
        qInfo("second run: %d files changed, %lld bytes in them; read %lld, new %lld, uploaded %lld (bound %lld); %s",
            changed, changedBytes, statInt(second, "bytes_read"), statInt(second, "bytes_new"), uploaded, bound,
            qPrintable(jsonText(second.value(QStringLiteral("stats")).toObject())));
        QCOMPARE(statInt(second, "files"), 1000);
        QCOMPARE(statInt(second, "files_changed"), changed);
        QCOMPARE(statInt(second, "files_new"), 0);
        QCOMPARE(statInt(second, "files_unchanged"), 1000 - changed);
        QCOMPARE(statInt(second, "bytes_read"), changedBytes);
        QVERIFY(uploaded > 0);
        QVERIFY2(uploaded < bound, qPrintable(QStringLiteral("uploaded %1 bytes, bound %2").arg(uploaded).arg(bound)));
        QVERIFY(
            second.value(QStringLiteral("snapshot")).toString() != first.value(QStringLiteral("snapshot")).toString());
    }

    void commandsRunAroundTheBackup()
    {
        const QByteArray dir = path("cmd");
        QVERIFY(writeRandomDir(dir, 3, 2000, quint64(m_seed) << 24));
        const QByteArray pre = path("pre.txt"), post = path("post.txt");
        QVERIFY(setPolicy({dir},
            {{QStringLiteral("pre_command"), QString::fromLocal8Bit("echo pre > '" + pre + "'")},
                {QStringLiteral("post_command"), QString::fromLocal8Bit("echo post > '" + post + "'")}}));
        const QJsonObject job = runBackup();
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(job)));
        QCOMPARE(readFile(pre), QByteArray("pre\n"));
        QCOMPARE(readFile(post), QByteArray("post\n"));
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("pre_command")).toObject().value(QStringLiteral("exit_code")).toInt(-1), 0);
        QCOMPARE(
            stats.value(QStringLiteral("post_command")).toObject().value(QStringLiteral("exit_code")).toInt(-1), 0);
        QCOMPARE(job.value(QStringLiteral("snapshot")).toString().size(), 64);
    }

    void failingPreCommandFailsTheRun()
    {
        const QByteArray post = path("post-after-failure.txt");
        QVERIFY(setPolicy({path("cmd")},
            {{QStringLiteral("pre_command"), QStringLiteral("echo not ready; exit 3")},
                {QStringLiteral("post_command"), QString::fromLocal8Bit("echo post > '" + post + "'")}}));
        const QJsonObject job = runBackup();
        const QString error = job.value(QStringLiteral("error")).toString();
        qInfo("error: %s", qPrintable(error));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"failed", qPrintable(jsonText(job)));
        QVERIFY2(error.contains(QStringLiteral("pre-command"))
                && error.contains(QRegularExpression(QStringLiteral("\\b3\\b"))),
            qPrintable(error));
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("pre_command")).toObject().value(QStringLiteral("exit_code")).toInt(), 3);
        QVERIFY(job.value(QStringLiteral("snapshot")).isNull());
        // The post-command still ran.
        QCOMPARE(readFile(post), QByteArray("post\n"));
        QCOMPARE(
            stats.value(QStringLiteral("post_command")).toObject().value(QStringLiteral("exit_code")).toInt(-1), 0);
    }

    void failingPreCommandMayContinue()
    {
        QVERIFY(setPolicy({path("cmd")},
            {{QStringLiteral("pre_command"), QStringLiteral("exit 3")},
                {QStringLiteral("on_pre_command_failure"), QStringLiteral("continue")}}));
        const QJsonObject job = runBackup();
        qInfo("error: %s", qPrintable(job.value(QStringLiteral("error")).toString()));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"warning", qPrintable(jsonText(job)));
        QCOMPARE(job.value(QStringLiteral("snapshot")).toString().size(), 64);
        QVERIFY(job.value(QStringLiteral("error")).toString().contains(QStringLiteral("pre-command")));
        QCOMPARE(statInt(job, "files"), 3);
    }

    void preCommandTimesOut()
    {
        QVERIFY(setPolicy({path("cmd")},
            {{QStringLiteral("pre_command"), QStringLiteral("sleep 60")},
                {QStringLiteral("command_timeout_seconds"), 2}}));
        QElapsedTimer clock;
        clock.start();
        const QJsonObject job = runBackup();
        qInfo("timed-out run took %lld ms: %s", clock.elapsed(),
            qPrintable(job.value(QStringLiteral("error")).toString()));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"failed", qPrintable(jsonText(job)));
        const QJsonObject pre
            = job.value(QStringLiteral("stats")).toObject().value(QStringLiteral("pre_command")).toObject();
        qInfo("pre-command: %s", qPrintable(jsonText(pre)));
        QCOMPARE(pre.value(QStringLiteral("timed_out")).toBool(), true);
        QVERIFY2(pre.value(QStringLiteral("seconds")).toDouble() < 10, qPrintable(jsonText(pre)));
        QVERIFY(job.value(QStringLiteral("snapshot")).isNull());
    }

    void commandsRefusedWhenNotAllowed()
    {
        QVERIFY(m_agent.stop());
        QVERIFY(m_agent.writeConfig("[agent]\nallow_commands=false\n"));
        QVERIFY2(m_agent.start(), m_agent.log().right(3000).constData());
        const QByteArray marker = path("not-allowed.txt");
        QVERIFY(setPolicy(
            {path("cmd")}, {{QStringLiteral("pre_command"), QString::fromLocal8Bit("echo ran > '" + marker + "'")}}));
        const QJsonObject job = runBackup();
        qInfo("error: %s", qPrintable(job.value(QStringLiteral("error")).toString()));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"failed", qPrintable(jsonText(job)));
        QVERIFY2(job.value(QStringLiteral("error")).toString().contains(QStringLiteral("allow_commands")),
            qPrintable(jsonText(job)));
        QVERIFY(!QFile::exists(QFile::decodeName(marker)));
        QVERIFY(job.value(QStringLiteral("snapshot")).isNull());
        QVERIFY(m_agent.stop());
        QVERIFY(m_agent.writeConfig());
        QVERIFY2(m_agent.start(), m_agent.log().right(3000).constData());
    }

    void cancelStopsARunningBackup()
    {
        // 8 MiB that does not compress, at 256 KiB/s: half a minute if nobody stops it.
        const QByteArray dir = path("cancel");
        QVERIFY(writeRandomDir(dir, 2, 4 * kMiB, (quint64(m_seed) << 24) + 100));
        QVERIFY(setPolicy({dir}, {{QStringLiteral("bandwidth_limit_kib"), 256}}));
        const int snapshotsBefore = int(snapshots().size());
        const qint64 id = backupNow();
        QVERIFY(id > 0);
        QVERIFY2(waitForRunning(id, 60000, QStringLiteral("backup")), m_agent.log().right(3000).constData());
        QElapsedTimer clock;
        clock.start();
        const ApiReply cancel = m_api->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(id), QJsonObject {});
        QVERIFY2(cancel.status == 200, qPrintable(cancel.describe()));
        const QJsonObject job = waitForJobEnd(*m_api, id, 60000);
        const qint64 ms = clock.elapsed();
        const QByteArray jobName = "job " + QByteArray::number(id);
        qInfo(
            "job ended %lld ms after the cancel; the agent noticed it at %s and ended the job at %s; last progress: %s",
            ms, qPrintable(m_agent.logTime(jobName + ": cancelled by the server's user").toString(Qt::ISODateWithMs)),
            qPrintable(m_agent.logTime(jobName + " (backup) cancelled").toString(Qt::ISODateWithMs)),
            qPrintable(jsonText(job.value(QStringLiteral("progress")).toObject())));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"cancelled", qPrintable(jsonText(job)));
        QVERIFY2(ms <= 10000, qPrintable(QStringLiteral("the job ended %1 ms after the cancel").arg(ms)));
        QVERIFY(job.value(QStringLiteral("snapshot")).isNull());
        const QJsonArray after = snapshots();
        QCOMPARE(int(after.size()), snapshotsBefore);
        for (const QJsonValue &s : after)
            QVERIFY(s.toObject().value(QStringLiteral("job")).toInteger() != id);
        QVERIFY(removeTree(dir));
    }

    void resultSurvivesTheServerGoingAway()
    {
        const QByteArray dir = path("away");
        QVERIFY(writeRandomDir(dir, 2, 2 * kMiB, (quint64(m_seed) << 24) + 200));
        QVERIFY(setPolicy({dir}, {{QStringLiteral("bandwidth_limit_kib"), 512}}));
        const qint64 id = backupNow();
        QVERIFY(id > 0);
        QVERIFY2(waitForRunning(id, 60000), m_agent.log().right(3000).constData());
        QElapsedTimer away;
        away.start();
        QVERIFY2(m_server.stop(), m_server.log().right(2000).constData());
        qInfo("server stopped %lld ms after the SIGTERM", away.elapsed());

        const QJsonObject down = agentStatus();
        qInfo("status while the server is away: %s", qPrintable(jsonText(down)));
        QCOMPARE(down.value(QStringLiteral("enrolled")).toBool(), true);
        QCOMPARE(down.value(QStringLiteral("server_reachable")).toBool(true), false);
        QCOMPARE(down.value(QStringLiteral("service_running")).toBool(), true);

        while (away.elapsed() < 15000)
            QThread::msleep(100); // the server stays away for 15 s: that is the scenario
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QElapsedTimer back;
        back.start();
        const QJsonObject job = waitForJobEnd(*m_api, id, 180000);
        qInfo("job ended %lld ms after the server came back: %s", back.elapsed(), qPrintable(jsonText(job)));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded",
            qPrintable(jsonText(job) + QLatin1Char('\n') + QString::fromUtf8(m_agent.log().right(4000))));
        const QString snapshot = job.value(QStringLiteral("snapshot")).toString();
        QCOMPARE(snapshot.size(), 64);
        bool listed = false;
        for (const QJsonValue &s : snapshots())
            listed = listed || s.toObject().value(QStringLiteral("id")).toString() == snapshot;
        QVERIFY(listed);
        QCOMPARE(statInt(job, "bytes_scanned"), 4 * kMiB);

        // Nothing is left waiting in the outbox once the server took the result.
        QJsonObject up;
        QElapsedTimer clock;
        clock.start();
        do {
            up = agentStatus();
        } while (up.value(QStringLiteral("results_waiting")).toInt(-1) != 0 && clock.elapsed() < 20000);
        qInfo("status afterwards: %s", qPrintable(jsonText(up)));
        QCOMPARE(up.value(QStringLiteral("results_waiting")).toInt(-1), 0);
        QCOMPARE(up.value(QStringLiteral("server_reachable")).toBool(), true);
        QVERIFY(removeTree(dir));
    }
};

QTEST_GUILESS_MAIN(TestAgentService)
#include "TestAgentService.moc"
