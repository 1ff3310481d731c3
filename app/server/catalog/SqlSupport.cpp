// Statements, transactions, error mapping and value conversions of the SQL catalog (see
// SqlSupport.h). Runs on the calling thread with that thread's connection.
#include "catalog/SqlSupport.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace cairn::server::sql {

namespace {

// SQLite reports its (possibly extended) result code as a decimal number, PostgreSQL a
// five-character SQLSTATE.
bool isSqlState(const QString &code)
{
    return code.size() == 5;
}

int sqliteCode(const QString &code)
{
    bool ok = false;
    const int n = code.toInt(&ok);
    return ok ? (n & 0xff) : -1;
}

constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADb = 26;

} // namespace

Error errorFrom(const QSqlError &error, const QString &what)
{
    const QString code = error.nativeErrorCode();
    ErrorCode ec = ErrorCode::Io;
    if (isSqlState(code)) {
        if (code == QLatin1String("40001") || code == QLatin1String("40P01") || code == QLatin1String("55P03"))
            ec = ErrorCode::Transient;
        else if (code.startsWith(QLatin1String("XX")))
            ec = ErrorCode::Corrupt;
    } else {
        switch (sqliteCode(code)) {
        case kSqliteBusy:
        case kSqliteLocked: ec = ErrorCode::Transient; break;
        case kSqliteCorrupt:
        case kSqliteNotADb: ec = ErrorCode::Corrupt; break;
        default: break;
        }
    }
    QString message = error.databaseText().trimmed();
    const QString driver = error.driverText().trimmed();
    if (message.isEmpty())
        message = driver;
    else if (!driver.isEmpty() && driver != message)
        message = QStringLiteral("%1 (%2)").arg(message, driver);
    if (message.isEmpty())
        message = QStringLiteral("unknown database error");
    return Error(ec, QStringLiteral("%1: %2").arg(what, message));
}

bool isUniqueViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    if (isSqlState(code))
        return code == QLatin1String("23505");
    return sqliteCode(code) == kSqliteConstraint
        && (error.databaseText().contains(QLatin1String("UNIQUE"))
            || error.databaseText().contains(QLatin1String("PRIMARY KEY")));
}

bool isForeignKeyViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    if (isSqlState(code))
        return code == QLatin1String("23503");
    return sqliteCode(code) == kSqliteConstraint && error.databaseText().contains(QLatin1String("FOREIGN KEY"));
}

Error notFound(const QString &what)
{
    return Error(ErrorCode::NotFound, what + QStringLiteral(" not found"));
}

Status updateOne(
    const QSqlDatabase &db, const QString &sqlText, const QString &what, std::initializer_list<QVariant> values)
{
    auto st = Statement::run(db, sqlText, what, values);
    if (!st)
        return st.error();
    if (st->rowsAffected() == 0)
        return Error(ErrorCode::NotFound, what + QStringLiteral(": not found"));
    return {};
}

// --- Statement

Result<Statement> Statement::prepare(const QSqlDatabase &db, const QString &sql, const QString &what)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return errorFrom(query.lastError(), what);
    return Statement(std::move(query), what);
}

Result<Statement> Statement::run(
    const QSqlDatabase &db, const QString &sql, const QString &what, std::initializer_list<QVariant> values)
{
    auto st = prepare(db, sql, what);
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    return st;
}

Status Statement::exec(std::initializer_list<QVariant> values)
{
    int i = 0;
    for (const QVariant &v : values)
        m_query.bindValue(i++, v);
    if (!m_query.exec())
        return error();
    return {};
}

Status Statement::exec(const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        m_query.bindValue(i, values[i]);
    if (!m_query.exec())
        return error();
    return {};
}

Status Statement::execBatch(const std::vector<QVariantList> &columns)
{
    for (size_t i = 0; i < columns.size(); ++i)
        m_query.bindValue(int(i), columns[i]);
    if (!m_query.execBatch())
        return error();
    return {};
}

Status Statement::rowsDone() const
{
    if (m_query.lastError().type() != QSqlError::NoError)
        return error();
    return {};
}

// --- Transaction

