// RemoteBackend: the backend contract (backend/Backend.h) over the cairn-server agent API. The
// server keeps each tenant's packs and snapshot records; it verifies what it is given and never
// lets an agent delete or overwrite, so this backend is append-only and content-addressed:
//  - save(Pack|Snapshot) uploads (PUT); the name must be the SHA-256 of the bytes, which the
//    server checks (a mismatch is Corrupt). Saving the same bytes again succeeds. A snapshot is
//    accepted only once the packs holding its root tree are stored.
//  - save(Key|Config) and remove() are PermissionDenied: the server owns the keys and the
//    config, and agents can never delete (ransomware resistance).
//  - load() asks for exactly the range it needs (Range: bytes=a-b) and checks the byte count;
//    a range past the end is Permanent "short file". load(Config) is the tenant's repository
//    config; there are no key files (load(Key) is NotFound, list(Key) visits nothing).
//  - stat() reads one byte's Content-Range, never the whole file.
//  - list(Pack|Snapshot) pages through the server's listings.
// Transient failures are retried inside (see ServerConnection). Thread-safe.
#pragma once

#include "backend/Backend.h"
#include "remote/ServerConnection.h"

#include <memory>

namespace cairn {

class RemoteBackend final : public Backend {
public:
    explicit RemoteBackend(std::shared_ptr<ServerConnection> connection);

    ServerConnection &connection() { return *m_connection; }

    QString location() const override;
    Status save(const Handle &h, const QByteArray &data) override;
    Result<QByteArray> load(const Handle &h, qint64 offset = 0, qint64 length = -1) override;
    Result<FileInfo> stat(const Handle &h) override;
    Status list(FileType type, const std::function<void(const FileInfo &)> &visit) override;
    Status remove(const Handle &h) override;

private:
    Result<QByteArray> loadConfig();
    Status listPacks(const std::function<void(const FileInfo &)> &visit);
    Status listSnapshots(const std::function<void(const FileInfo &)> &visit);

    std::shared_ptr<ServerConnection> m_connection;
};

// "bytes a-b/size" → {a, b, size}; "bytes */size" → {-1, -1, size}. Nullopt if malformed.
struct ContentRange {
    qint64 first = -1, last = -1, size = -1;
};
std::optional<ContentRange> parseContentRange(const QByteArray &value);

} // namespace cairn
