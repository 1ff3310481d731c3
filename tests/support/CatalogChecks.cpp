#include "CatalogChecks.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace cairn::test {

qint64 sqlCount(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return -1;
    }
    return q.value(0).toLongLong();
}

QStringList catalogIntegrityProblems(QSqlDatabase &db)
{
    const struct {
        const char *what;
        const char *sql;
    } rules[] = {
        {"duplicate pack rows", "SELECT COUNT(*) FROM (SELECT 1 FROM packs GROUP BY tenant_id, pack_id HAVING COUNT(*) > 1)"},
        {"duplicate chunk rows", "SELECT COUNT(*) FROM (SELECT 1 FROM chunks GROUP BY tenant_id, chunk_id HAVING COUNT(*) > 1)"},
        {"duplicate snapshot rows",
         "SELECT COUNT(*) FROM (SELECT 1 FROM snapshots GROUP BY tenant_id, snapshot_id HAVING COUNT(*) > 1)"},
        {"chunk rows without their pack",
         "SELECT COUNT(*) FROM chunks c LEFT JOIN packs p ON p.id = c.pack AND p.tenant_id = c.tenant_id WHERE p.id IS NULL"},
        // Garbage collection: the index never points into a condemned or deleted pack, a deleted
        // pack keeps no rows, and each tenant's chunk_count is its number of index rows.
        {"chunk rows in condemned or deleted packs",
         "SELECT COUNT(*) FROM chunks c JOIN packs p ON p.id = c.pack WHERE p.condemned_at IS NOT NULL OR p.deleted_at IS NOT NULL"},
        {"kept rows of deleted packs",
         "SELECT COUNT(*) FROM condemned_chunks c JOIN packs p ON p.id = c.pack WHERE p.deleted_at IS NOT NULL"},
        {"tenants whose chunk_count is not their number of chunk rows",
         "SELECT COUNT(*) FROM tenants t WHERE t.chunk_count != (SELECT COUNT(*) FROM chunks c WHERE c.tenant_id = t.id)"},
    };
    QStringList problems;
    for (const auto &rule : rules) {
        const qint64 n = sqlCount(db, QString::fromLatin1(rule.sql));
        if (n != 0)
            problems << QStringLiteral("%1: %2").arg(QLatin1String(rule.what)).arg(n);
    }
    return problems;
}

CatalogReader::CatalogReader(const QString &dataDir)
    : m_name(QStringLiteral("catalog-check-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(dataDir + QStringLiteral("/catalog.sqlite"));
    m_db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    m_db.open();
}

CatalogReader::~CatalogReader()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QString CatalogReader::error() const
{
    return m_db.lastError().text();
}

} // namespace cairn::test
