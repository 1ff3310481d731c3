// Packs: a written pack parses back to the same entries, its id is the SHA-256 of its bytes,
// every blob opens from its offset, and malformed or randomly mutated packs are rejected by the
// parsers without crashing.
#include "base/ByteIo.h"
#include "repository/Pack.h"

#include <QRandomGenerator>
#include <QtTest>

#include <cstring>

using namespace cairn;

namespace {

QByteArray randomData(int n, QRandomGenerator &rng)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(rng.generate() & 0xff);
    return b;
}

struct Parsed {
    bool trailerOk = false;
    bool headerOk = false;
    std::vector<PackEntry> entries;
    ErrorCode code = ErrorCode::Permanent;
};

// Runs both parsers the way Repository::indexUnknownPacks does.
Parsed parse(const BlobCodec &codec, const QByteArray &pack)
{
    Parsed p;
    auto len = parsePackTrailer(pack.right(kPackTrailerSize), pack.size());
    if (!len) {
        p.code = len.error().code;
        return p;
    }
    p.trailerOk = true;
    const QByteArray sealed = pack.mid(pack.size() - kPackTrailerSize - qint64(*len), *len);
    if (sealed.size() != qsizetype(*len))
        return p;
    auto entries = parsePackHeader(codec, sealed, pack.size());
    if (!entries) {
        p.code = entries.error().code;
        return p;
    }
    p.headerOk = true;
    p.entries = std::move(*entries);
    return p;
}

// A pack whose header is `header` (plaintext) sealed properly, after `body` bytes of data.
QByteArray packWithHeader(const BlobCodec &codec, const QByteArray &body, const QByteArray &header)
{
    QByteArray pack = body;
    const int before = pack.size();
    codec.sealRecord(packHeaderLabel(), header, pack);
    uint8_t trailer[kPackTrailerSize];
    putLe32(trailer, uint32_t(pack.size() - before));
    std::memcpy(trailer + 4, kPackMagic, sizeof kPackMagic);
    pack.append(reinterpret_cast<const char *>(trailer), sizeof trailer);
    return pack;
}

QByteArray headerOf(const std::vector<PackEntry> &entries, int claimedCount = -1)
{
    QByteArray h(4 + int(entries.size()) * kPackEntrySize, '\0');
    auto *p = reinterpret_cast<uint8_t *>(h.data());
    putLe32(p, uint32_t(claimedCount == -1 ? int(entries.size()) : claimedCount));
    p += 4;
    for (const PackEntry &e : entries) {
        p[0] = uint8_t(e.type);
        std::memcpy(p + 1, e.id.data(), 32);
        putLe32(p + 33, e.offset);
        putLe32(p + 37, e.length);
        putLe32(p + 41, e.rawLength);
        p += kPackEntrySize;
    }
    return h;
}

bool sameEntry(const PackEntry &a, const PackEntry &b)
{
    return a.type == b.type && a.id == b.id && a.offset == b.offset && a.length == b.length
        && a.rawLength == b.rawLength;
}

} // namespace

class TestPack : public QObject {
    Q_OBJECT
private slots:
    void init();
    void roundTrip_data();
    void roundTrip();
    void writerResetsAfterFinish();
    void addSealedKeepsBytes();
    void wrongMagic();
    void trailerTooShort();
    void headerLengthOutOfRange_data();
    void headerLengthOutOfRange();
    void entryOutsidePack_data();
    void entryOutsidePack();
    void entryCountMismatch();
    void unknownBlobType();
    void flippedHeaderByte();
    void otherKeyCannotReadHeader();
    void fuzzMutations();
    void verifyAcceptsAWrittenPack();
    void verifyRejectsBlobsThatDoNotMatchTheirIds();
    void verifyRejectsGapsAndOverlaps();

private:
    // A pack of `n` small blobs and where its header starts.
    PackWriter::Finished smallPack(int n, qint64 *headerStart);
    KeySet m_keys;
    std::unique_ptr<BlobCodec> m_codec;
};

