#include "repository/SqliteIndex.h"

#include <sqlite3.h>

#include <cstring>

namespace cairn {

namespace {
constexpr int kSchemaVersion = 1;
constexpr int kReadBatchLookups = 256;
constexpr auto kReadBatchAge = std::chrono::milliseconds(200);

template <typename Id>
Id columnId(sqlite3_stmt *st, int col)
{
    Id id;
    if (sqlite3_column_bytes(st, col) == Id::Size)
        std::memcpy(id.data(), sqlite3_column_blob(st, col), Id::Size);
    return id;
}

struct Resetter {
    sqlite3_stmt *st;
    ~Resetter()
    {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
};
} // namespace

Result<std::unique_ptr<SqliteIndex>> SqliteIndex::open(const QString &path)
{
    std::unique_ptr<SqliteIndex> idx(new SqliteIndex);
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &idx->m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return idx->sqlError("open index");
    sqlite3_busy_timeout(idx->m_db, 30000);
    CAIRN_TRY(idx->exec("PRAGMA journal_mode=WAL"));
    CAIRN_TRY(idx->exec("PRAGMA synchronous=NORMAL"));
    CAIRN_TRY(idx->exec("BEGIN IMMEDIATE"));
    CAIRN_TRY(idx->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)"));
    CAIRN_TRY(idx->exec("CREATE TABLE IF NOT EXISTS packs(rowid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, "
                        "size INTEGER NOT NULL)"));
    CAIRN_TRY(idx->exec("CREATE TABLE IF NOT EXISTS blobs(id BLOB PRIMARY KEY, pack INTEGER NOT NULL, type INTEGER "
                        "NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL, raw_length INTEGER NOT NULL) "
                        "WITHOUT ROWID"));
    CAIRN_TRY(idx->exec("CREATE INDEX IF NOT EXISTS blobs_by_pack ON blobs(pack)"));
    CAIRN_TRY(idx->exec("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', 1)"));
    CAIRN_TRY(idx->exec("COMMIT"));
    auto version = idx->prepare("SELECT value FROM meta WHERE key='schema'");
    if (!version)
        return version.error();
    const bool stepOk = sqlite3_step(*version) == SQLITE_ROW;
    const int v = stepOk ? sqlite3_column_int(*version, 0) : -1;
    sqlite3_finalize(*version);
    if (v != kSchemaVersion)
        return Error(ErrorCode::Unsupported, QStringLiteral("index schema version %1 is not supported").arg(v));

    auto p1 = idx->prepare("SELECT p.id, b.type, b.offset, b.length, b.raw_length FROM blobs b JOIN packs p ON "
                           "p.rowid = b.pack WHERE b.id = ?");
    auto p2 = idx->prepare("INSERT INTO packs(id, size) VALUES(?, ?) ON CONFLICT(id) DO UPDATE SET size=excluded.size "
                           "RETURNING rowid");
    auto p3 = idx->prepare("INSERT OR IGNORE INTO blobs(id, pack, type, offset, length, raw_length) VALUES(?,?,?,?,?,?)");
    auto p4 = idx->prepare("SELECT size FROM packs WHERE id = ?");
    for (auto *p : {&p1, &p2, &p3, &p4})
        if (!*p)
            return p->error();
    idx->m_lookup = *p1;
    idx->m_insertPack = *p2;
    idx->m_insertBlob = *p3;
    idx->m_packSize = *p4;
    return idx;
}

SqliteIndex::~SqliteIndex()
{
    endReadLocked();
    for (sqlite3_stmt *st : {m_lookup, m_insertPack, m_insertBlob, m_packSize})
        sqlite3_finalize(st);
    sqlite3_close(m_db);
}

Error SqliteIndex::sqlError(const char *what) const
{
    const int code = m_db ? sqlite3_errcode(m_db) : SQLITE_CANTOPEN;
    const ErrorCode ec = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? ErrorCode::Transient
        : (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)             ? ErrorCode::Corrupt
                                                                        : ErrorCode::Io;
    return Error(ec, QStringLiteral("%1: %2").arg(QLatin1String(what),
                                                  QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "cannot open")));
}

Status SqliteIndex::exec(const char *sql)
{
    char *msg = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        Error e = sqlError(sql);
        sqlite3_free(msg);
        return e;
    }
    return {};
}

