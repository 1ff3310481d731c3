// Chunker: FastCDC cut points match a plain one-byte-per-step reference, are independent of how
// the stream is fed, depend on the secret, have the expected size distribution and resist shifts.
#include "chunker/Chunker.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

using namespace cairn;

namespace {

using Bytes = std::vector<uint8_t>;

QByteArray secret(uint8_t fill)
{
    QByteArray s(GearTable::SecretSize, char(0));
    for (int i = 0; i < s.size(); ++i)
        s[i] = char(fill + i * 7);
    return s;
}

Bytes randomBytes(size_t n, uint64_t seed)
{
    Bytes out(n);
    std::mt19937_64 rng(seed);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const uint64_t v = rng();
        std::copy_n(reinterpret_cast<const uint8_t *>(&v), 8, out.data() + i);
    }
    for (; i < n; ++i)
        out[i] = uint8_t(rng());
    return out;
}

// Independent statement of the masks: log2(avg) + 2 and log2(avg) - 2 one-bits ending at bit 62.
uint64_t referenceMask(int bits)
{
    uint64_t m = 0;
    for (int k = 0; k < bits; ++k)
        m |= uint64_t(1) << (62 - k);
    return m;
}

int log2Of(uint32_t v)
{
    int b = 0;
    while ((uint32_t(1) << b) < v)
        ++b;
    return b;
}

// FastCDC with normalized chunking level 2, one byte per step, written for clarity.
size_t referenceCut(const GearTable &table, const ChunkerParams &p, const uint8_t *d, size_t n,
                    bool final)
{
    if (n <= p.minSize)
        return final ? n : 0;
    const uint64_t maskS = referenceMask(log2Of(p.avgSize) + 2);
    const uint64_t maskL = referenceMask(log2Of(p.avgSize) - 2);
    const size_t end = std::min<size_t>(n, p.maxSize);
    uint64_t fp = 0;
    for (size_t i = p.minSize; i < end; ++i) {
        fp = (fp << 1) + table.gear()[d[i]];
        const uint64_t mask = i < p.avgSize ? maskS : maskL;
        if ((fp & mask) == 0)
            return i + 1;
    }
    if (n >= p.maxSize)
        return p.maxSize;
    return final ? n : 0;
}

std::vector<size_t> chunkAll(const Chunker &c, const Bytes &data)
{
    std::vector<size_t> cuts;
    size_t pos = 0;
    while (pos < data.size()) {
        const size_t len = c.nextCut(data.data() + pos, data.size() - pos, true);
        if (len == 0)
            break;
        cuts.push_back(len);
        pos += len;
    }
    return cuts;
}

std::vector<size_t> chunkAllReference(const GearTable &t, const ChunkerParams &p, const Bytes &data)
{
    std::vector<size_t> cuts;
    size_t pos = 0;
    while (pos < data.size()) {
        const size_t len = referenceCut(t, p, data.data() + pos, data.size() - pos, true);
        cuts.push_back(len);
        pos += len;
    }
    return cuts;
}

// Simulates the streaming caller: a buffer refilled `feed` bytes at a time; nextCut is called
// with final == false until it asks for more data, and with final == true after the last fill.
std::vector<size_t> chunkStreaming(const Chunker &c, const Bytes &data, size_t feed)
{
    std::vector<size_t> cuts;
    Bytes buf;
    size_t consumed = 0; // bytes of `data` appended to buf so far
    size_t pos = 0;      // start of the unchunked part of buf
    for (;;) {
        const bool final = consumed == data.size();
        for (;;) {
            const size_t len = c.nextCut(buf.data() + pos, buf.size() - pos, final);
            if (len == 0)
                break;
            cuts.push_back(len);
            pos += len;
        }
        if (final)
            break;
        buf.erase(buf.begin(), buf.begin() + long(pos));
        pos = 0;
        const size_t take = std::min(feed, data.size() - consumed);
        buf.insert(buf.end(), data.begin() + long(consumed), data.begin() + long(consumed + take));
        consumed += take;
    }
    return cuts;
}

