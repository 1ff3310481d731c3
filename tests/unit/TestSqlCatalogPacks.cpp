// SqlCatalog packs and chunk index: a pack and its blobs come back exactly, re-adding a pack is a
// no-op returning the first record, the first location of a blob wins, sequence numbers rise
// strictly per tenant and are not consumed by refused packs, missingChunks answers 10,000 ids
// (half present) in well under a second, and a 16 MiB pack of 4,096 blobs is recorded quickly.
#include "TestSqlCatalogFixture.h"

#include <QElapsedTimer>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalogPacks : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup() { m_catalog.reset(); }

    void packAndBlobsRoundTrip();
    void readdingAPackChangesNothing();
    void firstLocationWins();
    void duplicateBlobInOnePackKeepsTheFirst();
    void sequenceRisesPerTenant();
    void refusedPacksConsumeNoSequence();
    void missingChunksOfTenThousand();
    void largePackIsRecordedQuickly();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_tenant = 0;
    int m_round = 0;
};

void TestSqlCatalogPacks::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    m_catalog = createCatalog(m_dir, QStringLiteral("packs-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
    auto tenant = addTenant(*m_catalog, QStringLiteral("packs"));
    QVERIFY_OK(tenant);
    m_tenant = tenant->id;
}

void TestSqlCatalogPacks::packAndBlobsRoundTrip()
{
    auto entries = entriesFor(seedRange(1, 300), 1000);
    entries[7].rawLength = 0xffffffffu; // the full uint32 range survives
    entries[8].length = 0;
    const qint64 size = packSizeFor(entries);
    auto added = m_catalog->addPack(m_tenant, packId(1), size, entries);
    QVERIFY_OK(added);
    QCOMPARE(added->seq, 1);
    QCOMPARE(added->size, size);
    QVERIFY(added->id == packId(1));
    QVERIFY(added->createdAt.isValid());

    auto got = m_catalog->pack(m_tenant, packId(1));
    QVERIFY_OK(got);
    QVERIFY(*got);
    QCOMPARE((*got)->seq, 1);
    QCOMPARE((*got)->size, size);
    QCOMPARE((*got)->createdAt, added->createdAt);
    auto none = m_catalog->pack(m_tenant, packId(2));
    QVERIFY_OK(none);
    QVERIFY(!*none);

    std::vector<PackEntry> visited;
    Status listed
        = m_catalog->forEachBlobInPack(m_tenant, packId(1), [&](const PackEntry &e) { visited.push_back(e); });
    QVERIFY_OK(listed);
    QCOMPARE(visited.size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) { // by offset, which is the order written
        QVERIFY(visited[i].id == entries[i].id);
        QCOMPARE(int(visited[i].type), int(entries[i].type));
        QCOMPARE(visited[i].offset, entries[i].offset);
        QCOMPARE(visited[i].length, entries[i].length);
        QCOMPARE(visited[i].rawLength, entries[i].rawLength);
    }
    auto loc = m_catalog->locateChunk(m_tenant, entries[7].id);
    QVERIFY_OK(loc);
    QVERIFY(*loc);
    QVERIFY((*loc)->pack == packId(1));
    QCOMPARE((*loc)->offset, entries[7].offset);
    QCOMPARE((*loc)->rawLength, 0xffffffffu);
    QCOMPARE(int((*loc)->type), int(entries[7].type));
    auto nowhere = m_catalog->locateChunk(m_tenant, chunkId(999999));
    QVERIFY_OK(nowhere);
    QVERIFY(!*nowhere);

    auto second = entriesFor(seedRange(1000, 10));
    QVERIFY(m_catalog->addPack(m_tenant, packId(2), packSizeFor(second), second).ok());
    auto after = m_catalog->packsAfter(m_tenant, 0, 10);
    QVERIFY_OK(after);
    QCOMPARE(after->size(), 2);
    QVERIFY(after->at(0).id == packId(1));
    QVERIFY(after->at(1).id == packId(2));
    QCOMPARE(m_catalog->packsAfter(m_tenant, 1, 10)->size(), 1);
    QCOMPARE(m_catalog->packsAfter(m_tenant, 0, 1)->size(), 1);
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 310);

    auto usage = m_catalog->usage(m_tenant);
    QVERIFY_OK(usage);
    QCOMPARE(usage->packs, 2);
    QCOMPARE(usage->storedBytes, size + packSizeFor(second));
    QCOMPARE(usage->chunks, 310);
    QCOMPARE(usage->agents, 0);
    QCOMPARE(usage->snapshots, 0);
    auto noTenant = m_catalog->usage(4242);
    QVERIFY_ERROR(noTenant, ErrorCode::NotFound);
}

