// GarbageCollector (see GarbageCollector.h). Runs on the caller's thread.
#include "ops/GarbageCollector.h"

#include "api/KeepReferenced.h"

#include "repository/Pack.h"
#include "repository/Tree.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace cairn::server {

namespace {

Q_LOGGING_CATEGORY(lcGc, "cairn.gc")

constexpr int kCandidatePage = 100;

} // namespace

// --- LiveChunkSet

uint64_t LiveChunkSet::key(const ChunkId &id)
{
    uint64_t k = 0;
    std::memcpy(&k, id.data(), sizeof k); // chunk ids are HMAC outputs: any 8 bytes are uniform
    return k;
}

void LiveChunkSet::add(const ChunkId &id)
{
    // Before the vector would grow, fold the references added since the last compaction in, if
    // they are many: most of them repeat chunks already marked.
    if (m_ids.size() == m_ids.capacity() && m_ids.size() >= 1024 && m_ids.size() - m_sorted >= m_ids.size() / 4)
        compact();
    m_ids.push_back(key(id));
    // Keep duplicates from piling up: the same chunk is referenced by every snapshot that has it.
    if (m_ids.size() >= 1024 && m_ids.size() >= 2 * m_sorted)
        compact();
}

void LiveChunkSet::compact()
{
    std::sort(m_ids.begin() + qsizetype(m_sorted), m_ids.end());
    std::inplace_merge(m_ids.begin(), m_ids.begin() + qsizetype(m_sorted), m_ids.end());
    m_ids.erase(std::unique(m_ids.begin(), m_ids.end()), m_ids.end());
    m_sorted = m_ids.size();
}

void LiveChunkSet::finish()
{
    compact();
    m_ids.shrink_to_fit();
}

bool LiveChunkSet::contains(const ChunkId &id) const
{
    return std::binary_search(m_ids.begin(), m_ids.begin() + qsizetype(m_sorted), key(id));
}

// --- the collection

struct GarbageCollector::Mark {
    std::unordered_set<ChunkId, IdHash> trees;
    LiveChunkSet data;
    qint64 newestSnapshotRow = 0; // snapshots with a later row were committed after the mark began

    bool isLive(const PackEntry &e) const
    {
        return e.type == BlobType::Tree ? trees.count(e.id) > 0 : data.contains(e.id);
    }
};

GarbageCollector::GarbageCollector(Catalog &catalog, PackStore &store, TenantKeyring &keyring,
    std::function<QDateTime()> now, GcSettings settings)
    : m_catalog(catalog), m_store(store), m_keyring(keyring), m_now(std::move(now)), m_settings(settings)
{
}

Result<GcStats> GarbageCollector::collect(qint64 tenantId)
{
    GcStats stats;
    auto keys = m_keyring.keys(tenantId);
    if (!keys)
        return keys.error();
    auto backend = m_store.tenant(tenantId);
    if (!backend)
        return backend.error();
    const QDateTime started = m_now();
    const qint64 grace = std::max<qint64>(0, m_settings.graceSeconds);
    const qint64 margin = std::max<qint64>(0, m_settings.runningBackupMarginSeconds);

    // 1. Which condemned packs may go, decided before the mark (see the header).
    auto running = m_catalog.earliestRunningJob(tenantId);
    if (!running)
        return running.error();
    auto condemned = m_catalog.condemnedPacks(tenantId);
    if (!condemned)
        return condemned.error();
    QList<GcPackBlobs> eligible;
    for (const GcPackBlobs &c : *condemned) {
        const QDateTime since = *c.pack.condemnedAt;
        const bool aged = since.addSecs(grace) <= started;
        const bool noBackupFromBefore = !*running || **running >= since.addSecs(margin);
        if (aged && noBackupFromBefore)
            eligible.append(c);
        else
            ++stats.packsWaiting;
    }

    // 2. Mark.
    Mark live;
    CAIRN_TRY(mark(tenantId, *(*keys)->codec, **backend, live, stats));

    // 3. Resurrect or delete.
    CAIRN_TRY(settleCondemned(tenantId, eligible, live, **backend, stats));

    // 4. Sweep the packs old enough that no running backup may still be about to refer to them.
    QDateTime createdBefore = started.addSecs(-grace);
    if (*running)
        createdBefore = std::min(createdBefore, (*running)->addSecs(-margin));
    CAIRN_TRY(sweep(tenantId, **keys, **backend, createdBefore, live, stats));

    // 5. Snapshots committed while this collection ran were not in its mark: what they refer to
    //    and the sweep condemned goes back into the index at once.
    CAIRN_TRY(keepNewSnapshots(tenantId, *(*keys)->codec, **backend, live.newestSnapshotRow, stats));

    // 6. Files of tombstones left by an interrupted deletion.
    CAIRN_TRY(removeLeftoverFiles(tenantId, **backend));
    return stats;
}

