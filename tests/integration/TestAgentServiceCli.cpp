// The cairn-agent commands around the service, end to end against a real cairn-server:
// `status` before and after enrollment, `backup --now` without a policy, with one, and while the
// service runs a job, `run` a second time on the same state folder, and the refusals of `enroll`
// (a wrong fingerprint, a spent code) with what the server records about an enrolled machine
// (host name, OS, kernel, architecture). Main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <sys/stat.h>
#include <sys/utsname.h>

using namespace cairn::test;

namespace {

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// PRETTY_NAME of /etc/os-release, as the agent reports its OS.
QString prettyOsName()
{
    QFile f(QStringLiteral("/etc/os-release"));
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    const auto m
        = QRegularExpression(QStringLiteral("^PRETTY_NAME=\"?([^\"\\n]*)\"?$"), QRegularExpression::MultilineOption)
              .match(QString::fromUtf8(f.readAll()));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class TestAgentServiceCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_source;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    AgentProcess m_agent;
    qint64 m_agentId = -1;
    int m_farHour = 0;

    ProcessResult agent(const QStringList &args, int timeoutMs = 120000) { return m_agent.run(args, timeoutMs); }

    QJsonObject statusJson()
    {
        return QJsonDocument::fromJson(agent({QStringLiteral("status"), QStringLiteral("--json")}).out).object();
    }

    bool setPolicy(const QJsonObject &extra = {})
    {
        QJsonObject policy {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_source)}},
            {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), m_farHour},
            {QStringLiteral("retention_days"), 30}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            policy.insert(it.key(), it.value());
        const ApiReply r = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId), policy);
        if (r.status != 200)
            qWarning("PUT policy: %s", qPrintable(r.describe()));
        return r.status == 200;
    }

    QJsonArray jobs()
    {
        return m_api->get(QStringLiteral("/api/v1/jobs?server=%1").arg(m_agentId))
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_source = QFile::encodeName(m_tmp.filePath(QStringLiteral("src")));
        QVERIFY(::mkdir(m_source.constData(), 0755) == 0);
        for (int i = 0; i < 5; ++i)
            QVERIFY(writeFile(m_source + "/file" + QByteArray::number(i), randomBytes(10000 + i, 77 + quint64(i))));
        m_farHour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0);
        QVERIFY2(
            m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
    }

    void cleanupTestCase()
    {
        m_agent.stop();
        QVERIFY(removeTree(m_source));
    }

    void statusBeforeEnrollment()
    {
        const ProcessResult r = agent({QStringLiteral("status")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QRegularExpression(QStringLiteral("enrolled:\\s+no")).match(QString::fromUtf8(r.out)).hasMatch(),
            qPrintable(describe(r)));
        const ProcessResult j = agent({QStringLiteral("status"), QStringLiteral("--json")});
        QCOMPARE(j.exitCode, 1);
        const QJsonObject st = QJsonDocument::fromJson(j.out).object();
        QVERIFY2(st.contains(QStringLiteral("enrolled")) && !st.value(QStringLiteral("enrolled")).toBool(),
            qPrintable(describe(j)));
    }

    void enrollmentRefusals()
    {
        const QString code = m_server.enrollmentCode(QStringLiteral("acme"));
        QVERIFY(!code.isEmpty());
        // A fingerprint that is not the server's: refused before the code is sent.
        QString wrong = m_server.fingerprint();
        wrong.replace(0, 2, wrong.startsWith(QStringLiteral("00")) ? QStringLiteral("11") : QStringLiteral("00"));
        const QStringList enroll {QStringLiteral("enroll"), m_server.baseUrl(), QStringLiteral("--code"), code,
            QStringLiteral("--hostname"), QStringLiteral("cli-host"), QStringLiteral("--fingerprint")};
        const ProcessResult refused = agent(enroll + QStringList {wrong});
        QVERIFY2(refused.exitCode != 0, qPrintable(describe(refused)));
        QVERIFY2(refused.err.contains("fingerprint"), qPrintable(describe(refused)));
        QVERIFY(!QFile::exists(m_agent.stateDir() + QStringLiteral("/agent.json")));
        QVERIFY(statusJson().value(QStringLiteral("enrolled")).toBool(true) == false);

        // The code was not spent by that: it enrolls now.
        const ProcessResult ok = agent(enroll + QStringList {m_server.fingerprint()});
        QVERIFY2(ok.exitCode == 0, qPrintable(describe(ok)));
        const auto id = QRegularExpression(QStringLiteral("enrolled as agent (\\d+)")).match(QString::fromUtf8(ok.out));
        QVERIFY(id.hasMatch());
        m_agentId = id.captured(1).toLongLong();

        // A spent code is refused, saying so.
        AgentProcess other;
        const ProcessResult reused = other.run({QStringLiteral("enroll"), m_server.baseUrl(), QStringLiteral("--code"),
            code, QStringLiteral("--fingerprint"), m_server.fingerprint(), QStringLiteral("--hostname"),
            QStringLiteral("other")});
        QVERIFY2(reused.exitCode != 0, qPrintable(describe(reused)));
        QVERIFY2(reused.err.contains("unknown, already used or expired"), qPrintable(describe(reused)));
        QVERIFY(!QFile::exists(other.stateDir() + QStringLiteral("/agent.json")));

        // What the server learned about the machine.
        struct utsname u;
        QCOMPARE(::uname(&u), 0);
        const ApiReply server = m_api->get(QStringLiteral("/api/v1/servers/%1").arg(m_agentId));
        QVERIFY2(server.status == 200, qPrintable(server.describe()));
        const QJsonObject s = server.json();
        qInfo("registered: %s", qPrintable(jsonText(s)));
        QCOMPARE(s.value(QStringLiteral("hostname")).toString(), QStringLiteral("cli-host"));
        QVERIFY2(s.value(QStringLiteral("kernel")).toString().contains(QString::fromLocal8Bit(u.release)),
            qPrintable(jsonText(s)));
        QCOMPARE(s.value(QStringLiteral("architecture")).toString(), QString::fromLocal8Bit(u.machine));
        const QString os = prettyOsName();
        QVERIFY(!s.value(QStringLiteral("os")).toString().isEmpty());
        if (!os.isEmpty())
            QCOMPARE(s.value(QStringLiteral("os")).toString(), os);
    }

    void statusAfterEnrollment()
    {
        const ProcessResult r = agent({QStringLiteral("status")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("enrolled:      yes: agent " + QByteArray::number(m_agentId)), qPrintable(describe(r)));
        QVERIFY2(r.out.contains("server:        reachable"), qPrintable(describe(r)));
        QVERIFY2(r.out.contains("service:       not running"), qPrintable(describe(r)));
        QVERIFY2(r.out.contains("policy:        none yet"), qPrintable(describe(r)));
    }

    void backupNowNeedsAPolicy()
    {
        const ProcessResult r = agent({QStringLiteral("backup"), QStringLiteral("--now")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no backup policy"), qPrintable(describe(r)));
        QVERIFY(jobs().isEmpty());
    }

    void backupNowRunsThePolicy()
    {
        QVERIFY(setPolicy());
        const ProcessResult r = agent({QStringLiteral("backup"), QStringLiteral("--now")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        qInfo("%s", r.out.constData());
        const auto m = QRegularExpression(
            QStringLiteral("^backup succeeded: snapshot ([0-9a-f]{64})$"), QRegularExpression::MultilineOption)
                           .match(QString::fromUtf8(r.out));
        QVERIFY2(m.hasMatch(), qPrintable(describe(r)));
        const QJsonArray list = jobs();
        QCOMPARE(list.size(), 1);
        const QJsonObject job = list.first().toObject();
        QCOMPARE(job.value(QStringLiteral("requested_by")).toString(), QStringLiteral("agent"));
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(job.value(QStringLiteral("snapshot")).toString(), m.captured(1));
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("files")).toInteger(), 5);
        QCOMPARE(stats.value(QStringLiteral("bytes_scanned")).toInteger(), 5 * 10000 + 10);
        const QJsonObject st = statusJson();
        QCOMPARE(st.value(QStringLiteral("last_run")).toObject().value(QStringLiteral("job")).toInteger(),
            job.value(QStringLiteral("id")).toInteger());
        QCOMPARE(st.value(QStringLiteral("results_waiting")).toInt(-1), 0);
    }

    void secondJobAndSecondServiceAreRefused()
    {
        // A long job: a pre-command that waits (cancelled below).
        QVERIFY(m_agent.start());
        const qint64 from = m_agent.log().size();
        QVERIFY(setPolicy({{QStringLiteral("pre_command"), QStringLiteral("sleep 120")}}));
        QVERIFY2(m_agent.waitForLog("backup policy (updated ", 30000, from), m_agent.log().constData());
        const ApiReply now = m_api->post(QStringLiteral("/api/v1/servers/%1/backup").arg(m_agentId), QJsonObject {});
        QCOMPARE(now.status, 201);
        const qint64 jobId = now.json().value(QStringLiteral("id")).toInteger();
        QVERIFY2(m_agent.waitForLog("job " + QByteArray::number(jobId) + " (backup) started", 30000, from),
            m_agent.log().mid(from).constData());

        const ProcessResult second = agent({QStringLiteral("backup"), QStringLiteral("--now")});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("already running"), qPrintable(describe(second)));
        const ProcessResult run = agent({QStringLiteral("run")}, 30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("already running"), qPrintable(describe(run)));
        QVERIFY(m_agent.isRunning());

        const ProcessResult status = agent({QStringLiteral("status")});
        QVERIFY2(status.exitCode == 0 && status.out.contains("service:       running")
                && status.out.contains("running:       job " + QByteArray::number(jobId) + " (backup)"),
            qPrintable(describe(status)));
        // Neither refused command registered a job.
        QCOMPARE(jobs().size(), 2);

        const ApiReply cancel = m_api->post(QStringLiteral("/api/v1/jobs/%1/cancel").arg(jobId), QJsonObject {});
        QVERIFY2(cancel.status == 200, qPrintable(cancel.describe()));
        const QJsonObject job = waitForJobEnd(*m_api, jobId, 60000);
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"cancelled", qPrintable(jsonText(job)));
    }
};

QTEST_GUILESS_MAIN(TestAgentServiceCli)
#include "TestAgentServiceCli.moc"
