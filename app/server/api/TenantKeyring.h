// Unwrapped tenant keys, cached. A tenant's KeySet is stored in the catalog wrapped by the server
// master key; the server needs it to read pack headers (to index uploads), snapshot records and
// trees (for browsing), and hands it to the tenant's agents at enrollment. Thread-safe.
#pragma once

#include "base/Result.h"
#include "catalog/Catalog.h"
#include "crypto/Crypto.h"
#include "repository/Blob.h"
#include "repository/Keys.h"
#include "repository/Repository.h"

#include <map>
#include <memory>
#include <mutex>

namespace cairn::server {

struct TenantKeys {
    KeySet keys;
    RepositoryConfig config;
    std::unique_ptr<BlobCodec> codec;
    ~TenantKeys() { keys.wipe(); }
};

class TenantKeyring {
public:
    TenantKeyring(Catalog &catalog, const crypto::Key256 &masterKey) : m_catalog(catalog), m_master(masterKey) {}
    ~TenantKeyring() { crypto::secureZero(m_master.data(), m_master.size()); }

    Result<std::shared_ptr<const TenantKeys>> keys(qint64 tenantId);
    // A new tenant's wrapped key set and repository config (chunker and compression defaults).
    void prepareNewTenant(Tenant &tenant) const;

private:
    Catalog &m_catalog;
    crypto::Key256 m_master;
    std::mutex m_mutex;
    std::map<qint64, std::shared_ptr<const TenantKeys>> m_cache;
};

} // namespace cairn::server
