// GarbageCollector: frees the space of data no snapshot needs any more, per tenant, without ever
// breaking a backup that runs at the same time. One collection (collect()):
//
// 1. Decide which packs condemned by earlier collections may go now: condemned at least `grace`
//    ago, and no job of the tenant (backup or restore) still running that started before
//    condemnation + 10 minutes (such a job works from an index cache that may predate the
//    condemnation: a backup may deduplicate against the packs, a restore read from them). Decided before the mark, so every snapshot of those backups is in the mark.
// 2. Mark: walk every snapshot's trees (the tenant's keys open the tree blobs; data blobs are never
//    opened) and collect the live tree ids (exactly) and data chunk ids (as 64-bit prefixes: a
//    collision only keeps a dead blob). A tree that cannot be read stops the collection of that
//    tenant before anything changes.
// 3. Condemned packs from step 1: one that holds a blob the mark found live is put back into the
//    index (a backup referenced it after all); the others become tombstones in the catalog (only
//    if still condemned), then their files are deleted.
// 4. Sweep the live packs created before now − grace (and before the earliest running job
//    − 10 min, which protects the uploads of running backups that no snapshot refers to yet):
//    a pack with no live blob is condemned; a pack with at least `repackThreshold` of its bytes
//    dead is repacked — its live sealed blobs are copied as they are (never decrypted) into new
//    packs of the tenant's pack size, which replace the sources in the index in one transaction.
//
// 5. Snapshots committed while the collection ran (not in its mark) keep what they refer to: a
//    condemned pack holding one of their blobs goes back into the index (as a snapshot commit
//    does itself, KeepReferenced.h).
// 6. Files of tombstoned packs still on disk (an interrupted deletion) are removed.
//
// Condemning takes a pack out of the index and the index feed tells agents to drop it, so new
// backups upload such data again instead of referring to it. Space is freed by the first
// collection after the grace period. Memory: ~8–16 bytes per live data chunk and ~100 per live
// tree, plus one pack being repacked.
//
// Thread: the caller's (the server's collector thread, or `cairn-server gc`); one collection at a
// time per data folder (the callers hold DATA/gc.lock).
#pragma once

#include "api/TenantKeyring.h"
#include "catalog/Catalog.h"
#include "store/PackStore.h"

#include <QDateTime>
#include <QStringList>

#include <functional>
#include <vector>

namespace cairn::server {

struct GcSettings {
    qint64 graceSeconds = 6 * 3600;  // gc/grace_seconds
    double repackThreshold = 0.30;   // dead share of a pack's bytes that makes it worth repacking
    qint64 runningBackupMarginSeconds = 600;
};

struct GcStats {
    qint64 snapshots = 0, trees = 0, liveChunks = 0;
    qint64 packsScanned = 0, packsCondemned = 0, packsRepacked = 0, packsWritten = 0;
    qint64 packsDeleted = 0, packsResurrected = 0, packsWaiting = 0;
    qint64 bytesDeleted = 0;       // pack files removed from the store
    qint64 bytesCondemned = 0;     // packs condemned by this collection (freed by a later one)
    qint64 bytesRepackedIn = 0, bytesRepackedOut = 0;
    qint64 liveSetBytes = 0;       // memory of the mark
};

// The live data chunk ids of a mark, as sorted unique 64-bit prefixes.
class LiveChunkSet {
public:
    void add(const ChunkId &id);
    void finish(); // sort and deduplicate; after this, contains() may be used
    bool contains(const ChunkId &id) const;
    qint64 size() const { return qint64(m_ids.size()); }
    qint64 memoryBytes() const { return qint64(m_ids.capacity() * sizeof(uint64_t)); }

private:
    static uint64_t key(const ChunkId &id);
    void compact();
    std::vector<uint64_t> m_ids;
    size_t m_sorted = 0; // length of the sorted unique prefix
};

class GarbageCollector {
public:
    GarbageCollector(Catalog &catalog, PackStore &store, TenantKeyring &keyring, std::function<QDateTime()> now,
        GcSettings settings);

    // Collects one tenant. Errors stop that tenant's collection; what was done stays consistent.
    Result<GcStats> collect(qint64 tenantId);

private:
    struct Mark;
    Status mark(qint64 tenantId, const BlobCodec &codec, Backend &backend, Mark &mark, GcStats &stats);
    Status settleCondemned(qint64 tenantId, const QList<GcPackBlobs> &eligible, const Mark &mark, Backend &backend,
        GcStats &stats);
    Status sweep(qint64 tenantId, const TenantKeys &keys, Backend &backend, const QDateTime &createdBefore,
        const Mark &mark, GcStats &stats);
    Status keepNewSnapshots(qint64 tenantId, const BlobCodec &codec, Backend &backend, qint64 afterRow, GcStats &stats);
    Status removeLeftoverFiles(qint64 tenantId, Backend &backend);

    Catalog &m_catalog;
    PackStore &m_store;
    TenantKeyring &m_keyring;
    std::function<QDateTime()> m_now;
    GcSettings m_settings;
};

// A line for logs and the audit detail.
QString describe(const GcStats &stats);

} // namespace cairn::server
