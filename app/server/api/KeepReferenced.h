// Keeping what a new snapshot refers to: between a garbage collection that condemns packs and the
// one that deletes them, a backup whose index cache predates the condemnation may commit a
// snapshot that refers to blobs in condemned packs. keepReferencedData() walks that snapshot's
// trees and puts every condemned pack holding one of its blobs back into the index, so the
// snapshot restores at once and no later collection deletes its data. Called when a snapshot is
// committed and by the collector for snapshots committed while it ran. Cheap when the tenant has
// no condemned pack (one query). Caller's thread.
#pragma once

#include "catalog/Catalog.h"
#include "repository/Blob.h"
#include "backend/Backend.h"

namespace cairn::server {

// The number of packs put back. Corrupt if a tree cannot be found or opened.
Result<int> keepReferencedData(Catalog &catalog, Backend &backend, const BlobCodec &codec, qint64 tenantId,
    const ChunkId &rootTree);

} // namespace cairn::server
