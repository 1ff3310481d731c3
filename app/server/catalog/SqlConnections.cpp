// One QSqlDatabase connection per thread and catalog (see SqlConnections.h). connection() runs on
// any thread; the thread-exit record runs on the exiting thread; closeAll() on the catalog's
// creating thread.
#include "catalog/SqlConnections.h"

#include "catalog/SqlSupport.h"

#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <vector>

namespace cairn::server {

namespace {

std::atomic<quint64> g_nextCatalogSerial {0};
std::atomic<quint64> g_nextThreadSerial {0};

// A number for the calling thread that is never reused (thread ids and QThread pointers are).
quint64 threadSerial()
{
    thread_local const quint64 serial = ++g_nextThreadSerial;
    return serial;
}

} // namespace

// The connections the current thread opened; when the thread exits, the ones whose catalog is
// still alive are removed on this thread.
struct ThreadConnectionRecord {
    struct Entry {
        quint64 catalog;
        std::weak_ptr<SqlConnections> owner;
        QString name;
    };
    std::vector<Entry> entries;

    ~ThreadConnectionRecord()
    {
        for (const Entry &e : entries)
            if (std::shared_ptr<SqlConnections> owner = e.owner.lock())
                owner->drop(e.name);
    }

    const Entry *find(quint64 catalog) const
    {
        for (const Entry &e : entries)
            if (e.catalog == catalog)
                return &e;
        return nullptr;
    }
    void add(Entry e)
    {
        entries.erase(std::remove_if(entries.begin(), entries.end(), [](const Entry &x) { return x.owner.expired(); }),
            entries.end());
        entries.push_back(std::move(e));
    }
};

namespace {
thread_local ThreadConnectionRecord t_connections;

// Opens `db` and applies the catalog's pragmas.
Status configure(QSqlDatabase &db, const QString &path)
{
    if (!db.open())
        return sql::errorFrom(db.lastError(), QStringLiteral("open catalog %1").arg(path));
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL"))) {
        Error e = sql::errorFrom(q.lastError(), QStringLiteral("open catalog %1").arg(path));
        if (e.code == ErrorCode::Corrupt)
            e.message = QStringLiteral("catalog %1 is not a SQLite database (%2)").arg(path, e.message);
        return e;
    }
    if (!q.next() || q.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return Error(ErrorCode::Io, QStringLiteral("catalog %1: cannot switch to WAL journal mode").arg(path));
    q.finish();
    const QString pragmas[] = {
        // FULL: a commit the API acknowledged (a pack indexed, a snapshot, a job result) survives a
        // power loss too, not only a crash of the process. One fsync per commit; commits are few.
        QStringLiteral("PRAGMA synchronous=FULL"),
        QStringLiteral("PRAGMA foreign_keys=ON"),
        QStringLiteral("PRAGMA busy_timeout=%1").arg(SqlConnections::kBusyTimeoutMs),
    };
    for (const QString &pragma : pragmas) {
        if (!q.exec(pragma))
            return sql::errorFrom(q.lastError(), QStringLiteral("catalog %1: %2").arg(path, pragma));
        q.finish();
    }
    return {};
}

} // namespace

std::shared_ptr<SqlConnections> SqlConnections::create(const QString &path)
{
    return std::shared_ptr<SqlConnections>(new SqlConnections(path));
}

SqlConnections::SqlConnections(const QString &path) : m_path(path), m_serial(++g_nextCatalogSerial) { }

SqlConnections::~SqlConnections()
{
    closeAll();
}

Result<QSqlDatabase> SqlConnections::connection()
{
    if (const ThreadConnectionRecord::Entry *e = t_connections.find(m_serial))
        return QSqlDatabase::database(e->name, false);
    auto name = open();
    if (!name)
        return name.error();
    return QSqlDatabase::database(*name, false);
}

Result<QString> SqlConnections::open()
{
    const QString name = QStringLiteral("cairn-catalog-%1-%2").arg(m_serial).arg(threadSerial());
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return Error(ErrorCode::Permanent, QStringLiteral("catalog %1 is closed").arg(m_path));
        m_names.insert(name); // registered before it exists so that closeAll() always sees it
    }
    Status status;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
        status = configure(db, m_path);
    } // the local handle must be gone before the connection can be removed
    if (!status.ok()) {
        drop(name);
        return status.error();
    }
    t_connections.add({m_serial, weak_from_this(), name});
    return name;
}

void SqlConnections::drop(const QString &name)
{
    std::lock_guard lock(m_mutex);
    if (m_names.remove(name))
        QSqlDatabase::removeDatabase(name);
}

void SqlConnections::closeAll()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    for (const QString &name : std::as_const(m_names))
        QSqlDatabase::removeDatabase(name);
    m_names.clear();
}

int SqlConnections::openCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_names.size());
}

} // namespace cairn::server