Bytes structuredData(const QByteArray &kind, size_t n)
{
    Bytes d(n);
    std::mt19937_64 rng(99);
    if (kind == "random") {
        d = randomBytes(n, 1234);
    } else if (kind == "zeros") {
        // already zero
    } else if (kind == "period3") {
        for (size_t i = 0; i < n; ++i)
            d[i] = uint8_t("abc"[i % 3]);
    } else if (kind == "sawtooth") {
        for (size_t i = 0; i < n; ++i)
            d[i] = uint8_t(i);
    } else if (kind == "lowEntropy") {
        for (size_t i = 0; i < n; ++i)
            d[i] = uint8_t(rng() & 1);
    } else if (kind == "text") {
        static const char *words[] = {"the ", "backup ", "chunk ", "of ", "data\n", "cairn ",
                                      "repository ", "snapshot ", "a ", "index "};
        size_t i = 0;
        while (i < n) {
            const char *w = words[rng() % 10];
            for (; *w && i < n; ++w)
                d[i++] = uint8_t(*w);
        }
    } else if (kind == "mixed") {
        // random blocks separated by runs of zeros and repeats
        Bytes r = randomBytes(n, 77);
        for (size_t i = 0; i < n; ++i)
            d[i] = (i / 50000) % 3 == 0 ? 0 : ((i / 50000) % 3 == 1 ? r[i] : r[i % 4096]);
    }
    return d;
}

size_t hashOf(const uint8_t *p, size_t n)
{
    return std::hash<std::string>()(std::string(reinterpret_cast<const char *>(p), n));
}

std::vector<size_t> chunkHashes(const std::vector<size_t> &cuts, const Bytes &data)
{
    std::vector<size_t> out;
    size_t pos = 0;
    for (size_t len : cuts) {
        out.push_back(hashOf(data.data() + pos, len));
        pos += len;
    }
    return out;
}

ChunkerParams smallParams()
{
    return ChunkerParams{256, 1024, 4096};
}

} // namespace

Q_DECLARE_METATYPE(cairn::ChunkerParams)

class TestChunker : public QObject
{
    Q_OBJECT

private slots:
    void validate_data();
    void validate();
    void gearTableKnownAnswer();
    void masks();
    void matchesReference_data();
    void matchesReference();
    void streamingMatchesOnePass_data();
    void streamingMatchesOnePass();
    void needMoreDataBelowMaxSize();
    void differentSecretDifferentCuts();
    void sizeDistribution();
    void shiftResistance();
    void zeroData();
};

void TestChunker::validate_data()
{
    QTest::addColumn<ChunkerParams>("params");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << ChunkerParams{} << true;
    QTest::newRow("smallest") << ChunkerParams{64, 128, 129} << true;
    QTest::newRow("largest") << ChunkerParams{1 << 20, 8 << 20, 16 << 20} << true;
    QTest::newRow("min too small") << ChunkerParams{63, 128, 256} << false;
    QTest::newRow("min == avg") << ChunkerParams{1024, 1024, 4096} << false;
    QTest::newRow("min > avg") << ChunkerParams{2048, 1024, 4096} << false;
    QTest::newRow("avg == max") << ChunkerParams{256, 1024, 1024} << false;
    QTest::newRow("avg not power of two") << ChunkerParams{256, 1000, 4096} << false;
    QTest::newRow("avg zero") << ChunkerParams{0, 0, 4096} << false;
    QTest::newRow("max too large") << ChunkerParams{1024, 4096, (16 << 20) + 1} << false;
}

void TestChunker::validate()
{
    QFETCH(ChunkerParams, params);
    QFETCH(bool, valid);
    const Status s = Chunker::validate(params);
    QCOMPARE(s.ok(), valid);
    if (!valid)
        QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
}

