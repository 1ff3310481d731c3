// Repository on an in-memory backend: init/open and passphrases, the claim → store → flush
// cycle, pack splitting, trees and snapshots, re-indexing packs unknown to the index, and a
// failing backend surfacing as a flush error.
#include "backend/MemoryBackend.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"

#include <QRandomGenerator>
#include <QtTest>

#include <map>
#include <set>

using namespace cairn;

namespace {

// Lets several Repository instances (each owning its backend) share one MemoryBackend.
class SharedBackend final : public Backend {
public:
    explicit SharedBackend(MemoryBackend &b) : m_b(b) {}
    QString location() const override { return m_b.location(); }
    Status save(const Handle &h, const QByteArray &data) override { return m_b.save(h, data); }
    Result<QByteArray> load(const Handle &h, qint64 offset, qint64 length) override
    {
        return m_b.load(h, offset, length);
    }
    Result<FileInfo> stat(const Handle &h) override { return m_b.stat(h); }
    Status list(FileType type, const std::function<void(const FileInfo &)> &visit) override
    {
        return m_b.list(type, visit);
    }
    Status remove(const Handle &h) override { return m_b.remove(h); }

private:
    MemoryBackend &m_b;
};

RepositoryOptions fastOptions()
{
    RepositoryOptions o;
    o.kdf.memoryKiB = 64;
    o.kdf.iterations = 1;
    o.kdf.parallelism = 1;
    return o;
}

const QByteArray kPass("repo passphrase");

std::unique_ptr<Index> memoryIndex()
{
    auto idx = SqliteIndex::open(QStringLiteral(":memory:"));
    Q_ASSERT(idx.ok());
    return std::move(*idx);
}

QByteArray randomData(qsizetype n, QRandomGenerator &rng)
{
    QByteArray b(n, Qt::Uninitialized);
    rng.fillRange(reinterpret_cast<quint32 *>(b.data()), n / 4);
    for (qsizetype i = n / 4 * 4; i < n; ++i)
        b[i] = char(rng.generate());
    return b;
}

int countFiles(Backend &b, FileType type, std::vector<FileInfo> *out = nullptr)
{
    int n = 0;
    Status s = b.list(type, [&](const FileInfo &f) {
        ++n;
        if (out)
            out->push_back(f);
    });
    Q_ASSERT(s.ok());
    return n;
}

Snapshot snapshotAt(qint64 msecs, const ChunkId &tree)
{
    Snapshot s;
    s.time = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    s.endTime = s.time.addSecs(1);
    s.hostname = QStringLiteral("host");
    s.paths = {QByteArray("/data")};
    s.tree = tree;
    return s;
}

} // namespace

class TestRepository : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void initTwiceFails();
    void initRejectsBadOptions();
    void openEmptyBackendIsNotFound();
    void openWrongPassphrase();
    void reopenKeepsConfig();
    void claimSemantics();
    void storeFlushLoad();
    void loadUnknownBlobIsNotFound();
    void packsSplitAtPackSize();
    void treeRoundTrip();
    void largeTreeRoundTrip();
    void snapshotRoundTrip();
    void tamperedSnapshotIsCorrupt();
    void listSnapshotsOrderAndErrors();
    void findSnapshot();
    void findSnapshotAmbiguous();
    void indexUnknownPacks();
    void failingSaveFailsFlush();

private:
    std::unique_ptr<Repository> openRepo(std::unique_ptr<Index> index = nullptr)
    {
        auto r = Repository::open(std::make_unique<SharedBackend>(*m_backend), index ? std::move(index) : memoryIndex(),
                                  kPass);
        if (!r) {
            qWarning("open: %s", qPrintable(r.error().message));
            return nullptr;
        }
        return std::move(*r);
    }
    ChunkId store(Repository &repo, const QByteArray &data, BlobType type = BlobType::Data)
    {
        const ChunkId id = repo.codec().chunkId(data.constData(), size_t(data.size()));
        auto isNew = repo.claim(id);
        if (isNew.ok() && *isNew) {
            auto stored = repo.storeBlob(type, id, data.constData(), size_t(data.size()));
            if (!stored)
                qWarning("store: %s", qPrintable(stored.error().message));
        }
        return id;
    }

    std::unique_ptr<MemoryBackend> m_backend;
};

