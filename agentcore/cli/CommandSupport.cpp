#include "cli/CommandSupport.h"

#include <QFile>
#include <QList>

#include <unistd.h>

#include <cstdio>

namespace cairn::cli {

void out(const QString &s)
{
    std::fputs(s.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void err(const QString &s)
{
    std::fputs(s.toLocal8Bit().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

QString showPath(const QByteArray &p)
{
    return QString::fromLocal8Bit(p);
}

Args Args::parse(const QStringList &in, const QStringList &valueOptions, const QStringList &flagOptions)
{
    Args a;
    bool onlyPositional = false;
    for (int i = 0; i < in.size(); ++i) {
        const QString &s = in[i];
        if (onlyPositional || !s.startsWith(QLatin1String("--"))) {
            a.positional << s;
            continue;
        }
        if (s == u"--") {
            onlyPositional = true;
            continue;
        }
        QString name = s.mid(2), value;
        const int eq = name.indexOf(QLatin1Char('='));
        const bool hasInline = eq >= 0;
        if (hasInline) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (valueOptions.contains(name)) {
            if (!hasInline) {
                if (i + 1 >= in.size()) {
                    a.error = QStringLiteral("option --%1 needs a value").arg(name);
                    return a;
                }
                value = in[++i];
            }
            a.values[name] << value;
        } else if (flagOptions.contains(name) && !hasInline) {
            a.flags << name;
        } else {
            a.error = QStringLiteral("unknown option --%1").arg(name);
            return a;
        }
    }
    return a;
}

int usageError(const QString &message, const char *command)
{
    err(QStringLiteral("cairn-agent: %1").arg(message));
    err(QStringLiteral("Try 'cairn-agent %1 --help'.").arg(QLatin1String(command)));
    return ExitUsage;
}

int failure(const Error &e)
{
    err(QStringLiteral("cairn-agent: error: %1").arg(e.message));
    return e.code == ErrorCode::WrongPassphrase ? ExitWrongPassphrase : ExitFailure;
}

QByteArray absolutePath(const QString &arg)
{
    QByteArray p = QFile::encodeName(arg);
    if (!p.startsWith('/')) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return p;
        p = QByteArray(cwd) + '/' + p;
    }
    QList<QByteArray> parts;
    for (const QByteArray &c : p.split('/')) {
        if (c.isEmpty() || c == ".")
            continue;
        if (c == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
            continue;
        }
        parts << c;
    }
    QByteArray clean;
    for (const QByteArray &c : parts)
        clean += '/' + c;
    return clean.isEmpty() ? QByteArray("/") : clean;
}

bool wantsHelp(const QStringList &args)
{
    return args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h")) || args.value(0) == u"help";
}

} // namespace cairn::cli
