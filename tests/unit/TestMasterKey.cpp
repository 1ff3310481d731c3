// The server master key file: create → load round trip, mode 0600, refusal of a file others may
// read, of malformed content and of overwriting; and that the key really wraps a KeySet.
#include "TlsTestSupport.h"
#include "repository/Keys.h"
#include "tls/MasterKey.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace cairn;
using namespace cairn::test;
using cairn::server::MasterKey;

namespace {

// Writes `content` to `path` with `mode` (for files that are not made by MasterKey).
void writeKeyFile(const QString &path, const QByteArray &content, unsigned mode)
{
    QVERIFY(writeFile(path, content));
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);
}

} // namespace

class TestMasterKey : public QObject {
    Q_OBJECT
private slots:
    void createThenLoadReturnsTheSameKey();
    void fileHasTheDocumentedFormatAndMode();
    void keysDifferBetweenCreations();
    void createRefusesToOverwrite();
    void loadRefusesFilesOthersMayAccess_data();
    void loadRefusesFilesOthersMayAccess();
    void loadRejectsMalformedContent_data();
    void loadRejectsMalformedContent();
    void loadOfMissingFileIsNotFound();
    void loadedKeyUnwrapsKeySets();

private:
    QTemporaryDir m_dir;
};

void TestMasterKey::createThenLoadReturnsTheSameKey()
{
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.key"));
    auto created = MasterKey::create(path);
    QVERIFY2(created.ok(), why(created).constData());
    QVERIFY(*created != crypto::Key256 {});
    auto loaded = MasterKey::load(path);
    QVERIFY2(loaded.ok(), why(loaded).constData());
    QVERIFY(*loaded == *created);
}

void TestMasterKey::fileHasTheDocumentedFormatAndMode()
{
    const QString path = m_dir.filePath(QStringLiteral("format.key"));
    auto created = MasterKey::create(path);
    QVERIFY2(created.ok(), why(created).constData());
    QCOMPARE(fileMode(path), 0600u);

    const QList<QByteArray> lines = readFile(path).split('\n');
    QCOMPARE(lines.size(), 3); // two lines, each ending in '\n'
    QCOMPARE(lines.at(0), QByteArray("cairn-master-key-v1"));
    const QByteArray raw(reinterpret_cast<const char *>(created->data()), int(created->size()));
    QCOMPARE(lines.at(1), raw.toBase64());
    QVERIFY(lines.at(2).isEmpty());

    // No temporary file is left behind next to it.
    const QStringList leftovers = QDir(m_dir.path()).entryList({QStringLiteral("format.key.tmp*")}, QDir::Files);
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));
}

void TestMasterKey::keysDifferBetweenCreations()
{
    auto a = MasterKey::create(m_dir.filePath(QStringLiteral("a.key")));
    auto b = MasterKey::create(m_dir.filePath(QStringLiteral("b.key")));
    QVERIFY(a.ok() && b.ok());
    QVERIFY(*a != *b);
}

void TestMasterKey::createRefusesToOverwrite()
{
    const QString path = m_dir.filePath(QStringLiteral("existing.key"));
    auto first = MasterKey::create(path);
    QVERIFY(first.ok());
    const QByteArray before = readFile(path);

    auto second = MasterKey::create(path);
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(second.error().message.contains(path), why(second).constData());
    QVERIFY2(second.error().message.contains(QLatin1String("already exists")), why(second).constData());
    QCOMPARE(readFile(path), before);

    // Nor over a file that is not a master key.
    const QString other = m_dir.filePath(QStringLiteral("other.txt"));
    writeKeyFile(other, "precious\n", 0644);
    QVERIFY(!MasterKey::create(other).ok());
    QCOMPARE(readFile(other), QByteArray("precious\n"));
}

void TestMasterKey::loadRefusesFilesOthersMayAccess_data()
{
    QTest::addColumn<unsigned>("mode");
    QTest::newRow("0644 world-readable") << 0644u;
    QTest::newRow("0640 group-readable") << 0640u;
    QTest::newRow("0620 group-writable") << 0620u;
    QTest::newRow("0602 world-writable") << 0602u;
    QTest::newRow("0666") << 0666u;
}

