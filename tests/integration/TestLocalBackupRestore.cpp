// End-to-end backup and restore through the real cairn-agent binary on a local repository: the
// fixture tree with every kind of entry must come back identical, incremental backups must use
// the files cache, and restore must honour PATH selections, existing-file policies and never
// write through a symlink planted in the target.
#include "FixtureTree.h"
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace cairn::test;

namespace {

bool exists(const QByteArray &path)
{
    struct stat st;
    return lstat(path.constData(), &st) == 0;
}

} // namespace

class TestLocalBackupRestore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_work, m_repo, m_source;
    FixtureTree m_fixture;
    int m_fileCount = 0;
    QString m_snapshot; // the latest good backup of the fixture (a failed backup may be "latest")

    QByteArray path(const char *name) const { return m_work + '/' + name; }
    // Where restore puts the source tree below `target`.
    QByteArray restored(const QByteArray &target, const QByteArray &sourcePath = {}) const
    {
        return target + (sourcePath.isEmpty() ? m_source : sourcePath);
    }
    ProcessResult agent(const QStringList &args, const QByteArray &passphrase = "test-passphrase")
    {
        return runAgent(QStringList{QStringLiteral("local")} + args, passphrase);
    }
    QStringList repoArgs(const char *cmd) const
    {
        return {QLatin1String(cmd), QStringLiteral("--repo"), QString::fromLocal8Bit(m_repo)};
    }
    ProcessResult restore(const QByteArray &target, const QStringList &extra = {}, const QByteArray &passphrase = "test-passphrase")
    {
        return agent(repoArgs("restore") + QStringList{QStringLiteral("--snapshot"), m_snapshot,
                                                       QStringLiteral("--target"), QString::fromLocal8Bit(target)}
                         + extra,
                     passphrase);
    }
    ProcessResult backup(const QByteArray &passphrase = "test-passphrase")
    {
        ProcessResult r = agent(repoArgs("backup") << QString::fromLocal8Bit(m_source), passphrase);
        const auto m = QRegularExpression(QStringLiteral("^snapshot ([0-9a-f]+) saved$"), QRegularExpression::MultilineOption)
                           .match(QString::fromLocal8Bit(r.out));
        if (r.exitCode == 0 && m.hasMatch())
            m_snapshot = m.captured(1);
        return r;
    }
    int snapshotCount()
    {
        const ProcessResult r = agent(repoArgs("snapshots"));
        const auto m = QRegularExpression(QStringLiteral("^(\\d+) snapshots$"), QRegularExpression::MultilineOption)
                           .match(QString::fromLocal8Bit(r.out));
        return r.exitCode == 0 && m.hasMatch() ? m.captured(1).toInt() : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path());
        m_repo = path("repo");
        m_source = path("src");
        QElapsedTimer t;
        t.start();
        QVERIFY2(m_fixture.build(m_source), qPrintable(m_fixture.error));
        qInfo("fixture built in %lld ms (xattrs %s, device %s)", t.elapsed(), m_fixture.hasXattrs ? "yes" : "no",
              m_fixture.hasDevice ? "yes" : "no");
        const ProcessResult init = agent(repoArgs("init"));
        QVERIFY2(init.exitCode == 0, qPrintable(describe(init)));
        t.restart();
        const ProcessResult b = backup();
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        qInfo("first backup in %lld ms:\n%s", t.elapsed(), b.out.constData());
        const auto m = QRegularExpression(QStringLiteral("files: (\\d+) \\(new (\\d+),")).match(QString::fromLocal8Bit(b.out));
        QVERIFY2(m.hasMatch(), b.out.constData());
        m_fileCount = m.captured(1).toInt();
        QCOMPARE(m.captured(2).toInt(), m_fileCount);
    }

    void cleanupTestCase()
    {
        // QTemporaryDir cannot remove names that are not UTF-8 or read-only directories.
        QVERIFY(removeTree(m_work));
    }

    void fullRestoreMatchesSource()
    {
        const QByteArray target = path("restore-full");
        QElapsedTimer t;
        t.start();
        const ProcessResult r = restore(target);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        qInfo("full restore in %lld ms", t.elapsed());
        const QStringList diffs = compareTrees(m_source, restored(target));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 50).join(QLatin1Char('\n'))));
        // The comparator checks these too; spelled out because they are easy to lose silently.
        if (m_fixture.hasXattrs) {
            char value[64];
            const ssize_t n = lgetxattr((restored(target) + "/xattr/file").constData(),
                                        FixtureTree::xattrName().constData(), value, sizeof value);
            QCOMPARE(QByteArray(value, int(std::max<ssize_t>(n, 0))), FixtureTree::xattrValue());
        }
        struct stat a, b;
        QCOMPARE(lstat((restored(target) + "/links/a/original").constData(), &a), 0);
        QCOMPARE(lstat((restored(target) + "/links/third").constData(), &b), 0);
        QCOMPARE(a.st_ino, b.st_ino);
        QCOMPARE(a.st_nlink, nlink_t(3));
        const qint64 sparseAllocated = allocatedBytes(restored(target) + '/' + m_fixture.sparseFile);
        QVERIFY2(sparseAllocated >= 0 && sparseAllocated < (1 << 20), qPrintable(QString::number(sparseAllocated)));
        QVERIFY(removeTree(target));
    }

    void unchangedBackupReadsNothing()
    {
        const ProcessResult b = backup();
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        const QString out = QString::fromLocal8Bit(b.out);
        QVERIFY2(out.contains(QStringLiteral("files: %1 (new 0, changed 0, unchanged %1)").arg(m_fileCount)), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral(", read 0 B,")), qPrintable(out));
    }

    void incrementalBackupSeesChangedAndNewFile()
    {
        const QByteArray changed = m_source + "/small/d007/f00007";
        QByteArray content = readFile(changed);
        QVERIFY(!content.isNull());
        content.prepend("changed ");
        QVERIFY(removeTree(changed));
        QVERIFY(writeFile(changed, content));
        QVERIFY(writeFile(m_source + "/files/added", randomBytes(70000, 77)));
        const ProcessResult b = backup();
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        const QString out = QString::fromLocal8Bit(b.out);
        ++m_fileCount;
        QVERIFY2(out.contains(QStringLiteral("files: %1 (new 1, changed 1, unchanged %2)").arg(m_fileCount).arg(m_fileCount - 2)),
                 qPrintable(out));

        const QByteArray target = path("restore-incremental");
        const ProcessResult r = restore(target);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(m_source, restored(target));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 50).join(QLatin1Char('\n'))));
        QVERIFY(removeTree(target));
    }

    void restoreOfPathRestoresOnlyThatSubtree()
    {
        const QByteArray target = path("restore-path");
        const ProcessResult r = restore(target, {QString::fromLocal8Bit(m_source + "/small/d042")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(m_source + "/small/d042", restored(target) + "/small/d042");
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 50).join(QLatin1Char('\n'))));
        QVERIFY(!exists(restored(target) + "/small/d041"));
        QVERIFY(!exists(restored(target) + "/small/d043"));
        QVERIFY(!exists(restored(target) + "/files"));
        QVERIFY(!exists(restored(target) + "/links"));
        QVERIFY(removeTree(target));
    }

    void existingSkipKeepsLocalChanges()
    {
        const QByteArray target = path("restore-existing");
        const QString files = QString::fromLocal8Bit(m_source + "/files");
        const ProcessResult first = restore(target, {files});
        QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
        const QByteArray victim = restored(target) + "/files/random-100k";
        QVERIFY(removeTree(victim));
        QVERIFY(writeFile(victim, "modified locally"));
        const ProcessResult r = restore(target, {QStringLiteral("--existing"), QStringLiteral("skip"), files});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const auto m = QRegularExpression(QStringLiteral("(\\d+) existing entries skipped")).match(QString::fromLocal8Bit(r.out));
        QVERIFY2(m.hasMatch() && m.captured(1).toInt() > 0, r.out.constData());
        QCOMPARE(readFile(victim), QByteArray("modified locally"));
        QVERIFY(!exists(victim + ".restored"));
    }

    void existingOverwriteReplacesContent()
    {
        const QByteArray target = path("restore-existing");
        const QByteArray victim = restored(target) + "/files/random-100k";
        QCOMPARE(readFile(victim), QByteArray("modified locally"));
        const ProcessResult r = restore(target, {QStringLiteral("--existing"), QStringLiteral("overwrite"),
                                                 QString::fromLocal8Bit(m_source + "/files")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(readFile(victim), readFile(m_source + "/files/random-100k"));
        const QStringList diffs = compareTrees(m_source + "/files", restored(target) + "/files");
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));
    }

    void existingKeepBothPutsRestoredCopyBeside()
    {
        const QByteArray target = path("restore-existing");
        const QByteArray victim = restored(target) + "/files/random-100k";
        QVERIFY(removeTree(victim));
        QVERIFY(writeFile(victim, "modified again"));
        const ProcessResult r = restore(target, {QStringLiteral("--existing"), QStringLiteral("keep-both"),
                                                 QString::fromLocal8Bit(m_source + "/files")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(readFile(victim), QByteArray("modified again"));
        QCOMPARE(readFile(victim + ".restored"), readFile(m_source + "/files/random-100k"));
        QVERIFY(removeTree(target));
    }

    void wrongPassphraseExits4AndChangesNothing()
    {
        const int before = snapshotCount();
        QVERIFY(before > 0);
        const QByteArray target = path("restore-wrong-passphrase");
        const ProcessResult r = restore(target, {}, "not-the-passphrase");
        QVERIFY2(r.exitCode == 4, qPrintable(describe(r)));
        QVERIFY(!exists(target));
        const ProcessResult b = backup("not-the-passphrase");
        QVERIFY2(b.exitCode == 4, qPrintable(describe(b)));
        const ProcessResult c = agent(repoArgs("check"), "not-the-passphrase");
        QVERIFY2(c.exitCode == 4, qPrintable(describe(c)));
        QCOMPARE(snapshotCount(), before);
    }

    void backupOfMissingPathFails()
    {
        const int before = snapshotCount();
        const QByteArray missing = path("does-not-exist");
        const ProcessResult b = agent(repoArgs("backup") << QString::fromLocal8Bit(missing));
        QVERIFY2(b.exitCode == 1, qPrintable(describe(b)));
        QVERIFY2(b.err.contains(missing), qPrintable(describe(b)));
        QCOMPARE(snapshotCount(), before); // nothing was backed up: no (empty) snapshot either
    }

    void checkPassesAfterAll()
    {
        const ProcessResult c = agent(repoArgs("check") << QStringLiteral("--read-data"));
        QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
        QVERIFY2(c.out.contains("no problems found"), qPrintable(describe(c)));
    }

    // The comparison above is only worth something if it sees differences: damage a restored
    // copy in every way it checks and expect each to be named.
    void comparatorNamesEveryKindOfDifference()
    {
        const QByteArray target = path("restore-compare");
        const ProcessResult r = restore(target);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QByteArray t = restored(target);
        QVERIFY(compareTrees(m_source, t).isEmpty());
        QCOMPARE(chmod((t + "/modes/private").constData(), 0644), 0);
        const timespec times[2] = {{1, 0}, {1, 0}};
        QCOMPARE(utimensat(AT_FDCWD, (t + "/times/nanos").constData(), times, 0), 0);
        QCOMPARE(utimensat(AT_FDCWD, (t + "/times/old-dir").constData(), times, 0), 0);
        {
            const int fd = open((t + "/files/random-5m").constData(), O_WRONLY);
            QVERIFY(fd >= 0);
            QCOMPARE(pwrite(fd, "!", 1, 3 << 20), ssize_t(1));
            close(fd);
        }
        {
            const int fd = open((t + '/' + m_fixture.sparseFile).constData(), O_WRONLY);
            QVERIFY(fd >= 0);
            const QByteArray zeros(4096, '\0'); // same bytes, but data where the source has a hole
            QCOMPARE(pwrite(fd, zeros.constData(), size_t(zeros.size()), 512 << 20), ssize_t(zeros.size()));
            fsync(fd);
            close(fd);
        }
        QVERIFY(removeTree(t + "/links/third"));
        QVERIFY(writeFile(t + "/links/third", readFile(m_source + "/links/third")));
        QCOMPARE(unlink((t + "/symlinks/dangling").constData()), 0);
        QCOMPARE(symlink("elsewhere", (t + "/symlinks/dangling").constData()), 0);
        if (m_fixture.hasXattrs)
            QCOMPARE(lremovexattr((t + "/xattr/dir").constData(), FixtureTree::xattrName().constData()), 0);
        QVERIFY(writeFile(t + "/names/extra", "extra"));
        QVERIFY(removeTree(t + "/names/caf\xe9"));

        const QString diffs = compareTrees(m_source, t).join(QLatin1Char('\n'));
        for (const char *expected : {"modes/private: mode", "times/nanos: mtime", "times/old-dir: mtime",
                                     "files/random-5m: content differs", "over a hole", "links/third: nlink",
                                     "symlinks/dangling: symlink target", "names/extra: not in the source",
                                     "names/caf\\xe9: missing"})
            QVERIFY2(diffs.contains(QLatin1String(expected)), qPrintable(QStringLiteral("%1 not in:\n%2").arg(QLatin1String(expected), diffs)));
        if (m_fixture.hasXattrs)
            QVERIFY2(diffs.contains(QLatin1String("xattr/dir: user xattrs differ")), qPrintable(diffs));
        QVERIFY(removeTree(target));
    }

    void plantedSymlinkDoesNotLeadOutOfTarget_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QByteArray>("planted"); // below the restored source root; empty = target/<first component>
        for (const char *policy : {"overwrite", "skip", "keep-both"}) {
            QTest::addRow("%s, top directory", policy) << QString::fromLatin1(policy) << QByteArray();
            QTest::addRow("%s, deep directory", policy) << QString::fromLatin1(policy) << QByteArray("times");
            QTest::addRow("%s, file", policy) << QString::fromLatin1(policy) << QByteArray("times/nanos");
        }
    }

    void plantedSymlinkDoesNotLeadOutOfTarget()
    {
        QFETCH(QString, policy);
        QFETCH(QByteArray, planted);
        const QByteArray target = path("restore-planted");
        const QByteArray outside = path("outside");
        QVERIFY(removeTree(target) && removeTree(outside));
        QCOMPARE(mkdir(target.constData(), 0700), 0);
        QCOMPARE(mkdir(outside.constData(), 0700), 0);
        const QByteArray victim = outside + "/victim";
        QVERIFY(writeFile(victim, "outside file"));
        QByteArray link;
        if (planted.isEmpty()) {
            link = target + m_source.left(m_source.indexOf('/', 1)); // target/tmp
        } else {
            link = restored(target) + '/' + planted;
            const int slash = link.lastIndexOf('/');
            QByteArray dir;
            for (const QByteArray &part : link.left(slash).mid(1).split('/')) {
                dir += '/' + part;
                if (!exists(dir))
                    QCOMPARE(mkdir(dir.constData(), 0700), 0);
            }
        }
        const bool fileCase = planted.endsWith("nanos");
        QCOMPARE(symlink((fileCase ? victim : outside).constData(), link.constData()), 0);

        const ProcessResult r = restore(target, {QStringLiteral("--existing"), policy, QString::fromLocal8Bit(m_source + "/times")});
        qInfo("restore exit %d", r.exitCode);
        QVERIFY2(r.exitCode == 0 || r.exitCode == 3, qPrintable(describe(r)));
        // Nothing may have appeared in or changed outside the target.
        QCOMPARE(readFile(victim), QByteArray("outside file"));
        struct stat st;
        QCOMPARE(lstat(victim.constData(), &st), 0);
        QCOMPARE(st.st_size, off_t(12));
        QDir out(QString::fromLocal8Bit(outside));
        QCOMPARE(out.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
                 QStringList{QStringLiteral("victim")});
        if (policy == u"overwrite") // the planted link was replaced and the restore went on inside the target
            QCOMPARE(readFile(restored(target) + "/times/nanos"), readFile(m_source + "/times/nanos"));
        QVERIFY(removeTree(target) && removeTree(outside));
    }
};

QTEST_GUILESS_MAIN(TestLocalBackupRestore)
#include "TestLocalBackupRestore.moc"
