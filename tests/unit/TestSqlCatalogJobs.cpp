// SqlCatalog jobs, snapshots, restore tickets and the audit log, method by method on a real
// SQLite file: values come back intact, pending jobs come oldest first, job updates only touch
// the fields given, finished jobs refuse changes, snapshots are idempotent and a conflicting one
// is refused, references to rows that do not exist are NotFound.
#include "TestSqlCatalogFixture.h"

#include <QJsonArray>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalogJobs : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup() { m_catalog.reset(); }

    void jobsAddGetPending();
    void updateJobSetsOnlyGivenFields();
    void finishedJobRefusesChanges();
    void snapshotsAreIdempotent();
    void restoreTicketsRoundTrip();
    void auditRoundTrip();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    int m_round = 0;
};

void TestSqlCatalogJobs::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    m_catalog = createCatalog(m_dir, QStringLiteral("jobs-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
}

void TestSqlCatalogJobs::jobsAddGetPending()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    Job j;
    j.tenantId = tenant->id;
    j.agentId = agent->id;
    j.kind = JobKind::Restore;
    j.scheduledAt = baseTime().addSecs(7200);
    j.spec = QJsonObject {{QStringLiteral("snapshot"), QStringLiteral("ab12")},
        {QStringLiteral("paths"), QJsonArray {QStringLiteral("L2V0Yw==")}}};
    j.requestedBy = QStringLiteral("user:3");
    auto later = m_catalog->addJob(j);
    QVERIFY_OK(later);
    j.kind = JobKind::Backup;
    j.scheduledAt = baseTime();
    j.spec = {};
    j.requestedBy = QStringLiteral("schedule");
    auto earlier = m_catalog->addJob(j);
    QVERIFY_OK(earlier);
    j.state = JobState::Succeeded;
    QVERIFY(m_catalog->addJob(j).ok());

    auto got = m_catalog->job(tenant->id, later->id);
    QVERIFY_OK(got);
    QCOMPARE(got->kind, JobKind::Restore);
    QCOMPARE(got->state, JobState::Pending);
    QCOMPARE(got->scheduledAt, baseTime().addSecs(7200));
    QCOMPARE(got->spec, later->spec);
    QCOMPARE(got->requestedBy, QStringLiteral("user:3"));
    QVERIFY(!got->startedAt && !got->finishedAt);

    auto pending = m_catalog->pendingJobs(tenant->id, agent->id);
    QVERIFY_OK(pending);
    QCOMPARE(pending->size(), 2);
    QCOMPARE(pending->at(0).id, earlier->id); // oldest first
    QCOMPARE(pending->at(1).id, later->id);

    Job stray = j;
    stray.agentId = 4242;
    auto refused = m_catalog->addJob(stray);
    QVERIFY_ERROR(refused, ErrorCode::NotFound);
}

