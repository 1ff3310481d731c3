// SqlConnections: one named QSqlDatabase connection per thread for one catalog file. A
// QSqlDatabase may only be used on the thread that opened it, so each thread that calls into the
// catalog gets its own connection, opened on first use with the catalog's pragmas (WAL,
// synchronous=FULL, foreign keys, busy timeout).
//
// Lifetime: a connection is closed and removed (QSqlDatabase::removeDatabase) either when its
// thread exits (on that thread, through a thread_local record) or when closeAll() runs — from
// ~SqlCatalog, on the thread that created the catalog, after every worker using it has stopped.
// Whichever comes first removes the connection; the other finds it gone. Connection names are
// unique per catalog instance and thread ("cairn-catalog-<catalog>-<thread>"), never reused.
//
// connection() is called from any thread; the registry itself is guarded by a mutex that is taken
// only when a thread opens or drops its connection.
#pragma once

#include "base/Result.h"

#include <QSet>
#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <mutex>

namespace cairn::server {

class SqlConnections : public std::enable_shared_from_this<SqlConnections> {
public:
    static constexpr int kBusyTimeoutMs = 15000;

    static std::shared_ptr<SqlConnections> create(const QString &path);
    ~SqlConnections();

    // This thread's connection, opened on first use. Errors: Corrupt for a file that is not a
    // SQLite database, Io for anything else; Permanent after closeAll().
    Result<QSqlDatabase> connection();
    // Closes and removes every connection (see the lifetime note above).
    void closeAll();
    // Connections currently open (for tests and diagnostics).
    int openCount() const;
    const QString &path() const { return m_path; }
    // Serialises this process's write transactions on the file (see sql::Transaction).
    std::mutex &writeMutex() { return m_writeMutex; }

private:
    explicit SqlConnections(const QString &path);
    Result<QString> open();
    // Called by the thread-exit record and by closeAll(): removes `name` if it is still registered.
    void drop(const QString &name);

    friend struct ThreadConnectionRecord;

    const QString m_path;
    const quint64 m_serial;
    mutable std::mutex m_mutex;
    std::mutex m_writeMutex;
    QSet<QString> m_names;
    bool m_closed = false;
};

} // namespace cairn::server
