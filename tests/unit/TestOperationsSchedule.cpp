// Operations on an injected clock (the server's schedule bookkeeping): every slot of a policy gets
// its job, across a month in a zone with daylight saving (America/New_York, spring forward on
// 2026-03-08) and for weekly runs that cross midnight; a run not started within 3 hours becomes
// missed and one still running at 3 hours is flagged late and completes normally; slots before
// the policy was set do not count; after the server was down the slots it slept through are
// recorded, the old ones as missed; a pass is idempotent and agrees with the agent's own
// registration of a slot. Retention at 7/14/21/30 days removes the expired snapshots (catalog row,
// record in the store, audit entry) and never the newest good one. Also the test clock file
// (testing/clock_file). Real SQLite files and a real pack store folder; the test's thread.
#include "TestSqlCatalogFixture.h"

#include "ops/Operations.h"
#include "ops/TestClock.h"
#include "store/PackStore.h"

#include <QFile>
#include <QTimeZone>

#include <thread>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC);
}

QDateTime local(const char *zone, int y, int mo, int d, int h, int mi = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), QTimeZone(zone));
}

} // namespace

class TestOperationsSchedule : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void dailySlotsAcrossAMonthWithDaylightSaving();
    void weeklySlotsCrossingMidnight();
    void missedAfterThreeHoursAndLateFlag();
    void slotsSleptThroughAreRecordedOldOnesMissed();
    void passIsIdempotentAndMatchesTheAgentsRegistration();
    void clockFileSetsAndMovesTheServersTime();
    void retentionRemovesExpiredSnapshots_data();
    void retentionRemovesExpiredSnapshots();
    void retentionKeepsTheNewestGoodSnapshot();

private:
    // A tenant in `zone` with one server whose policy was set at `policySet`.
    void setUp(const char *zone, const Policy &policy, const QDateTime &policySet);
    Operations::Pass tickAt(const QDateTime &now);
    QList<Job> allJobs();
    // A snapshot taken `daysAgo` days before m_now, with a finished job in `state`, its record
    // in the store.
    SnapshotRecord addSnapshot(int seed, double daysAgo, JobState state);
    QList<SnapshotRecord> remainingSnapshots();

    QTemporaryDir m_dir;
    int m_round = 0;
    std::unique_ptr<SqlCatalog> m_catalog;
    ServerSettings m_settings;
    QDateTime m_now;
    std::unique_ptr<LocalPackStore> m_store;
    std::unique_ptr<Operations> m_ops;
    Tenant m_tenant;
    Agent m_agent;
};