void TestMasterKey::loadRefusesFilesOthersMayAccess()
{
    QFETCH(unsigned, mode);
    const QString path = m_dir.filePath(QStringLiteral("mode-%1.key").arg(mode, 0, 8));
    auto created = MasterKey::create(path);
    QVERIFY(created.ok());
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode_t(mode)), 0);

    auto loaded = MasterKey::load(path);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code, ErrorCode::Permanent);
    const QString message = loaded.error().message;
    QVERIFY2(message.contains(path), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("0%1").arg(mode, 0, 8)), qPrintable(message)); // says why
    QVERIFY2(message.contains(QStringLiteral("chmod 600")), qPrintable(message)); // and how to fix

    // Fixing the mode as told makes it load.
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0600), 0);
    auto fixed = MasterKey::load(path);
    QVERIFY2(fixed.ok(), why(fixed).constData());
    QVERIFY(*fixed == *created);
}

void TestMasterKey::loadRejectsMalformedContent_data()
{
    const QByteArray good = QByteArray(32, '\x5a').toBase64();
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("code");
    const int corrupt = int(ErrorCode::Corrupt);
    QTest::newRow("empty") << QByteArray() << corrupt;
    QTest::newRow("magic only") << QByteArray("cairn-master-key-v1\n") << corrupt;
    QTest::newRow("magic without newline") << QByteArray("cairn-master-key-v1") << corrupt;
    QTest::newRow("truncated key") << QByteArray("cairn-master-key-v1\n" + good.left(20) + "\n") << corrupt;
    QTest::newRow("short key") << QByteArray("cairn-master-key-v1\n" + QByteArray(31, 'x').toBase64() + "\n")
                               << corrupt;
    QTest::newRow("long key") << QByteArray("cairn-master-key-v1\n" + QByteArray(33, 'x').toBase64() + "\n") << corrupt;
    QTest::newRow("not base64") << QByteArray("cairn-master-key-v1\n" + QByteArray(44, '!') + "\n") << corrupt;
    QTest::newRow("wrong magic") << QByteArray("cairn-key\n" + good + "\n") << corrupt;
    QTest::newRow("third line") << QByteArray("cairn-master-key-v1\n" + good + "\nextra\n") << corrupt;
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\xff\xfe\n\x80\x81", 8) << corrupt;
    QTest::newRow("later version") << QByteArray("cairn-master-key-v2\n" + good + "\n") << int(ErrorCode::Unsupported);
}

void TestMasterKey::loadRejectsMalformedContent()
{
    QFETCH(QByteArray, content);
    QFETCH(int, code);
    const QString path = m_dir.filePath(
        QStringLiteral("malformed-%1.key")
            .arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    writeKeyFile(path, content, 0600);
    auto loaded = MasterKey::load(path);
    QVERIFY(!loaded.ok());
    QCOMPARE(int(loaded.error().code), code);
    QVERIFY2(loaded.error().message.contains(path), why(loaded).constData());
}

void TestMasterKey::loadOfMissingFileIsNotFound()
{
    const QString path = m_dir.filePath(QStringLiteral("missing.key"));
    auto loaded = MasterKey::load(path);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code, ErrorCode::NotFound);
    QVERIFY2(loaded.error().message.contains(path), why(loaded).constData());
}

void TestMasterKey::loadedKeyUnwrapsKeySets()
{
    const QString path = m_dir.filePath(QStringLiteral("wrap.key"));
    auto created = MasterKey::create(path);
    QVERIFY(created.ok());
    KeySet keys = KeySet::generate();
    const QByteArray wrapped = wrapKeySet(keys, *created);

    auto loaded = MasterKey::load(path);
    QVERIFY(loaded.ok());
    auto unwrapped = unwrapKeySet(wrapped, *loaded);
    QVERIFY2(unwrapped.ok(), why(unwrapped).constData());
    QVERIFY(unwrapped->dataKey == keys.dataKey);
    QVERIFY(unwrapped->chunkIdKey == keys.chunkIdKey);

    // Another master key does not open it.
    auto other = MasterKey::create(m_dir.filePath(QStringLiteral("wrap-other.key")));
    QVERIFY(other.ok());
    QVERIFY(!unwrapKeySet(wrapped, *other).ok());
}

QTEST_GUILESS_MAIN(TestMasterKey)
#include "TestMasterKey.moc"
