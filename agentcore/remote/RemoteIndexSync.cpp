// RemoteIndexSync: pages through the server's index feed into the local SqliteIndex cache; the
// feed position lives in its own table of the cache file. Caller's thread.
#include "remote/RemoteIndexSync.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <sqlite3.h>

#include <limits>
#include <vector>

namespace cairn {

namespace {

constexpr int kPageSize = 200; // the server's largest page

// The feed position table, on a connection of its own beside the index's.
class SyncState {
public:
    ~SyncState() { sqlite3_close(m_db); }

    Status open(const QString &path)
    {
        if (sqlite3_open_v2(
                QFile::encodeName(path).constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
            != SQLITE_OK)
            return error("open the index cache");
        sqlite3_busy_timeout(m_db, 30000);
        return exec("CREATE TABLE IF NOT EXISTS remote_sync(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    }

    Result<std::optional<QString>> value(const char *key)
    {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db, "SELECT value FROM remote_sync WHERE key = ?", -1, &st, nullptr) != SQLITE_OK)
            return error("read the sync position");
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        const int rc = sqlite3_step(st);
        std::optional<QString> v;
        if (rc == SQLITE_ROW)
            v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return error("read the sync position");
        return v;
    }

    Status setValue(const char *key, const QString &value)
    {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(m_db,
                "INSERT INTO remote_sync(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value",
                -1, &st, nullptr)
            != SQLITE_OK)
            return error("store the sync position");
        const QByteArray v = value.toUtf8();
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, v.constData(), int(v.size()), SQLITE_STATIC);
        const int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return error("store the sync position");
        return Status::success();
    }

private:
    Status exec(const char *sql)
    {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            return error(sql);
        return Status::success();
    }
    Error error(const char *what) const
    {
        const int code = m_db ? sqlite3_errcode(m_db) : SQLITE_CANTOPEN;
        const ErrorCode ec = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? ErrorCode::Transient
            : (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)             ? ErrorCode::Corrupt
                                                                            : ErrorCode::Io;
        return Error(ec,
            QStringLiteral("index cache: %1: %2")
                .arg(QLatin1String(what), QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "cannot open")));
    }

    sqlite3 *m_db = nullptr;
};

Result<std::optional<qint64>> storedPosition(SyncState &state)
{
    auto v = state.value("seq");
    if (!v)
        return v.error();
    if (!v->has_value())
        return std::optional<qint64>();
    bool ok = false;
    const qint64 seq = (*v)->toLongLong(&ok);
    if (!ok || seq < 0)
        return Error(
            ErrorCode::Corrupt, QStringLiteral("index cache: the sync position \"%1\" is not a number").arg(**v));
    return std::optional<qint64>(seq);
}

bool inRange(qint64 v, qint64 max)
{
    return v >= 0 && v <= max;
}

// One pack of the feed: {seq, id, size, blobs: [[type, id, offset, length, raw_length], ...]}.
Status parsePack(const QJsonObject &o, IndexFeedEntry &entry)
{
    const auto id = PackId::fromHex(o.value(QStringLiteral("id")).toString());
    entry.size = o.value(QStringLiteral("size")).toInteger(-1);
    if (!id || entry.size < 0)
        return Error(ErrorCode::Corrupt, QStringLiteral("index feed: a pack without a valid id or size"));
    entry.pack = *id;
    const QJsonArray blobs = o.value(QStringLiteral("blobs")).toArray();
    entry.blobs.reserve(size_t(blobs.size()));
    constexpr qint64 u32 = std::numeric_limits<uint32_t>::max();
    for (const QJsonValue &bv : blobs) {
        const QJsonArray b = bv.toArray();
        PackEntry e;
        const qint64 type = b.at(0).toInteger(-1);
        const auto chunk = ChunkId::fromHex(b.at(1).toString());
        const qint64 offset = b.at(2).toInteger(-1), length = b.at(3).toInteger(-1), raw = b.at(4).toInteger(-1);
        if (b.size() != 5 || (type != int(BlobType::Data) && type != int(BlobType::Tree)) || !chunk
            || !inRange(offset, u32) || !inRange(length, u32) || !inRange(raw, u32) || offset + length > entry.size)
            return Error(
                ErrorCode::Corrupt, QStringLiteral("index feed: pack %1 lists a malformed blob").arg(id->shortHex()));
        e.type = BlobType(type);
        e.id = *chunk;
        e.offset = uint32_t(offset);
        e.length = uint32_t(length);
        e.rawLength = uint32_t(raw);
        entry.blobs.push_back(e);
    }
    return Status::success();
}

} // namespace