void TestChunker::gearTableKnownAnswer()
{
    // AES-256 of the zero block under the zero key is dc95c078a2408989ad48a21492842087 (the
    // first keystream block of CTR with a zero IV); the table reads it little-endian.
    const GearTable t(QByteArray(32, char(0)));
    QCOMPARE(t.gear()[0], uint64_t(0x898940a278c095dcULL));
    QCOMPARE(t.gear()[1], uint64_t(0x87208492'14a248adULL));
    for (int i = 0; i < 256; ++i)
        QCOMPARE(t.gearShifted()[i], t.gear()[i] << 1);
    const GearTable other(secret(1));
    QVERIFY(!std::equal(t.gear(), t.gear() + 256, other.gear()));
}

void TestChunker::masks()
{
    const GearTable t(secret(1));
    for (uint32_t avg : {128u, 1024u, 65536u, 1u << 23}) {
        const Chunker c(t, ChunkerParams{64, avg, avg * 2});
        const int b = log2Of(avg);
        QCOMPARE(__builtin_popcountll(c.maskSmall()), b + 2);
        QCOMPARE(__builtin_popcountll(c.maskLarge()), b - 2);
        QCOMPARE(c.maskSmall() >> 63, uint64_t(0));
        QCOMPARE(c.maskSmall(), referenceMask(b + 2));
        QCOMPARE(c.maskLarge(), referenceMask(b - 2));
    }
}

void TestChunker::matchesReference_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<ChunkerParams>("params");
    QTest::addColumn<int>("size");
    const QByteArray kinds[] = {"random", "zeros", "period3", "sawtooth", "lowEntropy", "text",
                                "mixed"};
    for (const QByteArray &k : kinds) {
        QTest::newRow((k + " default").constData()) << k << ChunkerParams{} << (6 << 20);
        QTest::newRow((k + " small").constData()) << k << smallParams() << (1 << 20) + 333;
        // odd sizes exercise the one-byte tail of both scan phases
        QTest::newRow((k + " odd").constData()) << k << ChunkerParams{101, 512, 2049} << 777777;
    }
}

void TestChunker::matchesReference()
{
    QFETCH(QByteArray, kind);
    QFETCH(ChunkerParams, params);
    QFETCH(int, size);
    const GearTable t(secret(3));
    const Chunker c(t, params);
    const Bytes data = structuredData(kind, size_t(size));
    const std::vector<size_t> fast = chunkAll(c, data);
    QCOMPARE(fast, chunkAllReference(t, params, data));

    // Also partial buffers without `final`, which may answer "need more data".
    std::mt19937_64 rng(5);
    for (int k = 0; k < 300; ++k) {
        const size_t start = rng() % data.size();
        const size_t n = rng() % (params.maxSize + 100);
        const size_t avail = std::min(n, data.size() - start);
        QCOMPARE(c.nextCut(data.data() + start, avail, false),
                 referenceCut(t, params, data.data() + start, avail, false));
    }
}

void TestChunker::streamingMatchesOnePass_data()
{
    QTest::addColumn<ChunkerParams>("params");
    QTest::addColumn<int>("feed");
    QTest::addColumn<int>("size");
    for (int feed : {1, 7, 100, 4096, 5000})
        QTest::newRow(qPrintable(QStringLiteral("small params, feed %1").arg(feed)))
            << smallParams() << feed << 300001;
    for (int feed : {10000, 65536, 262143, 1 << 20})
        QTest::newRow(qPrintable(QStringLiteral("default params, feed %1").arg(feed)))
            << ChunkerParams{} << feed << (8 << 20) + 17;
}

void TestChunker::streamingMatchesOnePass()
{
    QFETCH(ChunkerParams, params);
    QFETCH(int, feed);
    QFETCH(int, size);
    const Chunker c(GearTable(secret(9)), params);
    const Bytes data = randomBytes(size_t(size), 42);
    const std::vector<size_t> onePass = chunkAll(c, data);
    QVERIFY(onePass.size() > 10);
    QCOMPARE(chunkStreaming(c, data, size_t(feed)), onePass);
    // and once more with the same key and data: the same result
    QCOMPARE(chunkAll(Chunker(GearTable(secret(9)), params), data), onePass);
}

void TestChunker::needMoreDataBelowMaxSize()
{
    const ChunkerParams p = smallParams();
    const Chunker c(GearTable(secret(2)), p);
    const Bytes zeros(p.maxSize * 2, 0);
    const Bytes random = randomBytes(p.maxSize * 2, 8);
    QCOMPARE(c.nextCut(random.data(), p.minSize, false), size_t(0));
    QCOMPARE(c.nextCut(random.data(), p.minSize, true), size_t(p.minSize));
    QCOMPARE(c.nextCut(random.data(), 0, true), size_t(0));
    // At maxSize or more bytes a cut is always returned, never beyond maxSize.
    for (const Bytes *d : {&zeros, &random}) {
        const size_t cut = c.nextCut(d->data(), d->size(), false);
        QVERIFY(cut > p.minSize);
        QVERIFY(cut <= p.maxSize);
        QCOMPARE(c.nextCut(d->data(), p.maxSize, false), cut);
    }
}

void TestChunker::differentSecretDifferentCuts()
{
    const Bytes data = randomBytes(4 << 20, 11);
    const std::vector<size_t> a = chunkAll(Chunker(GearTable(secret(1)), ChunkerParams{}), data);
    const std::vector<size_t> b = chunkAll(Chunker(GearTable(secret(2)), ChunkerParams{}), data);
    QVERIFY(a != b);
    // not merely shifted: almost no chunk is shared
    std::unordered_set<size_t> ha;
    for (size_t h : chunkHashes(a, data))
        ha.insert(h);
    int shared = 0;
    for (size_t h : chunkHashes(b, data))
        shared += ha.count(h) ? 1 : 0;
    QVERIFY2(shared <= 3, qPrintable(QString::number(shared)));
}

void TestChunker::sizeDistribution()
{
    const ChunkerParams p;
    const Chunker c(GearTable(secret(4)), p);
    const Bytes data = randomBytes(64 << 20, 2024);

    // Throughput for information only: the best of a few passes (the machine may be busy).
    std::vector<size_t> cuts;
    qint64 ns = std::numeric_limits<qint64>::max();
    for (int pass = 0; pass < 5; ++pass) {
        QElapsedTimer timer;
        timer.start();
        std::vector<size_t> again = chunkAll(c, data);
        ns = std::min(ns, timer.nsecsElapsed());
        if (pass > 0)
            QCOMPARE(again, cuts);
        cuts = std::move(again);
    }
    qDebug("chunked %zu MiB in %.1f ms: %.2f GB/s, %zu chunks", data.size() >> 20, ns / 1e6,
           double(data.size()) / double(ns), cuts.size());

    size_t total = 0;
    size_t atMax = 0;
    for (size_t i = 0; i < cuts.size(); ++i) {
        total += cuts[i];
        if (i + 1 < cuts.size()) {
            QVERIFY(cuts[i] >= p.minSize);
            QVERIFY(cuts[i] <= p.maxSize);
        }
        atMax += cuts[i] == p.maxSize ? 1 : 0;
    }
    QCOMPARE(total, data.size());
    const double mean = double(total) / double(cuts.size());
    qDebug("mean chunk %.0f bytes (avg parameter %u), %zu at maxSize", mean, p.avgSize, atMax);
    QVERIFY2(mean >= 0.8 * p.avgSize && mean <= 1.2 * p.avgSize, qPrintable(QString::number(mean)));
    QVERIFY(double(atMax) < 0.05 * double(cuts.size()));
}

void TestChunker::shiftResistance()
{
    const Chunker c(GearTable(secret(6)), ChunkerParams{});
    const Bytes original = randomBytes(16 << 20, 31);
    Bytes edited = original;
    const Bytes insert = randomBytes(100, 32);
    edited.insert(edited.begin() + long(original.size() / 2), insert.begin(), insert.end());

    const std::vector<size_t> a = chunkHashes(chunkAll(c, original), original);
    const std::vector<size_t> b = chunkHashes(chunkAll(c, edited), edited);
    const std::unordered_set<size_t> before(a.begin(), a.end());
    int changed = 0;
    for (size_t h : b)
        changed += before.count(h) ? 0 : 1;
    qDebug("%d of %zu chunks changed by a 100-byte insertion", changed, b.size());
    QVERIFY(a.size() > 100);
    QVERIFY2(changed >= 1 && changed <= 3, qPrintable(QString::number(changed)));
}

void TestChunker::zeroData()
{
    const Bytes zeros(1 << 20, 0);
    for (uint8_t key : {1, 2, 3, 4, 5}) {
        const Chunker c(GearTable(secret(key)), ChunkerParams{});
        const std::vector<size_t> cuts = chunkAll(c, zeros);
        QVERIFY(cuts.size() >= 2);
        // The fingerprint of a zero run is a fixed function of its length, so every chunk but
        // the last has one size (maxSize, or a fixed size when a cut appears early).
        for (size_t i = 0; i + 1 < cuts.size(); ++i)
            QCOMPARE(cuts[i], cuts[0]);
        QCOMPARE(chunkAll(c, zeros), cuts);
        size_t total = 0;
        for (size_t len : cuts)
            total += len;
        QCOMPARE(total, zeros.size());
    }
}

QTEST_GUILESS_MAIN(TestChunker)
#include "TestChunker.moc"