void TestSqlCatalogJobs::updateJobSetsOnlyGivenFields()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    Job j;
    j.tenantId = tenant->id;
    j.agentId = agent->id;
    j.scheduledAt = baseTime();
    auto job = m_catalog->addJob(j);
    QVERIFY_OK(job);

    JobUpdate start;
    start.jobId = job->id;
    start.state = JobState::Running;
    start.startedAt = baseTime().addSecs(5);
    start.progress = QJsonObject {{QStringLiteral("files"), 10}};
    auto running = m_catalog->updateJob(tenant->id, agent->id, start);
    QVERIFY_OK(running);
    QCOMPARE(running->state, JobState::Running);
    QCOMPARE(*running->startedAt, baseTime().addSecs(5));
    QCOMPARE(running->progress.value(QStringLiteral("files")).toInt(), 10);

    JobUpdate progress;
    progress.jobId = job->id;
    progress.state = JobState::Running;
    progress.progress = QJsonObject {{QStringLiteral("files"), 20}};
    auto moved = m_catalog->updateJob(tenant->id, agent->id, progress);
    QVERIFY_OK(moved);
    QCOMPARE(*moved->startedAt, baseTime().addSecs(5)); // untouched
    QCOMPARE(moved->progress.value(QStringLiteral("files")).toInt(), 20);

    JobUpdate done;
    done.jobId = job->id;
    done.state = JobState::Warning;
    done.finishedAt = baseTime().addSecs(65);
    done.stats = QJsonObject {{QStringLiteral("bytesAdded"), 123456789012.0}};
    done.snapshotId = QStringLiteral("feed");
    done.error = QStringLiteral("2 files could not be read");
    auto finished = m_catalog->updateJob(tenant->id, agent->id, done);
    QVERIFY_OK(finished);
    QCOMPARE(finished->state, JobState::Warning);
    QCOMPARE(*finished->finishedAt, baseTime().addSecs(65));
    QCOMPARE(finished->progress.value(QStringLiteral("files")).toInt(), 20); // untouched
    QCOMPARE(finished->stats.value(QStringLiteral("bytesAdded")).toDouble(), 123456789012.0);
    QCOMPARE(finished->snapshotId, QStringLiteral("feed"));
    QCOMPARE(finished->error, done.error);
    auto stored = m_catalog->job(tenant->id, job->id);
    QCOMPARE(stored->state, JobState::Warning);

    JobUpdate toPending = start;
    toPending.state = JobState::Pending;
    auto refused = m_catalog->updateJob(tenant->id, agent->id, toPending);
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
}

void TestSqlCatalogJobs::finishedJobRefusesChanges()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    for (JobState end :
        {JobState::Succeeded, JobState::Warning, JobState::Failed, JobState::Missed, JobState::Cancelled}) {
        Job j;
        j.tenantId = tenant->id;
        j.agentId = agent->id;
        j.state = end;
        auto job = m_catalog->addJob(j);
        QVERIFY_OK(job);
        JobUpdate u;
        u.jobId = job->id;
        u.state = JobState::Running;
        u.error = QStringLiteral("should not stick");
        auto refused = m_catalog->updateJob(tenant->id, agent->id, u);
        QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
        auto stored = m_catalog->job(tenant->id, job->id);
        QCOMPARE(stored->state, end);
        QVERIFY(stored->error.isEmpty());
    }
    JobUpdate unknown;
    unknown.jobId = 31337;
    auto missing = m_catalog->updateJob(tenant->id, agent->id, unknown);
    QVERIFY_ERROR(missing, ErrorCode::NotFound);
}

void TestSqlCatalogJobs::snapshotsAreIdempotent()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    Job j;
    j.tenantId = tenant->id;
    j.agentId = agent->id;
    auto job = m_catalog->addJob(j);
    QVERIFY_OK(job);

    SnapshotRecord s;
    s.id = snapshotId(1);
    s.tenantId = tenant->id;
    s.agentId = agent->id;
    s.jobId = job->id;
    s.time = baseTime();
    s.endTime = baseTime().addSecs(42);
    s.hostname = QStringLiteral("web01");
    s.paths = {QByteArray("/srv"), QByteArray("/home/\xff")};
    s.rootTree = chunkId(77);
    s.stats = QJsonObject {{QStringLiteral("files"), 1200}};
    s.recordSize = 512;
    auto added = m_catalog->addSnapshot(s);
    QVERIFY_OK(added);
    QVERIFY(added->rowId > 0);
    auto again = m_catalog->addSnapshot(s);
    QVERIFY_OK(again);
    QCOMPARE(again->rowId, added->rowId);

    SnapshotRecord changed = s;
    changed.recordSize = 513;
    auto conflict = m_catalog->addSnapshot(changed);
    QVERIFY_ERROR(conflict, ErrorCode::InvalidArgument);

    auto got = m_catalog->snapshot(tenant->id, s.id);
    QVERIFY_OK(got);
    QCOMPARE(got->jobId, s.jobId);
    QCOMPARE(got->time, s.time);
    QCOMPARE(got->endTime, s.endTime);
    QCOMPARE(got->paths, s.paths);
    QVERIFY(got->rootTree == s.rootTree);
    QCOMPARE(got->stats, s.stats);
    QCOMPARE(got->recordSize, 512);
    auto missing = m_catalog->snapshot(tenant->id, snapshotId(2));
    QVERIFY_ERROR(missing, ErrorCode::NotFound);

    SnapshotRecord badJob = s;
    badJob.id = snapshotId(3);
    badJob.jobId = 4242;
    auto refused = m_catalog->addSnapshot(badJob);
    QVERIFY_ERROR(refused, ErrorCode::NotFound);
    auto page = m_catalog->snapshots(tenant->id, agent->id, PageRequest {});
    QVERIFY_OK(page);
    QCOMPARE(page->items.size(), 1);
}

