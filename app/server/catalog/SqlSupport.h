// Small building blocks the SQL catalog is written with: a prepared Statement that reports
// failures as cairn Errors saying what was being done, a Transaction that rolls back unless
// committed, the mapping of driver errors to ErrorCodes, and conversions between catalog values
// and column values (times as UTC milliseconds, JSON objects and lists as JSON text, ids and
// hashes as byte strings). Used on the calling thread with that thread's connection.
#pragma once

#include "catalog/CatalogTypes.h"

#include "base/Id.h"
#include "base/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <initializer_list>
#include <mutex>
#include <optional>
#include <vector>

namespace cairn::server::sql {

// --- errors
// Busy/locked → Transient, "not a database"/corruption → Corrupt, anything else → Io; the message
// is "<what>: <driver message>".
Error errorFrom(const QSqlError &error, const QString &what);
// A UNIQUE or PRIMARY KEY constraint failed (SQLite: SQLITE_CONSTRAINT*; PostgreSQL: 23505).
bool isUniqueViolation(const QSqlError &error);
// A FOREIGN KEY constraint failed (PostgreSQL: 23503).
bool isForeignKeyViolation(const QSqlError &error);
// NotFound "<what> not found".
Error notFound(const QString &what);

// Page limits are clamped to 1..kMaxPageLimit.
constexpr int kMaxPageLimit = 500;
int clampLimit(int limit);

// --- statements
class Statement {
public:
    // Prepares `sql` (positional `?` placeholders) on `db`; `what` names the operation for errors.
    static Result<Statement> prepare(const QSqlDatabase &db, const QString &sql, const QString &what);
    // prepare() + exec(values) for a statement used once.
    static Result<Statement> run(
        const QSqlDatabase &db, const QString &sql, const QString &what, std::initializer_list<QVariant> values = {});

    Status exec(std::initializer_list<QVariant> values);
    Status exec(const QVariantList &values);
    // Executes once per row; columns[i] holds the values of placeholder i for every row.
    Status execBatch(const std::vector<QVariantList> &columns);
    bool next() { return m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }
    // After next() returned false: an error if the rows ended because of one.
    Status rowsDone() const;
    int rowsAffected() const { return m_query.numRowsAffected(); }
    // Releases the result set (and the driver's statement locks) before a commit.
    void finish() { m_query.finish(); }
    const QSqlError lastError() const { return m_query.lastError(); }
    Error error() const { return errorFrom(m_query.lastError(), m_what); }

private:
    Statement(QSqlQuery query, QString what) : m_query(std::move(query)), m_what(std::move(what)) { }
    QSqlQuery m_query;
    QString m_what;
};

// BEGIN IMMEDIATE (write, SQLite: takes the write lock up front so concurrent writers wait for
// it through the busy timeout instead of failing mid-transaction) or BEGIN (read: one consistent
// snapshot). PostgreSQL uses plain BEGIN for both; row locks order its writers. Rolls back in the
// destructor unless commit() succeeded.
//
// `writeMutex` (writes on SQLite only): held from before BEGIN until COMMIT/ROLLBACK, so that the
// threads of one process queue on it and hand over at once, instead of polling the database lock
// with SQLite's sleeping busy handler (1–100 ms naps that leave the lock idle). Other processes
// still queue through the busy timeout.
class Transaction {
public:
    enum class Kind { Read, Write };
    Transaction(const QSqlDatabase &db, Kind kind, QString what, std::mutex *writeMutex = nullptr);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Status begin();
    Status commit();

private:
    QSqlDatabase m_db;
    Kind m_kind;
    QString m_what;
    std::mutex *m_writeMutex;
    std::unique_lock<std::mutex> m_lock;
    bool m_open = false;
};

// Runs a SELECT (or a statement with RETURNING) expected to give at most one row and converts it
// with `row` (Statement → T or Result<T>); NotFound "<what> not found" if there is none.
template <typename T, typename RowFn>
Result<T> selectOne(const QSqlDatabase &db, const QString &sqlText, const QString &what,
    std::initializer_list<QVariant> values, RowFn row)
{
    auto st = Statement::run(db, sqlText, QStringLiteral("read ") + what, values);
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return notFound(what);
    }
    return Result<T>(row(*st));
}

