// Crash safety of the local repository: `cairn-agent local backup` is killed with SIGKILL at
// random moments, again and again on the same repository. After every kill `check` must pass;
// in the end a complete backup must succeed, `check --read-data` must pass, the restore must
// match the source, and the repository must not be much larger than a clean single backup
// (what the killed runs stored is re-used). Delays come from a printed seed (CAIRN_TEST_SEED
// repeats a run; CAIRN_KILL_POINTS changes the number of kills, default 20).
#include "FixtureTree.h"
#include "Reliability.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

using namespace cairn::test;

class TestKillDuringBackup : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_work, m_source, m_repo;
    quint32 m_seed = 0;
    qint64 m_fullBackupMs = 0;
    int m_kills = 0;
    qint64 m_cleanDataBytes = 0;

    ProcessResult agent(const QByteArray &repo, const QStringList &args)
    {
        return runAgent(QStringList{QStringLiteral("local"), args.first(), QStringLiteral("--repo"), QString::fromLocal8Bit(repo)}
                        + args.mid(1));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_seed = testSeed();
        m_work = QFile::encodeName(m_tmp.path());
        m_source = m_work + "/src";
        m_repo = m_work + "/repo";
        QCOMPARE(mkdir(m_source.constData(), 0755), 0);
        QCOMPARE(mkdir((m_source + "/big").constData(), 0755), 0);
        for (int i = 0; i < 40; ++i)
            QVERIFY(writeFile(m_source + "/big/file-" + QByteArray::number(i), randomBytes(5 << 20, m_seed * 1000ull + i)));
        const QByteArray pool = randomBytes(1 << 20, m_seed + 7ull);
        for (int d = 0; d < 20; ++d) {
            const QByteArray dir = m_source + "/small-" + QByteArray::number(d);
            QCOMPARE(mkdir(dir.constData(), 0755), 0);
            for (int i = 0; i < 100; ++i) {
                const int n = d * 100 + i;
                QVERIFY(writeFile(dir + "/f-" + QByteArray::number(i),
                                  "file " + QByteArray::number(n) + '\n' + pool.mid((n * 331) % (pool.size() - 4096), 100 + (n * 37) % 3000)));
            }
        }

        // A clean single backup into a fresh repository: the yardstick for time and size.
        const QByteArray clean = m_work + "/clean-repo";
        ProcessResult r = agent(clean, {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QElapsedTimer t;
        t.start();
        r = agent(clean, {QStringLiteral("backup"), QString::fromLocal8Bit(m_source)});
        m_fullBackupMs = t.elapsed();
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        m_cleanDataBytes = diskUsage(clean + "/data");
        qInfo("clean backup: %lld ms, data/ %lld bytes", m_fullBackupMs, m_cleanDataBytes);
        QVERIFY(m_cleanDataBytes > (200 << 20));
        QVERIFY(removeTree(clean));

        r = agent(m_repo, {QStringLiteral("init")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    }

    void cleanupTestCase() { QVERIFY(removeTree(m_work)); }

    void killedBackupsLeaveACheckableRepository()
    {
        const int wantedKills = qEnvironmentVariableIsSet("CAIRN_KILL_POINTS") ? qEnvironmentVariableIntValue("CAIRN_KILL_POINTS") : 20;
        QRandomGenerator rng(m_seed);
        // Delays are spread between 50 ms and the run time of a full backup. Once data is stored,
        // runs get shorter (nothing new to seal); the bound then follows the last run of the
        // same kind that finished, so that the kills keep landing inside runs.
        qint64 runMs[2] = {std::max<qint64>(m_fullBackupMs, 100), std::max<qint64>(m_fullBackupMs, 100)};
        int kills = 0, finished = 0, completeBackups = 0;
        QElapsedTimer total;
        total.start();
        for (int iteration = 0; kills < wantedKills && iteration < wantedKills * 3; ++iteration) {
            // Mostly without the files cache, so that every run reads and stores again.
            const bool noParent = rng.bounded(10) < 7;
            const int delay = 50 + int(rng.bounded(quint32(std::max<qint64>(runMs[noParent] - 50, 1))));
            QStringList args{QStringLiteral("local"), QStringLiteral("backup"), QStringLiteral("--repo"),
                             QString::fromLocal8Bit(m_repo)};
            if (noParent)
                args << QStringLiteral("--no-parent");
            args << QString::fromLocal8Bit(m_source);
            QProcess p;
            QElapsedTimer run;
            run.start();
            startAgent(p, args);
            QVERIFY(p.waitForStarted());
            const bool done = p.waitForFinished(delay);
            if (!done) {
                p.kill(); // SIGKILL
                QVERIFY(p.waitForFinished(30000));
                ++kills;
            } else {
                runMs[noParent] = std::max<qint64>(run.elapsed(), 100);
                QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
                ++finished;
            }
            const ProcessResult c = agent(m_repo, {QStringLiteral("check")});
            qInfo("iteration %d: delay %d ms%s, %s; check exit %d", iteration, delay, noParent ? " (no parent)" : "",
                  done ? "finished before the kill" : "killed", c.exitCode);
            QVERIFY2(c.exitCode == 0, qPrintable(QStringLiteral("after iteration %1 (delay %2 ms): %3").arg(iteration).arg(delay).arg(describe(c))));
            if (rng.bounded(5) == 0) {
                const ProcessResult b = agent(m_repo, {QStringLiteral("backup"), QString::fromLocal8Bit(m_source)});
                QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
                ++completeBackups;
            }
        }
        qInfo("%d kills, %d runs finished before their kill, %d complete backups in between, %lld ms", kills, finished,
              completeBackups, total.elapsed());
        QVERIFY2(kills >= wantedKills, qPrintable(QStringLiteral("only %1 kills").arg(kills)));
        m_kills = kills;
    }

    void backupAfterKillsSucceedsAndReusesData()
    {
        const ProcessResult b = agent(m_repo, {QStringLiteral("backup"), QStringLiteral("--no-parent"), QString::fromLocal8Bit(m_source)});
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        qInfo("final backup:\n%s", b.out.constData());
        const ProcessResult c = agent(m_repo, {QStringLiteral("check"), QStringLiteral("--read-data")});
        QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
        const qint64 used = diskUsage(m_repo + "/data");
        qInfo("data/ after the kills: %lld bytes, clean backup: %lld bytes (ratio %.3f)", used, m_cleanDataBytes,
              double(used) / double(m_cleanDataBytes));
        QVERIFY2(double(used) < 1.3 * double(m_cleanDataBytes), qPrintable(QStringLiteral("%1 vs %2").arg(used).arg(m_cleanDataBytes)));
    }

    void restoreAfterKillsMatchesSource()
    {
        const QByteArray target = m_work + "/restored";
        const ProcessResult r = runAgent({QStringLiteral("local"), QStringLiteral("restore"), QStringLiteral("--repo"),
                                          QString::fromLocal8Bit(m_repo), QStringLiteral("--snapshot"), QStringLiteral("latest"),
                                          QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(m_source, target + m_source);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 50).join(QLatin1Char('\n'))));
        // Reached only when every check after every kill passed and the restore is identical.
        reliabilityReport("crash/local-backup", {{"tried", m_kills}, {"lost", 0}, {"corrupt", 0}, {"hangs", 0}, {"crashes", 0}});
    }
};

QTEST_GUILESS_MAIN(TestKillDuringBackup)
#include "TestKillDuringBackup.moc"