void TestRepository::init()
{
    m_backend = std::make_unique<MemoryBackend>();
    Status s = Repository::init(*m_backend, kPass, fastOptions());
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
}

void TestRepository::cleanup()
{
    m_backend.reset();
}

void TestRepository::initTwiceFails()
{
    Status s = Repository::init(*m_backend, kPass, fastOptions());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(countFiles(*m_backend, FileType::Key), 1); // no second key file was written
}

void TestRepository::initRejectsBadOptions()
{
    MemoryBackend b;
    RepositoryOptions o = fastOptions();
    o.compressionLevel = 0;
    QVERIFY(!Repository::init(b, kPass, o).ok());
    o = fastOptions();
    o.chunker.avgSize = 1000; // not a power of two
    QVERIFY(!Repository::init(b, kPass, o).ok());
    QVERIFY(!Repository::init(b, QByteArray(), fastOptions()).ok());
    QCOMPARE(countFiles(b, FileType::Config), 0);
}

void TestRepository::openEmptyBackendIsNotFound()
{
    auto r = Repository::open(std::make_unique<MemoryBackend>(), memoryIndex(), kPass);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
}

void TestRepository::openWrongPassphrase()
{
    auto r = Repository::open(std::make_unique<SharedBackend>(*m_backend), memoryIndex(), "not the passphrase");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::WrongPassphrase);
}

void TestRepository::reopenKeepsConfig()
{
    QString id;
    ChunkId blob;
    {
        auto repo = openRepo();
        QVERIFY(repo);
        id = repo->config().id;
        QCOMPARE(id.size(), 32);
        QCOMPARE(repo->config().packSize, qint64(16 << 20));
        blob = store(*repo, "persisted");
        QVERIFY(repo->flush().ok());
    }
    auto repo = openRepo();
    QVERIFY(repo);
    QCOMPARE(repo->config().id, id);
    // A fresh index knows nothing until the packs are indexed again.
    QVERIFY(!repo->loadBlob(blob).ok());
    QCOMPARE(*repo->indexUnknownPacks(), 1);
    QCOMPARE(*repo->loadBlob(blob), QByteArray("persisted"));
}

void TestRepository::claimSemantics()
{
    auto repo = openRepo();
    QVERIFY(repo);
    const QByteArray data("claimed data");
    const ChunkId id = repo->codec().chunkId(data.constData(), size_t(data.size()));
    auto first = repo->claim(id);
    QVERIFY(first.ok());
    QVERIFY(*first); // new: the caller stores it
    auto second = repo->claim(id);
    QVERIFY(second.ok());
    QVERIFY(!*second); // pending: someone else is storing it
    QVERIFY(repo->storeBlob(BlobType::Data, id, data.constData(), size_t(data.size())).ok());
    QVERIFY(!*repo->claim(id)); // stored but not yet flushed: still pending
    QVERIFY(repo->flush().ok());
    auto third = repo->claim(id);
    QVERIFY(third.ok());
    QVERIFY(!*third); // indexed
    const QByteArray other("other");
    QVERIFY(*repo->claim(repo->codec().chunkId(other.constData(), size_t(other.size()))));
}

