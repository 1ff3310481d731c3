#include "TestSupport.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QProcessEnvironment>

namespace cairn::test {

QString agentBinary()
{
    return qEnvironmentVariable("CAIRN_AGENT", QStringLiteral("cairn-agent"));
}

void startAgent(QProcess &process, const QStringList &args, const QByteArray &passphrase)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!passphrase.isEmpty())
        env.insert(QStringLiteral("CAIRN_PASSPHRASE"), QString::fromUtf8(passphrase));
    else
        env.remove(QStringLiteral("CAIRN_PASSPHRASE"));
    process.setProcessEnvironment(env);
    process.start(agentBinary(), args);
}

ProcessResult runAgent(const QStringList &args, const QByteArray &passphrase, int timeoutMs)
{
    QProcess p;
    startAgent(p, args, passphrase);
    ProcessResult r;
    if (!p.waitForStarted()) {
        r.err = "cannot start " + agentBinary().toLocal8Bit() + ": " + p.errorString().toLocal8Bit();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timeout";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString describe(const ProcessResult &r)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3")
        .arg(r.exitCode)
        .arg(QString::fromLocal8Bit(r.out), QString::fromLocal8Bit(r.err.left(6000)));
}

quint32 testSeed()
{
    const quint32 seed = qEnvironmentVariableIsSet("CAIRN_TEST_SEED")
        ? quint32(qEnvironmentVariableIntValue("CAIRN_TEST_SEED"))
        : QRandomGenerator::global()->generate();
    qInfo("seed %u (set CAIRN_TEST_SEED to repeat)", seed);
    return seed;
}

} // namespace cairn::test
