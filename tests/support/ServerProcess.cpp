#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>
#include <sys/prctl.h>

namespace cairn::test {

QString serverBinary()
{
    const QString path = qEnvironmentVariable("CAIRN_SERVER");
    return path.isEmpty() ? QStringLiteral("cairn-server") : path;
}

ServerProcess::ServerProcess() = default;

ServerProcess::~ServerProcess()
{
    if (isRunning() && !stop())
        kill9();
}

ProcessResult ServerProcess::admin(const QStringList &args, const QByteArray &password)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!password.isEmpty())
        env.insert(QStringLiteral("CAIRN_PASSWORD"), QString::fromUtf8(password));
    p.setProcessEnvironment(env);
    p.start(serverBinary(), args + QStringList{QStringLiteral("--data"), dataDir()});
    ProcessResult r;
    p.closeWriteChannel();
    if (!p.waitForStarted() || !p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        r.err = "cairn-server did not run or finish: " + p.errorString().toLocal8Bit();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool ServerProcess::writeClock(const QDateTime &at)
{
    QFile f(clockPath());
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(at.toUTC().toString(Qt::ISODate).toLatin1()) > 0;
}

bool ServerProcess::init(const QStringList &extra)
{
    const ProcessResult r = admin(QStringList{QStringLiteral("init"), QStringLiteral("--name"), QStringLiteral("localhost")} + extra);
    m_log += r.out + r.err;
    if (r.exitCode != 0)
        return false;
    const QRegularExpression fp(QStringLiteral("fingerprint \\(SHA-256\\): ([0-9A-F:]+)"));
    const auto m = fp.match(QString::fromUtf8(r.out));
    if (m.hasMatch())
        m_fingerprint = m.captured(1);
    return true;
}

bool ServerProcess::start(const QStringList &extra, int timeoutMs)
{
    // The server's output goes to a file, never a pipe: a pipe nobody drains fills after 64 KiB of
    // access log and then blocks the server.
    m_logPath = m_dir.filePath(QStringLiteral("server-%1.log").arg(++m_starts));
    m_logOffset = 0;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_logPath);
    // A test that dies (watchdog, crash) takes its server with it instead of leaving it running.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start(serverBinary(), QStringList{QStringLiteral("serve"), QStringLiteral("--data"), dataDir(),
                                                 QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)}
                                         + extra);
    if (!m_process->waitForStarted())
        return false;
    const QRegularExpression listening(QStringLiteral("listening on https?://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const QByteArray out = readLogFile();
        const auto m = listening.match(QString::fromUtf8(out));
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            m_logOffset = out.size(); // log(): this run's later lines only
            return true;
        }
        // Also notices a server that exits (a refusal at start-up) instead of sleeping blind.
        if (m_process->state() != QProcess::Running || m_process->waitForFinished(50))
            return false; // log() shows what it printed
    }
    return false;
}

QString ServerProcess::writeConfig(const QByteArray &ini)
{
    const QString path = m_dir.filePath(QStringLiteral("server-%1.conf").arg(++m_configs));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(ini) != ini.size() || !f.flush())
        return QString();
    return path;
}

QByteArray ServerProcess::readLogFile() const
{
    if (m_logPath.isEmpty())
        return QByteArray();
    QFile f(m_logPath);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool ServerProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    return m_process->waitForFinished(timeoutMs);
}

void ServerProcess::kill9()
{
    if (!m_process)
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(15000);
}

bool ServerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QByteArray ServerProcess::caPem() const
{
    QFile f(dataDir() + QStringLiteral("/tls/ca.pem"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray ServerProcess::log()
{
    return m_log + readLogFile().mid(m_logOffset);
}

qint64 ServerProcess::addTenant(const QString &name)
{
    const ProcessResult r = admin({QStringLiteral("tenant"), QStringLiteral("add"), name});
    const QRegularExpression re(QStringLiteral("^tenant (\\d+) "));
    const auto m = re.match(QString::fromUtf8(r.out));
    if (r.exitCode != 0 || !m.hasMatch()) {
        m_log += r.out + r.err;
        return -1;
    }
    return m.captured(1).toLongLong();
}

bool ServerProcess::addUser(const QString &login, const QByteArray &password, const QString &tenant, const QString &role)
{
    QStringList args{QStringLiteral("user"), QStringLiteral("add"), login};
    if (role == QLatin1String("operator")) {
        args << QStringLiteral("--operator");
    } else {
        args << QStringLiteral("--tenant") << tenant;
        if (role == QLatin1String("admin"))
            args << QStringLiteral("--admin");
    }
    const ProcessResult r = admin(args, password);
    if (r.exitCode != 0)
        m_log += r.out + r.err;
    return r.exitCode == 0;
}

QString ServerProcess::enrollmentCode(const QString &tenant)
{
    const ProcessResult r = admin({QStringLiteral("enrollment-code"), QStringLiteral("--tenant"), tenant});
    const QRegularExpression re(QStringLiteral("code:\\s+([A-Z0-9-]+)"));
    const auto m = re.match(QString::fromUtf8(r.out));
    if (r.exitCode != 0 || !m.hasMatch()) {
        m_log += r.out + r.err;
        return QString();
    }
    return m.captured(1);
}

} // namespace cairn::test
