// Keeping what a new snapshot refers to: between a garbage collection that condemns packs and the
// one that deletes them, a backup whose index cache predates the condemnation may commit a
// snapshot that refers to blobs in condemned packs. keepReferencedData() walks that snapshot's
// trees and puts every condemned pack holding one of its blobs back into the index, so the
// snapshot restores at once and no later collection deletes its data. Called when a snapshot is
// committed and by the collector for snapshots committed while it ran. Cheap when the tenant has
// no condemned pack (one query). Caller's thread.
#pragma once

#include "backend/Backend.h"
#include "catalog/Catalog.h"
#include "repository/Blob.h"
#include "repository/Tree.h"

namespace cairn::server {

// A tree blob read from the store, whether its pack is in the index or condemned. Corrupt if it
// is not found or does not open.
Result<Tree> loadTreeIncludingCondemned(Catalog &catalog, Backend &backend, const BlobCodec &codec, qint64 tenantId,
    const ChunkId &id);

// The number of packs put back. Corrupt if a tree cannot be found or opened.
Result<int> keepReferencedData(Catalog &catalog, Backend &backend, const BlobCodec &codec, qint64 tenantId,
    const ChunkId &rootTree);

} // namespace cairn::server
