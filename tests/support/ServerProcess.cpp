#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

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
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(serverBinary(), QStringList{QStringLiteral("serve"), QStringLiteral("--data"), dataDir(),
                                                 QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)}
                                         + extra);
    if (!m_process->waitForStarted())
        return false;
    const QRegularExpression listening(QStringLiteral("listening on https?://127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (m_process->state() != QProcess::Running) {
            m_log += m_process->readAll();
            return false;
        }
        m_process->waitForReadyRead(200);
        m_log += m_process->readAll();
        const auto m = listening.match(QString::fromUtf8(m_log));
        if (m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            m_log.clear(); // later lines: this run only
            return true;
        }
    }
    return false;
}

bool ServerProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    const bool ok = m_process->waitForFinished(timeoutMs);
    m_log += m_process->readAll();
    return ok;
}

void ServerProcess::kill9()
{
    if (!m_process)
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(15000);
    m_log += m_process->readAll();
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
    if (m_process)
        m_log += m_process->readAll();
    return m_log;
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
