// TenantDirectory: the operator views' cache of names — every tenant (GET /tenants) and, per
// tenant, its servers (GET /servers?tenant=) — so that tables of ticket ids, tenant ids and
// server ids can show names, and the ticket view can offer the tenant's servers as restore
// targets. Fetches asynchronously when asked or when an unknown id is looked up; `changed` says
// that names arrived. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QSet>

namespace cairn::console {

class TenantDirectory : public QObject {
    Q_OBJECT
public:
    explicit TenantDirectory(ApiClient *api, QObject *parent = nullptr);

    void refreshTenants();
    void refreshServers(qint64 tenant);

    // The name, or "#ID" (and a fetch) while it is not known.
    QString tenantName(qint64 tenant);
    QString serverName(qint64 tenant, qint64 server);
    // The tenant's servers as the API lists them (empty until fetched).
    QJsonArray servers(qint64 tenant) const { return m_servers.value(tenant); }
    bool hasServers(qint64 tenant) const { return m_servers.contains(tenant); }
    QJsonArray tenants() const { return m_tenantList; }

signals:
    void changed();

private:
    ApiClient *m_api;
    QHash<qint64, QString> m_tenantNames;
    QJsonArray m_tenantList;
    QHash<qint64, QJsonArray> m_servers;
    QSet<qint64> m_fetchingServers;
    bool m_fetchingTenants = false;
};

} // namespace cairn::console
