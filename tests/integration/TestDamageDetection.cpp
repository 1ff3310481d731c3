// Damage detection through the real cairn-agent binary: flipping any byte of any pack is found by
// `check --read-data`; a truncated or missing pack is found by a plain `check`; restore names the
// affected files (exactly the ones that come back wrong) and restores all others byte-identical;
// a garbage index cache is rebuilt from the packs. Every case works on a fresh copy of the
// repository. The random byte positions come from a seed that is printed (CAIRN_TEST_SEED
// repeats a run).
#include "FixtureTree.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn::test;

namespace {

constexpr int kRandomPositionsPerPack = 20;

QByteArray sha256(const QByteArray &path)
{
    const QByteArray data = readFile(path);
    return data.isNull() ? QByteArray() : QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

qint64 fileSize(const QByteArray &path)
{
    struct stat st;
    return lstat(path.constData(), &st) == 0 ? qint64(st.st_size) : -1;
}

bool copyTree(const QByteArray &from, const QByteArray &to)
{
    return QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), QString::fromLocal8Bit(from), QString::fromLocal8Bit(to)}) == 0;
}

} // namespace

class TestDamageDetection : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_work, m_repo, m_source, m_caseRepo, m_target;
    QMap<QByteArray, QByteArray> m_hashes; // file path relative to the source → SHA-256
    QList<QByteArray> m_packs;             // "data/xx/<id>" relative to the repository
    quint32 m_seed = 0;

    ProcessResult agent(const QByteArray &repo, const QStringList &args)
    {
        return runAgent(QStringList{QStringLiteral("local"), args.first(), QStringLiteral("--repo"), QString::fromLocal8Bit(repo)}
                        + args.mid(1));
    }
    static QByteArray packId(const QByteArray &rel) { return rel.mid(rel.lastIndexOf('/') + 1); }

    // A fresh copy of the clean repository to damage.
    bool freshCopy()
    {
        removeTree(m_caseRepo);
        return copyTree(m_repo, m_caseRepo);
    }

    // Restores the damaged copy and checks that the files reported as affected are exactly the
    // ones that do not come back identical, and that everything else does.
    void verifyRestore(bool damageExpected)
    {
        QVERIFY(removeTree(m_target));
        const ProcessResult r = agent(m_caseRepo, {QStringLiteral("restore"), QStringLiteral("--snapshot"), QStringLiteral("latest"),
                                                   QStringLiteral("--target"), QString::fromLocal8Bit(m_target)});
        if (r.exitCode == 1) {
            // Only acceptable when the snapshot's root tree itself is unreadable: then nothing
            // can be restored, and the message must say so.
            QVERIFY2(r.err.contains("snapshot"), qPrintable(describe(r)));
            QVERIFY2(damageExpected, qPrintable(describe(r)));
            return;
        }
        QVERIFY2(r.exitCode == 0 || r.exitCode == 3, qPrintable(describe(r)));
        QSet<QByteArray> reported; // paths relative to the target
        static const QRegularExpression errorLine(QStringLiteral("^error: (.*?): "), QRegularExpression::MultilineOption);
        for (auto it = errorLine.globalMatch(QString::fromLocal8Bit(r.err)); it.hasNext();)
            reported.insert(QFile::encodeName(it.next().captured(1)));
        const QByteArray prefix = m_source.mid(1) + '/'; // restored paths are relative to the target
        auto covered = [&](const QByteArray &rel) {
            QByteArray p = prefix + rel;
            for (;;) {
                if (reported.contains(p))
                    return true;
                const int slash = p.lastIndexOf('/');
                if (slash < 0)
                    return false;
                p = p.left(slash);
            }
        };
        QSet<QByteArray> differing;
        for (auto it = m_hashes.cbegin(); it != m_hashes.cend(); ++it)
            if (sha256(m_target + m_source + '/' + it.key()) != it.value())
                differing.insert(it.key());
        for (const QByteArray &rel : differing)
            QVERIFY2(covered(rel), qPrintable(QStringLiteral("%1 differs but was not reported\n%2").arg(QString::fromLocal8Bit(rel), describe(r))));
        for (const QByteArray &p : reported) {
            if (!p.startsWith(prefix))
                continue; // a directory above the source
            const QByteArray rel = p.mid(prefix.size());
            if (m_hashes.contains(rel))
                QVERIFY2(differing.contains(rel), qPrintable(QStringLiteral("%1 reported but restored intact\n%2").arg(QString::fromLocal8Bit(rel), describe(r))));
        }
        QCOMPARE(r.exitCode == 3, !reported.isEmpty());
        if (damageExpected) {
            QVERIFY2(r.exitCode == 3 && !differing.isEmpty(), qPrintable(describe(r)));
        }
        qInfo("restore: exit %d, %lld of %lld files affected", r.exitCode, qint64(differing.size()), qint64(m_hashes.size()));
    }

    void verifyCheck(bool readData, const QByteArray &pack)
    {
        QStringList args{QStringLiteral("check")};
        if (readData)
            args << QStringLiteral("--read-data");
        const ProcessResult c = agent(m_caseRepo, args);
        QVERIFY2(c.exitCode == 3, qPrintable(describe(c)));
        QVERIFY2(c.err.contains(packId(pack)), qPrintable(describe(c)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_seed = testSeed();
        m_work = QFile::encodeName(m_tmp.path());
        m_repo = m_work + "/repo";
        m_source = m_work + "/src";
        m_caseRepo = m_work + "/case-repo";
        m_target = m_work + "/target";
        QCOMPARE(mkdir(m_source.constData(), 0755), 0);
        // Several files larger than a pack (16 MiB) and many small ones in a few directories.
        QMap<QByteArray, QByteArray> files;
        files.insert("big-1", randomBytes(20 << 20, m_seed + 1ull));
        files.insert("big-2", randomBytes(20 << 20, m_seed + 2ull));
        files.insert("medium", randomBytes(3 << 20, m_seed + 3ull));
        for (int d = 0; d < 5; ++d) {
            const QByteArray dir = "dir-" + QByteArray::number(d);
            QCOMPARE(mkdir((m_source + '/' + dir).constData(), 0755), 0);
            for (int i = 0; i < 40; ++i)
                files.insert(dir + "/small-" + QByteArray::number(i), randomBytes(100 + 53 * i, m_seed + 1000ull * (d + 1) + i));
        }
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            QVERIFY(writeFile(m_source + '/' + it.key(), it.value()));
            m_hashes.insert(it.key(), QCryptographicHash::hash(it.value(), QCryptographicHash::Sha256));
        }
        ProcessResult r = agent(m_repo, {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        r = agent(m_repo, {QStringLiteral("backup"), QString::fromLocal8Bit(m_source)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        static const QRegularExpression packName(QStringLiteral("^[0-9a-f]{64}$"));
        for (QDirIterator it(QString::fromLocal8Bit(m_repo + "/data"), QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            it.next();
            if (packName.match(it.fileName()).hasMatch())
                m_packs << QFile::encodeName(QDir(QString::fromLocal8Bit(m_repo)).relativeFilePath(it.filePath()));
        }
        std::sort(m_packs.begin(), m_packs.end());
        qInfo("%lld packs", qint64(m_packs.size()));
        QVERIFY2(m_packs.size() >= 3, qPrintable(QString::number(m_packs.size())));
        r = agent(m_repo, {QStringLiteral("check"), QStringLiteral("--read-data")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    void cleanupTestCase() { QVERIFY(removeTree(m_work)); }

    void flippedByteIsDetected_data()
    {
        QTest::addColumn<QByteArray>("pack");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<bool>("inBlobs"); // false: in the header or trailer
        QRandomGenerator rng(m_seed);
        for (const QByteArray &pack : m_packs) {
            const QByteArray file = m_repo + '/' + pack;
            const qint64 size = fileSize(file);
            const QByteArray all = readFile(file);
            QVERIFY(size > 12 && all.size() == size);
            quint32 headerLen = 0;
            std::memcpy(&headerLen, all.constData() + size - 12, 4); // little-endian host
            const qint64 blobsEnd = size - 12 - qint64(headerLen);
            QVERIFY(blobsEnd > 0);
            QList<qint64> offsets{0, size - 1, blobsEnd + qint64(headerLen) / 2, size - 12};
            for (int i = 0; i < kRandomPositionsPerPack; ++i)
                offsets << qint64(rng.bounded(quint64(size)));
            std::sort(offsets.begin(), offsets.end());
            offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
            for (const qint64 off : offsets)
                QTest::addRow("pack %s byte %lld", packId(pack).left(8).constData(), off) << pack << off << (off < blobsEnd);
        }
    }

    void flippedByteIsDetected()
    {
        QFETCH(QByteArray, pack);
        QFETCH(qint64, offset);
        QFETCH(bool, inBlobs);
        QVERIFY(freshCopy());
        const QByteArray file = m_caseRepo + '/' + pack;
        const int fd = open(file.constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        unsigned char b = 0;
        QCOMPARE(pread(fd, &b, 1, offset), ssize_t(1));
        b ^= 0xff;
        QCOMPARE(pwrite(fd, &b, 1, offset), ssize_t(1));
        close(fd);
        verifyCheck(true, pack);
        if (QTest::currentTestFailed())
            return;
        verifyRestore(inBlobs);
    }

    void truncatedPackIsDetected_data()
    {
        QTest::addColumn<QByteArray>("pack");
        QTest::addColumn<qint64>("newSize");
        QTest::addColumn<bool>("blobsLost");
        for (const QByteArray &pack : m_packs) {
            const qint64 size = fileSize(m_repo + '/' + pack);
            QTest::addRow("pack %s minus 100 bytes", packId(pack).left(8).constData()) << pack << size - 100 << false;
            QTest::addRow("pack %s cut to half", packId(pack).left(8).constData()) << pack << size / 2 << true;
        }
    }

    void truncatedPackIsDetected()
    {
        QFETCH(QByteArray, pack);
        QFETCH(qint64, newSize);
        QFETCH(bool, blobsLost);
        QVERIFY(freshCopy());
        QCOMPARE(truncate((m_caseRepo + '/' + pack).constData(), off_t(newSize)), 0);
        verifyCheck(false, pack);
        if (QTest::currentTestFailed())
            return;
        verifyRestore(blobsLost);
    }

    void missingPackIsDetected_data()
    {
        QTest::addColumn<QByteArray>("pack");
        for (const QByteArray &pack : m_packs)
            QTest::addRow("pack %s", packId(pack).left(8).constData()) << pack;
    }

    void missingPackIsDetected()
    {
        QFETCH(QByteArray, pack);
        QVERIFY(freshCopy());
        QCOMPARE(unlink((m_caseRepo + '/' + pack).constData()), 0);
        verifyCheck(false, pack);
        if (QTest::currentTestFailed())
            return;
        verifyRestore(true);
    }

    void garbageIndexIsRebuilt()
    {
        QVERIFY(freshCopy());
        const QByteArray index = m_caseRepo + "/index.sqlite";
        QVERIFY(fileSize(index) > 0);
        for (const char *suffix : {"-wal", "-shm"})
            unlink((index + suffix).constData());
        QVERIFY(removeTree(index));
        QVERIFY(writeFile(index, randomBytes(64 << 10, m_seed)));
        QVERIFY(writeFile(m_source + "/after-damage", "a file added after the index was damaged"));
        m_hashes.insert("after-damage", QCryptographicHash::hash("a file added after the index was damaged", QCryptographicHash::Sha256));
        const ProcessResult b = agent(m_caseRepo, {QStringLiteral("backup"), QString::fromLocal8Bit(m_source)});
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        QVERIFY2(b.err.contains("rebuilding"), qPrintable(describe(b)));
        // Nothing but the new file is stored again: the rebuilt index knows every blob.
        QVERIFY2(b.out.contains("new 1, changed 0"), qPrintable(describe(b)));
        verifyRestore(false);
        if (QTest::currentTestFailed())
            return;
        const ProcessResult c = agent(m_caseRepo, {QStringLiteral("check"), QStringLiteral("--read-data")});
        QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
    }
};

QTEST_GUILESS_MAIN(TestDamageDetection)
#include "TestDamageDetection.moc"
