// The pack store: where tenants' packs and snapshot records live. Each tenant's store is an
// engine Backend (agentcore/backend/Backend.h), so every store implementation passes the same
// backend conformance suite. LocalPackStore keeps one LocalBackend folder per tenant under the
// server's data folder; an S3-compatible store would implement the same interface.
// Thread-safe: the API calls it from its worker threads.
#pragma once

#include "backend/Backend.h"
#include "base/Result.h"

#include <QString>

#include <map>
#include <memory>
#include <mutex>

namespace cairn::server {

class PackStore {
public:
    virtual ~PackStore() = default;
    virtual QString location() const = 0;
    // The tenant's backend, created on first use. Valid as long as the store.
    virtual Result<Backend *> tenant(qint64 tenantId) = 0;
    // Free and total bytes of the storage (service health): free is what the store may still
    // write, total is that plus what is used (file-system reservations count as neither).
    virtual Result<std::pair<qint64, qint64>> capacity() = 0;
    // Removes what interrupted uploads left behind (never a complete, named file).
    virtual Status removeStaleTemporaries() = 0;
};

class LocalPackStore final : public PackStore {
public:
    explicit LocalPackStore(const QString &dir) : m_dir(dir) {}
    QString location() const override { return m_dir; }
    Result<Backend *> tenant(qint64 tenantId) override;
    Result<std::pair<qint64, qint64>> capacity() override;
    Status removeStaleTemporaries() override;

private:
    QString m_dir;
    std::mutex m_mutex;
    std::map<qint64, std::unique_ptr<Backend>> m_tenants;
};

} // namespace cairn::server
