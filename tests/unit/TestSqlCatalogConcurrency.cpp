// SqlCatalog under concurrent writers: 8 threads each add 50 packs whose blobs overlap with every
// other thread's, and all of them also add one shared pack. Afterwards there is exactly one row
// per pack, sequence numbers are unique and dense, every chunk is indexed once at the location of
// the first committed pack that held it, the chunk counter matches the rows, no busy error
// surfaced, and each thread's connection was closed when the thread ended.
#include "TestSqlCatalogFixture.h"

#include <QElapsedTimer>
#include <QSqlQuery>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

constexpr int kThreads = 8;
constexpr int kPacksPerThread = 50;
constexpr int kOwnBlobs = 40; // blobs only this pack has
constexpr int kSharedBlobs = 40; // blobs drawn from a pool every thread uses
constexpr int kSharedPool = 600;
constexpr quint64 kSharedPackSeed = 999999;

quint64 packSeed(int thread, int i)
{
    return quint64(thread) * 1000 + quint64(i) + 1;
}

std::vector<quint64> blobSeedsOf(quint64 pack)
{
    std::vector<quint64> seeds;
    for (int b = 0; b < kOwnBlobs; ++b)
        seeds.push_back(1000000 + pack * 100 + quint64(b));
    for (int b = 0; b < kSharedBlobs; ++b)
        seeds.push_back((pack * 7919 + quint64(b) * 104729) % kSharedPool);
    return seeds;
}

} // namespace

class TestSqlCatalogConcurrency : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void concurrentAddPack();
    void readersRunBesideWriters();
};

void TestSqlCatalogConcurrency::concurrentAddPack()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    auto tenant = addTenant(*catalog, QStringLiteral("busy"));
    QVERIFY_OK(tenant);
    const auto sharedEntries = entriesFor(blobSeedsOf(kSharedPackSeed));

    std::mutex mutex;
    QStringList errors;
    std::map<quint64, qint64> seqOf; // pack seed → seq the writer was given
    std::set<qint64> sharedSeqs; // seq each thread saw for the shared pack
    std::atomic<int> ready {0};
    qint64 slowestMs = 0;
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            ++ready;
            while (ready.load() < kThreads) // start together
                std::this_thread::yield();
            for (int i = 0; i < kPacksPerThread; ++i) {
                const quint64 seed = packSeed(t, i);
                const auto entries = entriesFor(blobSeedsOf(seed));
                QElapsedTimer call;
                call.start();
                auto r = catalog->addPack(tenant->id, packId(seed), packSizeFor(entries), entries);
                const qint64 callMs = call.elapsed();
                std::lock_guard lock(mutex);
                slowestMs = std::max(slowestMs, callMs);
                if (!r.ok())
                    errors << r.error().message;
                else
                    seqOf[seed] = r->seq;
                if (i == kPacksPerThread / 2) {
                    auto shared = catalog->addPack(
                        tenant->id, packId(kSharedPackSeed), packSizeFor(sharedEntries), sharedEntries);
                    if (!shared.ok())
                        errors << shared.error().message;
                    else
                        sharedSeqs.insert(shared->seq);
                }
            }
        });
    }
    for (auto &th : threads)
        th.join();
    qInfo("%d threads x %d packs (%d blobs each) in %lld ms; slowest addPack %lld ms", kThreads, kPacksPerThread,
        kOwnBlobs + kSharedBlobs, timer.elapsed(), slowestMs);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(int(seqOf.size()), kThreads * kPacksPerThread);
    QCOMPARE(int(sharedSeqs.size()), 1); // every thread got the one record of the shared pack

    // Exactly one row per pack; seqs unique and dense 1..N; each writer's seq is the stored one.
    const int packs = kThreads * kPacksPerThread + 1;
    auto listed = catalog->packsAfter(tenant->id, 0, 500);
    QVERIFY_OK(listed);
    QCOMPARE(int(listed->size()), packs);
    std::map<qint64, PackId> bySeq;
    for (int i = 0; i < listed->size(); ++i) {
        QCOMPARE(listed->at(i).seq, qint64(i + 1));
        bySeq[listed->at(i).seq] = listed->at(i).id;
    }
    for (const auto &[seed, seq] : seqOf)
        QVERIFY(bySeq.at(seq) == packId(seed));
    QVERIFY(bySeq.at(*sharedSeqs.begin()) == packId(kSharedPackSeed));

    // Each chunk once, at the first committed (lowest seq) pack that held it.
    std::map<quint64, qint64> firstSeq; // blob seed → lowest seq of a pack holding it
    auto note = [&](quint64 packSeedValue, qint64 seq) {
        for (quint64 b : blobSeedsOf(packSeedValue)) {
            auto it = firstSeq.find(b);
            if (it == firstSeq.end() || seq < it->second)
                firstSeq[b] = seq;
        }
    };
    for (const auto &[seed, seq] : seqOf)
        note(seed, seq);
    note(kSharedPackSeed, *sharedSeqs.begin());
    QCOMPARE(*catalog->chunkCount(tenant->id), qint64(firstSeq.size()));
    int checked = 0;
    for (const auto &[blob, seq] : firstSeq) {
        if (blob >= kSharedPool && blob % 17 != 0)
            continue; // every shared blob, a sample of the others
        auto loc = catalog->locateChunk(tenant->id, chunkId(blob));
        QVERIFY_OK(loc);
        QVERIFY(*loc);
        QVERIFY2((*loc)->pack == bySeq.at(seq), qPrintable(QStringLiteral("blob %1").arg(blob)));
        ++checked;
    }
    QVERIFY(checked > kSharedPool);

    // The counter agrees with the rows, and the worker threads' connections are gone.
    {
        QSqlQuery q(QSqlDatabase::database(
            QSqlDatabase::connectionNames().filter(QStringLiteral("cairn-catalog-")).first(), false));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM chunks WHERE tenant_id = %1").arg(tenant->id)) && q.next());
        QCOMPARE(q.value(0).toLongLong(), qint64(firstSeq.size()));
    }
    QCOMPARE(catalog->openConnectionCount(), 1);
}

