// The server's data folder: what `cairn-server init` creates and `serve` opens.
//   catalog.sqlite   the catalog (SQLite, WAL)
//   master.key       the server master key (0600) that wraps every tenant's keys
//   tls/             ca.pem, ca.key, server.pem, server.key (or the admin's own certificate)
//   packs/           the local pack store: one folder per tenant
//   gc.lock          flock()ed while a garbage collection runs
// Value type; thread-agnostic.
#pragma once

#include <QDir>
#include <QString>

namespace cairn::server {

struct DataDir {
    QString root;

    QString catalog() const { return QDir(root).filePath(QStringLiteral("catalog.sqlite")); }
    QString masterKey() const { return QDir(root).filePath(QStringLiteral("master.key")); }
    QString tls() const { return QDir(root).filePath(QStringLiteral("tls")); }
    QString packs() const { return QDir(root).filePath(QStringLiteral("packs")); }
    QString gcLock() const { return QDir(root).filePath(QStringLiteral("gc.lock")); }
};

} // namespace cairn::server