Result<IndexFeedPage> parseIndexFeedPage(const QJsonObject &page, qint64 after)
{
    IndexFeedPage result;
    const QJsonArray packs = page.value(QStringLiteral("packs")).toArray();
    result.entries.reserve(size_t(packs.size()));
    qint64 last = after;
    for (const QJsonValue &pv : packs) {
        const QJsonObject o = pv.toObject();
        IndexFeedEntry entry;
        entry.seq = o.value(QStringLiteral("seq")).toInteger(-1);
        if (entry.seq <= last)
            return Error(ErrorCode::Corrupt, QStringLiteral("index feed: sequence numbers do not increase"));
        last = entry.seq;
        if (o.value(QStringLiteral("removed")).toBool()) {
            const auto id = PackId::fromHex(o.value(QStringLiteral("id")).toString());
            if (!id)
                return Error(ErrorCode::Corrupt, QStringLiteral("index feed: a removed pack has a malformed id"));
            entry.pack = *id;
            entry.removed = true;
        } else {
            CAIRN_TRY(parsePack(o, entry));
        }
        result.entries.push_back(std::move(entry));
    }
    result.more = !result.entries.empty() && page.value(QStringLiteral("more")).toBool();
    return result;
}

RemoteIndexSync::RemoteIndexSync(ServerConnection &server, Index &index, QString cachePath, QString repositoryId)
    : m_server(server), m_index(index), m_cachePath(std::move(cachePath)), m_repositoryId(std::move(repositoryId))
{
}

Result<qint64> RemoteIndexSync::position()
{
    SyncState state;
    CAIRN_TRY(state.open(m_cachePath));
    auto seq = storedPosition(state);
    if (!seq)
        return seq.error();
    return seq->value_or(0);
}

Result<IndexSyncStats> RemoteIndexSync::sync(const std::function<void(const IndexSyncStats &)> &progress)
{
    SyncState state;
    CAIRN_TRY(state.open(m_cachePath));
    auto owner = state.value("repository");
    if (!owner)
        return owner.error();
    if (owner->has_value() && **owner != m_repositoryId)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the index cache %1 belongs to repository %2, not %3; remove it to start afresh")
                .arg(m_cachePath, **owner, m_repositoryId));
    if (!owner->has_value())
        CAIRN_TRY(state.setValue("repository", m_repositoryId));
    auto stored = storedPosition(state);
    if (!stored)
        return stored.error();

    IndexSyncStats stats;
    stats.lastSeq = stored->value_or(0);
    for (;;) {
        const QString path = QStringLiteral("/api/v1/agent/index?after=%1&limit=%2").arg(stats.lastSeq).arg(kPageSize);
        auto answer = m_server.getJson(path);
        if (!answer)
            return answer.error();
        auto page = parseIndexFeedPage(*answer, stats.lastSeq);
        if (!page)
            return page.error().wrapped(QStringLiteral("GET ") + path);
        if (page->entries.empty())
            return stats;
        for (const IndexFeedEntry &entry : page->entries) {
            if (entry.removed) {
                // Garbage collection took the pack out of the tenant's index: never deduplicate
                // against it again (a later entry re-adds it if it comes back).
                CAIRN_TRY(m_index.removePack(entry.pack));
                ++stats.removed;
                continue;
            }
            CAIRN_TRY(m_index.addPack(entry.pack, entry.size, entry.blobs));
            ++stats.packs;
            stats.blobs += qint64(entry.blobs.size());
        }
        const qint64 last = page->entries.back().seq;
        CAIRN_TRY(state.setValue("seq", QString::number(last)));
        stats.lastSeq = last;
        if (progress)
            progress(stats);
        if (!page->more)
            return stats;
    }
}

} // namespace cairn
