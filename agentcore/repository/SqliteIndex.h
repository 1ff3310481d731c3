// Index in an SQLite file (WAL). Locally it lives in the repository folder and is a cache: it can
// be rebuilt from the pack headers (Repository::open does so for packs it does not know). One
// connection guarded by a mutex; safe to share between threads.
//
// Lookups come in long runs (one per chunk of a backup or a restore), so they share read
// transactions: one is kept open for up to 256 lookups or 200 ms, and ended before any write.
// Without this every lookup paid SQLite's own transaction (WAL-index locks, fcntl calls) — most
// of the index's cost. A lookup never sees the file older than 200 ms.
#pragma once

#include "repository/Index.h"

#include <QString>

#include <chrono>
#include <memory>
#include <mutex>

struct sqlite3;
struct sqlite3_stmt;

namespace cairn {

class SqliteIndex final : public Index {
public:
    // path ":memory:" gives a private in-memory index.
    static Result<std::unique_ptr<SqliteIndex>> open(const QString &path);
    ~SqliteIndex() override;

    Result<std::optional<BlobLocation>> lookup(const ChunkId &id) override;
    Status addPack(const PackId &pack, qint64 packSize, const std::vector<PackEntry> &entries) override;
    Result<std::optional<qint64>> packSize(const PackId &pack) override;
    Status forEachPack(const std::function<void(const PackId &, qint64 size)> &visit) override;
    Status forEachBlobInPack(const PackId &pack, const std::function<void(const ChunkId &, const BlobLocation &)> &visit) override;
    Status removePack(const PackId &pack) override;
    Result<qint64> blobCount() override;
    void releaseReads() override;

private:
    SqliteIndex() = default;
    Status exec(const char *sql);
    Error sqlError(const char *what) const;
    Result<sqlite3_stmt *> prepare(const char *sql);
    // The shared read transaction (m_mutex held).
    Status beginReadLocked();
    void endReadLocked();
    void countReadLocked(bool failed);

    std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_lookup = nullptr;
    sqlite3_stmt *m_insertPack = nullptr;
    sqlite3_stmt *m_insertBlob = nullptr;
    sqlite3_stmt *m_packSize = nullptr;
    bool m_inRead = false;
    int m_readLookups = 0;
    std::chrono::steady_clock::time_point m_readSince;
};

} // namespace cairn
