// Store capacity levels and their recording (see StoreCapacity.h). Any thread.
#include "store/StoreCapacity.h"

#include <QFile>

#include <cstdio>
#include <mutex>

namespace cairn::server {

namespace {

const QString kLevelSetting = QStringLiteral("store.capacity");

} // namespace

const char *capacityLevelName(StoreCapacity::Level level)
{
    switch (level) {
    case StoreCapacity::Level::Ok: return "ok";
    case StoreCapacity::Level::Warning: return "warning";
    case StoreCapacity::Level::Full: return "full";
    }
    return "ok";
}

int StoreCapacity::usedPercent() const
{
    if (totalBytes <= 0)
        return 0;
    // used/total < 2^63 / 100 is not guaranteed: divide first when the figures are huge.
    if (usedBytes > std::numeric_limits<qint64>::max() / 100)
        return int(usedBytes / (totalBytes / 100 > 0 ? totalBytes / 100 : 1));
    return int(usedBytes * 100 / totalBytes);
}

StoreCapacity StoreCapacity::of(qint64 freeBytes, qint64 totalBytes)
{
    StoreCapacity c;
    c.totalBytes = std::max<qint64>(0, totalBytes);
    c.usedBytes = std::clamp<qint64>(totalBytes - freeBytes, 0, c.totalBytes);
    const int percent = c.usedPercent();
    c.level = percent >= kFullPercent ? Level::Full : percent >= kWarnPercent ? Level::Warning : Level::Ok;
    return c;
}

QJsonObject StoreCapacity::toJson() const
{
    return QJsonObject {{QStringLiteral("used_bytes"), usedBytes}, {QStringLiteral("total_bytes"), totalBytes},
        {QStringLiteral("free_bytes"), totalBytes - usedBytes}, {QStringLiteral("used_percent"), usedPercent()},
        {QStringLiteral("level"), QLatin1String(capacityLevelName(level))},
        {QStringLiteral("warn_percent"), kWarnPercent}, {QStringLiteral("refuse_percent"), kFullPercent}};
}

QString StoreCapacity::refusal() const
{
    return QStringLiteral("the backup store is %1% full; new backups are refused until space is freed (limit %2%)")
        .arg(usedPercent())
        .arg(kFullPercent);
}

Result<StoreCapacity> checkStoreCapacity(PackStore &store, Catalog &catalog, const QDateTime &now)
{
    auto raw = store.capacity();
    if (!raw)
        return raw.error();
    const StoreCapacity c = StoreCapacity::of(raw->first, raw->second);
    const QString level = QLatin1String(capacityLevelName(c.level));

    // One recorder at a time, so that a change is announced once.
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    auto last = catalog.setting(kLevelSetting);
    QString lastLevel = QStringLiteral("ok");
    if (last)
        lastLevel = last->value.value(QStringLiteral("level")).toString();
    else if (last.error().code != ErrorCode::NotFound)
        return last.error();
    if (lastLevel == level)
        return c;

    OperatorSetting s;
    s.name = kLevelSetting;
    s.value = c.toJson();
    s.changedBy = QStringLiteral("server");
    s.changedAt = now;
    CAIRN_TRY(catalog.setSetting(s));
    AuditEntry e;
    e.at = now;
    e.action = QStringLiteral("store.capacity");
    e.object = QStringLiteral("store");
    e.detail = c.toJson();
    e.detail.insert(QStringLiteral("previous_level"), lastLevel);
    e.peer = QStringLiteral("server");
    CAIRN_TRY(catalog.addAudit(e));
    if (c.level != StoreCapacity::Level::Ok)
        std::fprintf(stderr, "cairn-server: WARN store capacity: %d%% used (%lld of %lld bytes): %s\n", c.usedPercent(),
            static_cast<long long>(c.usedBytes), static_cast<long long>(c.totalBytes),
            c.level == StoreCapacity::Level::Full ? "new backups are refused (limit 95%)"
                                                  : "the store is filling up (warning at 80%)");
    else
        std::fprintf(stderr, "cairn-server: store capacity back to normal: %d%% used\n", c.usedPercent());
    return c;
}

std::optional<QString> newBackupRefusal(PackStore &store, Catalog &catalog, const QDateTime &now)
{
    auto c = checkStoreCapacity(store, catalog, now);
    if (!c) {
        std::fprintf(stderr, "cairn-server: cannot check the store's capacity: %s\n", qPrintable(c.error().message));
        return std::nullopt;
    }
    if (c->level != StoreCapacity::Level::Full)
        return std::nullopt;
    return c->refusal();
}

Result<std::pair<qint64, qint64>> CapacityOverrideStore::capacity()
{
    QFile f(m_file);
    if (f.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> parts = f.read(256).simplified().split(' ');
        bool okUsed = false, okTotal = false;
        const qint64 used = parts.value(0).toLongLong(&okUsed);
        const qint64 total = parts.value(1).toLongLong(&okTotal);
        if (parts.size() == 2 && okUsed && okTotal && used >= 0 && total > 0 && used <= total)
            return std::make_pair(total - used, total);
    }
    return m_inner.capacity();
}

} // namespace cairn::server