Result<sqlite3_stmt *> SqliteIndex::prepare(const char *sql)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) != SQLITE_OK)
        return sqlError(sql);
    return st;
}

Status SqliteIndex::beginReadLocked()
{
    if (m_inRead && std::chrono::steady_clock::now() - m_readSince > kReadBatchAge)
        endReadLocked();
    if (m_inRead)
        return {};
    CAIRN_TRY(exec("BEGIN"));
    m_inRead = true;
    m_readLookups = 0;
    m_readSince = std::chrono::steady_clock::now();
    return {};
}

void SqliteIndex::endReadLocked()
{
    if (!m_inRead)
        return;
    m_inRead = false;
    if (!exec("COMMIT").ok())
        exec("ROLLBACK").ok();
}

void SqliteIndex::releaseReads()
{
    std::lock_guard lock(m_mutex);
    endReadLocked();
}

void SqliteIndex::countReadLocked(bool failed)
{
    if (failed || ++m_readLookups >= kReadBatchLookups)
        endReadLocked();
}

Result<std::optional<BlobLocation>> SqliteIndex::lookup(const ChunkId &id)
{
    std::lock_guard lock(m_mutex);
    CAIRN_TRY(beginReadLocked());
    Resetter r{m_lookup};
    sqlite3_bind_blob(m_lookup, 1, id.data(), ChunkId::Size, SQLITE_STATIC);
    const int rc = sqlite3_step(m_lookup);
    countReadLocked(rc != SQLITE_DONE && rc != SQLITE_ROW);
    if (rc == SQLITE_DONE)
        return std::optional<BlobLocation>();
    if (rc != SQLITE_ROW)
        return sqlError("index lookup");
    BlobLocation loc;
    loc.pack = columnId<PackId>(m_lookup, 0);
    loc.type = BlobType(sqlite3_column_int(m_lookup, 1));
    loc.offset = uint32_t(sqlite3_column_int64(m_lookup, 2));
    loc.length = uint32_t(sqlite3_column_int64(m_lookup, 3));
    loc.rawLength = uint32_t(sqlite3_column_int64(m_lookup, 4));
    return std::optional<BlobLocation>(loc);
}

Status SqliteIndex::addPack(const PackId &pack, qint64 packSize, const std::vector<PackEntry> &entries)
{
    std::lock_guard lock(m_mutex);
    endReadLocked();
    CAIRN_TRY(exec("BEGIN IMMEDIATE"));
    auto fail = [&](const char *what) {
        Error e = sqlError(what);
        exec("ROLLBACK").ok();
        return e;
    };
    sqlite3_int64 packRow;
    {
        Resetter r{m_insertPack};
        sqlite3_bind_blob(m_insertPack, 1, pack.data(), PackId::Size, SQLITE_STATIC);
        sqlite3_bind_int64(m_insertPack, 2, packSize);
        if (sqlite3_step(m_insertPack) != SQLITE_ROW)
            return fail("index add pack");
        packRow = sqlite3_column_int64(m_insertPack, 0);
        while (sqlite3_step(m_insertPack) == SQLITE_ROW) {
        }
    }
    for (const PackEntry &e : entries) {
        Resetter r{m_insertBlob};
        sqlite3_bind_blob(m_insertBlob, 1, e.id.data(), ChunkId::Size, SQLITE_STATIC);
        sqlite3_bind_int64(m_insertBlob, 2, packRow);
        sqlite3_bind_int(m_insertBlob, 3, int(e.type));
        sqlite3_bind_int64(m_insertBlob, 4, e.offset);
        sqlite3_bind_int64(m_insertBlob, 5, e.length);
        sqlite3_bind_int64(m_insertBlob, 6, e.rawLength);
        if (sqlite3_step(m_insertBlob) != SQLITE_DONE)
            return fail("index add blob");
    }
    if (Status s = exec("COMMIT"); !s.ok()) {
        exec("ROLLBACK").ok();
        return s;
    }
    return {};
}

