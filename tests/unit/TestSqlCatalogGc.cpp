// SqlCatalog's garbage-collection changes on a real SQLite file: condemning takes a pack out of the
// index and moves it to the end of the index feed; repacking moves the live rows to the new pack
// and condemns the sources in one step (feed order: sources, then the new pack); a condemned pack
// can be put back (a chunk uploaded again meanwhile keeps its newer location) or become a
// tombstone, which only a condemned pack can; re-uploading a deleted pack revives it; chunk_count
// and usage follow every step; candidates are live packs older than the cutoff. Test thread.
#include "TestSqlCatalogFixture.h"

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalogGc : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_tenant = 0;

    qint64 chunkCount() { return m_catalog->chunkCount(m_tenant).value(); }
    bool located(quint64 seed) { return m_catalog->locateChunk(m_tenant, chunkId(seed)).value().has_value(); }
    QList<PackRecord> feed()
    {
        auto f = m_catalog->packsAfter(m_tenant, 0, 1000);
        return f ? *f : QList<PackRecord>();
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_catalog = createCatalog(m_dir, QStringLiteral("gc-%1.db").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(m_catalog);
        auto t = addTenant(*m_catalog, QStringLiteral("acme"));
        QVERIFY_OK(t);
        m_tenant = t->id;
    }
    void cleanup() { m_catalog.reset(); }

    void condemnResurrectAndDelete()
    {
        const auto a = entriesFor(seedRange(1, 10)), b = entriesFor(seedRange(11, 10));
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(1), packSizeFor(a), a, baseTime()));
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(2), packSizeFor(b), b, baseTime()));
        QCOMPARE(chunkCount(), 20);

        QVERIFY_OK(m_catalog->condemnPack(m_tenant, packId(1), baseTime().addDays(1)));
        QCOMPARE(chunkCount(), 10);
        QVERIFY(!located(1));
        auto anyWhere = m_catalog->locateChunkIncludingCondemned(m_tenant, chunkId(1));
        QVERIFY(anyWhere.ok() && anyWhere->has_value() && (*anyWhere)->pack == packId(1));
        QList<PackRecord> f = feed();
        QCOMPARE(f.size(), 2);
        QCOMPARE(f.last().id, packId(1)); // moved to the end of the feed, as removed
        QVERIFY(!f.last().live());
        QVERIFY_ERROR(m_catalog->condemnPack(m_tenant, packId(1), baseTime()), ErrorCode::InvalidArgument);
        auto condemned = m_catalog->condemnedPacks(m_tenant);
        QVERIFY_OK(condemned);
        QCOMPARE(condemned->size(), 1);
        QCOMPARE(condemned->first().blobs.size(), size_t(10));
        auto candidates = m_catalog->gcCandidatePacks(m_tenant, baseTime().addDays(10), 0, 100);
        QVERIFY_OK(candidates);
        QCOMPARE(candidates->size(), 1); // only the live pack
        QCOMPARE(candidates->first().pack.id, packId(2));
        QCOMPARE(m_catalog->gcCandidatePacks(m_tenant, baseTime(), 0, 100)->size(), 0); // not older than the cutoff

        // Chunk 1 is uploaded again in another pack meanwhile; putting pack 1 back keeps that.
        const auto again = entriesFor({1, 30});
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(3), packSizeFor(again), again, baseTime()));
        QVERIFY_OK(m_catalog->resurrectPack(m_tenant, packId(1)));
        QCOMPARE(m_catalog->locateChunk(m_tenant, chunkId(1)).value()->pack, packId(3));
        QCOMPARE(m_catalog->locateChunk(m_tenant, chunkId(2)).value()->pack, packId(1));
        QCOMPARE(chunkCount(), 21);
        QVERIFY(feed().last().live() && feed().last().id == packId(1));
        // Only a condemned pack becomes a tombstone.
        QVERIFY_ERROR(m_catalog->markPackDeleted(m_tenant, packId(1), baseTime()), ErrorCode::InvalidArgument);
        QVERIFY_OK(m_catalog->condemnPack(m_tenant, packId(2), baseTime()));
        QVERIFY_OK(m_catalog->markPackDeleted(m_tenant, packId(2), baseTime()));
        QVERIFY_ERROR(m_catalog->resurrectPack(m_tenant, packId(2)), ErrorCode::InvalidArgument);
        auto p2 = m_catalog->pack(m_tenant, packId(2));
        QVERIFY(p2.ok() && p2->has_value() && (*p2)->deletedAt);
        QVERIFY(!(*p2)->condemnedAt); // tombstones are not among the condemned packs
        QVERIFY(!(*p2)->live());
        auto usage = m_catalog->usage(m_tenant);
        QCOMPARE(usage->packs, 2); // the tombstone is not counted
        QCOMPARE(usage->storedBytes, packSizeFor(a) + packSizeFor(again));
        QCOMPARE(m_catalog->condemnedPacks(m_tenant)->size(), 0);

        // The same bytes uploaded again: the pack lives again, with its rows.
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(2), packSizeFor(b), b, baseTime()));
        QVERIFY(located(11) && located(20));
        QVERIFY(m_catalog->pack(m_tenant, packId(2)).value()->live());
        QCOMPARE(chunkCount(), 21); // 9 of pack 1, 2 of pack 3, 10 of pack 2
    }

    void repackMovesLiveRowsAndCondemnsSources()
    {
        const auto a = entriesFor(seedRange(100, 10)), b = entriesFor(seedRange(200, 10));
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(10), packSizeFor(a), a, baseTime()));
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(11), packSizeFor(b), b, baseTime()));
        // Keep 100..102 and 200: the new pack holds them back to back.
        std::vector<PackEntry> kept = entriesFor({100, 101, 102, 200}, 4096);
        auto record = m_catalog->replacePacks(m_tenant, {packId(10), packId(11)}, packId(12), packSizeFor(kept), kept,
            baseTime().addDays(2));
        QVERIFY_OK(record);
        QCOMPARE(chunkCount(), 4);
        QCOMPARE(m_catalog->locateChunk(m_tenant, chunkId(200)).value()->pack, packId(12));
        QCOMPARE(m_catalog->locateChunk(m_tenant, chunkId(200)).value()->offset, uint32_t(3 * 4096));
        QVERIFY(!located(105));
        const QList<PackRecord> f = feed();
        QCOMPARE(f.size(), 3);
        QCOMPARE(f.at(2).id, packId(12)); // after the sources' removals
        QVERIFY(!f.at(0).live() && !f.at(1).live());
        QCOMPARE(record->seq, f.at(2).seq);
        // The dead rows are kept with the condemned sources, not the moved ones.
        auto condemned = m_catalog->condemnedPacks(m_tenant);
        QCOMPARE(condemned->size(), 2);
        QCOMPARE(condemned->at(0).blobs.size() + condemned->at(1).blobs.size(), size_t(16));

        // Refused: a source that is not live, an entry not in the sources, a known new pack.
        QVERIFY_ERROR(m_catalog->replacePacks(m_tenant, {packId(10)}, packId(13), packSizeFor(kept), kept, baseTime()),
            ErrorCode::InvalidArgument);
        const auto c = entriesFor(seedRange(300, 3));
        QVERIFY_OK(m_catalog->addPack(m_tenant, packId(14), packSizeFor(c), c, baseTime()));
        QVERIFY_ERROR(m_catalog->replacePacks(m_tenant, {packId(14)}, packId(15), packSizeFor(kept), kept, baseTime()),
            ErrorCode::InvalidArgument);
        QVERIFY(located(300)); // the refused repack changed nothing
        QCOMPARE(chunkCount(), 7);
    }

    void earliestRunningJob()
    {
        auto agent = enrollAgent(*m_catalog, m_tenant, QStringLiteral("web"));
        QVERIFY_OK(agent);
        QVERIFY(!m_catalog->earliestRunningJob(m_tenant).value().has_value());
        Job j;
        j.tenantId = m_tenant;
        j.agentId = agent->id;
        j.scheduledAt = baseTime();
        auto added = m_catalog->addJob(j);
        QVERIFY_OK(added);
        JobUpdate u;
        u.jobId = added->id;
        u.state = JobState::Running;
        u.startedAt = baseTime().addSecs(30);
        QVERIFY_OK(m_catalog->updateJob(m_tenant, agent->id, u));
        QCOMPARE(m_catalog->earliestRunningJob(m_tenant).value().value(), baseTime().addSecs(30));
    }
};

QTEST_GUILESS_MAIN(TestSqlCatalogGc)
#include "TestSqlCatalogGc.moc"