void TestPack::init()
{
    m_keys = KeySet::generate();
    m_codec = std::make_unique<BlobCodec>(m_keys, 3);
}

void TestPack::roundTrip_data()
{
    QTest::addColumn<int>("blobs");
    QTest::newRow("zero") << 0;
    QTest::newRow("one") << 1;
    QTest::newRow("many") << 50;
}

void TestPack::roundTrip()
{
    QFETCH(int, blobs);
    QRandomGenerator rng(42);
    PackWriter w(*m_codec);
    QVERIFY(w.isEmpty());
    std::vector<QByteArray> plains;
    for (int i = 0; i < blobs; ++i) {
        QByteArray plain = i % 3 == 0 ? QByteArray(1000 + i, char('a' + i % 26)) : randomData(i * 37, rng);
        const BlobType type = i % 2 ? BlobType::Tree : BlobType::Data;
        w.add(type, m_codec->chunkId(plain.constData(), size_t(plain.size())), plain.constData(), size_t(plain.size()));
        plains.push_back(plain);
    }
    QCOMPARE(w.count(), blobs);
    PackWriter::Finished f = w.finish();
    QCOMPARE(int(f.entries.size()), blobs);
    QVERIFY(f.id == packIdOf(f.bytes));
    PackId sha;
    sha.bytes = crypto::sha256(f.bytes);
    QVERIFY(f.id == sha);
    QVERIFY(f.bytes.endsWith(QByteArray(kPackMagic, sizeof kPackMagic)));

    const Parsed p = parse(*m_codec, f.bytes);
    QVERIFY(p.trailerOk);
    QVERIFY(p.headerOk);
    QCOMPARE(p.entries.size(), f.entries.size());
    for (size_t i = 0; i < p.entries.size(); ++i) {
        QVERIFY(sameEntry(p.entries[i], f.entries[i]));
        const PackEntry &e = p.entries[i];
        QCOMPARE(e.type, i % 2 ? BlobType::Tree : BlobType::Data);
        QCOMPARE(e.rawLength, uint32_t(plains[i].size()));
        auto plain = m_codec->open(e.id, f.bytes.constData() + e.offset, e.length, e.rawLength);
        QVERIFY2(plain.ok(), qPrintable(plain ? QString() : plain.error().message));
        QCOMPARE(*plain, plains[i]);
    }
}

void TestPack::writerResetsAfterFinish()
{
    PackWriter w(*m_codec);
    w.add(BlobType::Data, m_codec->chunkId("a", 1), "a", 1);
    const auto first = w.finish();
    QVERIFY(w.isEmpty());
    QCOMPARE(w.size(), qint64(0));
    w.add(BlobType::Data, m_codec->chunkId("b", 1), "b", 1);
    const auto second = w.finish();
    QCOMPARE(second.entries.size(), size_t(1));
    QCOMPARE(second.entries[0].offset, 0u);
    QVERIFY(first.id != second.id);
}

void TestPack::addSealedKeepsBytes()
{
    QByteArray sealed;
    const QByteArray plain("repacked");
    const ChunkId id = m_codec->chunkId(plain.constData(), size_t(plain.size()));
    m_codec->seal(id, plain.constData(), size_t(plain.size()), sealed);
    PackWriter w(*m_codec);
    w.add(BlobType::Data, m_codec->chunkId("x", 1), "x", 1);
    PackEntry e;
    e.type = BlobType::Tree;
    e.id = id;
    e.rawLength = uint32_t(plain.size());
    e.offset = 12345; // ignored: the writer places it
    w.addSealed(e, sealed);
    const auto f = w.finish();
    QCOMPARE(f.entries[1].offset, f.entries[0].length);
    QCOMPARE(f.entries[1].length, uint32_t(sealed.size()));
    QCOMPARE(f.bytes.mid(f.entries[1].offset, sealed.size()), sealed);
    const Parsed p = parse(*m_codec, f.bytes);
    QVERIFY(p.headerOk);
    QVERIFY(sameEntry(p.entries[1], f.entries[1]));
}