void TestRepository::storeFlushLoad()
{
    auto repo = openRepo();
    QVERIFY(repo);
    QRandomGenerator rng(1);
    std::map<ChunkId, QByteArray> blobs;
    for (int i = 0; i < 20; ++i) {
        const QByteArray data = i % 2 ? randomData(1000 * i, rng) : QByteArray(5000 + i, char('a' + i));
        blobs[store(*repo, data)] = data;
    }
    const ChunkId tree = store(*repo, "tree-ish", BlobType::Tree);
    QVERIFY(repo->flush().ok());
    QVERIFY(repo->flush().ok()); // nothing pending: a no-op
    QCOMPARE(countFiles(repo->backend(), FileType::Pack), 2); // one data pack, one tree pack
    for (const auto &[id, data] : blobs) {
        auto loaded = repo->loadBlob(id);
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().message));
        QCOMPARE(*loaded, data);
    }
    auto loc = repo->index().lookup(tree);
    QVERIFY(loc.ok() && loc->has_value());
    QCOMPARE((*loc)->type, BlobType::Tree);
    QCOMPARE(*repo->index().blobCount(), qint64(21));
    // Every pack's name is the SHA-256 of its bytes.
    std::vector<FileInfo> packs;
    countFiles(repo->backend(), FileType::Pack, &packs);
    for (const FileInfo &f : packs) {
        auto bytes = repo->backend().load({FileType::Pack, f.name});
        QVERIFY(bytes.ok());
        QCOMPARE(packIdOf(*bytes).toHex(), f.name);
    }
}

void TestRepository::loadUnknownBlobIsNotFound()
{
    auto repo = openRepo();
    QVERIFY(repo);
    auto r = repo->loadBlob(repo->codec().chunkId("nope", 4));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
}

void TestRepository::packsSplitAtPackSize()
{
    auto repo = openRepo();
    QVERIFY(repo);
    const qint64 packSize = repo->config().packSize;
    const int blobSize = 1 << 20;
    const int n = int(packSize / blobSize) + 2; // > packSize in total
    QRandomGenerator rng(2);
    std::vector<std::pair<ChunkId, QByteArray>> blobs;
    for (int i = 0; i < n; ++i) {
        QByteArray data = randomData(blobSize, rng);
        blobs.emplace_back(store(*repo, data), data);
    }
    QVERIFY(repo->flush().ok());
    std::vector<FileInfo> packs;
    QCOMPARE(countFiles(repo->backend(), FileType::Pack, &packs), 2);
    for (const FileInfo &f : packs)
        QVERIFY2(f.size < packSize + blobSize + kBlobOverhead + 4096, qPrintable(QString::number(f.size)));
    std::set<PackId> used;
    for (const auto &[id, data] : blobs) {
        auto loc = repo->index().lookup(id);
        QVERIFY(loc.ok() && loc->has_value());
        used.insert((*loc)->pack);
        QCOMPARE(*repo->loadBlob(id), data);
    }
    QCOMPARE(used.size(), size_t(2));
}

void TestRepository::treeRoundTrip()
{
    auto repo = openRepo();
    QVERIFY(repo);
    Tree t;
    Node f;
    f.name = QByteArray("f\xff", 2);
    f.size = 3;
    f.content = {{repo->codec().chunkId("abc", 3), 3}};
    t.nodes.push_back(f);
    qint64 stored = 0;
    auto id = repo->saveTree(t, &stored);
    QVERIFY(id.ok());
    QVERIFY(stored > 0);
    qint64 again = 0;
    auto id2 = repo->saveTree(t, &again);
    QVERIFY(id2.ok());
    QVERIFY(*id2 == *id);
    QCOMPARE(again, qint64(0)); // deduplicated
    QVERIFY(repo->flush().ok());
    auto back = repo->loadTree(*id);
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->nodes.size(), size_t(1));
    QCOMPARE(back->nodes[0].name, f.name);
    QVERIFY(back->nodes[0].content[0].id == f.content[0].id);
    // A data blob is not a tree.
    const ChunkId data = store(*repo, "not cbor");
    QVERIFY(repo->flush().ok());
    auto notTree = repo->loadTree(data);
    QVERIFY(!notTree.ok());
    QCOMPARE(notTree.error().code, ErrorCode::Corrupt);
}

