// GarbageCollector's mark of live data chunks (LiveChunkSet): millions of chunk ids, each
// referenced by several snapshots, fit in a bounded, predictable amount of memory (8 bytes per
// distinct chunk after finish(), at most 16 while marking), every added id is found,
// and ids never added are not (a 64-bit prefix collision could only keep a dead blob). Main thread.
#include "ops/GarbageCollector.h"

#include <QElapsedTimer>
#include <QTest>

#include <random>

using namespace cairn;
using namespace cairn::server;

namespace {

ChunkId idOf(std::mt19937_64 &rng)
{
    ChunkId id;
    for (int i = 0; i < ChunkId::Size; i += 8) {
        const uint64_t v = rng();
        std::memcpy(id.data() + i, &v, 8);
    }
    return id;
}

} // namespace

class TestGcLiveSet : public QObject {
    Q_OBJECT

private slots:
    void millionsOfChunksInBoundedMemory()
    {
        constexpr qint64 kChunks = 3'000'000;
        constexpr int kSnapshots = 4; // each snapshot references every chunk again
        LiveChunkSet live;
        QElapsedTimer timer;
        timer.start();
        qint64 peak = 0;
        for (int s = 0; s < kSnapshots; ++s) {
            std::mt19937_64 rng(42);
            for (qint64 i = 0; i < kChunks; ++i) {
                live.add(idOf(rng));
                if ((i & 0xffff) == 0)
                    peak = std::max(peak, live.memoryBytes());
            }
        }
        live.finish();
        peak = std::max(peak, live.memoryBytes());
        qInfo("%lld chunks referenced %d times: %lld distinct, %lld bytes after finish, peak %lld bytes, %lld ms",
            kChunks, kSnapshots, live.size(), live.memoryBytes(), peak, qint64(timer.elapsed()));
        QCOMPARE(live.size(), kChunks);
        QVERIFY(live.memoryBytes() <= kChunks * 8 + 64);
        // The vector grows by doubling: at most 16 bytes per distinct chunk, never the 4×8 bytes
        // of every reference.
        QVERIFY2(peak <= kChunks * 16 + (1 << 20), qPrintable(QString::number(peak)));

        std::mt19937_64 again(42);
        for (qint64 i = 0; i < kChunks; ++i)
            QVERIFY(live.contains(idOf(again)));
        std::mt19937_64 other(7);
        int found = 0;
        for (int i = 0; i < 1'000'000; ++i)
            found += live.contains(idOf(other)) ? 1 : 0;
        QCOMPARE(found, 0);
    }

    void emptySetContainsNothing()
    {
        LiveChunkSet live;
        live.finish();
        std::mt19937_64 rng(1);
        QVERIFY(!live.contains(idOf(rng)));
        QCOMPARE(live.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGcLiveSet)
#include "TestGcLiveSet.moc"