void TestSqlCatalogJobs::restoreTicketsRoundTrip()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    User u;
    u.login = QStringLiteral("kim");
    u.tenantId = tenant->id;
    auto user = m_catalog->addUser(u);
    QVERIFY_OK(agent);
    QVERIFY_OK(user);
    RestoreTicket t;
    t.tenantId = tenant->id;
    t.agentId = agent->id;
    t.requestedBy = user->id;
    t.request = QJsonObject {
        {QStringLiteral("target"), QStringLiteral("/restore")}, {QStringLiteral("note"), QStringLiteral("급함")}};
    t.createdAt = baseTime();
    t.dueAt = baseTime().addDays(1);
    auto added = m_catalog->addRestoreTicket(t);
    QVERIFY_OK(added);
    auto got = m_catalog->ticketRecord(tenant->id, added->id);
    QVERIFY_OK(got);
    QCOMPARE(got->ticket.state, TicketState::Submitted);
    QCOMPARE(got->ticket.request, t.request);
    QCOMPARE(got->ticket.requestedBy, user->id);
    QCOMPARE(*got->ticket.dueAt, baseTime().addDays(1));
    auto all = m_catalog->ticketRecords(TicketFilter {std::nullopt, std::nullopt, PageRequest {}});
    QVERIFY_OK(all);
    QCOMPARE(all->items.size(), 1);

    RestoreTicket noUser = t;
    noUser.requestedBy = 4242;
    auto refused = m_catalog->addRestoreTicket(noUser);
    QVERIFY_ERROR(refused, ErrorCode::NotFound);
}

void TestSqlCatalogJobs::auditRoundTrip()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    AuditEntry e;
    e.at = baseTime();
    e.tenantId = tenant->id;
    e.userId = 5;
    e.action = QStringLiteral("policy.set");
    e.object = QStringLiteral("agent:12");
    e.detail = QJsonObject {{QStringLiteral("hour"), 2}};
    e.peer = QStringLiteral("192.0.2.1");
    Status added = m_catalog->addAudit(e);
    QVERIFY_OK(added);
    AuditEntry op;
    op.action = QStringLiteral("login.failed");
    QVERIFY(m_catalog->addAudit(op).ok());
    AuditEntry empty;
    Status refused = m_catalog->addAudit(empty);
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);

    auto mine = m_catalog->audit(tenant->id, PageRequest {});
    QVERIFY_OK(mine);
    QCOMPARE(mine->items.size(), 1);
    const AuditEntry &got = mine->items.first();
    QCOMPARE(got.at, baseTime());
    QCOMPARE(*got.userId, 5);
    QVERIFY(!got.agentId);
    QCOMPARE(got.action, e.action);
    QCOMPARE(got.object, e.object);
    QCOMPARE(got.detail, e.detail);
    QCOMPARE(got.peer, e.peer);
    auto all = m_catalog->audit(std::nullopt, PageRequest {});
    QCOMPARE(all->items.size(), 2);
    QCOMPARE(all->items.first().action, QStringLiteral("login.failed")); // newest first
}

QTEST_GUILESS_MAIN(TestSqlCatalogJobs)
#include "TestSqlCatalogJobs.moc"
