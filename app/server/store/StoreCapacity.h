// Store capacity: how full the pack store is and what that means for new backups.
//   used < 80 %        ok
//   80 % <= used < 95 % warning: operators are warned (GET /api/v1/operator/capacity, the health
//                       view, an audit entry `store.capacity` when the level changes, a WARN log line)
//   used >= 95 %       full: new backups are refused (HTTP 507, error "store_full"): an agent
//                       registering a backup job (POST /agent/jobs), starting one (its first
//                       progress report), and uploading packs while it has no backup running.
//                       Backups already running finish (their packs and snapshot commits are
//                       accepted), restores, downloads and everything else keep working.
// The level an operator was last told about is kept in the catalog (setting "store.capacity"), so
// a restart does not repeat the audit entry. The test setting testing/capacity_file replaces the
// store's real numbers (CapacityOverrideStore). Thread-safe; any thread.
#pragma once

#include "catalog/Catalog.h"
#include "store/PackStore.h"

#include <QJsonObject>

namespace cairn::server {

struct StoreCapacity {
    enum class Level { Ok, Warning, Full };
    static constexpr int kWarnPercent = 80;
    static constexpr int kFullPercent = 95;

    qint64 usedBytes = 0;
    qint64 totalBytes = 0;
    Level level = Level::Ok;

    // Used share in whole percent, rounded down (0 for an empty or unknown total).
    int usedPercent() const;
    QJsonObject toJson() const; // {"used_bytes","total_bytes","free_bytes","used_percent","level",
                                //  "warn_percent","refuse_percent"}
    // The message new backups are refused with.
    QString refusal() const;

    static StoreCapacity of(qint64 freeBytes, qint64 totalBytes);
};
const char *capacityLevelName(StoreCapacity::Level level); // "ok", "warning", "full"

// Reads the store's capacity and, when the level differs from the one last recorded, records the
// new one (audit `store.capacity` with the figures, a WARN line on stderr for warning and full).
Result<StoreCapacity> checkStoreCapacity(PackStore &store, Catalog &catalog, const QDateTime &now);

// The refusal message for a new backup when the store is full (checkStoreCapacity() at `now`), or
// nullopt when backups may go ahead (also when the capacity cannot be read: a broken statfs must
// not stop backups).
std::optional<QString> newBackupRefusal(PackStore &store, Catalog &catalog, const QDateTime &now);

// A PackStore whose capacity() comes from a file holding "USED TOTAL" (bytes, decimal) instead of
// the file system; everything else is the wrapped store's. For tests (testing/capacity_file);
// an unreadable file gives the real numbers.
class CapacityOverrideStore final : public PackStore {
public:
    CapacityOverrideStore(PackStore &inner, QString file) : m_inner(inner), m_file(std::move(file)) { }
    QString location() const override { return m_inner.location(); }
    Result<Backend *> tenant(qint64 tenantId) override { return m_inner.tenant(tenantId); }
    Result<std::pair<qint64, qint64>> capacity() override;
    Status removeStaleTemporaries() override { return m_inner.removeStaleTemporaries(); }

private:
    PackStore &m_inner;
    QString m_file;
};

} // namespace cairn::server