Result<std::optional<qint64>> SqliteIndex::packSize(const PackId &pack)
{
    std::lock_guard lock(m_mutex);
    CAIRN_TRY(beginReadLocked());
    Resetter r{m_packSize};
    sqlite3_bind_blob(m_packSize, 1, pack.data(), PackId::Size, SQLITE_STATIC);
    const int rc = sqlite3_step(m_packSize);
    countReadLocked(rc != SQLITE_DONE && rc != SQLITE_ROW);
    if (rc == SQLITE_DONE)
        return std::optional<qint64>();
    if (rc != SQLITE_ROW)
        return sqlError("index pack size");
    return std::optional<qint64>(sqlite3_column_int64(m_packSize, 0));
}

Status SqliteIndex::forEachPack(const std::function<void(const PackId &, qint64)> &visit)
{
    std::vector<std::pair<PackId, qint64>> packs;
    {
        std::lock_guard lock(m_mutex);
        endReadLocked();
        auto st = prepare("SELECT id, size FROM packs ORDER BY id");
        if (!st)
            return st.error();
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
            packs.emplace_back(columnId<PackId>(*st, 0), sqlite3_column_int64(*st, 1));
        sqlite3_finalize(*st);
        if (rc != SQLITE_DONE)
            return sqlError("index list packs");
    }
    for (const auto &[id, size] : packs)
        visit(id, size);
    return {};
}

Status SqliteIndex::forEachBlobInPack(const PackId &pack, const std::function<void(const ChunkId &, const BlobLocation &)> &visit)
{
    std::vector<std::pair<ChunkId, BlobLocation>> blobs;
    {
        std::lock_guard lock(m_mutex);
        endReadLocked();
        auto st = prepare("SELECT b.id, b.type, b.offset, b.length, b.raw_length FROM blobs b JOIN packs p ON "
                          "p.rowid = b.pack WHERE p.id = ? ORDER BY b.offset");
        if (!st)
            return st.error();
        sqlite3_bind_blob(*st, 1, pack.data(), PackId::Size, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            BlobLocation loc;
            loc.pack = pack;
            loc.type = BlobType(sqlite3_column_int(*st, 1));
            loc.offset = uint32_t(sqlite3_column_int64(*st, 2));
            loc.length = uint32_t(sqlite3_column_int64(*st, 3));
            loc.rawLength = uint32_t(sqlite3_column_int64(*st, 4));
            blobs.emplace_back(columnId<ChunkId>(*st, 0), loc);
        }
        sqlite3_finalize(*st);
        if (rc != SQLITE_DONE)
            return sqlError("index list blobs");
    }
    for (const auto &[id, loc] : blobs)
        visit(id, loc);
    return {};
}

Status SqliteIndex::removePack(const PackId &pack)
{
    std::lock_guard lock(m_mutex);
    endReadLocked();
    CAIRN_TRY(exec("BEGIN IMMEDIATE"));
    auto st = prepare("DELETE FROM blobs WHERE pack = (SELECT rowid FROM packs WHERE id = ?1)");
    auto st2 = prepare("DELETE FROM packs WHERE id = ?1");
    bool ok = st && st2;
    for (auto *s : {&st, &st2}) {
        if (*s) {
            sqlite3_bind_blob(**s, 1, pack.data(), PackId::Size, SQLITE_STATIC);
            ok = ok && sqlite3_step(**s) == SQLITE_DONE;
            sqlite3_finalize(**s);
        }
    }
    if (!ok) {
        Error e = sqlError("index remove pack");
        exec("ROLLBACK").ok();
        return e;
    }
    return exec("COMMIT");
}

Result<qint64> SqliteIndex::blobCount()
{
    std::lock_guard lock(m_mutex);
    endReadLocked();
    auto st = prepare("SELECT count(*) FROM blobs");
    if (!st)
        return st.error();
    const bool ok = sqlite3_step(*st) == SQLITE_ROW;
    const qint64 n = ok ? sqlite3_column_int64(*st, 0) : 0;
    sqlite3_finalize(*st);
    if (!ok)
        return sqlError("index count");
    return n;
}

} // namespace cairn
