// SqliteIndex: packs and blobs go in and come back (in memory and in a file that is reopened),
// the first location of a blob wins, and removing a pack forgets its blobs.
#include "repository/SqliteIndex.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace cairn;

namespace {

template <typename Id>
Id idFrom(uint32_t seed)
{
    Id id;
    for (int i = 0; i < Id::Size; ++i)
        id.bytes[size_t(i)] = uint8_t((seed * 131 + uint32_t(i) * 17) ^ (seed >> 8));
    id.bytes[0] = uint8_t(seed);
    id.bytes[1] = uint8_t(seed >> 8);
    return id;
}

std::vector<PackEntry> entriesFor(uint32_t firstSeed, int n)
{
    std::vector<PackEntry> v;
    uint32_t offset = 0;
    for (int i = 0; i < n; ++i) {
        PackEntry e;
        e.type = i % 2 ? BlobType::Tree : BlobType::Data;
        e.id = idFrom<ChunkId>(firstSeed + uint32_t(i));
        e.offset = offset;
        e.length = 100 + uint32_t(i);
        e.rawLength = 0xffffffffu - uint32_t(i); // full uint32 range survives
        offset += e.length;
        v.push_back(e);
    }
    return v;
}

} // namespace

class TestSqliteIndex : public QObject {
    Q_OBJECT
private slots:
    void init();
    void addAndLookup_data();
    void addAndLookup();
    void unknownLookups();
    void forEachPackAndBlobs();
    void firstLocationWins();
    void removePack();
    void addPackTwiceIsIdempotent();
    void emptyPack();
    void reopenFileKeepsData();
    void openUnusablePathFails();
    void lookupsSeeWritesOfTheirOwnAndOtherConnections();

private:
    std::unique_ptr<SqliteIndex> open(const QString &path)
    {
        auto idx = SqliteIndex::open(path);
        if (!idx)
            qWarning("%s", qPrintable(idx.error().message));
        return idx ? std::move(*idx) : nullptr;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSqliteIndex::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSqliteIndex::addAndLookup_data()
{
    QTest::addColumn<bool>("inFile");
    QTest::newRow("memory") << false;
    QTest::newRow("file") << true;
}

void TestSqliteIndex::addAndLookup()
{
    QFETCH(bool, inFile);
    auto idx = open(inFile ? m_dir->filePath(QStringLiteral("index.db")) : QStringLiteral(":memory:"));
    QVERIFY(idx);
    const PackId pack = idFrom<PackId>(1);
    const auto entries = entriesFor(100, 10);
    QVERIFY(idx->addPack(pack, 123456789012LL, entries).ok());
    for (const PackEntry &e : entries) {
        auto loc = idx->lookup(e.id);
        QVERIFY(loc.ok());
        QVERIFY(loc->has_value());
        const BlobLocation &l = **loc;
        QVERIFY(l.pack == pack);
        QCOMPARE(l.type, e.type);
        QCOMPARE(l.offset, e.offset);
        QCOMPARE(l.length, e.length);
        QCOMPARE(l.rawLength, e.rawLength);
    }
    auto size = idx->packSize(pack);
    QVERIFY(size.ok());
    QCOMPARE(size->value_or(-1), 123456789012LL);
    auto count = idx->blobCount();
    QVERIFY(count.ok());
    QCOMPARE(*count, qint64(10));
}

void TestSqliteIndex::unknownLookups()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    auto loc = idx->lookup(idFrom<ChunkId>(5));
    QVERIFY(loc.ok());
    QVERIFY(!loc->has_value());
    auto size = idx->packSize(idFrom<PackId>(5));
    QVERIFY(size.ok());
    QVERIFY(!size->has_value());
    QCOMPARE(*idx->blobCount(), qint64(0));
    int visits = 0;
    QVERIFY(idx->forEachPack([&](const PackId &, qint64) { ++visits; }).ok());
    QVERIFY(idx->forEachBlobInPack(idFrom<PackId>(5), [&](const ChunkId &, const BlobLocation &) { ++visits; }).ok());
    QCOMPARE(visits, 0);
}

void TestSqliteIndex::forEachPackAndBlobs()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    std::map<PackId, std::vector<PackEntry>> packs;
    for (uint32_t p = 0; p < 5; ++p) {
        packs[idFrom<PackId>(p + 1)] = entriesFor(1000 * (p + 1), int(p) + 1);
        QVERIFY(idx->addPack(idFrom<PackId>(p + 1), 1000 + p, packs[idFrom<PackId>(p + 1)]).ok());
    }
    std::map<PackId, qint64> seen;
    QVERIFY(idx->forEachPack([&](const PackId &id, qint64 size) { seen[id] = size; }).ok());
    QCOMPARE(seen.size(), packs.size());
    for (uint32_t p = 0; p < 5; ++p)
        QCOMPARE(seen[idFrom<PackId>(p + 1)], qint64(1000 + p));

