// SqlCatalog for agent-run schedules (schema version 2): a version 1 catalog file is migrated with
// its rows intact and the new columns at their defaults; the new policy fields and the agent's
// kernel/architecture round-trip; addScheduledJob makes one job per (agent, slot) however often
// and from however many threads it is called; requestCancel cancels a pending job at once, marks
// a running one, and refuses a finished one or another tenant's. Real SQLite files; the test's
// thread (plus worker threads in the concurrency case).
#include "TestSqlCatalogFixture.h"

#include "catalog/Schema.h"

#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <thread>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

Result<Agent> enrollWithSystem(Catalog &catalog, qint64 tenantId, const QString &hostname)
{
    EnrollmentCode code;
    code.codeHash = sha256("code-" + hostname.toUtf8());
    code.tenantId = tenantId;
    code.createdAt = baseTime();
    code.expiresAt = baseTime().addDays(1);
    CAIRN_TRY(catalog.addEnrollmentCode(code));
    Agent a;
    a.hostname = hostname;
    a.os = QStringLiteral("Debian GNU/Linux 12 (bookworm)");
    a.kernel = QStringLiteral("6.1.0-13-amd64");
    a.architecture = QStringLiteral("x86_64");
    a.version = QStringLiteral("0.2.0");
    a.tokenHash = sha256("token-" + hostname.toUtf8());
    return catalog.enrollAgent(code.codeHash, a, baseTime());
}

Job scheduledJob(const Agent &agent, const QDateTime &slot)
{
    Job j;
    j.tenantId = agent.tenantId;
    j.agentId = agent.id;
    j.kind = JobKind::Backup;
    j.scheduledAt = slot;
    return j;
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

} // namespace

class TestSqlCatalogSchedule : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup() { m_catalog.reset(); }

    void migrationFromVersion1KeepsData();
    void policyCommandsAndLimitRoundTrip();
    void agentSystemRoundTrip();
    void scheduledJobIsIdempotentPerSlot();
    void scheduledJobConcurrentCallsMakeOneJob();
    void scheduledJobOfAnotherTenantsAgentIsNotFound();
    void cancelPendingJob();
    void cancelRunningJob();
    void cancelOfFinishedOrForeignJobIsRefused();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    int m_round = 0;
    Tenant m_tenant;
    Agent m_agent;
};