void TestOperationsSchedule::init()
{
    m_catalog = createCatalog(m_dir, QStringLiteral("ops-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
    m_settings = ServerSettings();
    m_settings.scheduleTestOffsetSeconds = 600; // every slot is hh:10 local
    m_store = std::make_unique<LocalPackStore>(m_dir.filePath(QStringLiteral("packs-%1").arg(m_round)));
    m_ops = std::make_unique<Operations>(*m_catalog, *m_store, m_settings, [this] { return m_now; }, OperationsSettings());
}

void TestOperationsSchedule::cleanup()
{
    m_ops.reset();
    m_store.reset();
    m_catalog.reset();
}

void TestOperationsSchedule::setUp(const char *zone, const Policy &policy, const QDateTime &policySet)
{
    Tenant t;
    t.name = QStringLiteral("acme");
    t.timeZone = QString::fromLatin1(zone);
    t.reportRecipients = {QStringLiteral("ops@acme.example")};
    t.wrappedKeys = "wrapped";
    t.repositoryConfig = "{}";
    t.createdAt = baseTime();
    auto tenant = m_catalog->addTenant(t);
    QVERIFY_OK(tenant);
    m_tenant = *tenant;
    auto agent = enrollAgent(*m_catalog, m_tenant.id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    m_agent = *agent;
    Policy p = policy;
    p.paths = {QByteArray("/srv")};
    p.updatedAt = policySet;
    QVERIFY_OK(m_catalog->setPolicy(m_tenant.id, m_agent.id, p));
}

Operations::Pass TestOperationsSchedule::tickAt(const QDateTime &now)
{
    m_now = now;
    Operations::Pass pass = m_ops->tick();
    if (!pass.problems.isEmpty())
        qWarning("%s", qPrintable(pass.problems.join(QLatin1Char('\n'))));
    return pass;
}

QList<Job> TestOperationsSchedule::allJobs()
{
    QList<Job> out;
    JobFilter f;
    f.tenantId = m_tenant.id;
    f.page.limit = 100;
    for (;;) {
        auto page = m_catalog->jobs(f);
        if (!page) {
            qWarning("%s", qPrintable(page.error().message));
            return {};
        }
        out += page->items;
        if (!page->next)
            break;
        f.page.beforeId = *page->next;
    }
    std::sort(out.begin(), out.end(), [](const Job &a, const Job &b) { return a.scheduledAt < b.scheduledAt; });
    return out;
}

void TestOperationsSchedule::dailySlotsAcrossAMonthWithDaylightSaving()
{
    Policy p;
    p.intervalDays = 1;
    p.hour = 2; // 02:00 does not exist in New York on 2026-03-08: that slot is 03:00 EDT
    setUp("America/New_York", p, utc(2026, 2, 20, 12));
    // A pass every hour for a month (2026-02-20 12:00Z .. 2026-03-22 12:00Z).
    int recorded = 0;
    for (QDateTime now = utc(2026, 2, 20, 12); now <= utc(2026, 3, 22, 12); now = now.addSecs(3600))
        recorded += tickAt(now).slotsRecorded;
    const QList<Job> jobs = allJobs();
    QCOMPARE(recorded, 30); // 2026-02-21 .. 2026-03-22, one a day
    QCOMPARE(jobs.size(), 30);
    for (int i = 0; i < jobs.size(); ++i) {
        const QDate day = QDate(2026, 2, 21).addDays(i);
        const QDateTime want = day == QDate(2026, 3, 8) ? local("America/New_York", 2026, 3, 8, 3, 10)
                                                         : QDateTime(day, QTime(2, 10), QTimeZone("America/New_York"));
        QCOMPARE(jobs[i].scheduledAt, want.toUTC());
        QCOMPARE(jobs[i].requestedBy, QStringLiteral("schedule"));
        QCOMPARE(jobs[i].state, JobState::Missed); // nobody ran them; the last was due 5 h 50 min before the end
        QCOMPARE(jobs[i].error, QStringLiteral("not started within 3 hours of its scheduled time"));
        // Recorded as pending in the pass after its slot, missed in the first pass 3 hours after it.
        QVERIFY(jobs[i].finishedAt.has_value());
        QVERIFY2(*jobs[i].finishedAt >= jobs[i].scheduledAt.addSecs(3 * 3600)
                     && *jobs[i].finishedAt < jobs[i].scheduledAt.addSecs(4 * 3600),
            qPrintable(jobs[i].finishedAt->toString(Qt::ISODate)));
    }
    // Before the change the slot is 07:10Z, after it 06:10Z.
    QCOMPARE(jobs[14].scheduledAt, utc(2026, 3, 7, 7, 10));
    QCOMPARE(jobs[15].scheduledAt, utc(2026, 3, 8, 7, 10)); // 03:10 EDT
    QCOMPARE(jobs[16].scheduledAt, utc(2026, 3, 9, 6, 10));
    PageRequest page;
    page.limit = 100;
    auto audit = m_catalog->audit(m_tenant.id, page);
    QVERIFY_OK(audit);
    int missedEntries = 0;
    for (const AuditEntry &e : audit->items)
        missedEntries += e.action == QLatin1String("job.missed");
    QCOMPARE(missedEntries, 30);
}

void TestOperationsSchedule::weeklySlotsCrossingMidnight()
{
    Policy p;
    p.intervalDays = 7;
    p.weekday = 3; // Wednesday
    p.hour = 23;
    m_settings.scheduleTestOffsetSeconds = 2400; // 23:40
    setUp("Asia/Seoul", p, local("Asia/Seoul", 2026, 11, 1, 0)); // a Sunday
    for (QDateTime now = local("Asia/Seoul", 2026, 11, 1, 0).toUTC(); now <= local("Asia/Seoul", 2026, 12, 6, 0).toUTC();
         now = now.addSecs(6 * 3600))
        tickAt(now);
    const QList<Job> jobs = allJobs();
    // Wednesdays 11-04, 11-11, 11-18, 11-25, 12-02 at 23:40 KST (14:40Z the same day).
    QCOMPARE(jobs.size(), 5);
    const QDate wednesdays[] = {QDate(2026, 11, 4), QDate(2026, 11, 11), QDate(2026, 11, 18), QDate(2026, 11, 25),
        QDate(2026, 12, 2)};
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(jobs[i].scheduledAt, QDateTime(wednesdays[i], QTime(23, 40), QTimeZone("Asia/Seoul")).toUTC());
        QCOMPARE(jobs[i].state, JobState::Missed);
    }
}

void TestOperationsSchedule::missedAfterThreeHoursAndLateFlag()
{
    Policy p;
    p.hour = 2;
    setUp("Asia/Seoul", p, local("Asia/Seoul", 2026, 11, 1, 12));
    const QDateTime slot1 = local("Asia/Seoul", 2026, 11, 2, 2, 10).toUTC();
    const QDateTime slot2 = slot1.addDays(1);
    QCOMPARE(tickAt(slot1.addSecs(30)).slotsRecorded, 1);
    auto pending = m_catalog->pendingJobs(m_tenant.id, m_agent.id);
    QVERIFY_OK(pending);
    QCOMPARE(pending->size(), 1);
    const Job first = pending->first();
    QCOMPARE(first.scheduledAt, slot1);
    // The agent starts the first run and keeps going for more than three hours.
    JobUpdate start;
    start.jobId = first.id;
    start.state = JobState::Running;
    start.startedAt = slot1.addSecs(60);
    QVERIFY_OK(m_catalog->updateJob(m_tenant.id, m_agent.id, start));
    QCOMPARE(tickAt(slot1.addSecs(3 * 3600 - 1)).late, 0);
    QVERIFY(!m_catalog->job(m_tenant.id, first.id)->late);
    auto pass = tickAt(slot1.addSecs(3 * 3600));
    QCOMPARE(pass.late, 1);
    QCOMPARE(pass.missed, 0);
    QVERIFY(m_catalog->job(m_tenant.id, first.id)->late);
    QCOMPARE(tickAt(slot1.addSecs(3 * 3600 + 60)).late, 0); // flagged once
    JobUpdate done;
    done.jobId = first.id;
    done.state = JobState::Succeeded;
    done.finishedAt = slot1.addSecs(4 * 3600);
    QVERIFY_OK(m_catalog->updateJob(m_tenant.id, m_agent.id, done));
    auto finished = m_catalog->job(m_tenant.id, first.id);
    QCOMPARE(finished->state, JobState::Succeeded); // late is a warning: the run completes normally
    QVERIFY(finished->late);

    // The second slot is never started: pending until 3 hours have passed, then missed.
    QCOMPARE(tickAt(slot2).slotsRecorded, 1);
    QCOMPARE(tickAt(slot2.addSecs(3 * 3600 - 1)).missed, 0);
    QCOMPARE(m_catalog->pendingJobs(m_tenant.id, m_agent.id)->size(), 1);
    pass = tickAt(slot2.addSecs(3 * 3600));
    QCOMPARE(pass.missed, 1);
    QCOMPARE(m_catalog->pendingJobs(m_tenant.id, m_agent.id)->size(), 0);
    const QList<Job> jobs = allJobs();
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs[1].state, JobState::Missed);
    QCOMPARE(*jobs[1].finishedAt, slot2.addSecs(3 * 3600));
    // An agent's report for the missed job is refused: it already finished.
    JobUpdate tooLate;
    tooLate.jobId = jobs[1].id;
    tooLate.state = JobState::Running;
    tooLate.startedAt = slot2.addSecs(3 * 3600 + 5);
    QVERIFY_ERROR(m_catalog->updateJob(m_tenant.id, m_agent.id, tooLate), ErrorCode::InvalidArgument);
}

void TestOperationsSchedule::slotsSleptThroughAreRecordedOldOnesMissed()
{
    Policy p;
    p.hour = 2;
    const QDateTime set = local("Asia/Seoul", 2026, 11, 10, 2, 30).toUTC(); // just after that day's slot
    setUp("Asia/Seoul", p, set);
    QCOMPARE(tickAt(set.addSecs(60)).slotsRecorded, 0); // 2026-11-10 02:10 came before the policy
    // The server is down until 2026-11-15 03:00 KST: slots of the 11th..15th are recorded at once.
    const auto pass = tickAt(local("Asia/Seoul", 2026, 11, 15, 3, 0).toUTC());
    QCOMPARE(pass.slotsRecorded, 5);
    QCOMPARE(pass.missed, 4);
    const QList<Job> jobs = allJobs();
    QCOMPARE(jobs.size(), 5);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(jobs[i].state, JobState::Missed);
    QCOMPARE(jobs[4].state, JobState::Pending); // 50 minutes old: the agent may still run it
    QCOMPARE(jobs[4].scheduledAt, local("Asia/Seoul", 2026, 11, 15, 2, 10).toUTC());
}

void TestOperationsSchedule::passIsIdempotentAndMatchesTheAgentsRegistration()
{
    Policy p;
    p.hour = 2;
    setUp("Asia/Seoul", p, local("Asia/Seoul", 2026, 11, 1, 12));
    const QDateTime slot = local("Asia/Seoul", 2026, 11, 2, 2, 10).toUTC();
    // The agent registers its slot first (POST /agent/jobs does this); the pass finds it.
    Job mine;
    mine.tenantId = m_tenant.id;
    mine.agentId = m_agent.id;
    mine.scheduledAt = slot;
    auto added = m_catalog->addScheduledJob(mine);
    QVERIFY_OK(added);
    QVERIFY(added->created);
    QCOMPARE(tickAt(slot.addSecs(5)).slotsRecorded, 0);
    QCOMPARE(tickAt(slot.addSecs(10)).slotsRecorded, 0);
    // The next day the pass is first; the agent's registration then finds the server's job.
    const QDateTime next = slot.addDays(1);
    QCOMPARE(tickAt(next.addSecs(1)).slotsRecorded, 1);
    mine.scheduledAt = next;
    auto again = m_catalog->addScheduledJob(mine);
    QVERIFY_OK(again);
    QVERIFY(!again->created);
    QCOMPARE(allJobs().size(), 2);
}

void TestOperationsSchedule::clockFileSetsAndMovesTheServersTime()
{
    QCOMPARE(parseClockFile("2026-03-08T06:30:00Z\n"), utc(2026, 3, 8, 6, 30));
    QCOMPARE(parseClockFile("2026-03-08T15:30:00+09:00"), utc(2026, 3, 8, 6, 30));
    QVERIFY(!parseClockFile("2026-03-08T06:30:00").isValid()); // no offset: not an instant
    QVERIFY(!parseClockFile("tomorrow").isValid());

    const QString path = m_dir.filePath(QStringLiteral("clock-%1").arg(m_round));
    auto now = fileClock(path);
    QVERIFY(qAbs(now().secsTo(QDateTime::currentDateTimeUtc())) < 5); // no file: the real time
    auto write = [&](const QByteArray &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    write("2030-01-01T00:00:00Z");
    const QDateTime first = now();
    QVERIFY2(first >= utc(2030, 1, 1, 0) && first < utc(2030, 1, 1, 0).addSecs(5), qPrintable(first.toString(Qt::ISODate)));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    QVERIFY(now() > first); // time flows from the written instant
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // a new modification time
    write("2030-06-01T12:00:00+02:00");
    QVERIFY(qAbs(now().secsTo(utc(2030, 6, 1, 10))) < 5);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("holds no ISO 8601 instant")));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write("not a time");
    QVERIFY(qAbs(now().secsTo(QDateTime::currentDateTimeUtc())) < 5);
}

