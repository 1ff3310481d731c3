#include "api/TenantKeyring.h"

namespace cairn::server {

Result<std::shared_ptr<const TenantKeys>> TenantKeyring::keys(qint64 tenantId)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_cache.find(tenantId);
        if (it != m_cache.end())
            return it->second;
    }
    auto tenant = m_catalog.tenant(tenantId);
    if (!tenant)
        return tenant.error();
    auto keys = unwrapKeySet(tenant->wrappedKeys, m_master);
    if (!keys)
        return keys.error().wrapped(QStringLiteral("keys of tenant %1").arg(tenantId));
    auto config = RepositoryConfig::fromJson(tenant->repositoryConfig);
    if (!config)
        return config.error().wrapped(QStringLiteral("repository config of tenant %1").arg(tenantId));
    auto entry = std::make_shared<TenantKeys>();
    entry->keys = *keys;
    keys->wipe();
    entry->config = *config;
    entry->codec = std::make_unique<BlobCodec>(entry->keys, entry->config.compressionLevel);
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_cache.emplace(tenantId, std::move(entry)).first->second;
}

void TenantKeyring::prepareNewTenant(Tenant &tenant) const
{
    KeySet keys = KeySet::generate();
    tenant.wrappedKeys = wrapKeySet(keys, m_master);
    keys.wipe();
    RepositoryConfig config;
    config.id = QString::fromLatin1(crypto::randomBytes(16).toHex());
    tenant.repositoryConfig = config.toJson();
}

} // namespace cairn::server