void TestSqlCatalogSchedule::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    m_catalog = createCatalog(m_dir, QStringLiteral("schedule-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    m_tenant = *tenant;
    auto agent = enrollWithSystem(*m_catalog, m_tenant.id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    m_agent = *agent;
}

void TestSqlCatalogSchedule::migrationFromVersion1KeepsData()
{
    const QString path = m_dir.filePath(QStringLiteral("v1-%1.db").arg(m_round));
    {
        // A catalog as a version 1 cairn-server left it, with a row in every table that changes.
        const QString name = QStringLiteral("v1-writer");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QVERIFY_OK(schema::migrate(db, {schema::catalogMigrations().front()}, schema::Start::Empty));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO tenants (id, name, time_zone, language, report_recipients, created_at, "
                               "wrapped_keys, repository_config) VALUES (1, 'old', 'Asia/Seoul', 'ko', '[]', 1000, "
                               "x'00', '{}')")));
            QVERIFY(exec(db,
                QStringLiteral(
                    "INSERT INTO agents (id, tenant_id, name, hostname, os, version, token_hash, "
                    "enrolled_at) VALUES (4, 1, 'db01', 'db01.local', 'Debian 12', '0.1.0', x'0102', 2000)")));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO policies (agent_id, tenant_id, paths, excludes, one_file_system, "
                               "interval_days, weekday, hour, retention_days, updated_at) VALUES (4, 1, "
                               "'[\"L2V0Yw==\"]', '[\"*.tmp\"]', 1, 7, 3, 22, 14, 3000)")));
            QVERIFY(exec(db,
                QStringLiteral("INSERT INTO jobs (id, tenant_id, agent_id, kind, state, scheduled_at, progress, "
                               "stats, spec, snapshot_id, error, requested_by) VALUES (9, 1, 4, 'backup', 'running', "
                               "4000, '{\"files\":3}', '{}', '{}', '', '', 'user:2')")));
        }
        QSqlDatabase::removeDatabase(name);
    }
    auto opened = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_OK(opened);
    SqlCatalog &c = **opened;
    QCOMPARE(c.schemaVersion(), schema::latestVersion()); // version 2 and every later one
    QVERIFY(schema::latestVersion() >= 2);

    auto agent = c.agent(1, 4);
    QVERIFY_OK(agent);
    QCOMPARE(agent->hostname, QStringLiteral("db01.local"));
    QCOMPARE(agent->os, QStringLiteral("Debian 12"));
    QCOMPARE(agent->kernel, QString());
    QCOMPARE(agent->architecture, QString());

    auto policy = c.policy(1, 4);
    QVERIFY_OK(policy);
    QCOMPARE(policy->paths, QList<QByteArray> {"/etc"});
    QCOMPARE(policy->excludes, QStringList {QStringLiteral("*.tmp")});
    QCOMPARE(policy->intervalDays, 7);
    QCOMPARE(policy->weekday, 3);
    QCOMPARE(policy->hour, 22);
    QCOMPARE(policy->retentionDays, 14);
    QCOMPARE(policy->updatedAt.toMSecsSinceEpoch(), qint64(3000));
    QCOMPARE(policy->preCommand, QString());
    QCOMPARE(policy->postCommand, QString());
    QCOMPARE(policy->commandTimeoutSeconds, 3600);
    QCOMPARE(policy->continueOnPreFailure, false);
    QCOMPARE(policy->bandwidthLimitKib, qint64(0));

    auto job = c.job(1, 9);
    QVERIFY_OK(job);
    QCOMPARE(job->state, JobState::Running);
    QCOMPARE(job->progress.value(QStringLiteral("files")).toInt(), 3);
    QCOMPARE(job->requestedBy, QStringLiteral("user:2"));
    QCOMPARE(job->cancelRequested, false);
    QCOMPARE(job->late, false); // version 3
    // The migrated catalog takes the new operations.
    auto cancel = c.requestCancel(1, 9, QStringLiteral("user:2"), baseTime());
    QVERIFY_OK(cancel);
    QVERIFY(cancel->cancelRequested);
    auto slot = c.addScheduledJob(scheduledJob(*agent, baseTime()));
    QVERIFY_OK(slot);
    QVERIFY(slot->created);
}

void TestSqlCatalogSchedule::policyCommandsAndLimitRoundTrip()
{
    Policy p;
    p.paths = {"/srv", "/etc"};
    p.preCommand = QStringLiteral("pg_dump -Fc app > /srv/dump/app.pgdump");
    p.postCommand = QStringLiteral("rm -f /srv/dump/app.pgdump\necho done");
    p.commandTimeoutSeconds = 900;
    p.continueOnPreFailure = true;
    p.bandwidthLimitKib = 10000000;
    p.updatedAt = baseTime();
    QVERIFY_OK(m_catalog->setPolicy(m_tenant.id, m_agent.id, p));
    auto got = m_catalog->policy(m_tenant.id, m_agent.id);
    QVERIFY_OK(got);
    QCOMPARE(got->preCommand, p.preCommand);
    QCOMPARE(got->postCommand, p.postCommand);
    QCOMPARE(got->commandTimeoutSeconds, 900);
    QCOMPARE(got->continueOnPreFailure, true);
    QCOMPARE(got->bandwidthLimitKib, qint64(10000000));

    // Setting again replaces every field, the new ones too.
    Policy plain;
    plain.paths = {"/srv"};
    plain.updatedAt = baseTime().addSecs(60);
    QVERIFY_OK(m_catalog->setPolicy(m_tenant.id, m_agent.id, plain));
    got = m_catalog->policy(m_tenant.id, m_agent.id);
    QVERIFY_OK(got);
    QCOMPARE(got->preCommand, QString());
    QCOMPARE(got->postCommand, QString());
    QCOMPARE(got->commandTimeoutSeconds, 3600);
    QCOMPARE(got->continueOnPreFailure, false);
    QCOMPARE(got->bandwidthLimitKib, qint64(0));

    Policy bad = plain;
    bad.commandTimeoutSeconds = 0;
    Status refused = m_catalog->setPolicy(m_tenant.id, m_agent.id, bad);
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
    bad = plain;
    bad.bandwidthLimitKib = -1;
    refused = m_catalog->setPolicy(m_tenant.id, m_agent.id, bad);
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
}