void TestSqlCatalogPacks::readdingAPackChangesNothing()
{
    auto entries = entriesFor(seedRange(1, 50));
    auto first = m_catalog->addPack(m_tenant, packId(1), packSizeFor(entries), entries);
    QVERIFY_OK(first);
    QTest::qWait(3);
    // Same id again, even with other contents and size: the first record stands.
    auto other = entriesFor(seedRange(500, 20));
    auto again = m_catalog->addPack(m_tenant, packId(1), packSizeFor(other), other);
    QVERIFY_OK(again);
    QCOMPARE(again->seq, first->seq);
    QCOMPARE(again->size, first->size);
    QCOMPARE(again->createdAt, first->createdAt);
    QCOMPARE(m_catalog->packsAfter(m_tenant, 0, 100)->size(), 1);
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 50);
    auto missing = m_catalog->missingChunks(m_tenant, {chunkId(500)});
    QCOMPARE(missing->size(), size_t(1));
    auto next = m_catalog->addPack(m_tenant, packId(2), packSizeFor(other), other);
    QCOMPARE(next->seq, first->seq + 1); // the no-op took no number
}

void TestSqlCatalogPacks::firstLocationWins()
{
    auto a = entriesFor({1, 2, 3});
    auto b = entriesFor({3, 4, 2, 5}); // 2 and 3 again, at other offsets
    QVERIFY(m_catalog->addPack(m_tenant, packId(1), packSizeFor(a), a).ok());
    QVERIFY(m_catalog->addPack(m_tenant, packId(2), packSizeFor(b), b).ok());
    for (quint64 seed : {1, 2, 3}) {
        auto loc = m_catalog->locateChunk(m_tenant, chunkId(seed));
        QVERIFY((*loc)->pack == packId(1));
    }
    auto loc2 = m_catalog->locateChunk(m_tenant, chunkId(2));
    QCOMPARE((*loc2)->offset, a[1].offset);
    auto loc4 = m_catalog->locateChunk(m_tenant, chunkId(4));
    QVERIFY((*loc4)->pack == packId(2));
    QCOMPARE((*loc4)->offset, b[1].offset);
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 5);
    // The index lists for a pack the blobs it locates there.
    QList<ChunkId> inB;
    QVERIFY(m_catalog->forEachBlobInPack(m_tenant, packId(2), [&](const PackEntry &e) { inB.append(e.id); }).ok());
    QCOMPARE(inB.size(), 2);
    QVERIFY(inB[0] == chunkId(4) && inB[1] == chunkId(5));
}

void TestSqlCatalogPacks::duplicateBlobInOnePackKeepsTheFirst()
{
    auto entries = entriesFor({10, 11, 10});
    QVERIFY(m_catalog->addPack(m_tenant, packId(1), packSizeFor(entries), entries).ok());
    auto loc = m_catalog->locateChunk(m_tenant, chunkId(10));
    QCOMPARE((*loc)->offset, entries[0].offset);
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 2);
}

void TestSqlCatalogPacks::sequenceRisesPerTenant()
{
    auto other = addTenant(*m_catalog, QStringLiteral("other"));
    QVERIFY_OK(other);
    qint64 lastA = 0, lastB = 0;
    for (int i = 0; i < 30; ++i) {
        const bool forA = (i * 7) % 3 != 0;
        const qint64 tenant = forA ? m_tenant : other->id;
        auto entries = entriesFor(seedRange(quint64(i) * 10, 5));
        auto p = m_catalog->addPack(tenant, packId(quint64(i)), packSizeFor(entries), entries);
        QVERIFY_OK(p);
        qint64 &last = forA ? lastA : lastB;
        QCOMPARE(p->seq, last + 1); // strictly rising and dense, per tenant
        last = p->seq;
    }
    QCOMPARE(lastA + lastB, 30);
    // The same pack id in another tenant is another pack (pack 1 went to the first tenant).
    QVERIFY(!*m_catalog->pack(other->id, packId(1)));
    auto entries = entriesFor({1});
    auto shared = m_catalog->addPack(other->id, packId(1), packSizeFor(entries), entries);
    QVERIFY_OK(shared);
    QCOMPARE(shared->seq, lastB + 1);
    QCOMPARE((*m_catalog->pack(m_tenant, packId(1)))->seq, 1);
    QCOMPARE(m_catalog->packsAfter(other->id, 0, 500)->size(), lastB + 1);
}

