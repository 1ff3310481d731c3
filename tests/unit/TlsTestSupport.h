// Helpers shared by the tests of cairn_server_tls: files, modes and the openssl CLI as a second
// opinion. Header-only; main thread of the test.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <sys/stat.h>

namespace cairn::test {

// The error message of a failed Result/Status, or nothing (QVERIFY2 evaluates its message always).
template <typename R> inline QByteArray why(const R &r)
{
    return r.ok() ? QByteArray() : r.error().message.toLocal8Bit();
}

// Server names used for the generated certificate authority: DNS names (one in capitals), IPv4, IPv6.
inline const QStringList kServerNames = {QStringLiteral("backup.example.com"), QStringLiteral("192.0.2.10"),
    QStringLiteral("2001:db8::5"), QStringLiteral("Cairn.Internal")};

inline unsigned fileMode(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0xffff;
    return unsigned(st.st_mode & 07777);
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return QStringLiteral("exit %1, stdout: %2, stderr: %3")
            .arg(exitCode)
            .arg(QString::fromLocal8Bit(out), QString::fromLocal8Bit(err));
    }
};

// Runs the openssl CLI; exitCode stays -1 if it could not run or crashed.
inline Run openssl(const QStringList &args, const QString &workDir = QString())
{
    QProcess p;
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(QStringLiteral("openssl"), args);
    Run r;
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace cairn::test
