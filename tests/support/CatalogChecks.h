// Checks of a server catalog file after a test run, shared by the load and crash tests: row
// counts and the integrity rules the server must keep (no duplicate pack, chunk or snapshot rows,
// no chunk row without its pack). Opened read-only with QtSql. Test main thread.
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace cairn::test {

// The value of a "SELECT COUNT(*) …" (or any single-integer query); -1 and a warning on error.
qint64 sqlCount(QSqlDatabase &db, const QString &sql);
// One line per broken rule; empty when the catalog is consistent.
QStringList catalogIntegrityProblems(QSqlDatabase &db);

// A read-only connection to DATA/catalog.sqlite under a unique name, removed when this goes away.
class CatalogReader {
public:
    explicit CatalogReader(const QString &dataDir);
    ~CatalogReader();
    CatalogReader(const CatalogReader &) = delete;
    CatalogReader &operator=(const CatalogReader &) = delete;

    bool isOpen() const { return m_db.isOpen(); }
    QString error() const;
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace cairn::test
