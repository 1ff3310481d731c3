#include "TestSupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QProcessEnvironment>
#include <QThread>

#include <algorithm>
#include <cstring>

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

QByteArray testPattern(qint64 size, quint64 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint64 x = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    char *p = out.data();
    for (qint64 i = 0; i < size; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        std::memcpy(p + i, &x, size_t(std::min<qint64>(8, size - i)));
    }
    return out;
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int stepMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QThread::msleep(stepMs);
    }
    return true;
}

bool noSanitizerReport(const QByteArray &log)
{
    auto report = [&log](const char *mark) {
        const qsizetype at = log.indexOf(mark);
        if (at < 0)
            return false;
        const qsizetype from = std::max<qsizetype>(0, log.lastIndexOf('\n', at) + 1);
        qWarning("sanitizer report:\n%s", log.mid(from, 6000).constData());
        return true;
    };
    bool clean = true;
    for (const char *mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"})
        clean = !report(mark) && clean;
    return clean;
}

} // namespace cairn::test