void TestRepository::largeTreeRoundTrip()
{
    // A directory with 200,000 entries: its tree record (~19 MiB, very compressible) is larger than
    // zstd::MaxBlobRawSize and must still load again (a maildir or a cache directory is this big).
    auto repo = openRepo();
    QVERIFY(repo);
    Tree t;
    t.nodes.reserve(200000);
    for (int i = 0; i < 200000; ++i) {
        Node n;
        n.name = "message-" + QByteArray::number(1000000 + i) + ".eml";
        n.mode = 0600;
        n.uid = n.gid = 1000;
        n.user = n.group = "alice";
        n.mtimeNs = n.atimeNs = n.ctimeNs = 1700000000000000000LL + i;
        n.device = 2049;
        n.inode = 5000000 + uint64_t(i);
        t.nodes.push_back(std::move(n));
    }
    const qint64 encoded = encodeTree(t).size();
    QVERIFY2(encoded > (16 << 20), qPrintable(QString::number(encoded)));
    qint64 stored = 0;
    auto id = repo->saveTree(t, &stored);
    QVERIFY(id.ok());
    QVERIFY(stored > 0);
    QVERIFY(repo->flush().ok());
    auto back = repo->loadTree(*id);
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->nodes.size(), t.nodes.size());
}

void TestRepository::snapshotRoundTrip()
{
    auto repo = openRepo();
    QVERIFY(repo);
    Snapshot s = snapshotAt(1700000000000, repo->codec().chunkId("t", 1));
    s.excludes = {QStringLiteral("*.o")};
    auto id = repo->saveSnapshot(s);
    QVERIFY(id.ok());
    QVERIFY(m_backend->stat({FileType::Snapshot, id->toHex()}).ok());
    auto back = repo->loadSnapshot(*id);
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QVERIFY(back->id == *id);
    QCOMPARE(back->time, s.time);
    QCOMPARE(back->hostname, s.hostname);
    QCOMPARE(back->paths, s.paths);
    QCOMPARE(back->excludes, s.excludes);
    QVERIFY(back->tree == s.tree);
    auto missing = repo->loadSnapshot(SnapshotId{});
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestRepository::tamperedSnapshotIsCorrupt()
{
    auto repo = openRepo();
    QVERIFY(repo);
    auto id = repo->saveSnapshot(snapshotAt(1, ChunkId{}));
    QVERIFY(id.ok());
    const Handle h{FileType::Snapshot, id->toHex()};
    QByteArray bytes = *m_backend->load(h);
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 1);
    QVERIFY(m_backend->save(h, bytes).ok());
    auto r = repo->loadSnapshot(*id);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestRepository::listSnapshotsOrderAndErrors()
{
    auto repo = openRepo();
    QVERIFY(repo);
    const ChunkId t = repo->codec().chunkId("t", 1);
    for (qint64 ms : {3000, 1000, 2000})
        QVERIFY(repo->saveSnapshot(snapshotAt(ms, t)).ok());
    QVERIFY(m_backend->save({FileType::Snapshot, QString(64, u'a')}, "garbage").ok());
    QVERIFY(m_backend->save({FileType::Snapshot, QStringLiteral("not-an-id")}, "garbage").ok());
    std::vector<Error> errors;
    auto all = repo->listSnapshots(&errors);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), size_t(3));
    QCOMPARE(all->at(0).time.toMSecsSinceEpoch(), 1000);
    QCOMPARE(all->at(1).time.toMSecsSinceEpoch(), 2000);
    QCOMPARE(all->at(2).time.toMSecsSinceEpoch(), 3000);
    QCOMPARE(errors.size(), size_t(2));
    QVERIFY(repo->listSnapshots().ok()); // without an error sink it still succeeds
}

void TestRepository::findSnapshot()
{
    auto repo = openRepo();
    QVERIFY(repo);
    auto none = repo->findSnapshot(QStringLiteral("latest"));
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, ErrorCode::NotFound);

    const ChunkId t = repo->codec().chunkId("t", 1);
    auto newest = repo->saveSnapshot(snapshotAt(5000, t));
    auto older = repo->saveSnapshot(snapshotAt(1000, t));
    QVERIFY(newest.ok() && older.ok());

    auto latest = repo->findSnapshot(QStringLiteral("latest"));
    QVERIFY(latest.ok());
    QVERIFY(latest->id == *newest);

    auto full = repo->findSnapshot(older->toHex());
    QVERIFY(full.ok());
    QVERIFY(full->id == *older);

    // 8 hex digits: two random ids share them with negligible probability.
    auto prefix = repo->findSnapshot(older->shortHex());
    QVERIFY(prefix.ok());
    QVERIFY(prefix->id == *older);
    auto upper = repo->findSnapshot(older->shortHex().toUpper());
    QVERIFY(upper.ok());
    QVERIFY(upper->id == *older);

    QString unknown;
    for (QChar c : QStringLiteral("0123456789abcdef"))
        if (c != newest->toHex().at(0) && c != older->toHex().at(0)) {
            unknown = QString(c) + QStringLiteral("0000000");
            break;
        }
    auto missing = repo->findSnapshot(unknown);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);

    auto empty = repo->findSnapshot(QString());
    QVERIFY(!empty.ok());
    QCOMPARE(empty.error().code, ErrorCode::NotFound);
}