SnapshotRecord TestOperationsSchedule::addSnapshot(int seed, double daysAgo, JobState state)
{
    const QDateTime taken = m_now.addSecs(qint64(-daysAgo * 86400));
    Job j;
    j.tenantId = m_tenant.id;
    j.agentId = m_agent.id;
    j.scheduledAt = taken;
    auto job = m_catalog->addJob(j);
    JobUpdate done;
    done.jobId = job ? job->id : 0;
    done.state = state;
    done.startedAt = taken;
    done.finishedAt = taken.addSecs(60);
    if (!job || !m_catalog->updateJob(m_tenant.id, m_agent.id, done).ok())
        qFatal("cannot add the job of snapshot %d", seed);
    SnapshotRecord s;
    s.id = snapshotId(quint64(seed));
    s.tenantId = m_tenant.id;
    s.agentId = m_agent.id;
    s.jobId = job->id;
    s.time = taken;
    s.endTime = taken.addSecs(60);
    s.hostname = QStringLiteral("web01");
    s.paths = {QByteArray("/srv")};
    s.rootTree = chunkId(quint64(seed));
    s.recordSize = 100;
    auto backend = m_store->tenant(m_tenant.id);
    if (!m_catalog->addSnapshot(s) || !backend
        || !(*backend)->save({FileType::Snapshot, s.id.toHex()}, QByteArray(100, char(seed))).ok())
        qFatal("cannot add snapshot %d", seed);
    return s;
}