// Every row of a SELECT, converted with `row`.
template <typename T, typename RowFn>
Result<QList<T>> selectAll(const QSqlDatabase &db, const QString &sqlText, const QString &what,
    std::initializer_list<QVariant> values, RowFn row)
{
    auto st = Statement::run(db, sqlText, QStringLiteral("list ") + what, values);
    if (!st)
        return st.error();
    QList<T> out;
    while (st->next()) {
        Result<T> item(row(*st));
        if (!item)
            return item.error();
        out.append(std::move(item).value());
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

// Runs an UPDATE/DELETE of one object; NotFound if it matched no row.
Status updateOne(
    const QSqlDatabase &db, const QString &sqlText, const QString &what, std::initializer_list<QVariant> values);

// SELECT `columns` FROM `table` WHERE `conditions` (with `values`) as one keyset page: newest first
// (id DESC), `id < beforeId` for older pages, one row more than the limit read to know whether
// another page exists. `row` converts a row, `idOf` gives an item's id.
template <typename T, typename RowFn, typename IdFn>
Result<Page<T>> selectPage(const QSqlDatabase &db, const QString &columns, const QString &table, QStringList conditions,
    QVariantList values, const PageRequest &page, const QString &what, RowFn row, IdFn idOf)
{
    const int limit = clampLimit(page.limit);
    if (page.beforeId > 0) {
        conditions << QStringLiteral("id < ?");
        values << qlonglong(page.beforeId);
    }
    QString text = QStringLiteral("SELECT %1 FROM %2").arg(columns, table);
    if (!conditions.isEmpty())
        text += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    text += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    values << limit + 1;

    auto st = Statement::prepare(db, text, QStringLiteral("list ") + what);
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    Page<T> out;
    while (st->next()) {
        Result<T> item = row(*st);
        if (!item)
            return item.error();
        out.items.append(std::move(item).value());
    }
    CAIRN_TRY(st->rowsDone());
    if (out.items.size() > limit) {
        out.items.removeLast();
        out.next = idOf(out.items.last());
    }
    return out;
}

// A chunk's location from `table` (chunks, or condemned_chunks) joined with its pack; `extra` is
// appended to the WHERE clause (e.g. " AND p.deleted_at IS NULL LIMIT 1"). Empty if none.
Result<std::optional<ChunkLocation>> locateIn(
    const QSqlDatabase &db, const QString &table, const QString &extra, qint64 tenantId, const ChunkId &id);

// Runs `body` (returning Status or Result<T>) in a write transaction and commits if it succeeded.
template <typename Body>
auto inWriteTransaction(const QSqlDatabase &db, std::mutex &writeMutex, const QString &what, Body body)
    -> decltype(body())
{
    Transaction tx(db, Transaction::Kind::Write, what, &writeMutex);
    CAIRN_TRY(tx.begin());
    auto result = body(); // its statements are finished when it returns
    if (!result.ok())
        return result;
    CAIRN_TRY(tx.commit());
    return result;
}

// --- values
// A typed NULL (QtSql binds a null QVariant as SQL NULL).
QVariant nullInt();
QVariant optInt(const std::optional<qint64> &v);
// Never NULL: a null QString/QByteArray is stored as '' / an empty blob.
QVariant text(const QString &s);
QVariant bytes(const QByteArray &b);
template <typename Tag> QVariant idValue(const StrongId<Tag> &id)
{
    return QVariant(id.toByteArray());
}
template <typename Id> Id idFrom(const QVariant &v)
{
    return Id::fromBytes(v.toByteArray()).value_or(Id {});
}

// Invalid QDateTime ↔ NULL.
QVariant timeValue(const QDateTime &t);
QVariant timeValue(const std::optional<QDateTime> &t);
QDateTime timeFrom(const QVariant &v);
std::optional<QDateTime> optTimeFrom(const QVariant &v);
std::optional<qint64> optIntFrom(const QVariant &v);

QString jsonText(const QJsonObject &o);
QJsonObject jsonObjectFrom(const QVariant &v);
QString stringsJson(const QStringList &list);
QStringList stringsFrom(const QVariant &v);
// Paths are byte strings: each is stored base64-encoded in a JSON array.
QString pathsJson(const QList<QByteArray> &paths);
QList<QByteArray> pathsFrom(const QVariant &v);

} // namespace cairn::server::sql
