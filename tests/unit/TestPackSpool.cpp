// PackSpool: each pack is downloaded once however many pieces are read from it, also when
// threads ask at the same time or a prefetch is on its way; pieces come back exactly; the folder
// stays within its limit (least recently used packs go first) and disappears with the spool; a
// failed download is not kept; folders of dead processes are cleaned up.
#include "VerifyResult.h"

#include "TestSupport.h"
#include "crypto/Crypto.h"
#include "remote/PackSpool.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include <unistd.h>

using namespace cairn;

namespace {

QString nameOf(const QByteArray &bytes)
{
    const crypto::Digest d = crypto::sha256(bytes);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size())).toHex());
}

// A fake server: packs by name, counting downloads.
struct Packs {
    QHash<QString, QByteArray> byName;
    std::atomic<int> downloads {0};
    QString add(qint64 size, quint64 seed)
    {
        const QByteArray b = test::testPattern(size, seed);
        byName.insert(nameOf(b), b);
        return nameOf(b);
    }
    std::function<Result<QByteArray>()> downloader(const QString &name)
    {
        return [this, name]() -> Result<QByteArray> {
            ++downloads;
            std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a download takes a while
            return byName.value(name);
        };
    }
};

} // namespace

class TestPackSpool : public QObject {
    Q_OBJECT

private slots:
    void downloadsEachPackOnceAndReadsExactly()
    {
        QTemporaryDir dir;
        Packs packs;
        const QString a = packs.add(1 << 20, 1), b = packs.add(300000, 2);
        {
            PackSpool spool(dir.path(), 64 << 20);
            for (int i = 0; i < 50; ++i) {
                const qint64 off = (i * 7919) % 900000, len = 1 + (i * 104729) % 100000;
                auto piece = spool.read(a, off, len, packs.downloader(a));
                CAIRN_VERIFY_OK(piece);
                QCOMPARE(*piece, packs.byName[a].mid(off, len));
            }
            auto whole = spool.read(b, 0, 300000, packs.downloader(b));
            CAIRN_VERIFY_OK(whole);
            QCOMPARE(*whole, packs.byName[b]);
            CAIRN_VERIFY_ERROR(spool.read(b, 299999, 2, packs.downloader(b)), ErrorCode::Permanent); // past the end
            QCOMPARE(packs.downloads.load(), 2);
            QCOMPARE(spool.downloads(), 2);
            QCOMPARE(QDir(dir.filePath(QStringLiteral("packs-%1").arg(::getpid()))).entryList(QDir::Files).size(), 2);
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty()); // gone with the spool
    }

    void concurrentReadersAndPrefetchShareOneDownload()
    {
        QTemporaryDir dir;
        Packs packs;
        const QString a = packs.add(2 << 20, 3);
        PackSpool spool(dir.path(), 64 << 20);
        spool.prefetch(a, packs.downloader(a));
        std::vector<std::thread> readers;
        std::atomic<int> wrong {0};
        for (int t = 0; t < 8; ++t)
            readers.emplace_back([&, t] {
                for (int i = 0; i < 20; ++i) {
                    const qint64 off = (t * 131 + i * 65537) % (2 << 20), len = 4096;
                    auto piece = spool.read(a, off, len, packs.downloader(a));
                    if (!piece || *piece != packs.byName[a].mid(off, len))
                        ++wrong;
                }
            });
        for (auto &r : readers)
            r.join();
        QCOMPARE(wrong.load(), 0);
        QCOMPARE(packs.downloads.load(), 1);
    }

    void keepsNothingOfAFailedDownload()
    {
        QTemporaryDir dir;
        Packs packs;
        const QString a = packs.add(100000, 4);
        PackSpool spool(dir.path(), 64 << 20);
        auto failing = [] { return Result<QByteArray>(Error(ErrorCode::Transient, QStringLiteral("server away"))); };
        CAIRN_VERIFY_ERROR(spool.read(a, 0, 10, failing), ErrorCode::Transient);
        auto piece = spool.read(a, 0, 10, packs.downloader(a)); // the next read fetches it again
        CAIRN_VERIFY_OK(piece);
        QCOMPARE(*piece, packs.byName[a].left(10));
        QCOMPARE(packs.downloads.load(), 1);
    }

