// GcService and collectTenants (see GcService.h). collectTenants runs on the caller's thread;
// GcService on the thread that owns it.
#include "ops/GcService.h"

#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cairn::server {

namespace {

Q_LOGGING_CATEGORY(lcGcService, "cairn.gc")

class LockFile {
public:
    ~LockFile()
    {
        if (m_fd >= 0)
            ::close(m_fd); // releases the flock
    }
    Status take(const QString &path)
    {
        m_fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (m_fd < 0)
            return Error(ErrorCode::Io, QStringLiteral("open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0)
            return Error(errno == EWOULDBLOCK ? ErrorCode::Transient : ErrorCode::Io,
                errno == EWOULDBLOCK ? QStringLiteral("another garbage collection is running (%1 is locked)").arg(path)
                                     : QStringLiteral("lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
        return {};
    }

private:
    int m_fd = -1;
};

QJsonObject statsJson(const GcStats &s)
{
    return QJsonObject{{QStringLiteral("snapshots"), s.snapshots}, {QStringLiteral("trees"), s.trees},
        {QStringLiteral("live_chunks"), s.liveChunks}, {QStringLiteral("packs_scanned"), s.packsScanned},
        {QStringLiteral("packs_condemned"), s.packsCondemned}, {QStringLiteral("bytes_condemned"), s.bytesCondemned},
        {QStringLiteral("packs_repacked"), s.packsRepacked}, {QStringLiteral("packs_written"), s.packsWritten},
        {QStringLiteral("bytes_repacked_in"), s.bytesRepackedIn}, {QStringLiteral("bytes_repacked_out"), s.bytesRepackedOut},
        {QStringLiteral("packs_deleted"), s.packsDeleted}, {QStringLiteral("bytes_deleted"), s.bytesDeleted},
        {QStringLiteral("packs_resurrected"), s.packsResurrected}, {QStringLiteral("packs_waiting"), s.packsWaiting},
        {QStringLiteral("mark_bytes"), s.liveSetBytes}};
}

} // namespace

Status collectTenants(Catalog &catalog, PackStore &store, TenantKeyring &keyring, const QString &lockPath,
    const std::function<QDateTime()> &now, const GcSettings &settings, std::optional<qint64> onlyTenant,
    const std::function<void(const Tenant &, const Result<GcStats> &)> &report)
{
    LockFile lock;
    CAIRN_TRY(lock.take(lockPath));
    QList<Tenant> tenants;
    if (onlyTenant) {
        auto t = catalog.tenant(*onlyTenant);
        if (!t)
            return t.error();
        tenants.append(*t);
    } else {
        auto all = catalog.tenants();
        if (!all)
            return all.error();
        tenants = *all;
    }
    GarbageCollector collector(catalog, store, keyring, now, settings);
    for (const Tenant &t : tenants) {
        Result<GcStats> stats = collector.collect(t.id);
        AuditEntry e;
        e.at = now();
        e.tenantId = t.id;
        e.object = QStringLiteral("tenant:%1").arg(t.id);
        e.peer = QStringLiteral("server");
        if (stats) {
            e.action = QStringLiteral("gc.finished");
            e.detail = statsJson(*stats);
        } else {
            e.action = QStringLiteral("gc.failed");
            e.detail = QJsonObject{{QStringLiteral("error"), stats.error().message}};
        }
        if (Status s = catalog.addAudit(e); !s.ok())
            qCWarning(lcGcService, "audit of the collection of tenant %lld: %s", t.id, qPrintable(s.error().message));
        if (report)
            report(t, stats);
    }
    return {};
}

GcService::GcService(Catalog &catalog, PackStore &store, TenantKeyring &keyring, QString lockPath,
    std::function<QDateTime()> now, GcServiceSettings settings, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_store(store), m_keyring(keyring), m_lockPath(std::move(lockPath)),
      m_now(std::move(now)), m_settings(settings)
{
    m_timer.setParent(this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        runOnce();
        m_timer.start(int(std::min<qint64>(m_settings.intervalSeconds, 24 * 24 * 3600) * 1000));
    });
}

void GcService::start()
{
    if (m_settings.intervalSeconds <= 0)
        return;
    m_timer.start(int(std::clamp<qint64>(m_settings.firstDelaySeconds, 0, 24 * 3600) * 1000));
}

void GcService::stop()
{
    m_timer.stop();
}

void GcService::runOnce()
{
    Status s = collectTenants(m_catalog, m_store, m_keyring, m_lockPath, m_now, m_settings.gc, std::nullopt,
        [](const Tenant &t, const Result<GcStats> &stats) {
            if (stats)
                qCInfo(lcGcService, "garbage collection of tenant %s: %s", qPrintable(t.name), qPrintable(describe(*stats)));
            else
                qCWarning(lcGcService, "garbage collection of tenant %s failed: %s", qPrintable(t.name),
                    qPrintable(stats.error().message));
        });
    if (!s.ok())
        qCWarning(lcGcService, "garbage collection: %s", qPrintable(s.error().message));
}

} // namespace cairn::server
