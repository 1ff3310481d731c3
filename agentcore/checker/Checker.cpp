#include "checker/Checker.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace cairn {

namespace {

struct Reporter {
    const CheckCallbacks &cb;
    CheckStats &stats;
    std::mutex mutex;

    void problem(const QString &p)
    {
        std::lock_guard lock(mutex);
        ++stats.problems;
        if (cb.problem)
            cb.problem(p);
    }
    void note(const QString &n)
    {
        std::lock_guard lock(mutex);
        ++stats.notes;
        if (cb.note)
            cb.note(n);
    }
    void progress(const QString &phase, qint64 done, qint64 total)
    {
        std::lock_guard lock(mutex);
        if (cb.progress)
            cb.progress(phase, done, total);
    }
};

} // namespace

Checker::Checker(Repository &repo, CheckCallbacks callbacks) : m_repo(repo), m_cb(std::move(callbacks)) {}

Result<CheckStats> Checker::run(const CheckOptions &options)
{
    CheckStats stats;
    Reporter rep{m_cb, stats, {}};

    // 1. Packs: what the backend holds against what the index expects.
    std::unordered_map<PackId, qint64, IdHash> stored;
    CAIRN_TRY(m_repo.backend().list(FileType::Pack, [&](const FileInfo &f) {
        if (auto id = PackId::fromHex(f.name))
            stored.emplace(*id, f.size);
        else
            rep.note(QStringLiteral("file %1 in the pack folder is not a pack").arg(f.name));
    }));
    std::unordered_set<PackId, IdHash> badPacks;
    std::unordered_set<PackId, IdHash> indexed;
    CAIRN_TRY(m_repo.index().forEachPack([&](const PackId &id, qint64 size) {
        indexed.insert(id);
        ++stats.packs;
        auto it = stored.find(id);
        if (it == stored.end()) {
            rep.problem(QStringLiteral("pack %1 is missing").arg(id.toHex()));
            badPacks.insert(id);
        } else if (it->second != size) {
            rep.problem(QStringLiteral("pack %1 has %2 bytes, expected %3 (truncated or damaged)")
                            .arg(id.toHex()).arg(it->second).arg(size));
            badPacks.insert(id);
        }
    }));
    for (const auto &[id, size] : stored)
        if (!indexed.count(id))
            rep.note(QStringLiteral("pack %1 is not indexed (left by an interrupted run; reused on the next backup)")
                         .arg(id.toHex()));

    // 2. With readData, read every pack first, so that the tree walk below can name the snapshots
    // and files whose data a damaged pack held (an operator needs those, not only pack ids).
    // damagedBlobs: blobs that do not open, are not where the index says, or sit in a pack that
    // cannot be read or whose header does not decode.
    std::unordered_map<ChunkId, PackId, IdHash> damagedBlobs;
    std::mutex damagedMutex;
    auto markDamaged = [&](const ChunkId &blob, const PackId &pack) {
        std::lock_guard lock(damagedMutex);
        damagedBlobs.emplace(blob, pack);
    };
    auto markPackDamaged = [&](const PackId &pack) {
        if (!indexed.count(pack))
            return;
        Status s = m_repo.index().forEachBlobInPack(pack, [&](const ChunkId &blob, const BlobLocation &) {
            markDamaged(blob, pack);
        });
        if (!s.ok())
            rep.problem(s.error().message);
    };
    if (options.readData) {
        std::vector<std::pair<PackId, qint64>> packs(stored.begin(), stored.end());
        std::sort(packs.begin(), packs.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        std::atomic<size_t> next{0};
        std::atomic<qint64> packsRead{0}, blobsRead{0}, bytesRead{0};
        auto worker = [&] {
            for (size_t i; (i = next++) < packs.size();) {
                const auto &[id, size] = packs[i];
                const QString name = id.toHex();
                auto bytes = m_repo.backend().load({FileType::Pack, name});
                rep.progress(QStringLiteral("packs"), qint64(i + 1), qint64(packs.size()));
                if (!bytes) {
                    rep.problem(QStringLiteral("pack %1 cannot be read: %2").arg(name, bytes.error().message));
                    markPackDamaged(id);
                    continue;
                }
                ++packsRead;
                bytesRead += bytes->size();
                if (packIdOf(*bytes) != id) {
                    rep.problem(QStringLiteral("pack %1 does not match its id (damaged)").arg(name));
                }
                auto headerLen = parsePackTrailer(*bytes, bytes->size());
                if (!headerLen) {
                    rep.problem(QStringLiteral("pack %1: %2").arg(name, headerLen.error().message));
                    markPackDamaged(id);
                    continue;
                }
                const QByteArray sealed = bytes->mid(bytes->size() - kPackTrailerSize - *headerLen, *headerLen);
                auto entries = parsePackHeader(m_repo.codec(), sealed, bytes->size());
                if (!entries) {
                    rep.problem(QStringLiteral("pack %1: %2").arg(name, entries.error().message));
                    markPackDamaged(id);
                    continue;
                }
                std::map<ChunkId, BlobLocation> expected;
                if (indexed.count(id)) {
                    Status s = m_repo.index().forEachBlobInPack(id, [&](const ChunkId &blob, const BlobLocation &loc) {
                        expected.emplace(blob, loc);
                    });
                    if (!s.ok())
                        rep.problem(s.error().message);
                }
                for (const PackEntry &e : *entries) {
                    auto plain = m_repo.codec().open(e.id, bytes->constData() + e.offset, e.length, e.rawLength);
                    ++blobsRead;
                    if (!plain) {
                        rep.problem(QStringLiteral("pack %1: blob %2: %3").arg(name, e.id.toHex(), plain.error().message));
                        markDamaged(e.id, id);
                    }
                    auto it = expected.find(e.id);
                    if (it != expected.end()) {
                        if (it->second.offset != e.offset || it->second.length != e.length) {
                            rep.problem(QStringLiteral("pack %1: blob %2 is not where the index says").arg(name, e.id.shortHex()));
                            markDamaged(e.id, id);
                        }
                        expected.erase(it);
                    }
                }
                for (const auto &[blob, loc] : expected) {
                    rep.problem(QStringLiteral("pack %1: indexed blob %2 is missing from the pack").arg(name, blob.shortHex()));
                    markDamaged(blob, id);
                }
            }
        };
        std::vector<std::thread> threads;
        for (int i = 0; i < std::max(1, options.workers); ++i)
            threads.emplace_back(worker);
        for (auto &t : threads)
            t.join();
        stats.packsRead = packsRead;
        stats.blobsRead = blobsRead;
        stats.bytesRead = bytesRead;
    }

    // 3. Snapshots and every tree they reach; every data reference must resolve, and with readData
    // every file whose data is damaged is named with its snapshot.
    std::vector<Error> snapErrors;
    auto snapshots = m_repo.listSnapshots(&snapErrors);
    if (!snapshots)
        return snapshots.error();
    for (const Error &e : snapErrors)
        rep.problem(e.message);
    // Each tree is loaded and checked once; what is wrong below it (paths relative to it) is kept,
    // so that every snapshot reaching a damaged file through a shared subtree is named with it.
    struct Finding {
        QByteArray path;  // relative to the tree, "" for the tree itself
        bool directory;   // the tree at `path` cannot be loaded
        QString what;
    };
    std::unordered_map<ChunkId, std::vector<Finding>, IdHash> findingsOf;
    // Post-order with an explicit stack (a hostile snapshot may nest thousands of levels): a tree's
    // findings are complete once every subtree's are. A placeholder entered first ends a tree that
    // (through a forged id) contains itself.
    struct WalkFrame {
        ChunkId id;
        Tree tree;
        size_t next = 0;
        std::vector<Finding> found;
    };
    auto walk = [&](const ChunkId &rootId) -> Result<const std::vector<Finding> *> {
        if (auto it = findingsOf.find(rootId); it != findingsOf.end())
            return &it->second;
        std::vector<WalkFrame> stack;
        auto enter = [&](const ChunkId &id) {
            findingsOf.emplace(id, std::vector<Finding>());
            auto tree = m_repo.loadTree(id);
            if (!tree) {
                findingsOf[id] = {Finding{QByteArray(), true, tree.error().message}};
                return;
            }
            ++stats.trees;
            stack.push_back(WalkFrame{id, std::move(*tree), 0, {}});
        };
        enter(rootId);
        while (!stack.empty()) {
            WalkFrame &f = stack.back();
            if (f.next == f.tree.nodes.size()) {
                findingsOf[f.id] = std::move(f.found);
                stack.pop_back();
                continue;
            }
            const Node &n = f.tree.nodes[f.next];
            if (n.type == NodeType::Dir) {
                auto below = findingsOf.find(n.subtree);
                if (below == findingsOf.end()) {
                    enter(n.subtree); // this node is looked at again once the subtree is done
                    continue;
                }
                for (const Finding &c : below->second)
                    f.found.push_back({c.path.isEmpty() ? n.name : n.name + '/' + c.path, c.directory, c.what});
                ++f.next;
                continue;
            }
            ++f.next;
            for (const ContentRef &c : n.content) {
                if (c.id == zeroChunkId())
                    continue;
                ++stats.dataRefs;
                auto loc = m_repo.index().lookup(c.id);
                if (!loc)
                    return loc.error();
                if (!loc->has_value())
                    f.found.push_back({n.name, false, QStringLiteral("chunk %1 is not in any pack").arg(c.id.shortHex())});
                else if ((*loc)->rawLength != c.length)
                    f.found.push_back({n.name, false, QStringLiteral("chunk %1 is recorded with %2 bytes but holds %3")
                                                           .arg(c.id.shortHex()).arg(c.length).arg((*loc)->rawLength)});
                else if (badPacks.count((*loc)->pack))
                    f.found.push_back({n.name, false, QStringLiteral("chunk %1 is in damaged pack %2")
                                                           .arg(c.id.shortHex(), (*loc)->pack.shortHex())});
                else if (auto d = damagedBlobs.find(c.id); d != damagedBlobs.end())
                    f.found.push_back({n.name, false, QStringLiteral("chunk %1 is damaged (pack %2)")
                                                           .arg(c.id.shortHex(), d->second.shortHex())});
            }
        }
        return &findingsOf[rootId];
    };
    for (const Snapshot &snap : *snapshots) {
        ++stats.snapshots;
        rep.progress(QStringLiteral("trees"), stats.snapshots, qint64(snapshots->size()));
        auto findings = walk(snap.tree);
        if (!findings)
            return findings.error();
        for (const Finding &f : **findings) {
            const QString path = QString::fromLocal8Bit("/" + f.path);
            if (f.directory)
                rep.problem(QStringLiteral("snapshot %1: directory %2: %3").arg(snap.id.shortHex(), path, f.what));
            else
                rep.problem(QStringLiteral("snapshot %1: %2: %3").arg(snap.id.shortHex(), path, f.what));
        }
    }

    return stats;
}

} // namespace cairn
