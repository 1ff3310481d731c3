// Key sets, their wrapping and passphrase-protected key files: round trips, a wrong passphrase,
// and malformed key files that must fail with Corrupt/Unsupported, never crash. Blob sealing:
// round trips, compression choice, and every kind of tampering → Corrupt.
#include "repository/Blob.h"
#include "repository/Keys.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QtTest>

using namespace cairn;

namespace {

crypto::KdfParams fastKdf()
{
    crypto::KdfParams p;
    p.memoryKiB = 64;
    p.iterations = 1;
    p.parallelism = 1;
    return p;
}

bool sameKeys(const KeySet &a, const KeySet &b)
{
    return a.keyId == b.keyId && a.dataKey == b.dataKey && a.chunkIdKey == b.chunkIdKey && a.chunkerKey == b.chunkerKey;
}

crypto::Key256 randomKey()
{
    crypto::Key256 k{};
    crypto::randomBytes(k.data(), k.size());
    return k;
}

QByteArray randomData(int n, quint32 seed)
{
    QByteArray b(n, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    for (int i = 0; i < n; ++i)
        b[i] = char(rng.generate() & 0xff);
    return b;
}

QByteArray keyFileWith(const QByteArray &valid, const QString &field, const QJsonValue &value)
{
    QJsonObject o = QJsonDocument::fromJson(valid).object();
    if (value.isUndefined())
        o.remove(field);
    else
        o.insert(field, value);
    return QJsonDocument(o).toJson();
}

} // namespace

class TestKeys : public QObject {
    Q_OBJECT
private slots:
    void keySetSerializeRoundTrip();
    void keySetDeserializeMalformed_data();
    void keySetDeserializeMalformed();
    void wrapUnwrapRoundTrip();
    void unwrapWithOtherKeyFails();
    void unwrapTruncatedFails();
    void keyFileOpensWithPassphrase();
    void keyFileWrongPassphrase();
    void keyFileEmptyPassphraseRefused();
    void keyFileMalformed_data();
    void keyFileMalformed();

    void blobRoundTrip_data();
    void blobRoundTrip();
    void blobCompressionChoice();
    void blobLargerThanZstdLimitOpens();
    void blobWrongIdIsCorrupt();
    void blobEveryByteFlipIsCorrupt();
    void blobTruncatedIsCorrupt();
    void blobWrongRawLengthIsCorrupt();
    void blobOtherKeySetIsCorrupt();
    void recordLabelIsBound();
};

void TestKeys::keySetSerializeRoundTrip()
{
    const KeySet k = KeySet::generate();
    auto back = KeySet::deserialize(k.serialize());
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QVERIFY(sameKeys(*back, k));
    const KeySet other = KeySet::generate();
    QVERIFY(!sameKeys(other, k));
}

void TestKeys::keySetDeserializeMalformed_data()
{
    QTest::addColumn<QByteArray>("cbor");
    QTest::addColumn<int>("code");
    const QByteArray valid = KeySet::generate().serialize();
    QTest::newRow("empty") << QByteArray() << int(ErrorCode::Corrupt);
    QTest::newRow("not-cbor") << QByteArray("\xff\xff\xff", 3) << int(ErrorCode::Corrupt);
    QTest::newRow("array") << QByteArray("\x80", 1) << int(ErrorCode::Corrupt);
    QTest::newRow("truncated") << valid.left(valid.size() / 2) << int(ErrorCode::Corrupt);
    QTest::newRow("empty-map") << QByteArray("\xa0", 1) << int(ErrorCode::Unsupported);
    // {"v":1,"id":1} – keys missing
    QTest::newRow("no-keys") << QByteArray("\xa2\x61v\x01\x62id\x01", 8) << int(ErrorCode::Corrupt);
    // {"v":2}
    QTest::newRow("version-2") << QByteArray("\xa1\x61v\x02", 4) << int(ErrorCode::Unsupported);
}

void TestKeys::keySetDeserializeMalformed()
{
    QFETCH(QByteArray, cbor);
    QFETCH(int, code);
    auto r = KeySet::deserialize(cbor);
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().code), code);
}