void TestPack::wrongMagic()
{
    PackWriter w(*m_codec);
    w.add(BlobType::Data, m_codec->chunkId("a", 1), "a", 1);
    QByteArray bytes = w.finish().bytes;
    bytes[bytes.size() - 1] = '2';
    auto r = parsePackTrailer(bytes, bytes.size());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestPack::trailerTooShort()
{
    for (int n = 0; n < kPackTrailerSize; ++n) {
        const QByteArray tail = QByteArray(kPackMagic, sizeof kPackMagic).right(n);
        auto r = parsePackTrailer(tail, n);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Corrupt);
    }
    // A whole trailer but a pack size claiming less.
    QByteArray t(4, '\0');
    t.append(kPackMagic, sizeof kPackMagic);
    auto r = parsePackTrailer(t, 3);
    QVERIFY(!r.ok());
}

void TestPack::headerLengthOutOfRange_data()
{
    QTest::addColumn<quint32>("headerLen");
    QTest::addColumn<qint64>("packSize");
    QTest::newRow("zero") << quint32(0) << qint64(1000);
    QTest::newRow("below-overhead") << quint32(kBlobOverhead - 1) << qint64(1000);
    QTest::newRow("past-start") << quint32(1000 - kPackTrailerSize + 1) << qint64(1000);
    QTest::newRow("huge") << quint32(0xffffffffu) << qint64(1000);
    QTest::newRow("huge-big-pack") << quint32(0xffffffffu) << qint64(kMaxPackSize);
}

void TestPack::headerLengthOutOfRange()
{
    QFETCH(quint32, headerLen);
    QFETCH(qint64, packSize);
    QByteArray t(4, '\0');
    putLe32(reinterpret_cast<uint8_t *>(t.data()), headerLen);
    t.append(kPackMagic, sizeof kPackMagic);
    auto r = parsePackTrailer(t, packSize);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
    // The largest legal length is accepted.
    putLe32(reinterpret_cast<uint8_t *>(t.data()), uint32_t(packSize - kPackTrailerSize));
    QVERIFY(parsePackTrailer(t, packSize).ok());
}

void TestPack::entryOutsidePack_data()
{
    QTest::addColumn<quint32>("offset");
    QTest::addColumn<quint32>("length");
    const quint32 body = 200;
    QTest::newRow("past-end") << quint32(body) << quint32(kBlobOverhead);
    QTest::newRow("overlaps-header") << quint32(body - kBlobOverhead + 1) << quint32(kBlobOverhead);
    QTest::newRow("too-short") << quint32(0) << quint32(kBlobOverhead - 1);
    QTest::newRow("offset-overflow") << quint32(0xffffffffu) << quint32(kBlobOverhead);
    QTest::newRow("length-overflow") << quint32(10) << quint32(0xffffffffu);
    QTest::newRow("both-max") << quint32(0xffffffffu) << quint32(0xffffffffu);
}

void TestPack::entryOutsidePack()
{
    QFETCH(quint32, offset);
    QFETCH(quint32, length);
    const QByteArray body(200, 'b');
    PackEntry good;
    good.offset = 0;
    good.length = 200;
    PackEntry bad;
    bad.offset = offset;
    bad.length = length;
    // Sanity: the well-formed entry at the data end is accepted.
    const QByteArray okPack = packWithHeader(*m_codec, body, headerOf({good}));
    QVERIFY(parse(*m_codec, okPack).headerOk);
    const QByteArray pack = packWithHeader(*m_codec, body, headerOf({good, bad}));
    const Parsed p = parse(*m_codec, pack);
    QVERIFY(p.trailerOk);
    QVERIFY(!p.headerOk);
    QCOMPARE(p.code, ErrorCode::Corrupt);
}