Status GarbageCollector::mark(qint64 tenantId, const BlobCodec &codec, Backend &backend, Mark &mark, GcStats &stats)
{
    std::vector<ChunkId> stack;
    PageRequest page;
    page.limit = 500;
    for (;;) {
        auto snaps = m_catalog.snapshots(tenantId, std::nullopt, page);
        if (!snaps)
            return snaps.error();
        for (const SnapshotRecord &s : snaps->items) {
            ++stats.snapshots;
            mark.newestSnapshotRow = std::max(mark.newestSnapshotRow, s.rowId);
            if (mark.trees.insert(s.rootTree).second)
                stack.push_back(s.rootTree);
        }
        if (!snaps->next)
            break;
        page.beforeId = *snaps->next;
    }
    while (!stack.empty()) {
        const ChunkId id = stack.back();
        stack.pop_back();
        auto tree = loadTreeIncludingCondemned(m_catalog, backend, codec, tenantId, id);
        if (!tree)
            return tree.error().wrapped(QStringLiteral("marking the live data (nothing was collected)"));
        ++stats.trees;
        for (const Node &n : tree->nodes) {
            if (n.type == NodeType::Dir) {
                if (!n.subtree.isNull() && mark.trees.insert(n.subtree).second)
                    stack.push_back(n.subtree);
            } else {
                for (const ContentRef &c : n.content)
                    if (c.id != zeroChunkId())
                        mark.data.add(c.id);
            }
        }
    }
    mark.data.finish();
    stats.liveChunks = mark.data.size();
    stats.liveSetBytes = mark.data.memoryBytes() + qint64(mark.trees.size()) * 96;
    return {};
}

Status GarbageCollector::keepNewSnapshots(qint64 tenantId, const BlobCodec &codec, Backend &backend, qint64 afterRow,
    GcStats &stats)
{
    PageRequest page;
    page.limit = 100;
    for (;;) {
        auto snaps = m_catalog.snapshots(tenantId, std::nullopt, page);
        if (!snaps)
            return snaps.error();
        for (const SnapshotRecord &s : snaps->items) {
            if (s.rowId <= afterRow)
                return {};
            auto kept = keepReferencedData(m_catalog, backend, codec, tenantId, s.rootTree);
            if (!kept)
                return kept.error().wrapped(QStringLiteral("keep the data of snapshot %1").arg(s.id.shortHex()));
            stats.packsResurrected += *kept;
        }
        if (!snaps->next)
            return {};
        page.beforeId = *snaps->next;
    }
}