void TestKeys::wrapUnwrapRoundTrip()
{
    const KeySet k = KeySet::generate();
    const crypto::Key256 kek = randomKey();
    const QByteArray wrapped = wrapKeySet(k, kek);
    auto back = unwrapKeySet(wrapped, kek);
    QVERIFY(back.ok());
    QVERIFY(sameKeys(*back, k));
    // Random nonce: wrapping twice gives different bytes.
    QVERIFY(wrapKeySet(k, kek) != wrapped);
}

void TestKeys::unwrapWithOtherKeyFails()
{
    const QByteArray wrapped = wrapKeySet(KeySet::generate(), randomKey());
    auto r = unwrapKeySet(wrapped, randomKey());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestKeys::unwrapTruncatedFails()
{
    const crypto::Key256 kek = randomKey();
    const QByteArray wrapped = wrapKeySet(KeySet::generate(), kek);
    for (int n = 0; n < wrapped.size(); ++n) {
        auto r = unwrapKeySet(wrapped.left(n), kek);
        QVERIFY2(!r.ok(), qPrintable(QString::number(n)));
        QCOMPARE(r.error().code, ErrorCode::Corrupt);
    }
}

void TestKeys::keyFileOpensWithPassphrase()
{
    const KeySet k = KeySet::generate();
    auto file = KeyFile::create(k, "correct horse", fastKdf());
    QVERIFY(file.ok());
    QVERIFY(QJsonDocument::fromJson(*file).isObject());
    auto back = KeyFile::open(*file, "correct horse");
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QVERIFY(sameKeys(*back, k));
}

void TestKeys::keyFileWrongPassphrase()
{
    auto file = KeyFile::create(KeySet::generate(), "correct horse", fastKdf());
    QVERIFY(file.ok());
    auto r = KeyFile::open(*file, "battery staple");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::WrongPassphrase);
}

void TestKeys::keyFileEmptyPassphraseRefused()
{
    auto file = KeyFile::create(KeySet::generate(), QByteArray(), fastKdf());
    QVERIFY(!file.ok());
    QCOMPARE(file.error().code, ErrorCode::InvalidArgument);
}

void TestKeys::keyFileMalformed_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QList<int>>("codes"); // any of these is acceptable
    auto valid = KeyFile::create(KeySet::generate(), "pw", fastKdf());
    QVERIFY(valid.ok());
    const QByteArray v = *valid;
    const QJsonObject o = QJsonDocument::fromJson(v).object();
    const QByteArray wrapped = QByteArray::fromBase64(o.value(QStringLiteral("wrapped")).toString().toLatin1());
    const QList<int> corruptOnly{int(ErrorCode::Corrupt)};
    const QList<int> unsupported{int(ErrorCode::Unsupported)};
    // A damaged wrapped key set is indistinguishable from a wrong passphrase (GCM tag).
    const QList<int> damaged{int(ErrorCode::Corrupt), int(ErrorCode::WrongPassphrase)};
    // Out-of-range KDF parameters or salt are damage too; a valid but different parameter derives
    // another key, which is indistinguishable from a wrong passphrase.
    const QList<int> badParams{int(ErrorCode::Corrupt)};
    const QList<int> otherParams{int(ErrorCode::WrongPassphrase)};

    QTest::newRow("empty") << QByteArray() << corruptOnly;
    QTest::newRow("not-json") << QByteArray("not json at all") << corruptOnly;
    QTest::newRow("json-array") << QByteArray("[1,2,3]") << corruptOnly;
    QTest::newRow("truncated-json") << v.left(v.size() / 2) << corruptOnly;
    QTest::newRow("no-version") << keyFileWith(v, QStringLiteral("version"), QJsonValue::Undefined) << unsupported;
    QTest::newRow("version-2") << keyFileWith(v, QStringLiteral("version"), 2) << unsupported;
    QTest::newRow("kdf-scrypt") << keyFileWith(v, QStringLiteral("kdf"), QStringLiteral("scrypt")) << unsupported;
    QTest::newRow("no-wrapped") << keyFileWith(v, QStringLiteral("wrapped"), QJsonValue::Undefined) << corruptOnly;
    QTest::newRow("wrapped-truncated")
        << keyFileWith(v, QStringLiteral("wrapped"), QString::fromLatin1(wrapped.left(wrapped.size() - 1).toBase64()))
        << damaged;
    QTest::newRow("wrapped-short")
        << keyFileWith(v, QStringLiteral("wrapped"), QString::fromLatin1(wrapped.left(5).toBase64())) << corruptOnly;
    QByteArray flipped = wrapped;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 1);
    QTest::newRow("wrapped-flipped") << keyFileWith(v, QStringLiteral("wrapped"), QString::fromLatin1(flipped.toBase64()))
                                     << damaged;
    QTest::newRow("no-salt") << keyFileWith(v, QStringLiteral("salt"), QJsonValue::Undefined) << badParams;
    QTest::newRow("no-memory") << keyFileWith(v, QStringLiteral("memory_kib"), QJsonValue::Undefined) << badParams;
    QTest::newRow("no-iterations") << keyFileWith(v, QStringLiteral("iterations"), QJsonValue::Undefined) << badParams;
    QTest::newRow("zero-parallelism") << keyFileWith(v, QStringLiteral("parallelism"), 0) << badParams;
    QTest::newRow("iterations-string") << keyFileWith(v, QStringLiteral("iterations"), QStringLiteral("1"))
                                       << badParams;
    QTest::newRow("short-salt") << keyFileWith(v, QStringLiteral("salt"), QStringLiteral("AAAA")) << badParams;
    QTest::newRow("huge-iterations") << keyFileWith(v, QStringLiteral("iterations"), 4294967295.0) << badParams;
    QTest::newRow("huge-memory") << keyFileWith(v, QStringLiteral("memory_kib"), 4294967295.0) << badParams;
    QTest::newRow("other-iterations") << keyFileWith(v, QStringLiteral("iterations"), 2) << otherParams;
}