QList<SnapshotRecord> TestOperationsSchedule::remainingSnapshots()
{
    PageRequest page;
    page.limit = 500;
    auto snaps = m_catalog->snapshots(m_tenant.id, m_agent.id, page);
    return snaps ? snaps->items : QList<SnapshotRecord>();
}

void TestOperationsSchedule::retentionRemovesExpiredSnapshots_data()
{
    QTest::addColumn<int>("days");
    for (int days : {7, 14, 21, 30})
        QTest::addRow("%d days", days) << days;
}

void TestOperationsSchedule::retentionRemovesExpiredSnapshots()
{
    QFETCH(int, days);
    Policy p;
    p.retentionDays = days;
    m_now = utc(2026, 11, 20, 3);
    setUp("Asia/Seoul", p, m_now.addDays(-60));
    // One snapshot a day for 40 days, the newest two from failed runs (the post-command failed
    // after the snapshot was committed).
    QList<SnapshotRecord> made;
    for (int k = 1; k <= 40; ++k)
        made << addSnapshot(k, k - 0.5, k <= 2 ? JobState::Failed : JobState::Succeeded);
    const auto pass = tickAt(m_now);
    QCOMPARE(pass.snapshotsRemoved, 40 - days);
    const QList<SnapshotRecord> left = remainingSnapshots();
    QCOMPARE(left.size(), days);
    auto backend = m_store->tenant(m_tenant.id);
    QVERIFY_OK(backend);
    for (const SnapshotRecord &s : made) {
        const bool expired = s.time < m_now.addDays(-days);
        QCOMPARE((*backend)->stat({FileType::Snapshot, s.id.toHex()}).ok(), !expired);
        QCOMPARE(m_catalog->snapshot(m_tenant.id, s.id).ok(), !expired);
    }
    PageRequest page;
    page.limit = 100;
    int expiredEntries = 0;
    auto audit = m_catalog->audit(m_tenant.id, page);
    QVERIFY_OK(audit);
    for (const AuditEntry &e : audit->items)
        expiredEntries += e.action == QLatin1String("snapshot.expire");
    QCOMPARE(expiredEntries, 40 - days);
    // Within the hour nothing is looked at again; a day later one more has expired.
    QCOMPARE(tickAt(m_now.addSecs(1800)).snapshotsRemoved, 0);
    QCOMPARE(tickAt(m_now.addDays(1)).snapshotsRemoved, 1);
}

