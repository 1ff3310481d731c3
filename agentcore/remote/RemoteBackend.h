// RemoteBackend: the backend contract (backend/Backend.h) over the cairn-server agent API. The
// server keeps each tenant's packs and snapshot records; it verifies what it is given and never
// lets an agent delete or overwrite, so this backend is append-only and content-addressed:
//  - save(Pack|Snapshot) uploads (PUT); the name must be the SHA-256 of the bytes, which the
//    server checks (a mismatch is Corrupt). Saving the same bytes again succeeds. A snapshot is
//    accepted only once the packs holding its root tree are stored.
//  - save(Key|Config) and remove() are PermissionDenied: the server owns the keys and the
//    config, and agents can never delete (ransomware resistance).
//  - load() asks for exactly the range it needs (Range: bytes=a-b) and checks the byte count;
//    a range past the end is Permanent "short file". With a pack spool (enablePackSpool) a
//    partial read of a pack is served from a local copy of the whole pack instead, fetched once
//    (see PackSpool.h): restores read many small pieces of the same packs out of pack order. load(Config) is the tenant's repository
//    config; there are no key files (load(Key) is NotFound, list(Key) visits nothing).
//  - stat() reads one byte's Content-Range, never the whole file.
//  - list(Pack|Snapshot) pages through the server's listings.
// Transient failures are retried inside (see ServerConnection). Thread-safe.
#pragma once

#include "backend/Backend.h"
#include "remote/PackSpool.h"
#include "remote/ServerConnection.h"

#include <atomic>
#include <memory>

namespace cairn {

class RemoteBackend final : public Backend {
public:
    explicit RemoteBackend(std::shared_ptr<ServerConnection> connection);

    ServerConnection &connection() { return *m_connection; }

    // What this backend has uploaded so far: packs and snapshot records the server accepted
    // (new or already stored) and their bytes. Any thread.
    struct UploadCounters {
        qint64 files = 0, bytes = 0;
    };
    // Snapshot records saved from now on are committed as the result of this server job
    // (PUT …/snapshots/ID?job=JOB), which links the snapshot to the job in the console. 0: none.
    void setSnapshotJob(qint64 jobId) { m_snapshotJob = jobId; }
    // Partial pack reads go through a spool of whole packs in parent/packs-<pid> of at most
    // `maxBytes` (see PackSpool.h). Call before the backend is shared between threads.
    void enablePackSpool(const QString &parent, qint64 maxBytes);
    UploadCounters uploaded() const { return {m_uploadedFiles.load(), m_uploadedBytes.load()}; }

    QString location() const override;
    Status save(const Handle &h, const QByteArray &data) override;
    Result<QByteArray> load(const Handle &h, qint64 offset = 0, qint64 length = -1) override;
    Result<FileInfo> stat(const Handle &h) override;
    Status list(FileType type, const std::function<void(const FileInfo &)> &visit) override;
    Status remove(const Handle &h) override;
    void prefetch(const Handle &h) override; // with a pack spool: downloads the pack in the background

private:
    // GET of [offset, offset + length) (length < 0: to the end).
    Result<QByteArray> fetch(const Handle &h, qint64 offset, qint64 length);
    Result<QByteArray> loadConfig();
    Status listPacks(const std::function<void(const FileInfo &)> &visit);
    Status listSnapshots(const std::function<void(const FileInfo &)> &visit);

    std::shared_ptr<ServerConnection> m_connection;
    std::atomic<qint64> m_uploadedFiles {0}, m_uploadedBytes {0};
    std::atomic<qint64> m_snapshotJob {0};
    std::unique_ptr<PackSpool> m_spool;
};

// "bytes a-b/size" → {a, b, size}; "bytes */size" → {-1, -1, size}. Nullopt if malformed.
struct ContentRange {
    qint64 first = -1, last = -1, size = -1;
};
std::optional<ContentRange> parseContentRange(const QByteArray &value);

} // namespace cairn
