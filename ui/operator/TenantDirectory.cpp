// TenantDirectory: tenant and server names for the operator views, fetched on demand. GUI thread.
#include "operator/TenantDirectory.h"

#include <QJsonObject>

namespace cairn::console {

TenantDirectory::TenantDirectory(ApiClient *api, QObject *parent) : QObject(parent), m_api(api) { }

void TenantDirectory::refreshTenants()
{
    if (m_fetchingTenants)
        return;
    m_fetchingTenants = true;
    m_api->get(QStringLiteral("/tenants"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                m_fetchingTenants = false;
                const QJsonObject o = body.toObject();
                m_tenantList
                    = o.contains(QLatin1String("items")) ? o.value(QLatin1String("items")).toArray() : body.toArray();
                for (const QJsonValue &v : m_tenantList) {
                    const QJsonObject t = v.toObject();
                    m_tenantNames.insert(
                        t.value(QLatin1String("id")).toInteger(), t.value(QLatin1String("name")).toString());
                }
                emit changed();
            },
            [this](const ApiError &) { m_fetchingTenants = false; });
}

void TenantDirectory::refreshServers(qint64 tenant)
{
    if (m_fetchingServers.contains(tenant))
        return;
    m_fetchingServers.insert(tenant);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("tenant"), QString::number(tenant));
    m_api->get(QStringLiteral("/servers"), q, ApiClient::Scope::Global)
        ->then(
            this,
            [this, tenant](const QJsonValue &body) {
                m_fetchingServers.remove(tenant);
                const QJsonObject o = body.toObject();
                m_servers.insert(tenant,
                    o.contains(QLatin1String("items")) ? o.value(QLatin1String("items")).toArray() : body.toArray());
                emit changed();
            },
            [this, tenant](const ApiError &) { m_fetchingServers.remove(tenant); });
}

QString TenantDirectory::tenantName(qint64 tenant)
{
    const auto it = m_tenantNames.constFind(tenant);
    if (it != m_tenantNames.constEnd())
        return *it;
    refreshTenants();
    return QStringLiteral("#%1").arg(tenant);
}

QString TenantDirectory::serverName(qint64 tenant, qint64 server)
{
    if (!m_servers.contains(tenant)) {
        refreshServers(tenant);
        return QStringLiteral("#%1").arg(server);
    }
    for (const QJsonValue &v : m_servers.value(tenant)) {
        const QJsonObject s = v.toObject();
        if (s.value(QLatin1String("id")).toInteger() == server)
            return s.value(QLatin1String("name")).toString();
    }
    return QStringLiteral("#%1").arg(server); // removed, or enrolled since the last fetch
}

} // namespace cairn::console
