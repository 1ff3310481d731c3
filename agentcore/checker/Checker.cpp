#include "checker/Checker.h"

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

    // 2. Snapshots and every tree they reach; every data reference must resolve.
    std::vector<Error> snapErrors;
    auto snapshots = m_repo.listSnapshots(&snapErrors);
    if (!snapshots)
        return snapshots.error();
    for (const Error &e : snapErrors)
        rep.problem(e.message);
    std::unordered_set<ChunkId, IdHash> seenTrees;
    for (const Snapshot &snap : *snapshots) {
        ++stats.snapshots;
        rep.progress(QStringLiteral("trees"), stats.snapshots, qint64(snapshots->size()));
        std::vector<std::pair<ChunkId, QByteArray>> stack{{snap.tree, QByteArray("/")}};
        while (!stack.empty()) {
            auto [treeId, path] = stack.back();
            stack.pop_back();
            if (!seenTrees.insert(treeId).second)
                continue;
            auto tree = m_repo.loadTree(treeId);
            if (!tree) {
                rep.problem(QStringLiteral("snapshot %1: directory %2: %3")
                                .arg(snap.id.shortHex(), QString::fromLocal8Bit(path), tree.error().message));
                continue;
            }
            ++stats.trees;
            for (const Node &n : tree->nodes) {
                const QByteArray childPath = (path == "/" ? path : path + '/') + n.name;
                if (n.type == NodeType::Dir) {
                    stack.emplace_back(n.subtree, childPath);
                    continue;
                }
                for (const ContentRef &c : n.content) {
                    if (c.id == zeroChunkId())
                        continue;
                    ++stats.dataRefs;
                    auto loc = m_repo.index().lookup(c.id);
                    if (!loc)
                        return loc.error();
                    if (!loc->has_value())
                        rep.problem(QStringLiteral("snapshot %1: %2: chunk %3 is not in any pack")
                                        .arg(snap.id.shortHex(), QString::fromLocal8Bit(childPath), c.id.shortHex()));
                    else if ((*loc)->rawLength != c.length)
                        rep.problem(QStringLiteral("snapshot %1: %2: chunk %3 is recorded with %4 bytes but holds %5")
                                        .arg(snap.id.shortHex(), QString::fromLocal8Bit(childPath), c.id.shortHex())
                                        .arg(c.length).arg((*loc)->rawLength));
                    else if (badPacks.count((*loc)->pack))
                        rep.problem(QStringLiteral("snapshot %1: %2: chunk %3 is in damaged pack %4")
                                        .arg(snap.id.shortHex(), QString::fromLocal8Bit(childPath), c.id.shortHex(),
                                             (*loc)->pack.shortHex()));
                }
            }
        }
    }

    // 3. Optionally read everything.
    if (!options.readData)
        return stats;
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
                continue;
            }
            const QByteArray sealed = bytes->mid(bytes->size() - kPackTrailerSize - *headerLen, *headerLen);
            auto entries = parsePackHeader(m_repo.codec(), sealed, bytes->size());
            if (!entries) {
                rep.problem(QStringLiteral("pack %1: %2").arg(name, entries.error().message));
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
                if (!plain)
                    rep.problem(QStringLiteral("pack %1: blob %2: %3").arg(name, e.id.toHex(), plain.error().message));
                auto it = expected.find(e.id);
                if (it != expected.end()) {
                    if (it->second.offset != e.offset || it->second.length != e.length)
                        rep.problem(QStringLiteral("pack %1: blob %2 is not where the index says").arg(name, e.id.shortHex()));
                    expected.erase(it);
                }
            }
            for (const auto &[blob, loc] : expected)
                rep.problem(QStringLiteral("pack %1: indexed blob %2 is missing from the pack").arg(name, blob.shortHex()));
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
    return stats;
}

} // namespace cairn
