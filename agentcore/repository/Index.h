// The index: where each blob lives (chunk id → pack, offset, length). Narrow interface owned by
// the repository; implementations: SqliteIndex (a local file, or ":memory:" for tests) and,
// through the server, the catalog's per-tenant chunk index. Lookups never require the whole index
// in memory. Implementations are safe to call from several threads.
#pragma once

#include "base/Id.h"
#include "base/Result.h"
#include "repository/Pack.h"

#include <functional>
#include <optional>
#include <vector>

namespace cairn {

struct BlobLocation {
    PackId pack;
    BlobType type = BlobType::Data;
    uint32_t offset = 0, length = 0, rawLength = 0;
};

class Index {
public:
    virtual ~Index() = default;
    virtual Result<std::optional<BlobLocation>> lookup(const ChunkId &id) = 0;
    // Records a pack and its blobs in one transaction. A blob already indexed keeps its location.
    virtual Status addPack(const PackId &pack, qint64 packSize, const std::vector<PackEntry> &entries) = 0;
    virtual Result<std::optional<qint64>> packSize(const PackId &pack) = 0;
    virtual Status forEachPack(const std::function<void(const PackId &, qint64 size)> &visit) = 0;
    virtual Status forEachBlobInPack(const PackId &pack, const std::function<void(const ChunkId &, const BlobLocation &)> &visit) = 0;
    virtual Status removePack(const PackId &pack) = 0;
    virtual Result<qint64> blobCount() = 0;
    // The end of a run of lookups: an index that keeps a read snapshot between lookups
    // (SqliteIndex) lets it go, so that it does not hold back other connections' checkpoints
    // while the caller does something else for a long time.
    virtual void releaseReads() {}
};

} // namespace cairn