void TestKeys::keyFileMalformed()
{
    QFETCH(QByteArray, file);
    QFETCH(QList<int>, codes);
    auto r = KeyFile::open(file, "pw");
    QVERIFY(!r.ok());
    QVERIFY2(codes.contains(int(r.error().code)),
             qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(errorCodeName(r.error().code)), r.error().message)));
}

// --- blobs

void TestKeys::blobRoundTrip_data()
{
    QTest::addColumn<QByteArray>("plain");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one-byte") << QByteArray("x");
    QTest::newRow("compressible") << QByteArray(100000, 'a');
    QTest::newRow("random") << randomData(100000, 1);
}

void TestKeys::blobRoundTrip()
{
    QFETCH(QByteArray, plain);
    const KeySet keys = KeySet::generate();
    BlobCodec codec(keys, 3);
    QCOMPARE(codec.keyId(), keys.keyId);
    const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed("prefix");
    codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
    QVERIFY(sealed.startsWith("prefix")); // seal appends
    sealed.remove(0, 6);
    auto back = codec.open(id, sealed.constData(), size_t(sealed.size()), uint32_t(plain.size()));
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(*back, plain);
}

void TestKeys::blobCompressionChoice()
{
    BlobCodec codec(KeySet::generate(), 3);
    const QByteArray compressible(1 << 20, 'z');
    QByteArray sealed;
    codec.seal(codec.chunkId(compressible.constData(), compressible.size()), compressible.constData(),
               size_t(compressible.size()), sealed);
    QVERIFY2(sealed.size() < compressible.size() / 100, qPrintable(QString::number(sealed.size())));

    for (int n : {0, 1, 100, 65536}) {
        const QByteArray random = randomData(n, quint32(n) + 7);
        QByteArray s;
        codec.seal(codec.chunkId(random.constData(), random.size()), random.constData(), size_t(n), s);
        QCOMPARE(s.size(), n + kBlobOverhead); // stored raw
    }
}

void TestKeys::blobLargerThanZstdLimitOpens()
{
    // Compressible and bigger than zstd::decompress accepts (a big tree record): must round-trip.
    BlobCodec codec(KeySet::generate(), 3);
    const QByteArray plain((16 << 20) + 1, 't');
    const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed;
    codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
    auto back = codec.open(id, sealed.constData(), size_t(sealed.size()), uint32_t(plain.size()));
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->size(), plain.size());
}