void TestRepository::findSnapshotAmbiguous()
{
    auto repo = openRepo();
    QVERIFY(repo);
    const ChunkId t = repo->codec().chunkId("t", 1);
    // 17 ids over 16 first hex digits: at least two share their first digit.
    std::map<QChar, int> byFirst;
    QString shared;
    for (int i = 0; i < 17; ++i) {
        auto id = repo->saveSnapshot(snapshotAt(1000 + i, t));
        QVERIFY(id.ok());
        if (++byFirst[id->toHex().at(0)] == 2)
            shared = id->toHex().left(1);
    }
    QVERIFY(!shared.isEmpty());
    auto r = repo->findSnapshot(shared);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
}

void TestRepository::indexUnknownPacks()
{
    std::vector<std::pair<ChunkId, QByteArray>> blobs;
    qint64 blobCount = 0;
    {
        auto repo = openRepo();
        QVERIFY(repo);
        QRandomGenerator rng(3);
        for (int i = 0; i < 30; ++i) {
            const QByteArray data = randomData(100 + i * 50, rng);
            blobs.emplace_back(store(*repo, data, i % 5 ? BlobType::Data : BlobType::Tree), data);
        }
        QVERIFY(repo->flush().ok());
        blobCount = *repo->index().blobCount();
        QCOMPARE(*repo->indexUnknownPacks(), 0); // all known already
    }
    // A pack that is not a pack, and one whose name is not an id: skipped, not fatal.
    QVERIFY(m_backend->save({FileType::Pack, QString(64, u'b')}, "junk").ok());
    QVERIFY(m_backend->save({FileType::Pack, QStringLiteral("xyz")}, "junk").ok());

    auto repo = openRepo(memoryIndex()); // the index is replaced by an empty one
    QVERIFY(repo);
    QCOMPARE(*repo->index().blobCount(), qint64(0));
    auto added = repo->indexUnknownPacks();
    QVERIFY(added.ok());
    QCOMPARE(*added, 2); // one data pack, one tree pack
    QCOMPARE(*repo->index().blobCount(), blobCount);
    for (const auto &[id, data] : blobs) {
        QVERIFY(!*repo->claim(id)); // reused, not stored again
        QCOMPARE(*repo->loadBlob(id), data);
    }
    QCOMPARE(*repo->indexUnknownPacks(), 0);
}

void TestRepository::failingSaveFailsFlush()
{
    auto repo = openRepo();
    QVERIFY(repo);
    m_backend->setFailNextSaves(1);
    const ChunkId id = store(*repo, "will not be saved");
    Status s = repo->flush(); // must return, not hang
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Transient);
    QCOMPARE(countFiles(*m_backend, FileType::Pack), 0);
    QVERIFY(!repo->index().lookup(id)->has_value()); // never indexed without a durable pack
    // The repository stays failed: later stores are refused instead of being silently lost.
    const QByteArray more("more");
    const ChunkId id2 = repo->codec().chunkId(more.constData(), size_t(more.size()));
    if (*repo->claim(id2))
        QVERIFY(!repo->storeBlob(BlobType::Data, id2, more.constData(), size_t(more.size())).ok());
    QVERIFY(!repo->flush().ok());
}

QTEST_GUILESS_MAIN(TestRepository)
#include "TestRepository.moc"