    void staysWithinItsLimitDroppingTheLeastRecentlyUsed()
    {
        QTemporaryDir dir;
        Packs packs;
        QStringList names;
        for (int i = 0; i < 5; ++i)
            names << packs.add(1 << 20, 10 + i);
        PackSpool spool(dir.path(), (3 << 20) + 1000); // room for 3
        for (int i = 0; i < 3; ++i)
            CAIRN_VERIFY_OK(spool.read(names[i], 0, 1, packs.downloader(names[i])));
        CAIRN_VERIFY_OK(spool.read(names[0], 0, 1, packs.downloader(names[0]))); // 0 is now the most recent
        CAIRN_VERIFY_OK(spool.read(names[3], 0, 1, packs.downloader(names[3])));  // evicts 1
        QCOMPARE(packs.downloads.load(), 4);
        const QDir spoolDir(dir.filePath(QStringLiteral("packs-%1").arg(::getpid())));
        QCOMPARE(spoolDir.entryList(QDir::Files).size(), 3);
        QVERIFY(!spoolDir.exists(names[1]));
        QVERIFY(spoolDir.exists(names[0]));
        CAIRN_VERIFY_OK(spool.read(names[0], 0, 1, packs.downloader(names[0])));
        QCOMPARE(packs.downloads.load(), 4); // still here
        CAIRN_VERIFY_OK(spool.read(names[1], 0, 1, packs.downloader(names[1])));
        QCOMPARE(packs.downloads.load(), 5); // had to come again
    }

    // A spooled file that disappears (its folder cleaned under the running process) is fetched
    // again at the next read instead of failing every later read of that pack.
    void aVanishedSpoolFileIsFetchedAgain()
    {
        QTemporaryDir dir;
        Packs packs;
        const QString a = packs.add(70000, 7);
        QStringList others;
        for (int i = 0; i < 65; ++i) // more than the spool keeps open: a's descriptor is closed
            others << packs.add(4096, 1000 + i);
        PackSpool spool(dir.path(), 64 << 20);
        CAIRN_VERIFY_OK(spool.read(a, 0, 10, packs.downloader(a)));
        for (const QString &o : others)
            CAIRN_VERIFY_OK(spool.read(o, 0, 10, packs.downloader(o)));
        const QString spooled = dir.filePath(QStringLiteral("packs-%1/%2").arg(::getpid()).arg(a));
        QVERIFY(QFile::remove(spooled));
        auto again = spool.read(a, 100, 50, packs.downloader(a));
        CAIRN_VERIFY_OK(again);
        QCOMPARE(*again, packs.byName[a].mid(100, 50));
        QCOMPARE(packs.downloads.load(), 1 + 65 + 1); // a came again, once
        QVERIFY(QFile::exists(spooled));
        CAIRN_VERIFY_OK(spool.read(a, 0, 10, packs.downloader(a)));
        QCOMPARE(packs.downloads.load(), 1 + 65 + 1);
    }

    // More packs than the spool keeps open: each is still downloaded once and read exactly, and
    // no descriptor is left behind once the spool is gone.
    void manyPacksShareTheOpenFiles()
    {
        auto openFds = [] { return QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size(); };
        const qsizetype fdsBefore = openFds();
        QTemporaryDir dir;
        Packs packs;
        QStringList names;
        for (int i = 0; i < 100; ++i)
            names << packs.add(4096 + i, 100 + i);
        {
            PackSpool spool(dir.path(), 64 << 20);
            for (int round = 0; round < 3; ++round) {
                for (int i = 0; i < names.size(); ++i) {
                    const qint64 off = (i * 37 + round) % 4000, len = 1 + (i * 13) % 90;
                    auto piece = spool.read(names[i], off, len, packs.downloader(names[i]));
                    CAIRN_VERIFY_OK(piece);
                    QCOMPARE(*piece, packs.byName[names[i]].mid(off, len));
                }
            }
            QCOMPARE(packs.downloads.load(), 100);
            QVERIFY2(openFds() <= fdsBefore + 64 + 1, qPrintable(QString::number(openFds() - fdsBefore)));
        }
        QCOMPARE(openFds(), fdsBefore);
    }

    void removesFoldersOfDeadProcesses()
    {
        QTemporaryDir dir;
        // A pid that does not exist (beyond pid_max) and the folder a crashed run left.
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("packs-999999999"))));
        QFile left(dir.filePath(QStringLiteral("packs-999999999/aa")));
        QVERIFY(left.open(QIODevice::WriteOnly));
        left.close();
        PackSpool spool(dir.path(), 1 << 20);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("packs-999999999"))));
    }
};

QTEST_GUILESS_MAIN(TestPackSpool)
#include "TestPackSpool.moc"