Transaction::Transaction(const QSqlDatabase &db, Kind kind, QString what, std::mutex *writeMutex)
    : m_db(db), m_kind(kind), m_what(std::move(what)), m_writeMutex(writeMutex)
{
}

Transaction::~Transaction()
{
    if (m_open) {
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
    }
    // m_lock is released after the rollback, when the members are destroyed
}

Status Transaction::begin()
{
    const bool sqlite = m_db.driverName() == QLatin1String("QSQLITE");
    const bool write = m_kind == Kind::Write;
    if (sqlite && write && m_writeMutex)
        m_lock = std::unique_lock(*m_writeMutex);
    QSqlQuery q(m_db);
    if (!q.exec((sqlite && write) ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"))) {
        if (m_lock.owns_lock())
            m_lock.unlock();
        return errorFrom(q.lastError(), m_what + QStringLiteral(" (begin)"));
    }
    m_open = true;
    return {};
}

Status Transaction::commit()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("COMMIT")))
        return errorFrom(q.lastError(), m_what + QStringLiteral(" (commit)")); // destructor rolls back
    m_open = false;
    if (m_lock.owns_lock())
        m_lock.unlock();
    return {};
}

// --- values

QVariant nullInt()
{
    return QVariant(QMetaType::fromType<qlonglong>());
}

QVariant optInt(const std::optional<qint64> &v)
{
    return v ? QVariant(qlonglong(*v)) : nullInt();
}

QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QStringLiteral("") : s);
}

QVariant bytes(const QByteArray &b)
{
    return QVariant(b.isNull() ? QByteArray("") : b);
}

QVariant timeValue(const QDateTime &t)
{
    return t.isValid() ? QVariant(qlonglong(t.toMSecsSinceEpoch())) : nullInt();
}

QVariant timeValue(const std::optional<QDateTime> &t)
{
    return t ? timeValue(*t) : nullInt();
}

QDateTime timeFrom(const QVariant &v)
{
    if (v.isNull())
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

std::optional<QDateTime> optTimeFrom(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return timeFrom(v);
}

std::optional<qint64> optIntFrom(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toLongLong();
}

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObjectFrom(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QString stringsJson(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QStringList stringsFrom(const QVariant &v)
{
    QStringList out;
    const QJsonArray a = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    out.reserve(a.size());
    for (const QJsonValue &e : a)
        out.append(e.toString());
    return out;
}

QString pathsJson(const QList<QByteArray> &paths)
{
    QJsonArray a;
    for (const QByteArray &p : paths)
        a.append(QString::fromLatin1(p.toBase64()));
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QList<QByteArray> pathsFrom(const QVariant &v)
{
    QList<QByteArray> out;
    const QJsonArray a = QJsonDocument::fromJson(v.toString().toUtf8()).array();
    out.reserve(a.size());
    for (const QJsonValue &e : a)
        out.append(QByteArray::fromBase64(e.toString().toLatin1()));
    return out;
}

int clampLimit(int limit)
{
    return std::clamp(limit, 1, kMaxPageLimit);
}

Result<std::optional<ChunkLocation>> locateIn(
    const QSqlDatabase &db, const QString &table, const QString &extra, qint64 tenantId, const ChunkId &id)
{
    auto st = Statement::run(db,
        QStringLiteral("SELECT p.pack_id, c.blob_type, c.blob_offset, c.blob_length, c.raw_length "
                       "FROM %1 c JOIN packs p ON p.id = c.pack WHERE c.tenant_id = ? AND c.chunk_id = ?%2")
            .arg(table, extra),
        QStringLiteral("locate chunk %1").arg(id.shortHex()), {tenantId, idValue(id)});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return std::optional<ChunkLocation>();
    }
    ChunkLocation loc;
    loc.pack = idFrom<PackId>(st->value(0));
    loc.type = BlobType(st->value(1).toInt());
    loc.offset = uint32_t(st->value(2).toLongLong());
    loc.length = uint32_t(st->value(3).toLongLong());
    loc.rawLength = uint32_t(st->value(4).toLongLong());
    return std::optional<ChunkLocation>(loc);
}

} // namespace cairn::server::sql
