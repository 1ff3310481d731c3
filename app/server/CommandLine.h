// What the cairn-server commands share: exit codes, output, the option parser, opening a data
// folder's catalog and finding a tenant. Main thread.
#pragma once

#include "DataDir.h"
#include "catalog/SqlCatalog.h"

#include <QMultiHash>
#include <QSet>
#include <QStringList>

#include <memory>

namespace cairn::server::cli {

constexpr int kExitOk = 0, kExitFailure = 1, kExitUsage = 2;

void print(const QString &text);                               // to stdout
int fail(const QString &message, int code = kExitFailure);     // "cairn-server: message" to stderr

// --name value / --flag / positional arguments.
struct Options {
    QStringList positional;
    QMultiHash<QString, QString> values;
    QSet<QString> flags;
    QString error;

    QString value(const QString &name, const QString &fallback = QString()) const { return values.value(name, fallback); }
    bool has(const QString &name) const { return values.contains(name) || flags.contains(name); }
};

Options parse(const QStringList &args, const QSet<QString> &withValue, const QSet<QString> &flags);

Result<std::unique_ptr<SqlCatalog>> openCatalog(const DataDir &dir);

// A tenant given by id or by name.
Result<Tenant> findTenant(Catalog &catalog, const QString &spec);

} // namespace cairn::server::cli