    for (const auto &[pack, entries] : packs) {
        std::vector<std::pair<ChunkId, BlobLocation>> blobs;
        QVERIFY(idx->forEachBlobInPack(pack, [&](const ChunkId &id, const BlobLocation &l) { blobs.emplace_back(id, l); }).ok());
        QCOMPARE(blobs.size(), entries.size());
        for (size_t i = 0; i < blobs.size(); ++i) { // ordered by offset, as added
            QVERIFY(blobs[i].first == entries[i].id);
            QVERIFY(blobs[i].second.pack == pack);
            QCOMPARE(blobs[i].second.offset, entries[i].offset);
            QCOMPARE(blobs[i].second.length, entries[i].length);
            QCOMPARE(blobs[i].second.rawLength, entries[i].rawLength);
            QCOMPARE(blobs[i].second.type, entries[i].type);
        }
    }
    QCOMPARE(*idx->blobCount(), qint64(1 + 2 + 3 + 4 + 5));
}

void TestSqliteIndex::firstLocationWins()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    auto first = entriesFor(1, 3);
    QVERIFY(idx->addPack(idFrom<PackId>(1), 500, first).ok());
    auto second = entriesFor(2, 3); // overlaps seeds 2 and 3
    for (PackEntry &e : second)
        e.offset += 7;
    QVERIFY(idx->addPack(idFrom<PackId>(2), 600, second).ok());
    auto loc = idx->lookup(idFrom<ChunkId>(2));
    QVERIFY(loc.ok() && loc->has_value());
    QVERIFY((*loc)->pack == idFrom<PackId>(1));
    QCOMPARE((*loc)->offset, first[1].offset);
    auto only = idx->lookup(idFrom<ChunkId>(4));
    QVERIFY(only.ok() && only->has_value());
    QVERIFY((*only)->pack == idFrom<PackId>(2));
    QCOMPARE(*idx->blobCount(), qint64(4));
    // The second pack is still known, with only its own new blob.
    int inSecond = 0;
    QVERIFY(idx->forEachBlobInPack(idFrom<PackId>(2), [&](const ChunkId &, const BlobLocation &) { ++inSecond; }).ok());
    QCOMPARE(inSecond, 1);
}

void TestSqliteIndex::removePack()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    QVERIFY(idx->addPack(idFrom<PackId>(1), 10, entriesFor(1, 4)).ok());
    QVERIFY(idx->addPack(idFrom<PackId>(2), 20, entriesFor(100, 2)).ok());
    QVERIFY(idx->removePack(idFrom<PackId>(1)).ok());
    QVERIFY(!idx->packSize(idFrom<PackId>(1))->has_value());
    QVERIFY(!idx->lookup(idFrom<ChunkId>(1))->has_value());
    QVERIFY(idx->lookup(idFrom<ChunkId>(100))->has_value());
    QCOMPARE(*idx->blobCount(), qint64(2));
    // Removing an unknown pack is harmless.
    QVERIFY(idx->removePack(idFrom<PackId>(99)).ok());
    // A removed blob can be indexed again elsewhere.
    QVERIFY(idx->addPack(idFrom<PackId>(3), 30, entriesFor(1, 1)).ok());
    auto loc = idx->lookup(idFrom<ChunkId>(1));
    QVERIFY(loc.ok() && loc->has_value());
    QVERIFY((*loc)->pack == idFrom<PackId>(3));
}

