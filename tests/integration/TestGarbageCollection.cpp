// Retention and garbage collection end to end (issue 5, acceptance 2): a real cairn-server whose
// clock follows a file (testing/clock_file, operations/tick_seconds=1) and a real cairn-agent
// (`backup --now`, `restore`, `remote check --read-data`; no service, so no scheduled run
// interferes). Incompressible files make the stored sizes predictable.
//
// 1. Two backups; the clock moves 8 days on, retention (7 days) removes the first snapshot and
//    keeps the second (the newest good one); two `cairn-server gc --grace-seconds 0` runs free
//    exactly the data only the first snapshot had (the store shrinks by it, within the packing
//    overhead); every remaining snapshot passes `remote check --read-data` and restores.
// 2. GC during a backup: data that only an expired snapshot referred to is dead but still in
//    the agent's index cache; a backup that reuses it runs (slowed by a bandwidth limit) while
//    `gc` runs three times: its packs are condemned but not deleted while the backup runs; the
//    backup succeeds, and committing its snapshot puts the packs back into the index because the
//    snapshot needs them. Nothing is lost: the new snapshot restores at once, check --read-data
//    passes, and later collections keep X.
// Main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <sys/stat.h>

using namespace cairn::test;

namespace {

constexpr qint64 kMB = 1000 * 1000;

// Bytes of the pack files of a tenant's store.
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

// "N <label>" from a gc report line.
qint64 figure(const QByteArray &out, const char *label)
{
    const QRegularExpression re(QStringLiteral("(\\d+) %1").arg(QLatin1String(label)));
    const auto m = re.match(QString::fromUtf8(out));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

class TestGarbageCollection : public QObject {
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
    quint64 m_seed = 0;

    // Moves the server's clock; it follows within a pass (1 s). Sessions last 12 hours of that
    // clock, so the console logs in again.
    void setClock(const QDateTime &at)
    {
        QThread::msleep(1100); // a new modification time
        QVERIFY(m_server.writeClock(at));
        m_clock = at;
        QThread::msleep(1500);
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
    }

    bool setPolicy(const QJsonObject &extra = {})
    {
        QJsonObject policy{{QStringLiteral("paths"), QJsonArray{QString::fromLocal8Bit(m_src)}},
            {QStringLiteral("interval_days"), 7}, {QStringLiteral("weekday"), 1}, {QStringLiteral("hour"), 3},
            {QStringLiteral("retention_days"), 7}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            policy.insert(it.key(), it.value());
        const ApiReply r = m_api->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId), policy);
        if (r.status != 200)
            qWarning("PUT policy: %s", qPrintable(r.describe()));
        return r.status == 200;
    }

    // `cairn-agent backup --now`; the snapshot id of the job's result.
    QString backupNow()
    {
        const ProcessResult r = m_agent.run({QStringLiteral("backup"), QStringLiteral("--now")});
        if (r.exitCode != 0) {
            qWarning("backup --now: %s", qPrintable(describe(r)));
            return {};
        }
        return newestSnapshot();
    }

    QJsonArray snapshots()
    {
        return m_api->get(QStringLiteral("/api/v1/snapshots?server=%1&limit=500").arg(m_agentId))
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    }

    QString newestSnapshot()
    {
        const QJsonArray all = snapshots();
        return all.isEmpty() ? QString() : all.first().toObject().value(QStringLiteral("id")).toString();
    }

    QStringList snapshotIds()
    {
        QStringList ids;
        for (const QJsonValue &v : snapshots())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        return ids;
    }

    ProcessResult gc()
    {
        const ProcessResult r = m_server.admin(
            {QStringLiteral("gc"), QStringLiteral("--config"), m_config, QStringLiteral("--grace-seconds"), QStringLiteral("0")});
        qInfo("gc: %s\n%s", r.out.trimmed().constData(), r.err.trimmed().constData());
        return r;
    }

    void checkReadData()
    {
        const ProcessResult r = m_agent.run({QStringLiteral("remote"), QStringLiteral("check"), QStringLiteral("--read-data")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("no problems found"), qPrintable(describe(r)));
    }

    void restoresIdentical(const QString &snapshot, const QByteArray &expected, const QByteArray &name)
    {
        const QByteArray target = QFile::encodeName(m_tmp.filePath(QString::fromLatin1(name)));
        const ProcessResult r = m_agent.run({QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshot,
            QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(expected, target + m_src);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 20).join(QLatin1Char('\n'))));
        QVERIFY(removeTree(target));
    }

    void catalogConsistent()
    {
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        const QStringList problems = catalogIntegrityProblems(catalog.db());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        // What the catalog counts as stored is what the store holds.
        const qint64 stored = sqlCount(catalog.db(),
            QStringLiteral("SELECT COALESCE(SUM(size), 0) FROM packs WHERE tenant_id = %1 AND deleted_at IS NULL").arg(m_tenant));
        QCOMPARE(stored, storeBytes(m_server.dataDir(), m_tenant));
    }

    bool writeRandom(const QByteArray &name, qint64 size, quint64 seed)
    {
        return writeFile(m_src + '/' + name, randomBytes(size, (m_seed << 24) + seed));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_seed = testSeed();
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
        QCOMPARE(m_api->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("gc-host"));
        QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
        QVERIFY(setPolicy());
    }

    void retentionThenGcFreesExactlyTheDeadData()
    {
        // S1: shared (12 MB) + old (20 MB); S2: shared + new (20 MB).
        QVERIFY(writeRandom("shared", 12 * kMB, 1));
        QVERIFY(writeRandom("old", 20 * kMB, 2));
        const QString s1 = backupNow();
        QVERIFY(!s1.isEmpty());
        QVERIFY(QFile::remove(QFile::decodeName(m_src + "/old")));
        QVERIFY(writeRandom("new", 20 * kMB, 3));
        const QString s2 = backupNow();
        QVERIFY(!s2.isEmpty() && s2 != s1);
        const qint64 before = storeBytes(m_server.dataDir(), m_tenant);
        QVERIFY(before >= 52 * kMB);

        // Nothing is dead yet: a collection changes nothing.
        ProcessResult r = gc();
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(figure(r.out, "condemned"), 0);
        QCOMPARE(figure(r.out, "repacked into"), 0);
        QCOMPARE(storeBytes(m_server.dataDir(), m_tenant), before);

        // Eight days on, retention keeps only S2, the newest good snapshot.
        setClock(m_clock.addDays(8));
        QVERIFY2(waitUntil([&] { return snapshotIds() == QStringList{s2}; }, 20000),
            qPrintable(snapshotIds().join(QLatin1Char(' '))));

        // The first collection condemns (and repacks); the second, with no backup running and a
        // grace of 0, deletes what was condemned.
        r = gc();
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(figure(r.out, "condemned") + figure(r.out, "repacked into") > 0);
        r = gc();
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(figure(r.out, "deleted") > 0);
        const qint64 after = storeBytes(m_server.dataDir(), m_tenant);
        const qint64 freed = before - after;
        qInfo("store %lld → %lld bytes: %lld freed; the expired snapshot's own data was 20,000,000 bytes", before, after, freed);
        // The dead data is "old" (20 MB incompressible, stored with ~0.03% blob overhead) plus S1's
        // trees; the store keeps "shared" and "new" (32 MB) with their pack headers.
        QVERIFY2(freed >= 20 * kMB && freed <= 20 * kMB + 2 * kMB, qPrintable(QString::number(freed)));
        QVERIFY(after >= 32 * kMB);
        // A third collection finds nothing more to do.
        r = gc();
        QCOMPARE(figure(r.out, "condemned"), 0);
        QCOMPARE(figure(r.out, "deleted"), 0);

        checkReadData();
        restoresIdentical(s2, m_src, "restored-s2");
        catalogConsistent();
        // The agent's cache forgot the deleted packs: a backup of the same tree still works and
        // uploads nothing new.
        const QString s3 = backupNow();
        QVERIFY(!s3.isEmpty());
        checkReadData();
    }

    void gcDuringBackupBreaksNeither()
    {
        // X (24 MB) only in S4; S5 without it becomes the newest; retention removes S3 and S4.
        QVERIFY(writeRandom("x", 24 * kMB, 4));
        const QString s4 = backupNow();
        QVERIFY(!s4.isEmpty());
        QVERIFY(QFile::remove(QFile::decodeName(m_src + "/x")));
        const QString s5 = backupNow();
        QVERIFY(!s5.isEmpty());
        setClock(m_clock.addDays(8));
        QVERIFY2(waitUntil([&] { return snapshotIds() == QStringList{s5}; }, 20000),
            qPrintable(snapshotIds().join(QLatin1Char(' '))));

        // X comes back, with 48 MB of new data Y; uploads are limited to 4 MiB/s, so the backup
        // runs for about 12 s. The agent's cache still lists X's packs: it does not upload X.
        QVERIFY(writeRandom("x", 24 * kMB, 4));
        constexpr qint64 kY = 48 * kMB;
        QVERIFY(writeRandom("y", kY, 5));
        QVERIFY(setPolicy({{QStringLiteral("bandwidth_limit_kib"), 4096}}));
        QProcess backup;
        backup.setProcessChannelMode(QProcess::MergedChannels);
        backup.start(agentBinary(), {QStringLiteral("backup"), QStringLiteral("--now"), QStringLiteral("--config"),
                                        m_agent.configPath(), QStringLiteral("--state"), m_agent.stateDir()});
        QVERIFY(backup.waitForStarted());
        QJsonObject running;
        QVERIFY2(waitUntil(
                     [&] {
                         // Running and past its index sync (phase "backup"): its cache still lists X.
                         const QJsonArray jobs = m_api->get(QStringLiteral("/api/v1/jobs?server=%1&status=running").arg(m_agentId))
                                                     .json()
                                                     .value(QStringLiteral("items"))
                                                     .toArray();
                         for (const QJsonValue &v : jobs) {
                             const QJsonObject j = v.toObject();
                             if (j.value(QStringLiteral("state")).toString() == u"running"
                                 && j.value(QStringLiteral("progress")).toObject().value(QStringLiteral("phase")).toString() == u"backup") {
                                 running = j;
                                 return true;
                             }
                         }
                         return false;
                     },
                     60000, 50),
            "the backup did not start");

        // Three collections while it runs: X's packs are condemned, never deleted.
        int collections = 0;
        qint64 condemned = 0, deleted = 0;
        while (collections < 3 && backup.state() == QProcess::Running) {
            const ProcessResult r = gc();
            QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
            condemned += std::max<qint64>(0, figure(r.out, "condemned")) + std::max<qint64>(0, figure(r.out, "repacked into"));
            deleted += std::max<qint64>(0, figure(r.out, "deleted"));
            ++collections;
        }
        QVERIFY2(backup.waitForFinished(180000), "the backup did not finish");
        const QByteArray backupOut = backup.readAll();
        QVERIFY2(backup.exitCode() == 0, backupOut.constData());
        qInfo("%d collections ran during the backup: %lld packs condemned or repacked, %lld deleted", collections, condemned, deleted);
        QVERIFY2(collections >= 1, "the backup ended before a collection could run (raise its size)");
        QVERIFY(condemned >= 1);
        QCOMPARE(deleted, 0);
        const QString s6 = newestSnapshot();
        QVERIFY(!s6.isEmpty() && s6 != s5);
        const QJsonObject job = m_api->get(QStringLiteral("/api/v1/jobs/%1").arg(qint64(running.value(QStringLiteral("id")).toDouble())))
                                    .json();
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        // X was not uploaded again: only Y (and trees) went up.
        const qint64 uploaded = job.value(QStringLiteral("stats")).toObject().value(QStringLiteral("bytes_uploaded")).toInteger(-1);
        qInfo("the backup uploaded %lld bytes", uploaded);
        QVERIFY2(uploaded < kY + 2 * kMB, qPrintable(QString::number(uploaded)));

        // Committing S6 put X's packs back into the index (they were condemned, not deleted):
        // S6 restores at once, and every remaining snapshot checks clean, before any collection.
        {
            CatalogReader catalog(m_server.dataDir());
            QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
            QCOMPARE(sqlCount(catalog.db(),
                         QStringLiteral("SELECT COUNT(*) FROM packs WHERE tenant_id = %1 AND condemned_at IS NOT NULL "
                                        "AND deleted_at IS NULL AND size > 1000000").arg(m_tenant)),
                0);
        }
        restoresIdentical(s6, m_src, "restored-s6");
        checkReadData();
        catalogConsistent();
        // The next collections free only what nothing needs (S5's old trees) and keep X.
        ProcessResult r = gc();
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QCOMPARE(figure(r.out, "put back"), 0);
        QVERIFY(gc().exitCode == 0);
        checkReadData();
        restoresIdentical(s6, m_src, "restored-s6-again");
        catalogConsistent();
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
    }
};

QTEST_GUILESS_MAIN(TestGarbageCollection)
#include "TestGarbageCollection.moc"