void TestKeys::blobWrongIdIsCorrupt()
{
    BlobCodec codec(KeySet::generate(), 3);
    const QByteArray plain("some data");
    const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed;
    codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
    ChunkId other = id;
    other.bytes[0] ^= 1;
    auto r = codec.open(other, sealed.constData(), size_t(sealed.size()), uint32_t(plain.size()));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);

    // Sealed under a wrong id: the tag holds, the content check still catches it.
    QByteArray misfiled;
    codec.seal(other, plain.constData(), size_t(plain.size()), misfiled);
    auto r2 = codec.open(other, misfiled.constData(), size_t(misfiled.size()), uint32_t(plain.size()));
    QVERIFY(!r2.ok());
    QCOMPARE(r2.error().code, ErrorCode::Corrupt);
}

void TestKeys::blobEveryByteFlipIsCorrupt()
{
    BlobCodec codec(KeySet::generate(), 3);
    const QByteArray plain("sixteen bytes!!!");
    const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed;
    codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
    for (int i = 0; i < sealed.size(); ++i) {
        for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80)}) {
            QByteArray bad = sealed;
            bad[i] = char(bad[i] ^ mask);
            auto r = codec.open(id, bad.constData(), size_t(bad.size()), uint32_t(plain.size()));
            QVERIFY2(!r.ok(), qPrintable(QStringLiteral("byte %1").arg(i)));
            QCOMPARE(r.error().code, ErrorCode::Corrupt);
        }
    }
}

void TestKeys::blobTruncatedIsCorrupt()
{
    BlobCodec codec(KeySet::generate(), 3);
    const QByteArray plain(5000, 'q');
    const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed;
    codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
    for (int n = 0; n < sealed.size(); ++n) {
        auto r = codec.open(id, sealed.constData(), size_t(n), uint32_t(plain.size()));
        QVERIFY2(!r.ok(), qPrintable(QString::number(n)));
        QCOMPARE(r.error().code, ErrorCode::Corrupt);
    }
    QByteArray extended = sealed + QByteArray(1, '\0');
    auto r = codec.open(id, extended.constData(), size_t(extended.size()), uint32_t(plain.size()));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestKeys::blobWrongRawLengthIsCorrupt()
{
    BlobCodec codec(KeySet::generate(), 3);
    for (const QByteArray &plain : {QByteArray(5000, 'q'), randomData(5000, 3)}) { // zstd and raw
        const ChunkId id = codec.chunkId(plain.constData(), size_t(plain.size()));
        QByteArray sealed;
        codec.seal(id, plain.constData(), size_t(plain.size()), sealed);
        for (uint32_t raw : {0u, 4999u, 5001u, 1u << 30}) {
            auto r = codec.open(id, sealed.constData(), size_t(sealed.size()), raw);
            QVERIFY2(!r.ok(), qPrintable(QString::number(raw)));
            QCOMPARE(r.error().code, ErrorCode::Corrupt);
        }
    }
}

void TestKeys::blobOtherKeySetIsCorrupt()
{
    const KeySet a = KeySet::generate();
    KeySet b = KeySet::generate();
    BlobCodec ca(a, 3);
    const QByteArray plain("hello");
    const ChunkId id = ca.chunkId(plain.constData(), size_t(plain.size()));
    QByteArray sealed;
    ca.seal(id, plain.constData(), size_t(plain.size()), sealed);
    // Different key id.
    BlobCodec cb(b, 3);
    auto r = cb.open(id, sealed.constData(), size_t(sealed.size()), uint32_t(plain.size()));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
    // Same key id, different data key: the tag fails.
    b.keyId = a.keyId;
    BlobCodec cb2(b, 3);
    auto r2 = cb2.open(id, sealed.constData(), size_t(sealed.size()), uint32_t(plain.size()));
    QVERIFY(!r2.ok());
    QCOMPARE(r2.error().code, ErrorCode::Corrupt);
}

void TestKeys::recordLabelIsBound()
{
    BlobCodec codec(KeySet::generate(), 3);
    QByteArray sealed;
    codec.sealRecord("label-a", "payload", sealed);
    auto ok = codec.openRecord("label-a", sealed.constData(), size_t(sealed.size()));
    QVERIFY(ok.ok());
    QCOMPARE(*ok, QByteArray("payload"));
    auto bad = codec.openRecord("label-b", sealed.constData(), size_t(sealed.size()));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::Corrupt);
}

QTEST_GUILESS_MAIN(TestKeys)
#include "TestKeys.moc"
