// The crash driver of the reliability suite: SIGKILL of the agent and of the server at random
// points of backup, restore, retention and garbage collection, round after round on the same
// server and repository. Every round:
//  1. the source changes (a new file, one removed, one rewritten in part);
//  2. backup: `cairn-agent backup --now` while either the agent or the server is killed at a
//     random moment (the server is restarted at once on its port); then the backup runs again
//     and must succeed;
//  3. restore of the new snapshot, killed the same way; a second restore into the SAME target
//     (over what the killed one left) must give the source back byte for byte;
//  4. retention: the server's clock moves 8 days on and the server is killed at a random moment
//     of the following ticks; after the restart the expired snapshots go and the newest stays;
//  5. garbage collection: `cairn-server gc` is killed at a random moment twice (condemning, then
//     deleting), then runs to the end twice;
//  6. afterwards: the server starts on its catalog, `remote check --read-data` passes (no snapshot
//     refers to missing or damaged data), the catalog keeps its integrity rules and what it counts
//     as stored is what the store holds, and the kept snapshot restores byte for byte.
// Kill moments are drawn from a printed seed (CAIRN_TEST_SEED repeats a run) over the duration of
// a clean run of the same step. Rounds: 3 (bounded form) or 40 (CAIRN_RELIABILITY=long). The
// figures go to reliabilityReport("crash", ...): kill points tried, and the data lost, corrupt
// restores, hangs and crashes seen (each must be zero).
// Real cairn-server and cairn-agent processes on loopback; the test's main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "FixtureTree.h"
#include "Reliability.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

using namespace cairn::test;

namespace {

constexpr qint64 kMB = 1000 * 1000;
constexpr int kCommandTimeoutMs = 300000; // a clean command that takes longer counts as a hang

qint64 storeBytes(const QString &dataDir, qint64 tenantId)
{
    qint64 total = 0;
    QDirIterator it(QStringLiteral("%1/packs/tenant-%2/data").arg(dataDir).arg(tenantId), QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

// What a process run that may be killed did.
struct KilledRun {
    bool killed = false;   // still running at the kill moment: SIGKILL sent
    bool serverKilled = false; // the server was killed under it
    bool crashed = false;  // ended by a signal the test did not send, or a sanitizer report
    int exitCode = -1;     // when it ended by itself
    QByteArray output;
    qint64 elapsedMs = 0;
};

} // namespace

class TestCrashPoints : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_src;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_api;
    AgentProcess m_agent;
    qint64 m_tenant = -1;
    qint64 m_agentId = -1;
    QString m_config;
    QDateTime m_clock;
    quint32 m_seed = 0;
    QRandomGenerator m_random;
    int m_files = 0; // source files written so far (names f0, f1, …)

    // Clean durations, the ranges the kill moments are drawn from.
    qint64 m_backupMs = 0, m_restoreMs = 0, m_gcMs = 0;

    // The figures.
    qint64 m_tried = 0, m_agentKills = 0, m_serverKills = 0, m_gcKills = 0;
    qint64 m_lost = 0, m_corrupt = 0, m_hangs = 0, m_crashes = 0;
    QStringList m_incidents;

    void incident(qint64 &counter, const QString &what)
    {
        ++counter;
        m_incidents << what;
        qWarning("%s", qPrintable(what));
    }

    QStringList agentArgs(const QStringList &args) const
    {
        return args + QStringList {QStringLiteral("--config"), m_agent.configPath(), QStringLiteral("--state"), m_agent.stateDir()};
    }

    // Starts `process`, kills it with SIGKILL after `killAfterMs` (if it is still running; never
    // when negative) and waits for its end.
    KilledRun runKilled(QProcess &process, qint64 killAfterMs, const std::function<void()> &atKill = {})
    {
        KilledRun run;
        QElapsedTimer clock;
        clock.start();
        if (!process.waitForStarted(30000)) {
            run.output = "cannot start: " + process.errorString().toLocal8Bit();
            run.crashed = true;
            return run;
        }
        if (killAfterMs >= 0 && !process.waitForFinished(int(killAfterMs))) {
            if (atKill) {
                atKill(); // the server: the process goes on against a dead server
                run.serverKilled = true;
                if (process.waitForFinished(kCommandTimeoutMs)) {
                    run.elapsedMs = clock.elapsed();
                    run.output = process.readAll();
                    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
                    run.crashed = process.exitStatus() != QProcess::NormalExit || !noSanitizerReport(run.output);
                    return run;
                }
                run.output = "no end " + QByteArray::number(kCommandTimeoutMs) + " ms after the server was killed";
                incident(m_hangs, QStringLiteral("hang: %1").arg(process.program()));
                process.kill();
                process.waitForFinished();
                return run;
            }
            run.killed = true;
            process.kill();
            process.waitForFinished();
            run.output = process.readAll();
            run.elapsedMs = clock.elapsed();
            return run;
        }
        if (process.state() != QProcess::NotRunning && !process.waitForFinished(kCommandTimeoutMs)) {
            incident(m_hangs, QStringLiteral("hang: %1 %2").arg(process.program(), process.arguments().join(QLatin1Char(' '))));
            process.kill();
            process.waitForFinished();
        }
        run.elapsedMs = clock.elapsed();
        run.output = process.readAll();
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.crashed = process.exitStatus() != QProcess::NormalExit || !noSanitizerReport(run.output);
        return run;
    }

    KilledRun agentKilled(const QStringList &args, qint64 killAfterMs)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        startAgent(p, agentArgs(args));
        return runKilled(p, killAfterMs);
    }