void TestSqlCatalogSchedule::agentSystemRoundTrip()
{
    auto got = m_catalog->agent(m_tenant.id, m_agent.id);
    QVERIFY_OK(got);
    QCOMPARE(got->kernel, QStringLiteral("6.1.0-13-amd64"));
    QCOMPARE(got->architecture, QStringLiteral("x86_64"));
    auto all = m_catalog->agents(m_tenant.id);
    QVERIFY_OK(all);
    QCOMPARE(all->size(), 1);
    QCOMPARE(all->first().kernel, QStringLiteral("6.1.0-13-amd64"));
    auto byToken = m_catalog->agentByTokenHash(m_agent.tokenHash);
    QVERIFY_OK(byToken);
    QCOMPARE(byToken->architecture, QStringLiteral("x86_64"));
}

void TestSqlCatalogSchedule::scheduledJobIsIdempotentPerSlot()
{
    const QDateTime slot = baseTime().addSecs(17 * 3600 + 1234);
    auto first = m_catalog->addScheduledJob(scheduledJob(m_agent, slot));
    QVERIFY_OK(first);
    QVERIFY(first->created);
    QVERIFY(first->job.id > 0);
    QCOMPARE(first->job.requestedBy, QStringLiteral("schedule"));
    QCOMPARE(first->job.state, JobState::Pending);
    QCOMPARE(first->job.scheduledAt, slot);

    Job again = scheduledJob(m_agent, slot);
    again.requestedBy = QStringLiteral("user:5"); // ignored: a slot's job is the schedule's
    auto second = m_catalog->addScheduledJob(again);
    QVERIFY_OK(second);
    QVERIFY(!second->created);
    QCOMPARE(second->job.id, first->job.id);

    // A finished job of the slot is still the slot's job (the agent does not run it twice).
    JobUpdate done;
    done.jobId = first->job.id;
    done.state = JobState::Failed;
    done.finishedAt = slot.addSecs(60);
    done.error = QStringLiteral("disk full");
    QVERIFY_OK(m_catalog->updateJob(m_tenant.id, m_agent.id, done));
    auto third = m_catalog->addScheduledJob(scheduledJob(m_agent, slot));
    QVERIFY_OK(third);
    QVERIFY(!third->created);
    QCOMPARE(third->job.id, first->job.id);
    QCOMPARE(third->job.state, JobState::Failed);

    // Another slot, a millisecond off, is another job; so is a user's job at the same time.
    auto other = m_catalog->addScheduledJob(scheduledJob(m_agent, slot.addMSecs(1)));
    QVERIFY_OK(other);
    QVERIFY(other->created);
    QVERIFY(other->job.id != first->job.id);
    const QDateTime userSlot = slot.addDays(1);
    Job manual = scheduledJob(m_agent, userSlot);
    manual.requestedBy = QStringLiteral("user:5");
    auto byUser = m_catalog->addJob(manual);
    QVERIFY_OK(byUser);
    auto scheduled = m_catalog->addScheduledJob(scheduledJob(m_agent, userSlot));
    QVERIFY_OK(scheduled);
    QVERIFY(scheduled->created);
    QVERIFY(scheduled->job.id != byUser->id);

    // The same slot of another agent is that agent's own job.
    auto agent2 = enrollWithSystem(*m_catalog, m_tenant.id, QStringLiteral("web02"));
    QVERIFY_OK(agent2);
    auto theirs = m_catalog->addScheduledJob(scheduledJob(*agent2, slot));
    QVERIFY_OK(theirs);
    QVERIFY(theirs->created);
    QCOMPARE(theirs->job.agentId, agent2->id);

    JobFilter f;
    f.tenantId = m_tenant.id;
    f.agentId = m_agent.id;
    auto jobs = m_catalog->jobs(f);
    QVERIFY_OK(jobs);
    QCOMPARE(jobs->items.size(), 4); // first, other, byUser, scheduled
}