Status GarbageCollector::removeLeftoverFiles(qint64 tenantId, Backend &backend)
{
    std::vector<PackId> files;
    CAIRN_TRY(backend.list(FileType::Pack, [&](const FileInfo &f) {
        if (auto id = PackId::fromHex(f.name))
            files.push_back(*id);
    }));
    for (const PackId &id : files) {
        auto record = m_catalog.pack(tenantId, id);
        if (!record)
            return record.error();
        // Only tombstones: a file the catalog does not know may be an upload about to be indexed.
        if (*record && (*record)->deletedAt) {
            Status removed = backend.remove({FileType::Pack, id.toHex()});
            if (!removed.ok() && removed.error().code != ErrorCode::NotFound)
                return removed.error().wrapped(QStringLiteral("delete pack %1").arg(id.shortHex()));
            qCInfo(lcGc, "tenant %lld: removed the file of deleted pack %s", tenantId, qPrintable(id.shortHex()));
        }
    }
    return {};
}

Status GarbageCollector::settleCondemned(
    qint64 tenantId, const QList<GcPackBlobs> &eligible, const Mark &mark, Backend &backend, GcStats &stats)
{
    for (const GcPackBlobs &c : eligible) {
        const bool needed = std::any_of(c.blobs.begin(), c.blobs.end(), [&](const PackEntry &e) { return mark.isLive(e); });
        if (needed) {
            CAIRN_TRY(m_catalog.resurrectPack(tenantId, c.pack.id));
            ++stats.packsResurrected;
            qCInfo(lcGc, "tenant %lld: pack %s is needed again and was put back into the index", tenantId,
                qPrintable(c.pack.id.shortHex()));
            continue;
        }
        // The tombstone first, in a transaction that checks the pack is still condemned (a
        // snapshot commit may have put it back meanwhile): no live pack ever loses its file. A
        // crash before the file goes leaves an unreferenced file, never a missing one.
        CAIRN_TRY(m_catalog.markPackDeleted(tenantId, c.pack.id, m_now()));
        Status removed = backend.remove({FileType::Pack, c.pack.id.toHex()});
        if (!removed.ok() && removed.error().code != ErrorCode::NotFound)
            return removed.error().wrapped(QStringLiteral("delete pack %1").arg(c.pack.id.shortHex()));
        ++stats.packsDeleted;
        stats.bytesDeleted += c.pack.size;
    }
    return {};
}

namespace {

// Live blobs of several source packs copied into new packs of one blob type.
class Repacker {
public:
    Repacker(Catalog &catalog, Backend &backend, const TenantKeys &keys, qint64 tenantId, std::function<QDateTime()> now)
        : m_catalog(catalog), m_backend(backend), m_keys(keys), m_tenant(tenantId), m_now(std::move(now)),
          m_writer(*keys.codec, keys.config.packSize + (1 << 20))
    {
    }

    Status add(const GcPackBlobs &source, const std::vector<PackEntry> &liveBlobs, GcStats &stats)
    {
        auto bytes = m_backend.load({FileType::Pack, source.pack.id.toHex()});
        if (!bytes)
            return bytes.error().wrapped(QStringLiteral("read pack %1 to repack it").arg(source.pack.id.shortHex()));
        if (bytes->size() != source.pack.size || packIdOf(*bytes) != source.pack.id)
            return Error(ErrorCode::Corrupt,
                QStringLiteral("pack %1 does not match its id; it was left as it is (run a verify)").arg(source.pack.id.shortHex()));
        for (const PackEntry &e : liveBlobs) {
            if (qint64(e.offset) + e.length > bytes->size())
                return Error(ErrorCode::Corrupt, QStringLiteral("pack %1: blob %2 lies outside it")
                                                     .arg(source.pack.id.shortHex(), e.id.shortHex()));
            m_writer.addSealed(e, bytes->mid(e.offset, e.length));
        }
        m_sources.push_back(source.pack.id);
        ++stats.packsRepacked;
        stats.bytesRepackedIn += source.pack.size;
        if (m_writer.size() >= m_keys.config.packSize)
            return flush(stats);
        return {};
    }