    // The agent command runs while the server is killed at `killAfterMs` and restarted.
    KilledRun serverKilledUnder(const QStringList &args, qint64 killAfterMs)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        startAgent(p, agentArgs(args));
        return runKilled(p, killAfterMs, [&] { restartServerAfterKill(); });
    }

    void restartServerAfterKill()
    {
        checkServerLog();
        m_server.kill9();
        ++m_serverKills;
        QThread::msleep(m_random.bounded(1500)); // a moment away
        if (!m_server.start({QStringLiteral("--config"), m_config}))
            incident(m_crashes, QStringLiteral("the server does not start after a kill: %1").arg(QString::fromUtf8(m_server.log().right(2000))));
    }

    void checkServerLog()
    {
        if (!noSanitizerReport(m_server.log()))
            incident(m_crashes, QStringLiteral("sanitizer report in the server's output"));
    }

    // A clean agent command; its result, counting crashes and hangs.
    KilledRun agentClean(const QStringList &args)
    {
        KilledRun r = agentKilled(args, -1);
        if (r.crashed)
            incident(m_crashes, QStringLiteral("agent %1 crashed: %2").arg(args.join(QLatin1Char(' ')), QString::fromUtf8(r.output.right(3000))));
        return r;
    }

    ProcessResult gcClean()
    {
        const ProcessResult r = m_server.admin(
            {QStringLiteral("gc"), QStringLiteral("--config"), m_config, QStringLiteral("--grace-seconds"), QStringLiteral("0")});
        if (r.exitCode != 0 || !noSanitizerReport(r.out + r.err))
            incident(m_crashes, QStringLiteral("gc failed: %1").arg(describe(r)));
        return r;
    }

    QStringList snapshotIds()
    {
        QStringList ids;
        const ApiReply r = m_api->get(QStringLiteral("/api/v1/snapshots?server=%1&limit=500").arg(m_agentId));
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        return ids;
    }

    bool login()
    {
        for (int attempt = 0; attempt < 50; ++attempt) {
            if (m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status == 200)
                return true;
            QThread::msleep(200);
        }
        return false;
    }

    void setClock(const QDateTime &at)
    {
        QThread::msleep(1100); // a new modification time
        QVERIFY(m_server.writeClock(at));
        m_clock = at;
    }

    // The source changes: a new file of 1-6 MB, the oldest removed (from the third on), and part
    // of a remaining one rewritten.
    void changeSource()
    {
        const qint64 size = kMB + qint64(m_random.bounded(5 * kMB));
        QVERIFY(writeFile(m_src + "/f" + QByteArray::number(m_files), randomBytes(size, (quint64(m_seed) << 20) + m_files)));
        ++m_files;
        if (m_files >= 3) {
            const QByteArray victim = m_src + "/f" + QByteArray::number(m_files - 3);
            QFile::remove(QFile::decodeName(victim));
        }
        QFile f(QFile::decodeName(m_src + "/f" + QByteArray::number(m_files - 1)));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(m_random.bounded(int(f.size() / 2))));
        f.write(randomBytes(64 * 1024, m_random.generate64()));
    }

    QString backupUntilDone()
    {
        for (int attempt = 0; attempt < 3; ++attempt) {
            const KilledRun r = agentClean({QStringLiteral("backup"), QStringLiteral("--now")});
            if (r.exitCode == 0) {
                const QStringList ids = snapshotIds();
                return ids.isEmpty() ? QString() : ids.first();
            }
            qWarning("backup after a kill, attempt %d: exit %d\n%s", attempt + 1, r.exitCode, r.output.right(2000).constData());
        }
        return {};
    }

    // Restores `snapshot` into `target` and compares it with the source; counts what is wrong.
    bool restoreMatches(const QString &snapshot, const QByteArray &target, const QString &step)
    {
        const KilledRun r = agentClean({QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshot,
            QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        if (r.exitCode != 0) {
            incident(m_lost, QStringLiteral("%1: restore of %2 failed (exit %3): %4").arg(step, snapshot).arg(r.exitCode).arg(QString::fromUtf8(r.output.right(2000))));
            return false;
        }
        const QStringList diffs = compareTrees(m_src, target + m_src);
        if (!diffs.isEmpty()) {
            incident(m_corrupt, QStringLiteral("%1: restore of %2 differs: %3").arg(step, snapshot, diffs.mid(0, 10).join(QLatin1Char('\n'))));
            return false;
        }
        return true;
    }

    // A moment within a clean run of the same step (the last one measured).
    qint64 killMoment(qint64 cleanMs)
    {
        return qint64(m_random.bounded(int(std::max<qint64>(cleanMs, 20))));
    }

    // `what` timed, for the next round's kill moments.
    template<typename F>
    auto timed(qint64 &ms, F &&what)
    {
        QElapsedTimer t;
        t.start();
        auto result = what();
        ms = t.elapsed();
        return result;
    }

    void verifyEverything(const QString &step, const QString &kept)
    {
        const KilledRun check = agentClean({QStringLiteral("remote"), QStringLiteral("check"), QStringLiteral("--read-data")});
        if (check.exitCode != 0 || !check.output.contains("no problems found"))
            incident(m_lost, QStringLiteral("%1: remote check --read-data: exit %2\n%3").arg(step).arg(check.exitCode).arg(QString::fromUtf8(check.output.right(3000))));
        {
            CatalogReader catalog(m_server.dataDir());
            QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
            const QStringList problems = catalogIntegrityProblems(catalog.db());
            if (!problems.isEmpty())
                incident(m_lost, QStringLiteral("%1: catalog: %2").arg(step, problems.join(QLatin1Char('\n'))));
            const qint64 counted = sqlCount(catalog.db(),
                QStringLiteral("SELECT COALESCE(SUM(size), 0) FROM packs WHERE tenant_id = %1 AND deleted_at IS NULL").arg(m_tenant));
            const qint64 onDisk = storeBytes(m_server.dataDir(), m_tenant);
            QVERIFY2(counted == onDisk,
                qPrintable(QStringLiteral("%1: the catalog counts %2 bytes of packs, the store holds %3").arg(step).arg(counted).arg(onDisk)));
        }
        const QByteArray target = QFile::encodeName(m_tmp.filePath(QStringLiteral("verify")));
        restoreMatches(kept, target, step);
        QVERIFY(removeTree(target));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_seed = testSeed();
        m_random.seed(m_seed);
        m_src = QFile::encodeName(m_tmp.filePath(QStringLiteral("src")));
        QVERIFY(::mkdir(m_src.constData(), 0755) == 0);
        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")));
        m_clock = QDateTime::currentDateTimeUtc();
        QVERIFY(m_server.writeClock(m_clock));
        m_config = m_server.writeConfig(QByteArray("[testing]\nclock_file=") + m_server.clockPath().toUtf8()
            + "\n[operations]\ntick_seconds=1\n[gc]\ninterval_seconds=0\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), m_config}), m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QVERIFY(login());
        m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("crash-host"));
        QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
        const QJsonObject policy {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_src)}},
            {QStringLiteral("interval_days"), 7}, {QStringLiteral("weekday"), 1}, {QStringLiteral("hour"), 3},
            {QStringLiteral("retention_days"), 7}};
        QCOMPARE(m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId), policy).status, 200);

        // Clean runs give the time ranges of the kill moments.
        changeSource();
        changeSource();
        QElapsedTimer t;
        t.start();
        const QString first = backupUntilDone();
        m_backupMs = t.elapsed();
        QVERIFY(!first.isEmpty());
        const QByteArray target = QFile::encodeName(m_tmp.filePath(QStringLiteral("clean")));
        t.restart();
        QVERIFY(restoreMatches(first, target, QStringLiteral("clean run")));
        m_restoreMs = t.elapsed();
        QVERIFY(removeTree(target));
        t.restart();
        gcClean();
        m_gcMs = t.elapsed();
        qInfo("seed %u; clean backup %lld ms, restore %lld ms, gc %lld ms", m_seed, m_backupMs, m_restoreMs, m_gcMs);
    }

    void killRounds()
    {
        const int rounds = reliabilityScale(3, 40);
        for (int round = 1; round <= rounds; ++round) {
            const QString step = QStringLiteral("round %1").arg(round);
            qInfo("--- %s", qPrintable(step));
            changeSource();

            // 2. backup, with the agent or the server killed.
            const QStringList backup {QStringLiteral("backup"), QStringLiteral("--now")};
            const bool agentVictim = m_random.bounded(2) == 0;
            const KilledRun killedBackup = agentVictim ? agentKilled(backup, killMoment(m_backupMs))
                                                       : serverKilledUnder(backup, killMoment(m_backupMs));
            if (killedBackup.killed || killedBackup.serverKilled)
                ++m_tried;
            if (killedBackup.killed)
                ++m_agentKills;
            if (killedBackup.crashed)
                incident(m_crashes, QStringLiteral("%1: backup crashed: %2").arg(step, QString::fromUtf8(killedBackup.output.right(3000))));
            qInfo("backup: %s after %lld ms (exit %d)", killedBackup.killed ? "agent killed"
                    : killedBackup.serverKilled ? "server killed" : "finished before the kill", killedBackup.elapsedMs, killedBackup.exitCode);
            QVERIFY(login());
            const QString snapshot = timed(m_backupMs, [&] { return backupUntilDone(); });
            if (snapshot.isEmpty()) {
                incident(m_lost, QStringLiteral("%1: no backup succeeded after the kill").arg(step));
                QFAIL(qPrintable(m_incidents.join(QLatin1Char('\n'))));
            }

            // 3. restore, killed; then again into the same target.
            const QByteArray target = QFile::encodeName(m_tmp.filePath(QStringLiteral("restore-%1").arg(round)));
            const QStringList restore {QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshot,
                QStringLiteral("--target"), QString::fromLocal8Bit(target)};
            const bool agentVictim2 = m_random.bounded(2) == 0;
            const KilledRun killedRestore = agentVictim2 ? agentKilled(restore, killMoment(m_restoreMs))
                                                         : serverKilledUnder(restore, killMoment(m_restoreMs));
            if (killedRestore.killed || killedRestore.serverKilled)
                ++m_tried;
            if (killedRestore.killed)
                ++m_agentKills;
            if (killedRestore.crashed)
                incident(m_crashes, QStringLiteral("%1: restore crashed: %2").arg(step, QString::fromUtf8(killedRestore.output.right(3000))));
            qInfo("restore: %s after %lld ms (exit %d)", killedRestore.killed ? "agent killed"
                    : killedRestore.serverKilled ? "server killed" : "finished before the kill", killedRestore.elapsedMs, killedRestore.exitCode);
            if (!killedRestore.killed && killedRestore.exitCode == 0) {
                // It finished despite the server's death: what it wrote must be right.
                const QStringList diffs = compareTrees(m_src, target + m_src);
                if (!diffs.isEmpty())
                    incident(m_corrupt, QStringLiteral("%1: restore that reported success differs: %2").arg(step, diffs.mid(0, 10).join(QLatin1Char('\n'))));
            }
            QVERIFY(login());
            restoreMatches(snapshot, target, step); // over what the killed restore left
            QVERIFY(removeTree(target));
            // Into an empty target, timed for the next round.
            timed(m_restoreMs, [&] { return restoreMatches(snapshot, target, step); });
            QVERIFY(removeTree(target));

            // 4. retention, the server killed during the ticks after the clock moved.
            setClock(m_clock.addDays(8));
            QThread::msleep(m_random.bounded(3000));
            restartServerAfterKill();
            ++m_tried;
            QVERIFY(login());
            if (!waitUntil([&] { return snapshotIds() == QStringList {snapshot}; }, 60000))
                incident(m_lost, QStringLiteral("%1: retention did not leave exactly the newest snapshot %2: %3").arg(step, snapshot, snapshotIds().join(QLatin1Char(' '))));

            // 5. gc, killed twice (the first run condemns, the second deletes what was condemned),
            //    then run to its end twice.
            for (int killed = 0; killed < 2; ++killed) {
                QProcess gc;
                gc.setProcessChannelMode(QProcess::MergedChannels);
                gc.start(serverBinary(), {QStringLiteral("gc"), QStringLiteral("--config"), m_config,
                    QStringLiteral("--grace-seconds"), QStringLiteral("0"), QStringLiteral("--data"), m_server.dataDir()});
                const KilledRun killedGc = runKilled(gc, killMoment(m_gcMs));
                if (killedGc.killed) {
                    ++m_tried;
                    ++m_gcKills;
                }
                if (killedGc.crashed)
                    incident(m_crashes, QStringLiteral("%1: gc crashed: %2").arg(step, QString::fromUtf8(killedGc.output.right(3000))));
                qInfo("gc: %s at %lld ms", killedGc.killed ? "killed" : "finished", killedGc.elapsedMs);
            }
            timed(m_gcMs, [&] { return gcClean(); });
            gcClean();

            // 6. everything still holds.
            verifyEverything(step, snapshot);
            if (QTest::currentTestFailed())
                return;
        }
        checkServerLog();
        reliabilityReport("crash",
            {{"tried", m_tried}, {"agent_kills", m_agentKills}, {"server_kills", m_serverKills}, {"gc_kills", m_gcKills},
                {"rounds", rounds}, {"lost", m_lost}, {"corrupt", m_corrupt}, {"hangs", m_hangs}, {"crashes", m_crashes}});
        QVERIFY2(m_incidents.isEmpty(), qPrintable(m_incidents.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestCrashPoints)
#include "TestCrashPoints.moc"
