#include "store/PackStore.h"

#include "backend/LocalBackend.h"

#include <QDir>
#include <QStorageInfo>

#include <algorithm>

namespace cairn::server {

Result<Backend *> LocalPackStore::tenant(qint64 tenantId)
{
    if (tenantId <= 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid tenant id %1").arg(tenantId));
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_tenants.find(tenantId);
    if (it != m_tenants.end())
        return it->second.get();
    const QString path = QDir(m_dir).filePath(QStringLiteral("tenant-%1").arg(tenantId));
    auto opened = LocalBackend::open(path);
    if (!opened && opened.error().code == ErrorCode::NotFound)
        opened = LocalBackend::create(path);
    if (!opened)
        return opened.error().wrapped(QStringLiteral("pack store of tenant %1").arg(tenantId));
    Backend *backend = opened->get();
    m_tenants.emplace(tenantId, std::move(opened).value());
    return backend;
}

Result<std::pair<qint64, qint64>> LocalPackStore::capacity()
{
    QStorageInfo info(m_dir);
    if (!info.isValid())
        return Error(ErrorCode::Io, QStringLiteral("cannot read the capacity of %1").arg(m_dir));
    // As df counts it: what is used plus what is still available to the server. Blocks the file
    // system reserves are neither, so a reservation does not make the store look full.
    const qint64 used = std::max<qint64>(0, info.bytesTotal() - info.bytesFree());
    return std::make_pair(info.bytesAvailable(), used + info.bytesAvailable());
}

Status LocalPackStore::removeStaleTemporaries()
{
    const QStringList tenants = QDir(m_dir).entryList({QStringLiteral("tenant-*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : tenants) {
        bool ok = false;
        const qint64 id = name.mid(7).toLongLong(&ok);
        if (!ok)
            continue;
        auto backend = tenant(id);
        if (!backend)
            return backend.error();
        CAIRN_TRY(static_cast<LocalBackend *>(*backend)->removeStaleTemporaries());
    }
    return Status::success();
}

} // namespace cairn::server