void TestSqliteIndex::addPackTwiceIsIdempotent()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    const auto entries = entriesFor(1, 3);
    QVERIFY(idx->addPack(idFrom<PackId>(1), 10, entries).ok());
    QVERIFY(idx->addPack(idFrom<PackId>(1), 10, entries).ok());
    QCOMPARE(*idx->blobCount(), qint64(3));
    int packs = 0;
    QVERIFY(idx->forEachPack([&](const PackId &, qint64) { ++packs; }).ok());
    QCOMPARE(packs, 1);
    QVERIFY(idx->lookup(idFrom<ChunkId>(1))->has_value());
}

void TestSqliteIndex::emptyPack()
{
    auto idx = open(QStringLiteral(":memory:"));
    QVERIFY(idx);
    QVERIFY(idx->addPack(idFrom<PackId>(1), 12, {}).ok());
    QCOMPARE(idx->packSize(idFrom<PackId>(1))->value_or(-1), qint64(12));
}

void TestSqliteIndex::reopenFileKeepsData()
{
    const QString path = m_dir->filePath(QStringLiteral("index.db"));
    const auto entries = entriesFor(50, 20);
    {
        auto idx = open(path);
        QVERIFY(idx);
        QVERIFY(idx->addPack(idFrom<PackId>(7), 777, entries).ok());
        QVERIFY(idx->addPack(idFrom<PackId>(8), 888, entriesFor(500, 1)).ok());
        QVERIFY(idx->removePack(idFrom<PackId>(8)).ok());
    }
    auto idx = open(path);
    QVERIFY(idx);
    QCOMPARE(*idx->blobCount(), qint64(20));
    QCOMPARE(idx->packSize(idFrom<PackId>(7))->value_or(-1), qint64(777));
    QVERIFY(!idx->packSize(idFrom<PackId>(8))->has_value());
    for (const PackEntry &e : entries) {
        auto loc = idx->lookup(e.id);
        QVERIFY(loc.ok() && loc->has_value());
        QCOMPARE((*loc)->offset, e.offset);
        QCOMPARE((*loc)->rawLength, e.rawLength);
    }
}

void TestSqliteIndex::openUnusablePathFails()
{
    auto r = SqliteIndex::open(m_dir->filePath(QStringLiteral("no/such/dir/index.db")));
    QVERIFY(!r.ok());
}

// Lookups share read transactions (see SqliteIndex.h): a pack added through the same index is
// found by the very next lookup, one added through another connection by the first lookup more
// than 200 ms later, or at once after releaseReads().
void TestSqliteIndex::lookupsSeeWritesOfTheirOwnAndOtherConnections()
{
    const QString path = m_dir->filePath(QStringLiteral("shared.db"));
    auto a = open(path);
    auto b = open(path);
    QVERIFY(a && b);
    QVERIFY(a->addPack(idFrom<PackId>(1), 10, entriesFor(1, 3)).ok());
    QVERIFY(a->lookup(idFrom<ChunkId>(1))->has_value());
    QVERIFY(!a->lookup(idFrom<ChunkId>(1000))->has_value()); // a read transaction is open now
    QVERIFY(a->addPack(idFrom<PackId>(2), 10, entriesFor(1000, 1)).ok());
    QVERIFY(a->lookup(idFrom<ChunkId>(1000))->has_value());

    QVERIFY(!a->lookup(idFrom<ChunkId>(2000))->has_value()); // a's read snapshot is open now
    QVERIFY(b->addPack(idFrom<PackId>(3), 10, entriesFor(2000, 1)).ok());
    QTest::qWait(250); // older than 200 ms: the next lookup starts a new snapshot
    QVERIFY(a->lookup(idFrom<ChunkId>(2000))->has_value());
    // releaseReads() ends the snapshot at once.
    QVERIFY(!a->lookup(idFrom<ChunkId>(2500))->has_value());
    QVERIFY(b->addPack(idFrom<PackId>(5), 10, entriesFor(2500, 1)).ok());
    a->releaseReads();
    QVERIFY(a->lookup(idFrom<ChunkId>(2500))->has_value());
    // b's own lookups see a's new packs too.
    QVERIFY(a->addPack(idFrom<PackId>(4), 10, entriesFor(3000, 1)).ok());
    QTest::qWait(250);
    QVERIFY(b->lookup(idFrom<ChunkId>(3000))->has_value());
}

QTEST_GUILESS_MAIN(TestSqliteIndex)
#include "TestSqliteIndex.moc"