void TestSqlCatalogSchedule::scheduledJobConcurrentCallsMakeOneJob()
{
    constexpr int kThreads = 6, kRounds = 20;
    const QDateTime base = baseTime().addDays(3);
    std::atomic<int> created {0}, failures {0};
    std::vector<std::vector<qint64>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < kRounds; ++round) {
                auto r = m_catalog->addScheduledJob(scheduledJob(m_agent, base.addSecs(round * 3600)));
                if (!r) {
                    ++failures;
                    continue;
                }
                created += r->created ? 1 : 0;
                ids[size_t(t)].push_back(r->job.id);
            }
        });
    }
    for (auto &th : threads)
        th.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(created.load(), kRounds);
    for (int t = 1; t < kThreads; ++t)
        QCOMPARE(ids[size_t(t)], ids[0]); // every thread saw the same job for each slot
    auto pending = m_catalog->pendingJobs(m_tenant.id, m_agent.id);
    QVERIFY_OK(pending);
    QCOMPARE(pending->size(), kRounds);
}

void TestSqlCatalogSchedule::scheduledJobOfAnotherTenantsAgentIsNotFound()
{
    auto other = addTenant(*m_catalog, QStringLiteral("globex"));
    QVERIFY_OK(other);
    Job stray = scheduledJob(m_agent, baseTime());
    stray.tenantId = other->id;
    auto refused = m_catalog->addScheduledJob(stray);
    QVERIFY_ERROR(refused, ErrorCode::NotFound);
    Job noTime = scheduledJob(m_agent, QDateTime());
    auto invalid = m_catalog->addScheduledJob(noTime);
    QVERIFY_ERROR(invalid, ErrorCode::InvalidArgument);
    auto pending = m_catalog->pendingJobs(m_tenant.id, m_agent.id);
    QVERIFY_OK(pending);
    QVERIFY(pending->isEmpty());
}

void TestSqlCatalogSchedule::cancelPendingJob()
{
    Job j = scheduledJob(m_agent, baseTime());
    j.requestedBy = QStringLiteral("user:3");
    auto added = m_catalog->addJob(j);
    QVERIFY_OK(added);
    const QDateTime when = baseTime().addSecs(30);
    auto cancelled = m_catalog->requestCancel(m_tenant.id, added->id, QStringLiteral("user:7"), when);
    QVERIFY_OK(cancelled);
    QCOMPARE(cancelled->state, JobState::Cancelled);
    QVERIFY(cancelled->finishedAt);
    QCOMPARE(*cancelled->finishedAt, when);
    QCOMPARE(cancelled->error, QStringLiteral("cancelled by user:7"));
    QVERIFY(!cancelled->startedAt);
    auto pending = m_catalog->pendingJobs(m_tenant.id, m_agent.id);
    QVERIFY_OK(pending);
    QVERIFY(pending->isEmpty()); // the agent will not start it
    auto stored = m_catalog->job(m_tenant.id, added->id);
    QVERIFY_OK(stored);
    QCOMPARE(stored->state, JobState::Cancelled);
    // The agent can no longer report on it.
    JobUpdate progress;
    progress.jobId = added->id;
    progress.progress = QJsonObject {{QStringLiteral("files"), 1}};
    auto late = m_catalog->updateJob(m_tenant.id, m_agent.id, progress);
    QVERIFY_ERROR(late, ErrorCode::InvalidArgument);
}

