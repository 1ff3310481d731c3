// SqlCatalog's console statements on a real SQLite file: the sorted job history over 12,000 rows
// (every row exactly once in the documented order, through both of sortedJobs' plans — filters
// that keep few rows and filters that keep most), the dashboard's bulk figures (latest jobs,
// running jobs, stored bytes of kept snapshots, bytes per period), the health view's lists and
// counts, and bulk imports staying inside their tenant. Test thread.
#include "TestSqlCatalogFixture.h"

#include <algorithm>

using namespace cairn;
using namespace cairn::test::catalog;

namespace {

constexpr int kJobs = 12000;

// Deterministic history: mostly succeeded backups, some of every other state, restores; jobs not
// started (pending, missed) have no start, running ones no finish.
QList<Job> history(qint64 tenant, const QList<qint64> &agents)
{
    QList<Job> jobs;
    quint64 x = 88172645463325252ull;
    const auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int i = 0; i < kJobs; ++i) {
        Job j;
        j.tenantId = tenant;
        j.agentId = agents[int(next() % quint64(agents.size()))];
        j.kind = next() % 50 == 0 ? JobKind::Restore : JobKind::Backup;
        j.scheduledAt = baseTime().addSecs(qint64(next() % (90 * 86400)));
        const int dice = int(next() % 100);
        j.state = dice < 91 ? JobState::Succeeded
            : dice < 94     ? JobState::Failed
            : dice < 96     ? JobState::Missed
            : dice < 98     ? JobState::Running
                            : JobState::Pending;
        if (j.state != JobState::Missed && j.state != JobState::Pending)
            j.startedAt = j.scheduledAt.addSecs(qint64(next() % 600));
        if (j.state == JobState::Missed)
            j.finishedAt = j.scheduledAt.addSecs(3 * 3600);
        else if (j.startedAt && j.state != JobState::Running)
            j.finishedAt = j.startedAt->addSecs(qint64(next() % 7200)); // finish order differs from start order
        if (j.kind == JobKind::Backup && j.finishedAt)
            j.stats
                = QJsonObject {{QStringLiteral("bytes_stored"), qint64(next() % 100000)}, {QStringLiteral("files"), 3}};
        j.requestedBy = QStringLiteral("schedule");
        jobs.append(j);
    }
    return jobs;
}

std::optional<QDateTime> timeOf(const Job &j, JobSortKey key)
{
    switch (key) {
    case JobSortKey::ScheduledAt: return j.scheduledAt;
    case JobSortKey::StartedAt: return j.startedAt;
    case JobSortKey::FinishedAt: return j.finishedAt;
    default: return std::nullopt;
    }
}

// The documented order: by the key's value (rows without one last), then by id, both in `order`.
QList<qint64> expectedOrder(QList<Job> jobs, JobSortKey key, SortOrder order)
{
    const bool desc = order == SortOrder::Descending;
    std::sort(jobs.begin(), jobs.end(), [&](const Job &a, const Job &b) {
        if (key == JobSortKey::State || key == JobSortKey::Kind) {
            const QString va = QLatin1String(key == JobSortKey::State ? jobStateName(a.state) : jobKindName(a.kind));
            const QString vb = QLatin1String(key == JobSortKey::State ? jobStateName(b.state) : jobKindName(b.kind));
            if (va != vb)
                return desc ? va > vb : va < vb;
        } else if (key != JobSortKey::Id) {
            const auto ta = timeOf(a, key), tb = timeOf(b, key);
            if (bool(ta) != bool(tb))
                return bool(ta);
            if (ta && *ta != *tb)
                return desc ? *ta > *tb : *ta < *tb;
        }
        return desc ? a.id > b.id : a.id < b.id;
    });
    QList<qint64> ids;
    for (const Job &j : jobs)
        ids.append(j.id);
    return ids;
}

} // namespace