void TestSqlCatalogConcurrency::readersRunBesideWriters()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    auto tenant = addTenant(*catalog, QStringLiteral("mixed"));
    QVERIFY_OK(tenant);
    std::atomic<bool> writing {true};
    std::atomic<int> reads {0};
    std::mutex mutex;
    QStringList errors;
    std::thread writer([&] {
        for (int i = 0; i < 200; ++i) {
            const auto entries = entriesFor(seedRange(quint64(i) * 50, 50));
            auto r = catalog->addPack(tenant->id, packId(quint64(i) + 1), packSizeFor(entries), entries);
            if (!r.ok()) {
                std::lock_guard lock(mutex);
                errors << r.error().message;
            }
        }
        writing = false;
    });
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
        readers.emplace_back([&] {
            qint64 lastCount = 0;
            while (writing.load()) {
                auto count = catalog->chunkCount(tenant->id);
                auto usage = catalog->usage(tenant->id);
                std::lock_guard lock(mutex);
                if (!count.ok() || !usage.ok()) {
                    errors << (count.ok() ? usage.error().message : count.error().message);
                    return;
                }
                // Whole packs only: a reader never sees half a pack's blobs.
                if (*count < lastCount || *count % 50 != 0 || usage->chunks != usage->packs * 50)
                    errors << QStringLiteral("inconsistent read: %1 chunks, %2 packs").arg(*count).arg(usage->packs);
                lastCount = *count;
                ++reads;
            }
        });
    }
    writer.join();
    for (auto &r : readers)
        r.join();
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY(reads.load() > 0);
    QCOMPARE(*catalog->chunkCount(tenant->id), 200 * 50);
    QCOMPARE(catalog->openConnectionCount(), 1);
}

QTEST_GUILESS_MAIN(TestSqlCatalogConcurrency)
#include "TestSqlCatalogConcurrency.moc"
