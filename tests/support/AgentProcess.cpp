#include "AgentProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QThread>
#include <QTimeZone>

#include <csignal>
#include <sys/prctl.h>

namespace cairn::test {

AgentProcess::AgentProcess()
{
    QDir().mkpath(stateDir());
    QFile::setPermissions(stateDir(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    writeConfig();
}

AgentProcess::~AgentProcess()
{
    if (isRunning() && !stop(30000))
        kill9();
}

bool AgentProcess::writeConfig(const QByteArray &extra)
{
    QFile f(configPath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    // QSettings reads a section only once: merge `extra` keys into their sections.
    QByteArray agent = "poll_seconds=1\nlow_priority=false\n";
    QByteArray logSection = "level=debug\n";
    QByteArray other;
    QByteArray *current = &other;
    for (const QByteArray &line : extra.split('\n')) {
        const QByteArray t = line.trimmed();
        if (t == "[agent]")
            current = &agent;
        else if (t == "[log]")
            current = &logSection;
        else if (t.startsWith('['))
            (current = &other)->append(t + '\n');
        else if (!t.isEmpty())
            current->append(t + '\n');
    }
    return f.write("[agent]\n" + agent + "[log]\n" + logSection + other) > 0;
}

qint64 AgentProcess::enroll(ServerProcess &server, const QString &tenant, const QString &hostname)
{
    const QString code = server.enrollmentCode(tenant);
    if (code.isEmpty()) {
        m_last = ProcessResult {};
        m_last.err = "no enrollment code: " + server.log().right(2000);
        return -1;
    }
    m_last = run({QStringLiteral("enroll"), server.baseUrl(), QStringLiteral("--code"), code,
        QStringLiteral("--fingerprint"), server.fingerprint(), QStringLiteral("--hostname"), hostname});
    if (m_last.exitCode != 0)
        return -1;
    const auto m = QRegularExpression(QStringLiteral("enrolled as agent (\\d+)")).match(QString::fromUtf8(m_last.out));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

bool AgentProcess::start(int timeoutMs)
{
    if (isRunning())
        return false;
    const qint64 from = log().size();
    m_process = std::make_unique<QProcess>();
    m_process->setStandardOutputFile(path(QStringLiteral("agent.log")), QIODevice::Append);
    m_process->setStandardErrorFile(path(QStringLiteral("agent.log")), QIODevice::Append);
    // The agent dies with the test (a crashed test must not leave it running).
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    startAgent(*m_process,
        {QStringLiteral("run"), QStringLiteral("--config"), configPath(), QStringLiteral("--state"), stateDir()});
    if (!m_process->waitForStarted(10000))
        return false;
    return waitForLog("cairn-agent " CAIRN_VERSION " started", timeoutMs, from);
}

bool AgentProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(timeoutMs))
        return false;
    m_exitCode = m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    return m_exitCode == 0;
}

void AgentProcess::kill9()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(30000);
    m_exitCode = -1;
}

bool AgentProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QByteArray AgentProcess::log() const
{
    QFile f(path(QStringLiteral("agent.log")));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool AgentProcess::waitForLog(const QByteArray &needle, int timeoutMs, qint64 from)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (log().indexOf(needle, from) >= 0)
            return true;
        if (m_process && m_process->state() == QProcess::NotRunning && log().indexOf(needle, from) < 0)
            return false;
        QThread::msleep(50);
    }
    return false;
}

QDateTime AgentProcess::logTime(const QByteArray &needle, qint64 from) const
{
    const QByteArray text = log();
    const qsizetype at = text.indexOf(needle, from);
    if (at < 0)
        return QDateTime();
    const qsizetype lineStart = text.lastIndexOf('\n', at) + 1;
    const qsizetype space = text.indexOf(' ', lineStart);
    if (space < 0 || space > at)
        return QDateTime();
    return QDateTime::fromString(QString::fromLatin1(text.mid(lineStart, space - lineStart)), Qt::ISODateWithMs);
}

ProcessResult AgentProcess::run(const QStringList &args, int timeoutMs)
{
    m_last = runAgent(args + QStringList {QStringLiteral("--config"), configPath(), QStringLiteral("--state"), stateDir()},
        "test-passphrase", timeoutMs);
    return m_last;
}

ApiReply putIdlePolicy(ApiClient &api, qint64 agentId, const QByteArray &source, const QJsonObject &extra)
{
    const QString zone = api.get(QStringLiteral("/api/v1/session/me"))
                             .json()
                             .value(QStringLiteral("tenant"))
                             .toObject()
                             .value(QStringLiteral("time_zone"))
                             .toString();
    const int hour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone(zone.toUtf8())).time().hour() + 22) % 24;
    QJsonObject policy {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(source)}},
        {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), hour}, {QStringLiteral("retention_days"), 30}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        policy.insert(it.key(), it.value());
    const ApiReply r = api.putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(agentId), policy);
    if (r.status != 200)
        qWarning("policy: %s", qPrintable(r.describe()));
    return r;
}

bool isFinishedJobState(const QString &state)
{
    static const QStringList finished {QStringLiteral("succeeded"), QStringLiteral("warning"),
        QStringLiteral("failed"), QStringLiteral("cancelled"), QStringLiteral("missed")};
    return finished.contains(state);
}

QJsonObject waitForJobEnd(ApiClient &api, qint64 jobId, int timeoutMs, const QString &query,
    const std::function<void(const QJsonObject &)> &seen)
{
    QJsonObject job;
    QElapsedTimer clock;
    clock.start();
    do {
        const ApiReply r = api.get(QStringLiteral("/api/v1/jobs/%1%2").arg(jobId).arg(query));
        if (r.status == 200) {
            job = r.json();
            if (seen)
                seen(job);
            if (isFinishedJobState(job.value(QStringLiteral("state")).toString()))
                return job;
        }
        QThread::msleep(100);
    } while (clock.elapsed() < timeoutMs);
    return job;
}

} // namespace cairn::test
