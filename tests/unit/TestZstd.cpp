// Round trips and rejection of damaged or mislabelled frames by the zstd blob wrapper.
#include "compress/Zstd.h"

#include <QRandomGenerator>
#include <QtTest>

#include <zstd.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace cairn;

namespace {

QByteArray randomData(int n, quint32 seed)
{
    QByteArray b(n, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (int i = 0; i < n; ++i)
        b[i] = char(rng.generate() & 0xff);
    return b;
}

QByteArray compressibleData(int n)
{
    QByteArray b;
    b.reserve(n);
    int line = 0;
    while (b.size() < n)
        b += QByteArray("line ") + QByteArray::number(line++ % 977)
             + QByteArray(" of a fairly dull log file\n");
    b.truncate(n);
    return b;
}

QByteArray pack(const QByteArray &raw, int level)
{
    QByteArray out;
    zstd::compress(raw.constData(), size_t(raw.size()), level, out);
    return out;
}

} // namespace

class TestZstd : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void compressClearsOutput();
    void compressesCompressibleData();
    void rejects_data();
    void rejects();
    void rejectsOversizedRawSize();
    void acceptsFrameWithoutContentSize();
    void threads();
};

void TestZstd::roundTrip_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("level");
    const QByteArray mib = compressibleData(1 << 20);
    const QByteArray rnd = randomData(300 * 1000, 7);
    for (int level : {1, 3, 19}) {
        const QByteArray l = QByteArray::number(level);
        QTest::newRow(QByteArray("empty, level " + l).constData()) << QByteArray() << level;
        QTest::newRow(QByteArray("1 byte, level " + l).constData()) << QByteArray("x") << level;
        QTest::newRow(QByteArray("1 MiB compressible, level " + l).constData()) << mib << level;
        QTest::newRow(QByteArray("random, level " + l).constData()) << rnd << level;
    }
}

void TestZstd::roundTrip()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, level);
    const QByteArray packed = pack(raw, level);
    QVERIFY(!packed.isEmpty());
    const Result<QByteArray> back =
        zstd::decompress(packed.constData(), size_t(packed.size()), size_t(raw.size()));
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
    QCOMPARE(back->size(), raw.size());
    QVERIFY(*back == raw);
}

void TestZstd::compressClearsOutput()
{
    QByteArray out("stale contents that must go");
    zstd::compress("abc", 3, 3, out);
    const Result<QByteArray> back = zstd::decompress(out.constData(), size_t(out.size()), 3);
    QVERIFY(back.ok());
    QCOMPARE(*back, QByteArray("abc"));
}

void TestZstd::compressesCompressibleData()
{
    const QByteArray raw = compressibleData(1 << 20);
    const QByteArray fast = pack(raw, 1);
    const QByteArray strong = pack(raw, 19);
    QVERIFY(fast.size() < raw.size() / 10);
    QVERIFY(strong.size() <= fast.size());
}

void TestZstd::rejects_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<qulonglong>("rawSize");
    const QByteArray raw = compressibleData(100 * 1000);
    const QByteArray packed = pack(raw, 3);
    const qulonglong n = qulonglong(raw.size());
    QByteArray flipped = packed;
    flipped[packed.size() / 2] = char(flipped[packed.size() / 2] ^ 0x5a);

    QTest::newRow("empty input") << QByteArray() << 0ull;
    QTest::newRow("garbage") << randomData(1000, 3) << n;
    QTest::newRow("garbage, zero size") << QByteArray("not a zstd frame at all") << 0ull;
    QTest::newRow("truncated frame") << packed.left(packed.size() / 2) << n;
    QTest::newRow("truncated by one byte") << packed.left(packed.size() - 1) << n;
    QTest::newRow("header only") << packed.left(6) << n;
    QTest::newRow("trailing bytes") << packed + QByteArray("xx") << n;
    QTest::newRow("two frames") << packed + packed << n;
    QTest::newRow("rawSize larger") << packed << n + 1;
    QTest::newRow("rawSize smaller") << packed << n - 1;
    QTest::newRow("rawSize zero") << packed << 0ull;
    QTest::newRow("damaged payload") << flipped << n;
}

void TestZstd::rejects()
{
    QFETCH(QByteArray, frame);
    QFETCH(qulonglong, rawSize);
    const Result<QByteArray> r = zstd::decompress(frame.constData(), size_t(frame.size()), size_t(rawSize));
    // A damaged payload may still decode (zstd frames carry no checksum by default); it must then
    // at least keep the promised size. Everything else has to fail as Corrupt.
    if (QByteArray(QTest::currentDataTag()) == "damaged payload" && r.ok()) {
        QCOMPARE(qulonglong(r->size()), rawSize);
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestZstd::rejectsOversizedRawSize()
{
    const QByteArray raw = compressibleData(1000);
    const QByteArray packed = pack(raw, 3);
    const Result<QByteArray> r =
        zstd::decompress(packed.constData(), size_t(packed.size()), zstd::MaxBlobRawSize + 1);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);

    // Exactly the limit is allowed.
    const QByteArray big(int(zstd::MaxBlobRawSize), 'z');
    const QByteArray bigPacked = pack(big, 1);
    const Result<QByteArray> ok =
        zstd::decompress(bigPacked.constData(), size_t(bigPacked.size()), big.size());
    QVERIFY(ok.ok());
    QVERIFY(*ok == big);
}

void TestZstd::acceptsFrameWithoutContentSize()
{
    // A frame written by a streaming encoder has no content size; the size check then falls to the
    // decoded length.
    const QByteArray raw = compressibleData(5000);
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
    QByteArray frame(int(ZSTD_compressBound(size_t(raw.size()))), Qt::Uninitialized);
    const size_t n =
        ZSTD_compress2(c, frame.data(), size_t(frame.size()), raw.constData(), size_t(raw.size()));
    ZSTD_freeCCtx(c);
    QVERIFY(!ZSTD_isError(n));
    frame.truncate(int(n));
    QCOMPARE(ZSTD_getFrameContentSize(frame.constData(), n), ZSTD_CONTENTSIZE_UNKNOWN);

    const Result<QByteArray> ok = zstd::decompress(frame.constData(), n, size_t(raw.size()));
    QVERIFY(ok.ok());
    QVERIFY(*ok == raw);
    const Result<QByteArray> tooBig = zstd::decompress(frame.constData(), n, size_t(raw.size()) + 1);
    QVERIFY(!tooBig.ok());
    QCOMPARE(tooBig.error().code, ErrorCode::Corrupt);
    const Result<QByteArray> tooSmall = zstd::decompress(frame.constData(), n, size_t(raw.size()) - 1);
    QVERIFY(!tooSmall.ok());
    QCOMPARE(tooSmall.error().code, ErrorCode::Corrupt);
}

void TestZstd::threads()
{
    const QByteArray raw = compressibleData(200 * 1000);
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 6; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                QByteArray packed;
                zstd::compress(raw.constData(), size_t(raw.size()), 1 + (t + i) % 5, packed);
                const Result<QByteArray> back =
                    zstd::decompress(packed.constData(), size_t(packed.size()), size_t(raw.size()));
                if (!back.ok() || *back != raw)
                    ++failures;
            }
        });
    }
    for (auto &w : workers)
        w.join();
    QCOMPARE(failures.load(), 0);
}

QTEST_GUILESS_MAIN(TestZstd)
#include "TestZstd.moc"