class TestSqlCatalogConsole : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_tenant = 0, m_other = 0;
    QList<qint64> m_agents;
    qint64 m_otherAgent = 0;
    QList<Job> m_jobs; // with their ids

    // Every page of `query` (limit 500), following the cursors; checks `total` against the count.
    QList<qint64> allPages(JobQuery query)
    {
        QList<qint64> ids;
        query.filter.page.limit = 500;
        for (int page = 0; page < 100; ++page) {
            auto p = m_catalog->sortedJobs(query);
            if (!p) {
                qWarning("%s", qPrintable(p.error().message));
                return {-1};
            }
            for (const Job &j : p->items)
                ids.append(j.id);
            if (!p->next)
                return ids;
            query.after = p->next;
        }
        return {-2};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_catalog = createCatalog(m_dir);
        QVERIFY(m_catalog);
        auto t = addTenant(*m_catalog, QStringLiteral("acme"));
        QVERIFY_OK(t);
        m_tenant = t->id;
        auto o = addTenant(*m_catalog, QStringLiteral("other"));
        QVERIFY_OK(o);
        m_other = o->id;
        for (const char *host : {"web-1", "web-2", "db-1"}) {
            auto a = enrollAgent(*m_catalog, m_tenant, QLatin1String(host));
            QVERIFY_OK(a);
            m_agents.append(a->id);
        }
        auto b = enrollAgent(*m_catalog, m_other, QStringLiteral("theirs"));
        QVERIFY_OK(b);
        m_otherAgent = b->id;
        m_jobs = history(m_tenant, m_agents);
        auto ids = m_catalog->importJobs(m_jobs);
        QVERIFY_OK(ids);
        QCOMPARE(ids->size(), m_jobs.size());
        for (qsizetype i = 0; i < m_jobs.size(); ++i)
            m_jobs[i].id = (*ids)[i];
        auto theirs = m_catalog->importJobs(history(m_other, {m_otherAgent}).mid(0, 500));
        QVERIFY_OK(theirs);
    }

    void importStaysInItsTenant()
    {
        Job j = m_jobs.first();
        j.agentId = m_otherAgent; // another tenant's server
        auto r = m_catalog->importJobs({m_jobs.first(), j});
        QVERIFY_ERROR(r, ErrorCode::NotFound);
        JobQuery all;
        all.filter.tenantId = m_tenant;
        auto count = m_catalog->countJobs(all);
        QVERIFY_OK(count);
        QCOMPARE(*count, qint64(kJobs)); // nothing of the refused batch was written
    }

    void sortedPagesCoverEveryRowInOrder_data()
    {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("filter");
        const QList<QPair<JobSortKey, const char *>> keys {{JobSortKey::Id, "id"},
            {JobSortKey::ScheduledAt, "scheduled_at"}, {JobSortKey::StartedAt, "started_at"},
            {JobSortKey::FinishedAt, "finished_at"}, {JobSortKey::State, "state"}, {JobSortKey::Kind, "kind"}};
        // succeeded and backup keep most rows (the sort index is walked); a server, failed and
        // restore few (the filter's index is walked and sorted).
        for (const auto &[key, name] : keys) {
            for (const char *filter : {"", "succeeded", "backup", "server", "failed", "restore", "server+succeeded"}) {
                for (SortOrder order : {SortOrder::Descending, SortOrder::Ascending})
                    QTest::addRow("%s %s %s", name, order == SortOrder::Descending ? "desc" : "asc", filter)
                        << int(key) << int(order) << QString::fromLatin1(filter);
            }
        }
    }

    void sortedPagesCoverEveryRowInOrder()
    {
        QFETCH(int, key);
        QFETCH(int, order);
        QFETCH(QString, filter);
        JobQuery q;
        q.filter.tenantId = m_tenant;
        q.sort = JobSortKey(key);
        q.order = SortOrder(order);
        if (filter.contains(QLatin1String("succeeded")))
            q.filter.state = JobState::Succeeded;
        if (filter == QLatin1String("failed"))
            q.filter.state = JobState::Failed;
        if (filter == QLatin1String("backup"))
            q.kind = JobKind::Backup;
        if (filter == QLatin1String("restore"))
            q.kind = JobKind::Restore;
        if (filter.startsWith(QLatin1String("server")))
            q.filter.agentId = m_agents[1];
        QList<Job> matching;
        for (const Job &j : m_jobs) {
            if ((!q.filter.state || j.state == *q.filter.state) && (!q.kind || j.kind == *q.kind)
                && (!q.filter.agentId || j.agentId == *q.filter.agentId))
                matching.append(j);
        }
        const QList<qint64> want = expectedOrder(matching, q.sort, q.order);
        const QList<qint64> got = allPages(q);
        QCOMPARE(got.size(), want.size());
        QVERIFY(got == want);
        auto count = m_catalog->countJobs(q);
        QVERIFY_OK(count);
        QCOMPARE(*count, qint64(want.size()));
    }

    void dashboardFigures()
    {
        Policy p;
        p.paths = {"/etc"};
        QVERIFY_OK(m_catalog->setPolicy(m_tenant, m_agents[0], p));
        auto policies = m_catalog->policies(m_tenant);
        QVERIFY_OK(policies);
        QCOMPARE(policies->keys(), QList<qint64> {m_agents[0]});

        auto any = m_catalog->latestJobs(m_tenant, Catalog::LatestJob::Any);
        auto finished = m_catalog->latestJobs(m_tenant, Catalog::LatestJob::FinishedBackup);
        QVERIFY_OK(any);
        QVERIFY_OK(finished);
        QCOMPARE(any->size(), m_agents.size());
        for (qint64 agent : m_agents) {
            qint64 newest = 0, newestFinished = 0;
            for (const Job &j : m_jobs) {
                if (j.agentId != agent)
                    continue;
                newest = std::max(newest, j.id);
                if (j.kind == JobKind::Backup && isFinished(j.state))
                    newestFinished = std::max(newestFinished, j.id);
            }
            QCOMPARE(any->value(agent).id, newest);
            QCOMPARE(finished->value(agent).id, newestFinished);
        }
        auto running = m_catalog->runningJobs(m_tenant);
        QVERIFY_OK(running);
        QCOMPARE(running->size(),
            std::count_if(m_jobs.begin(), m_jobs.end(), [](const Job &j) { return j.state == JobState::Running; }));

        // Bytes of the jobs finished in each of the first ten days.
        QList<QDateTime> bounds;
        for (int d = 0; d <= 10; ++d)
            bounds.append(baseTime().addDays(d));
        auto perDay = m_catalog->storedBytesFinishedIn(m_tenant, bounds);
        QVERIFY_OK(perDay);
        for (int d = 0; d < 10; ++d) {
            qint64 sum = 0;
            for (const Job &j : m_jobs) {
                if (j.finishedAt && *j.finishedAt >= bounds[d] && *j.finishedAt < bounds[d + 1])
                    sum += j.stats.value(QStringLiteral("bytes_stored")).toInteger();
            }
            QCOMPARE(perDay->at(d), sum);
        }
        QVERIFY_ERROR(m_catalog->storedBytesFinishedIn(m_tenant, {bounds[1], bounds[0]}), ErrorCode::InvalidArgument);

        // Stored bytes of kept snapshots: two of web-1, one of db-1; another tenant's is not counted.
        QList<SnapshotRecord> snaps;
        const QList<QPair<qint64, qint64>> made {{m_agents[0], 100}, {m_agents[0], 20}, {m_agents[2], 7}};
        for (int i = 0; i < made.size(); ++i) {
            SnapshotRecord s;
            s.id = snapshotId(quint64(i + 1));
            s.tenantId = m_tenant;
            s.agentId = made[i].first;
            s.time = baseTime();
            s.rootTree = chunkId(quint64(i + 1));
            s.stats = QJsonObject {{QStringLiteral("bytes_stored"), made[i].second}};
            snaps.append(s);
        }
        QVERIFY_OK(m_catalog->importSnapshots(snaps));
        SnapshotRecord theirs = snaps.first();
        theirs.id = snapshotId(99);
        theirs.tenantId = m_other;
        theirs.agentId = m_otherAgent;
        QVERIFY_OK(m_catalog->importSnapshots({theirs}));
        auto kept = m_catalog->keptSnapshotBytes(m_tenant);
        QVERIFY_OK(kept);
        QCOMPARE(kept->value(m_agents[0]), qint64(120));
        QCOMPARE(kept->value(m_agents[2]), qint64(7));
        QVERIFY(!kept->contains(m_agents[1]));
        QVERIFY(!kept->contains(m_otherAgent));
    }

    void healthLists()
    {
        QVERIFY_OK(m_catalog->touchAgent(m_agents[0], baseTime().addDays(100), QStringLiteral("0.1.0")));
        QVERIFY_OK(m_catalog->touchAgent(m_agents[1], baseTime().addDays(50), QStringLiteral("0.1.0")));
        auto silent = m_catalog->agentsSilentSince(baseTime().addDays(99), 10);
        QVERIFY_OK(silent);
        QCOMPARE(silent->size(), 3); // web-2 (seen on day 50), then db-1 and theirs (never seen)
        QCOMPARE(silent->first().agent.id, m_agents[1]);
        QCOMPARE(silent->first().tenantName, QStringLiteral("acme"));

        const QDateTime since = baseTime().addDays(80);
        auto failed = m_catalog->failedJobsSince(since, 500);
        QVERIFY_OK(failed);
        QVERIFY(!failed->isEmpty());
        for (qsizetype i = 0; i < failed->size(); ++i) {
            const NamedJob &n = failed->at(i);
            QVERIFY(n.job.state == JobState::Failed || n.job.state == JobState::Missed);
            QVERIFY(*n.job.finishedAt >= since);
            QVERIFY(!n.serverName.isEmpty() && !n.tenantName.isEmpty());
            if (i > 0)
                QVERIFY(*failed->at(i - 1).job.finishedAt >= *n.job.finishedAt);
        }
        auto counts = m_catalog->serviceCounts();
        QVERIFY_OK(counts);
        qint64 running = 0;
        for (const Job &j : history(m_other, {m_otherAgent}).mid(0, 500))
            running += j.state == JobState::Running;
        for (const Job &j : m_jobs)
            running += j.state == JobState::Running;
        QCOMPARE(counts->runningJobs, running);
        QCOMPARE(counts->openTickets, qint64(0));
        QCOMPARE(counts->failedMail, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestSqlCatalogConsole)
#include "TestSqlCatalogConsole.moc"