void TestPack::entryCountMismatch()
{
    PackEntry e;
    e.length = 100;
    for (int claimed : {0, 2, 1000000, -2 /* 0xfffffffe */, -1 - 0x7fffffff /* 0x80000000 */}) {
        const QByteArray pack = packWithHeader(*m_codec, QByteArray(100, 'x'), headerOf({e}, claimed));
        const Parsed p = parse(*m_codec, pack);
        QVERIFY2(!p.headerOk, qPrintable(QString::number(claimed)));
        QCOMPARE(p.code, ErrorCode::Corrupt);
    }
    // Header shorter than its count field.
    const QByteArray pack = packWithHeader(*m_codec, QByteArray(100, 'x'), QByteArray("\x01\x00", 2));
    QVERIFY(!parse(*m_codec, pack).headerOk);
}

void TestPack::unknownBlobType()
{
    PackEntry e;
    e.length = 100;
    e.type = BlobType(2);
    const Parsed p = parse(*m_codec, packWithHeader(*m_codec, QByteArray(100, 'x'), headerOf({e})));
    QVERIFY(!p.headerOk);
    QCOMPARE(p.code, ErrorCode::Corrupt);
}

void TestPack::flippedHeaderByte()
{
    PackWriter w(*m_codec);
    w.add(BlobType::Data, m_codec->chunkId("abc", 3), "abc", 3);
    const auto f = w.finish();
    const auto headerLen = parsePackTrailer(f.bytes, f.bytes.size());
    QVERIFY(headerLen.ok());
    const int start = f.bytes.size() - kPackTrailerSize - int(*headerLen);
    for (int i = start; i < start + int(*headerLen); ++i) {
        QByteArray bad = f.bytes;
        bad[i] = char(bad[i] ^ 0x20);
        const Parsed p = parse(*m_codec, bad);
        QVERIFY(p.trailerOk);
        QVERIFY2(!p.headerOk, qPrintable(QString::number(i)));
        QCOMPARE(p.code, ErrorCode::Corrupt);
    }
}

void TestPack::otherKeyCannotReadHeader()
{
    PackWriter w(*m_codec);
    w.add(BlobType::Data, m_codec->chunkId("abc", 3), "abc", 3);
    const auto f = w.finish();
    BlobCodec other(KeySet::generate(), 3);
    const Parsed p = parse(other, f.bytes);
    QVERIFY(p.trailerOk);
    QVERIFY(!p.headerOk);
    QCOMPARE(p.code, ErrorCode::Corrupt);
}

void TestPack::fuzzMutations()
{
    QRandomGenerator rng(20240601);
    PackWriter w(*m_codec);
    for (int i = 0; i < 5; ++i) {
        const QByteArray plain = randomData(50 + i * 10, rng);
        w.add(BlobType::Data, m_codec->chunkId(plain.constData(), size_t(plain.size())), plain.constData(),
              size_t(plain.size()));
    }
    const auto f = w.finish();
    int parsedOk = 0;
    for (int iter = 0; iter < 2000; ++iter) {
        QByteArray m = f.bytes;
        const int kind = int(rng.bounded(4));
        const int mutations = 1 + int(rng.bounded(3));
        for (int k = 0; k < mutations && !m.isEmpty(); ++k) {
            switch (kind) {
            case 0: { // flip bits, biased towards the trailer and header
                const int pos = rng.bounded(2) ? int(rng.bounded(m.size()))
                                               : m.size() - 1 - int(rng.bounded(std::min<qsizetype>(m.size(), 120)));
                m[pos] = char(m[pos] ^ char(1 + rng.bounded(255)));
                break;
            }
            case 1: // truncate
                m.truncate(int(rng.bounded(m.size())));
                break;
            case 2: // extend
                m.append(randomData(1 + int(rng.bounded(64)), rng));
                break;
            case 3: { // overwrite the header length with a random value
                if (m.size() >= kPackTrailerSize)
                    putLe32(reinterpret_cast<uint8_t *>(m.data() + m.size() - kPackTrailerSize), rng.generate());
                break;
            }
            }
        }
        const Parsed p = parse(*m_codec, m);
        if (p.headerOk) {
            ++parsedOk;
            // Whatever was accepted lies inside the pack.
            for (const PackEntry &e : p.entries)
                QVERIFY(qint64(e.offset) + e.length <= m.size());
        }
    }
    QVERIFY(parsedOk < 2000); // the mutations did reject something
}



