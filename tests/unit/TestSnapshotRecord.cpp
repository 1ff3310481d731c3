// Snapshot records: every field survives serialize/deserialize, and malformed records are
// refused with Corrupt or Unsupported.
#include "repository/Snapshot.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QtTest>

using namespace cairn;

namespace {

template <typename Id>
Id idFrom(uint8_t seed)
{
    Id id;
    for (int i = 0; i < Id::Size; ++i)
        id.bytes[size_t(i)] = uint8_t(seed + i);
    return id;
}

Snapshot fullSnapshot()
{
    Snapshot s;
    s.time = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    s.endTime = QDateTime::fromMSecsSinceEpoch(1700000999456, Qt::UTC);
    s.hostname = QStringLiteral("hôst-名前");
    s.username = QStringLiteral("alice");
    s.paths = {QByteArray("/home/alice"), QByteArray("/srv/caf\xe9", 9), QByteArray("/")};
    s.excludes = {QStringLiteral("*.tmp"), QStringLiteral("/home/alice/.cache")};
    s.tree = idFrom<ChunkId>(1);
    s.parent = idFrom<SnapshotId>(2);
    BackupStats &st = s.stats;
    st.files = 1;
    st.dirs = 2;
    st.others = 3;
    st.filesNew = 4;
    st.filesChanged = 5;
    st.filesUnchanged = 6;
    st.bytesScanned = 7LL << 40;
    st.bytesRead = 8;
    st.bytesNew = 9;
    st.bytesStored = 10;
    st.blobsNew = 11;
    st.warnings = 12;
    st.errors = 13;
    st.seconds = 14.25;
    s.programVersion = QStringLiteral("cairn 0.1.0");
    return s;
}

QByteArray withField(const QByteArray &cbor, const QString &key, const QCborValue &value)
{
    QCborMap m = QCborValue::fromCbor(cbor).toMap();
    if (value.isUndefined())
        m.remove(key);
    else
        m.insert(key, value);
    return m.toCborValue().toCbor();
}

} // namespace

class TestSnapshotRecord : public QObject {
    Q_OBJECT
private slots:
    void roundTripAllFields();
    void roundTripWithoutParent();
    void rejects_data();
    void rejects();
    void everyPrefixFailsOrDiffers();
};

void TestSnapshotRecord::roundTripAllFields()
{
    const Snapshot s = fullSnapshot();
    auto r = Snapshot::deserialize(s.serialize());
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
    QCOMPARE(r->time, s.time);
    QCOMPARE(r->endTime, s.endTime);
    QCOMPARE(r->time.timeSpec(), Qt::UTC);
    QCOMPARE(r->hostname, s.hostname);
    QCOMPARE(r->username, s.username);
    QCOMPARE(r->paths, s.paths);
    QCOMPARE(r->excludes, s.excludes);
    QVERIFY(r->tree == s.tree);
    QVERIFY(r->parent.has_value());
    QVERIFY(*r->parent == *s.parent);
    QCOMPARE(r->programVersion, s.programVersion);
    const BackupStats &a = r->stats, &b = s.stats;
    QCOMPARE(a.files, b.files);
    QCOMPARE(a.dirs, b.dirs);
    QCOMPARE(a.others, b.others);
    QCOMPARE(a.filesNew, b.filesNew);
    QCOMPARE(a.filesChanged, b.filesChanged);
    QCOMPARE(a.filesUnchanged, b.filesUnchanged);
    QCOMPARE(a.bytesScanned, b.bytesScanned);
    QCOMPARE(a.bytesRead, b.bytesRead);
    QCOMPARE(a.bytesNew, b.bytesNew);
    QCOMPARE(a.bytesStored, b.bytesStored);
    QCOMPARE(a.blobsNew, b.blobsNew);
    QCOMPARE(a.warnings, b.warnings);
    QCOMPARE(a.errors, b.errors);
    QCOMPARE(a.seconds, b.seconds);
    QVERIFY(r->id.isNull()); // the id is not part of the record
}

void TestSnapshotRecord::roundTripWithoutParent()
{
    Snapshot s = fullSnapshot();
    s.parent.reset();
    s.paths.clear();
    s.excludes.clear();
    auto r = Snapshot::deserialize(s.serialize());
    QVERIFY(r.ok());
    QVERIFY(!r->parent.has_value());
    QVERIFY(r->paths.isEmpty());
    QVERIFY(r->excludes.isEmpty());
}

void TestSnapshotRecord::rejects_data()
{
    QTest::addColumn<QByteArray>("cbor");
    QTest::addColumn<int>("code");
    const QByteArray v = fullSnapshot().serialize();
    const int corrupt = int(ErrorCode::Corrupt), unsupported = int(ErrorCode::Unsupported);
    QTest::newRow("empty") << QByteArray() << corrupt;
    QTest::newRow("garbage") << QByteArray("\xff\x00\x13", 3) << corrupt;
    QTest::newRow("array") << QByteArray("\x81\x01", 2) << corrupt;
    QTest::newRow("truncated") << v.left(v.size() - 3) << corrupt;
    QTest::newRow("no-version") << withField(v, QStringLiteral("v"), QCborValue()) << unsupported;
    QTest::newRow("version-2") << withField(v, QStringLiteral("v"), 2) << unsupported;
    QTest::newRow("no-tree") << withField(v, QStringLiteral("tree"), QCborValue()) << corrupt;
    QTest::newRow("short-tree") << withField(v, QStringLiteral("tree"), QByteArray(31, 'x')) << corrupt;
    QTest::newRow("tree-as-text") << withField(v, QStringLiteral("tree"), QString(32, u'x')) << corrupt;
    QTest::newRow("short-parent") << withField(v, QStringLiteral("parent"), QByteArray(5, 'p')) << corrupt;
    QTest::newRow("parent-null") << withField(v, QStringLiteral("parent"), QCborValue(nullptr)) << corrupt;
}

void TestSnapshotRecord::rejects()
{
    QFETCH(QByteArray, cbor);
    QFETCH(int, code);
    auto r = Snapshot::deserialize(cbor);
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().code), code);
}

void TestSnapshotRecord::everyPrefixFailsOrDiffers()
{
    // A record cut short anywhere is not valid CBOR any more.
    const QByteArray v = fullSnapshot().serialize();
    for (int n = 0; n < v.size(); ++n)
        QVERIFY2(!Snapshot::deserialize(v.left(n)).ok(), qPrintable(QString::number(n)));
}

QTEST_GUILESS_MAIN(TestSnapshotRecord)
#include "TestSnapshotRecord.moc"