void TestOperationsSchedule::retentionKeepsTheNewestGoodSnapshot()
{
    Policy p;
    p.retentionDays = 30;
    m_now = utc(2026, 11, 20, 3);
    setUp("Asia/Seoul", p, m_now.addDays(-90));
    // The machine stopped backing up: every snapshot is older than 30 days; the newest one is
    // from a failed run, so the one before it is the one to keep.
    addSnapshot(1, 35, JobState::Failed);
    const SnapshotRecord good = addSnapshot(2, 40, JobState::Succeeded);
    addSnapshot(3, 45, JobState::Warning);
    addSnapshot(4, 50, JobState::Succeeded);
    QCOMPARE(tickAt(m_now).snapshotsRemoved, 3);
    const QList<SnapshotRecord> left = remainingSnapshots();
    QCOMPARE(left.size(), 1);
    QVERIFY(left.first().id == good.id);
    QVERIFY((*m_store->tenant(m_tenant.id))->stat({FileType::Snapshot, good.id.toHex()}).ok());
    // Months later it is still there.
    QCOMPARE(tickAt(m_now.addDays(100)).snapshotsRemoved, 0);
    QCOMPARE(remainingSnapshots().size(), 1);
}

QTEST_GUILESS_MAIN(TestOperationsSchedule)
#include "TestOperationsSchedule.moc"