    Status flush(GcStats &stats)
    {
        if (m_sources.empty())
            return {};
        if (m_writer.isEmpty()) // cannot happen: a source always brings a live blob
            return Error(ErrorCode::Permanent, QStringLiteral("repack without blobs"));
        PackWriter::Finished pack = m_writer.finish();
        CAIRN_TRY(m_backend.save({FileType::Pack, pack.id.toHex()}, pack.bytes));
        auto record = m_catalog.replacePacks(m_tenant, m_sources, pack.id, pack.bytes.size(), pack.entries, m_now());
        if (!record) {
            // Not in the index: the file is of no use (the sources stay as they were).
            m_backend.remove({FileType::Pack, pack.id.toHex()}).ok();
            return record.error();
        }
        ++stats.packsWritten;
        stats.bytesRepackedOut += pack.bytes.size();
        m_sources.clear();
        return {};
    }

private:
    Catalog &m_catalog;
    Backend &m_backend;
    const TenantKeys &m_keys;
    qint64 m_tenant;
    std::function<QDateTime()> m_now;
    PackWriter m_writer;
    std::vector<PackId> m_sources;
};

} // namespace

Status GarbageCollector::sweep(qint64 tenantId, const TenantKeys &keys, Backend &backend, const QDateTime &createdBefore,
    const Mark &mark, GcStats &stats)
{
    Repacker dataRepacker(m_catalog, backend, keys, tenantId, m_now);
    Repacker treeRepacker(m_catalog, backend, keys, tenantId, m_now);
    qint64 after = 0;
    for (;;) {
        auto page = m_catalog.gcCandidatePacks(tenantId, createdBefore, after, kCandidatePage);
        if (!page)
            return page.error();
        if (page->isEmpty())
            break;
        // Condemning and repacking give packs new sequence numbers beyond the page: the walk
        // goes on from the last number it saw, and those packs are no longer candidates.
        after = page->last().pack.seq;
        for (const GcPackBlobs &p : *page) {
            ++stats.packsScanned;
            std::vector<PackEntry> liveBlobs;
            qint64 liveBytes = 0;
            bool mixed = false;
            for (const PackEntry &e : p.blobs) {
                mixed = mixed || e.type != p.blobs.front().type;
                if (mark.isLive(e)) {
                    liveBlobs.push_back(e);
                    liveBytes += e.length;
                }
            }
            if (liveBlobs.empty()) {
                CAIRN_TRY(m_catalog.condemnPack(tenantId, p.pack.id, m_now()));
                ++stats.packsCondemned;
                stats.bytesCondemned += p.pack.size;
                continue;
            }
            const double dead = p.pack.size > 0 ? 1.0 - double(liveBytes) / double(p.pack.size) : 0;
            if (dead < m_settings.repackThreshold || mixed) // mixed: not written by Cairn; left alone
                continue;
            Repacker &r = p.blobs.front().type == BlobType::Tree ? treeRepacker : dataRepacker;
            CAIRN_TRY(r.add(p, liveBlobs, stats));
        }
    }
    CAIRN_TRY(dataRepacker.flush(stats));
    CAIRN_TRY(treeRepacker.flush(stats));
    return {};
}

QString describe(const GcStats &s)
{
    return QStringLiteral("%1 snapshots, %2 trees, %3 live chunks (mark %4 KiB); %5 packs scanned: %6 condemned (%7 bytes), "
                          "%8 repacked into %9 (%10 → %11 bytes); %12 deleted (%13 bytes freed), %14 put back, %15 waiting")
        .arg(s.snapshots)
        .arg(s.trees)
        .arg(s.liveChunks)
        .arg(s.liveSetBytes / 1024)
        .arg(s.packsScanned)
        .arg(s.packsCondemned)
        .arg(s.bytesCondemned)
        .arg(s.packsRepacked)
        .arg(s.packsWritten)
        .arg(s.bytesRepackedIn)
        .arg(s.bytesRepackedOut)
        .arg(s.packsDeleted)
        .arg(s.bytesDeleted)
        .arg(s.packsResurrected)
        .arg(s.packsWaiting);
}

} // namespace cairn::server