void TestSqlCatalogSchedule::cancelRunningJob()
{
    auto added = m_catalog->addJob(scheduledJob(m_agent, baseTime()));
    QVERIFY_OK(added);
    JobUpdate start;
    start.jobId = added->id;
    start.startedAt = baseTime().addSecs(5);
    start.progress = QJsonObject {{QStringLiteral("files"), 10}};
    QVERIFY_OK(m_catalog->updateJob(m_tenant.id, m_agent.id, start));

    auto marked = m_catalog->requestCancel(m_tenant.id, added->id, QStringLiteral("user:7"), baseTime().addSecs(9));
    QVERIFY_OK(marked);
    QCOMPARE(marked->state, JobState::Running);
    QVERIFY(marked->cancelRequested);
    QVERIFY(!marked->finishedAt);
    QCOMPARE(marked->error, QString());
    auto again = m_catalog->requestCancel(m_tenant.id, added->id, QStringLiteral("user:8"), baseTime().addSecs(10));
    QVERIFY_OK(again);
    QCOMPARE(again->state, JobState::Running);
    QVERIFY(again->cancelRequested);

    // The agent's next progress report answers the job with the request; then it reports cancelled.
    JobUpdate progress;
    progress.jobId = added->id;
    progress.progress = QJsonObject {{QStringLiteral("files"), 20}};
    auto reported = m_catalog->updateJob(m_tenant.id, m_agent.id, progress);
    QVERIFY_OK(reported);
    QVERIFY(reported->cancelRequested);
    JobUpdate result;
    result.jobId = added->id;
    result.state = JobState::Cancelled;
    result.finishedAt = baseTime().addSecs(12);
    auto finished = m_catalog->updateJob(m_tenant.id, m_agent.id, result);
    QVERIFY_OK(finished);
    QCOMPARE(finished->state, JobState::Cancelled);
    QVERIFY(finished->cancelRequested);
}

void TestSqlCatalogSchedule::cancelOfFinishedOrForeignJobIsRefused()
{
    Job j = scheduledJob(m_agent, baseTime());
    j.state = JobState::Succeeded;
    j.finishedAt = baseTime().addSecs(100);
    auto done = m_catalog->addJob(j);
    QVERIFY_OK(done);
    auto refused = m_catalog->requestCancel(m_tenant.id, done->id, QStringLiteral("user:7"), baseTime());
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
    auto unchanged = m_catalog->job(m_tenant.id, done->id);
    QVERIFY_OK(unchanged);
    QCOMPARE(unchanged->state, JobState::Succeeded);
    QVERIFY(!unchanged->cancelRequested);

    auto other = addTenant(*m_catalog, QStringLiteral("globex"));
    QVERIFY_OK(other);
    auto pending = m_catalog->addJob(scheduledJob(m_agent, baseTime()));
    QVERIFY_OK(pending);
    auto foreign = m_catalog->requestCancel(other->id, pending->id, QStringLiteral("user:9"), baseTime());
    QVERIFY_ERROR(foreign, ErrorCode::NotFound);
    auto still = m_catalog->job(m_tenant.id, pending->id);
    QVERIFY_OK(still);
    QCOMPARE(still->state, JobState::Pending);
    auto missing = m_catalog->requestCancel(m_tenant.id, 987654, QStringLiteral("user:9"), baseTime());
    QVERIFY_ERROR(missing, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestSqlCatalogSchedule)
#include "TestSqlCatalogSchedule.moc"
