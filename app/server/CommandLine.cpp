// Shared pieces of the cairn-server commands (see CommandLine.h). Main thread.
#include "CommandLine.h"

#include <QFileInfo>

#include <cstdio>

namespace cairn::server::cli {

void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

int fail(const QString &message, int code)
{
    std::fprintf(stderr, "cairn-server: %s\n", message.toLocal8Bit().constData());
    return code;
}

Options parse(const QStringList &args, const QSet<QString> &withValue, const QSet<QString> &flags)
{
    Options o;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (!a.startsWith(QLatin1String("--"))) {
            o.positional.append(a);
            continue;
        }
        QString name = a.mid(2), value;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        if (eq >= 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (flags.contains(name) && eq < 0) {
            o.flags.insert(name);
        } else if (withValue.contains(name)) {
            if (eq < 0) {
                if (i + 1 >= args.size()) {
                    o.error = QStringLiteral("--%1 needs a value").arg(name);
                    return o;
                }
                value = args[++i];
            }
            o.values.insert(name, value);
        } else {
            o.error = QStringLiteral("unknown option --%1").arg(name);
            return o;
        }
    }
    return o;
}

Result<std::unique_ptr<SqlCatalog>> openCatalog(const DataDir &dir)
{
    if (!QFileInfo::exists(dir.catalog()))
        return Error(ErrorCode::NotFound, QStringLiteral("%1 is not a Cairn data folder (run cairn-server init --data %1)").arg(dir.root));
    return SqlCatalog::open(dir.catalog(), SqlCatalog::OpenMode::OpenExisting);
}

Result<Tenant> findTenant(Catalog &catalog, const QString &spec)
{
    bool isId = false;
    const qint64 id = spec.toLongLong(&isId);
    if (isId) {
        auto t = catalog.tenant(id);
        if (t || t.error().code != ErrorCode::NotFound)
            return t;
    }
    auto t = catalog.tenantByName(spec);
    if (!t && t.error().code == ErrorCode::NotFound)
        return Error(ErrorCode::NotFound, QStringLiteral("no tenant \"%1\"").arg(spec));
    return t;
}

} // namespace cairn::server::cli
