// StateFolder: the service's memory across crashes. Files are replaced atomically (a reader
// sees the old or the new document), damaged ones are reported and not trusted, the outbox
// hands results back oldest first and sets damaged entries aside, and the flock()s keep a
// second service or a second job out — also across processes.
#include "VerifyResult.h"

#include "service/StateFolder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cairn;

class TestStateFolder : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

private slots:
    void ensureCreatesPrivateFolders()
    {
        StateFolder s(m_tmp.filePath(QStringLiteral("a/state")));
        CAIRN_VERIFY_OK(s.ensure());
        CAIRN_VERIFY_OK(s.ensure()); // twice is fine
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(s.path(QStringLiteral("service"))).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0700);
        QVERIFY(QFileInfo(s.path(QStringLiteral("service/outbox"))).isDir());
    }

    void documentsRoundTripAndReplaceAtomically()
    {
        StateFolder s(m_tmp.filePath(QStringLiteral("docs")));
        CAIRN_VERIFY_OK(s.ensure());
        auto none = s.read(QStringLiteral("job.json"));
        CAIRN_VERIFY_OK(none);
        QVERIFY(!none->has_value());
        CAIRN_VERIFY_OK(s.write(QStringLiteral("job.json"), QJsonObject {{QStringLiteral("attempt"), 1}}));
        CAIRN_VERIFY_OK(s.write(QStringLiteral("job.json"), QJsonObject {{QStringLiteral("attempt"), 2}}));
        auto doc = s.read(QStringLiteral("job.json"));
        CAIRN_VERIFY_OK(doc);
        QCOMPARE((*doc)->value(QStringLiteral("attempt")).toInt(), 2);
        // No temporary file is left beside it, and it is private.
        const QStringList left = QDir(s.path(QStringLiteral("service"))).entryList(QDir::Files);
        QCOMPARE(left, QStringList {QStringLiteral("job.json")});
        QCOMPARE(int(QFileInfo(s.path(QStringLiteral("service/job.json"))).permissions() & 0x0077), 0);
        CAIRN_VERIFY_OK(s.remove(QStringLiteral("job.json")));
        CAIRN_VERIFY_OK(s.remove(QStringLiteral("job.json"))); // absent is fine
        QVERIFY(!s.read(QStringLiteral("job.json"))->has_value());
    }

    void damagedDocumentIsCorrupt()
    {
        StateFolder s(m_tmp.filePath(QStringLiteral("damaged")));
        CAIRN_VERIFY_OK(s.ensure());
        for (const QByteArray &junk : {QByteArray("{\"attempt\":"), QByteArray("[1,2]"), QByteArray("\x00\x01", 2)}) {
            QFile f(s.path(QStringLiteral("service/job.json")));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(junk);
            f.close();
            CAIRN_VERIFY_ERROR(s.read(QStringLiteral("job.json")), ErrorCode::Corrupt);
        }
    }

    void outboxReturnsOldestFirstAndSetsDamageAside()
    {
        StateFolder s(m_tmp.filePath(QStringLiteral("outbox")));
        CAIRN_VERIFY_OK(s.ensure());
        for (qint64 id : {12, 3, 100})
            CAIRN_VERIFY_OK(s.enqueueResult(id, QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                                                    {QStringLiteral("n"), id}}));
        QFile bad(s.path(QStringLiteral("service/outbox/50.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{truncated");
        bad.close();
        QFile stranger(s.path(QStringLiteral("service/outbox/notes.json")));
        QVERIFY(stranger.open(QIODevice::WriteOnly));
        stranger.close();
        QStringList problems;
        const QList<OutboxItem> items = s.queuedResults(&problems);
        QCOMPARE(items.size(), 3);
        QCOMPARE(items[0].jobId, 3);
        QCOMPARE(items[1].jobId, 12);
        QCOMPARE(items[2].jobId, 100);
        QCOMPARE(items[1].result.value(QStringLiteral("n")).toInt(), 12);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems.first().contains(QStringLiteral("50.json")));
        QVERIFY(QFile::exists(s.path(QStringLiteral("service/outbox/50.json.damaged"))));
        QVERIFY(s.queuedResults(&problems).size() == 3 && problems.size() == 1); // reported once
        CAIRN_VERIFY_OK(s.dropResult(12));
        CAIRN_VERIFY_OK(s.dropResult(12));
        QCOMPARE(s.queuedResults().size(), 2);
    }

    void locksExcludeOthersAlsoAcrossProcesses()
    {
        StateFolder s(m_tmp.filePath(QStringLiteral("locks")));
        CAIRN_VERIFY_OK(s.ensure());
        QVERIFY(!s.isLocked(QStringLiteral("job.lock")));
        auto first = s.tryLock(QStringLiteral("job.lock"));
        CAIRN_VERIFY_OK(first);
        QVERIFY(*first);
        QVERIFY(s.isLocked(QStringLiteral("job.lock")));
        auto second = s.tryLock(QStringLiteral("job.lock"));
        CAIRN_VERIFY_OK(second);
        QVERIFY(!*second); // busy, not an error
        // Another process sees it held, too.
        const pid_t child = ::fork();
        if (child == 0) {
            auto other = StateFolder(s.dir()).tryLock(QStringLiteral("job.lock"));
            ::_exit(other && !*other ? 0 : 1);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        first->reset();
        QVERIFY(!s.isLocked(QStringLiteral("job.lock")));
        auto third = s.tryLock(QStringLiteral("job.lock"));
        CAIRN_VERIFY_OK(third);
        QVERIFY(*third);
    }
};

QTEST_GUILESS_MAIN(TestStateFolder)
#include "TestStateFolder.moc"