PackWriter::Finished TestPack::smallPack(int n, qint64 *headerStart)
{
    PackWriter w(*m_codec);
    for (int i = 0; i < n; ++i) {
        const QByteArray plain = QByteArray::number(i).repeated(50 + i);
        w.add(BlobType::Data, m_codec->chunkId(plain.constData(), size_t(plain.size())), plain.constData(), size_t(plain.size()));
    }
    PackWriter::Finished f = w.finish();
    *headerStart = f.entries.empty() ? 0 : qint64(f.entries.back().offset) + f.entries.back().length;
    return f;
}

void TestPack::verifyAcceptsAWrittenPack()
{
    qint64 headerStart = 0;
    const PackWriter::Finished f = smallPack(20, &headerStart);
    const Parsed p = parse(*m_codec, f.bytes);
    QVERIFY(p.headerOk);
    const Status s = verifyPackBlobs(*m_codec, f.bytes, headerStart, p.entries);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
}

void TestPack::verifyRejectsBlobsThatDoNotMatchTheirIds()
{
    qint64 headerStart = 0;
    PackWriter::Finished f = smallPack(5, &headerStart);
    // A header that claims another chunk id for blob 2: the pack would poison the index.
    std::vector<PackEntry> claimed = f.entries;
    claimed[2].id = m_codec->chunkId("something else", 14);
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, claimed).error().code, ErrorCode::Corrupt);
    // A flipped byte inside blob 3.
    QByteArray damaged = f.bytes;
    damaged[qsizetype(f.entries[3].offset) + 20] ^= 0x01;
    QCOMPARE(verifyPackBlobs(*m_codec, damaged, headerStart, f.entries).error().code, ErrorCode::Corrupt);
    // Sealed with another tenant's key.
    const KeySet other = KeySet::generate();
    const BlobCodec otherCodec(other, 3);
    QCOMPARE(verifyPackBlobs(otherCodec, f.bytes, headerStart, f.entries).error().code, ErrorCode::Corrupt);
}

void TestPack::verifyRejectsGapsAndOverlaps()
{
    qint64 headerStart = 0;
    const PackWriter::Finished f = smallPack(4, &headerStart);
    std::vector<PackEntry> twice = f.entries; // one blob listed twice: overlapping entries
    twice.insert(twice.begin() + 1, f.entries[0]);
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, twice).error().code, ErrorCode::Corrupt);
    std::vector<PackEntry> missing = f.entries; // a blob left out: a gap
    missing.erase(missing.begin() + 1);
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, missing).error().code, ErrorCode::Corrupt);
    std::vector<PackEntry> lastMissing = f.entries; // unlisted bytes before the header
    lastMissing.pop_back();
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, lastMissing).error().code, ErrorCode::Corrupt);
    std::vector<PackEntry> expanding = f.entries; // claims more plaintext than a server opens
    for (PackEntry &e : expanding)
        e.rawLength = uint32_t(1) << 30;
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, expanding).error().code, ErrorCode::Corrupt);
    std::vector<PackEntry> many(size_t(kMaxPackEntries) + 1, f.entries[0]);
    QCOMPARE(verifyPackBlobs(*m_codec, f.bytes, headerStart, many).error().code, ErrorCode::Corrupt);
}

QTEST_GUILESS_MAIN(TestPack)
#include "TestPack.moc"