void TestSqlCatalogPacks::refusedPacksConsumeNoSequence()
{
    auto entries = entriesFor(seedRange(1, 4));
    const qint64 size = packSizeFor(entries);
    auto nullId = m_catalog->addPack(m_tenant, PackId {}, size, entries);
    QVERIFY_ERROR(nullId, ErrorCode::InvalidArgument);
    auto outside = m_catalog->addPack(m_tenant, packId(1), entries.back().offset + 10, entries);
    QVERIFY_ERROR(outside, ErrorCode::InvalidArgument);
    auto negative = m_catalog->addPack(m_tenant, packId(1), -1, {});
    QVERIFY_ERROR(negative, ErrorCode::InvalidArgument);
    auto badType = entries;
    badType[2].type = BlobType(7);
    auto typed = m_catalog->addPack(m_tenant, packId(1), size, badType);
    QVERIFY_ERROR(typed, ErrorCode::InvalidArgument);
    auto noTenant = m_catalog->addPack(4242, packId(1), size, entries);
    QVERIFY_ERROR(noTenant, ErrorCode::NotFound);
    auto noTenantCount = m_catalog->chunkCount(4242);
    QVERIFY_ERROR(noTenantCount, ErrorCode::NotFound);

    auto ok = m_catalog->addPack(m_tenant, packId(1), size, entries);
    QVERIFY_OK(ok);
    QCOMPARE(ok->seq, 1);
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 4);
    auto empty = m_catalog->addPack(m_tenant, packId(2), 12, {});
    QVERIFY_OK(empty);
    QCOMPARE(empty->seq, 2);
}

void TestSqlCatalogPacks::missingChunksOfTenThousand()
{
    // 5,000 present chunks (even seeds) in two packs.
    std::vector<quint64> even;
    for (quint64 s = 0; s < 10000; s += 2)
        even.push_back(s + 1);
    const std::vector<quint64> firstHalf(even.begin(), even.begin() + 2500),
        secondHalf(even.begin() + 2500, even.end());
    auto p1 = entriesFor(firstHalf, 4096);
    auto p2 = entriesFor(secondHalf, 4096);
    QVERIFY(m_catalog->addPack(m_tenant, packId(1), packSizeFor(p1), p1).ok());
    QVERIFY(m_catalog->addPack(m_tenant, packId(2), packSizeFor(p2), p2).ok());
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 5000);

    std::vector<ChunkId> ids;
    std::vector<ChunkId> expected;
    for (quint64 s = 1; s <= 10000; ++s) {
        ids.push_back(chunkId(s));
        if (s % 2 == 0)
            expected.push_back(chunkId(s));
    }
    QElapsedTimer timer;
    timer.start();
    auto missing = m_catalog->missingChunks(m_tenant, ids);
    const qint64 ms = timer.elapsed();
    QVERIFY_OK(missing);
    qInfo("missingChunks: 10,000 ids (5,000 present) in %lld ms", ms);
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    QCOMPARE(missing->size(), expected.size());
    QVERIFY(*missing == expected); // exactly the missing half, in the order asked

    // Duplicates are answered once; the zero chunk is never stored and never missing.
    auto dup = m_catalog->missingChunks(m_tenant, {chunkId(2), zeroChunkId(), chunkId(2), chunkId(1)});
    QVERIFY_OK(dup);
    QCOMPARE(dup->size(), size_t(1));
    QVERIFY(dup->front() == chunkId(2));
    auto nothing = m_catalog->missingChunks(m_tenant, {});
    QVERIFY_OK(nothing);
    QVERIFY(nothing->empty());
}

void TestSqlCatalogPacks::largePackIsRecordedQuickly()
{
    // 16 MiB of 4 KiB blobs: 4,096 entries, with a quarter already known from an earlier pack.
    auto earlier = entriesFor(seedRange(1, 1024), 4096);
    QVERIFY(m_catalog->addPack(m_tenant, packId(1), packSizeFor(earlier), earlier).ok());
    auto entries = entriesFor(seedRange(1, 4096), 4096);
    const qint64 size = packSizeFor(entries);
    QVERIFY(size >= 16 * 1024 * 1024);
    QElapsedTimer timer;
    timer.start();
    auto added = m_catalog->addPack(m_tenant, packId(2), size, entries);
    const qint64 ms = timer.elapsed();
    QVERIFY_OK(added);
    qInfo("addPack: 16 MiB pack, 4,096 entries (1,024 known) in %lld ms", ms);
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
    QCOMPARE(*m_catalog->chunkCount(m_tenant), 4096);
    auto loc = m_catalog->locateChunk(m_tenant, chunkId(4096));
    QVERIFY((*loc)->pack == packId(2));
    auto known = m_catalog->locateChunk(m_tenant, chunkId(1024));
    QVERIFY((*known)->pack == packId(1));
}

QTEST_GUILESS_MAIN(TestSqlCatalogPacks)
#include "TestSqlCatalogPacks.moc"
