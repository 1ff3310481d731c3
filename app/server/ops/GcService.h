// Running garbage collection (GarbageCollector.h) over the tenants of a data folder: collectTenants()
// takes DATA/gc.lock (one collection at a time, whether the server's collector thread or
// `cairn-server gc` runs it), collects each tenant and writes an audit entry per tenant
// (`gc.finished` with the figures, or `gc.failed` with the reason). GcService calls it on its own
// thread every gc/interval_seconds (first 15 minutes after start; 0 turns it off).
#pragma once

#include "ops/GarbageCollector.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace cairn::server {

struct GcServiceSettings {
    qint64 intervalSeconds = 86400;  // gc/interval_seconds; 0: never
    qint64 firstDelaySeconds = 900;  // gc/first_delay_seconds
    GcSettings gc;
};

// Collects every tenant, or only `onlyTenant`. `report` sees each tenant's outcome. Transient if
// another collection holds the lock; NotFound if `onlyTenant` does not exist.
Status collectTenants(Catalog &catalog, PackStore &store, TenantKeyring &keyring, const QString &lockPath,
    const std::function<QDateTime()> &now, const GcSettings &settings, std::optional<qint64> onlyTenant,
    const std::function<void(const Tenant &, const Result<GcStats> &)> &report);

class GcService : public QObject {
    Q_OBJECT
public:
    GcService(Catalog &catalog, PackStore &store, TenantKeyring &keyring, QString lockPath,
        std::function<QDateTime()> now, GcServiceSettings settings, QObject *parent = nullptr);
    void start(); // on the object's thread
    void stop();
    void runOnce();

private:
    Catalog &m_catalog;
    PackStore &m_store;
    TenantKeyring &m_keyring;
    QString m_lockPath;
    std::function<QDateTime()> m_now;
    GcServiceSettings m_settings;
    QTimer m_timer;
};

} // namespace cairn::server
