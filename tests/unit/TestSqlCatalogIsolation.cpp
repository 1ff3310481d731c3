// SqlCatalog tenant isolation: with tenant B's ids in hand, tenant A can neither read nor rename,
// remove or update B's agent, job, snapshot, restore ticket, policy, packs or chunks. Every attempt
// fails with NotFound exactly as for an id that does not exist, and B's rows stay unchanged.
#include "TestSqlCatalogFixture.h"

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalogIsolation : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void initTestCase();
    void cleanupTestCase() { m_catalog.reset(); }

    void agentsAreInvisibleAcrossTenants();
    void jobsAreInvisibleAcrossTenants();
    void snapshotsTicketsPoliciesAreInvisibleAcrossTenants();
    void packsAndChunksAreInvisibleAcrossTenants();
    void listsShowOnlyTheTenantsRows();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_a = 0, m_b = 0;
    Agent m_agentA, m_agentB;
    Job m_jobB;
    SnapshotRecord m_snapB;
    RestoreTicket m_ticketB;
    static constexpr qint64 kNoSuchId = 987654;
};

void TestSqlCatalogIsolation::initTestCase()
{
    m_catalog = createCatalog(m_dir);
    QVERIFY(m_catalog);
    auto a = addTenant(*m_catalog, QStringLiteral("alpha"));
    auto b = addTenant(*m_catalog, QStringLiteral("bravo"));
    QVERIFY_OK(a);
    QVERIFY_OK(b);
    m_a = a->id;
    m_b = b->id;
    auto agentA = enrollAgent(*m_catalog, m_a, QStringLiteral("alpha-web"));
    auto agentB = enrollAgent(*m_catalog, m_b, QStringLiteral("bravo-db"));
    QVERIFY_OK(agentA);
    QVERIFY_OK(agentB);
    m_agentA = *agentA;
    m_agentB = *agentB;

    Job j;
    j.tenantId = m_b;
    j.agentId = m_agentB.id;
    j.scheduledAt = baseTime();
    auto job = m_catalog->addJob(j);
    QVERIFY_OK(job);
    m_jobB = *job;

    SnapshotRecord s;
    s.id = snapshotId(1);
    s.tenantId = m_b;
    s.agentId = m_agentB.id;
    s.time = baseTime();
    s.rootTree = chunkId(1);
    auto snap = m_catalog->addSnapshot(s);
    QVERIFY_OK(snap);
    m_snapB = *snap;

    User u;
    u.login = QStringLiteral("bravo-admin");
    u.tenantId = m_b;
    auto user = m_catalog->addUser(u);
    QVERIFY_OK(user);
    RestoreTicket t;
    t.tenantId = m_b;
    t.agentId = m_agentB.id;
    t.requestedBy = user->id;
    auto ticket = m_catalog->addRestoreTicket(t);
    QVERIFY_OK(ticket);
    m_ticketB = *ticket;

    Policy p;
    p.paths = {QByteArray("/bravo")};
    QVERIFY(m_catalog->setPolicy(m_b, m_agentB.id, p).ok());
    auto entries = entriesFor(seedRange(1000, 10));
    QVERIFY(m_catalog->addPack(m_b, packId(1), packSizeFor(entries), entries).ok());
}

void TestSqlCatalogIsolation::agentsAreInvisibleAcrossTenants()
{
    for (qint64 id : {m_agentB.id, kNoSuchId}) {
        auto read = m_catalog->agent(m_a, id);
        QVERIFY_ERROR(read, ErrorCode::NotFound);
        Status rename = m_catalog->renameAgent(m_a, id, QStringLiteral("hijacked"));
        QVERIFY_ERROR(rename, ErrorCode::NotFound);
        Status remove = m_catalog->removeAgent(m_a, id, baseTime());
        QVERIFY_ERROR(remove, ErrorCode::NotFound);
        Job j;
        j.tenantId = m_a;
        j.agentId = id;
        auto job = m_catalog->addJob(j);
        QVERIFY_ERROR(job, ErrorCode::NotFound);
    }
    auto b = m_catalog->agent(m_b, m_agentB.id);
    QVERIFY_OK(b);
    QCOMPARE(b->name, m_agentB.name);
    QVERIFY(!b->removedAt);
}

void TestSqlCatalogIsolation::jobsAreInvisibleAcrossTenants()
{
    for (qint64 id : {m_jobB.id, kNoSuchId}) {
        auto read = m_catalog->job(m_a, id);
        QVERIFY_ERROR(read, ErrorCode::NotFound);
        JobUpdate u;
        u.jobId = id;
        u.state = JobState::Failed;
        u.error = QStringLiteral("sabotage");
        auto ownAgent = m_catalog->updateJob(m_a, m_agentA.id, u);
        QVERIFY_ERROR(ownAgent, ErrorCode::NotFound);
        auto theirAgent = m_catalog->updateJob(m_a, m_agentB.id, u);
        QVERIFY_ERROR(theirAgent, ErrorCode::NotFound);
        // Right tenant, wrong agent: only the owning agent may update its job.
        auto wrongAgent = m_catalog->updateJob(m_b, m_agentA.id, u);
        QVERIFY_ERROR(wrongAgent, ErrorCode::NotFound);
    }
    auto b = m_catalog->job(m_b, m_jobB.id);
    QVERIFY_OK(b);
    QCOMPARE(b->state, JobState::Pending);
    QVERIFY(b->error.isEmpty());
    auto pending = m_catalog->pendingJobs(m_a, m_agentB.id);
    QVERIFY_OK(pending);
    QVERIFY(pending->isEmpty());
}

void TestSqlCatalogIsolation::snapshotsTicketsPoliciesAreInvisibleAcrossTenants()
{
    auto snap = m_catalog->snapshot(m_a, m_snapB.id);
    QVERIFY_ERROR(snap, ErrorCode::NotFound);
    for (qint64 id : {m_ticketB.id, kNoSuchId}) {
        auto ticket = m_catalog->ticketRecord(m_a, id);
        QVERIFY_ERROR(ticket, ErrorCode::NotFound);
    }
    RestoreTicket t;
    t.tenantId = m_a;
    t.agentId = m_agentB.id;
    t.requestedBy = m_ticketB.requestedBy;
    auto ticket = m_catalog->addRestoreTicket(t);
    QVERIFY_ERROR(ticket, ErrorCode::NotFound);

    auto policy = m_catalog->policy(m_a, m_agentB.id);
    QVERIFY_ERROR(policy, ErrorCode::NotFound);
    Policy p;
    p.paths = {QByteArray("/")};
    Status set = m_catalog->setPolicy(m_a, m_agentB.id, p);
    QVERIFY_ERROR(set, ErrorCode::NotFound);
    auto bPolicy = m_catalog->policy(m_b, m_agentB.id);
    QVERIFY_OK(bPolicy);
    QCOMPARE(bPolicy->paths, QList<QByteArray> {QByteArray("/bravo")});

    // A snapshot for another tenant's agent is refused; the same snapshot id in A's own space is
    // a different snapshot from B's.
    SnapshotRecord s = m_snapB;
    s.tenantId = m_a;
    auto foreign = m_catalog->addSnapshot(s);
    QVERIFY_ERROR(foreign, ErrorCode::NotFound);
    s.agentId = m_agentA.id;
    auto own = m_catalog->addSnapshot(s);
    QVERIFY_OK(own);
    QVERIFY(own->rowId != m_snapB.rowId);
}

void TestSqlCatalogIsolation::packsAndChunksAreInvisibleAcrossTenants()
{
    auto pack = m_catalog->pack(m_a, packId(1));
    QVERIFY_OK(pack);
    QVERIFY(!*pack);
    int visited = 0;
    Status blobs = m_catalog->forEachBlobInPack(m_a, packId(1), [&](const PackEntry &) { ++visited; });
    QVERIFY_ERROR(blobs, ErrorCode::NotFound);
    QCOMPARE(visited, 0);
    auto loc = m_catalog->locateChunk(m_a, chunkId(1000));
    QVERIFY_OK(loc);
    QVERIFY(!*loc);
    auto missing = m_catalog->missingChunks(m_a, {chunkId(1000), chunkId(1001)});
    QVERIFY_OK(missing);
    QCOMPARE(missing->size(), size_t(2));
    auto packs = m_catalog->packsAfter(m_a, 0, 100);
    QVERIFY_OK(packs);
    QVERIFY(packs->isEmpty());
    QCOMPARE(*m_catalog->chunkCount(m_a), 0);
    QCOMPARE(*m_catalog->chunkCount(m_b), 10);
}

void TestSqlCatalogIsolation::listsShowOnlyTheTenantsRows()
{
    auto agents = m_catalog->agents(m_a);
    QVERIFY_OK(agents);
    QCOMPARE(agents->size(), 1);
    QCOMPARE(agents->first().id, m_agentA.id);
    JobFilter f;
    f.tenantId = m_a;
    QVERIFY(m_catalog->jobs(f)->items.isEmpty());
    f.agentId = m_agentB.id;
    QVERIFY(m_catalog->jobs(f)->items.isEmpty());
    QVERIFY(m_catalog->snapshots(m_a, m_agentB.id, PageRequest {})->items.isEmpty());
    QVERIFY(m_catalog->ticketRecords(TicketFilter {m_a, std::nullopt, PageRequest {}})->items.isEmpty());
    QCOMPARE(m_catalog->ticketRecords(TicketFilter {m_b, std::nullopt, PageRequest {}})->items.size(), 1);
    QCOMPARE(m_catalog->users(m_a)->size(), 0);
    auto usageA = m_catalog->usage(m_a);
    QVERIFY_OK(usageA);
    QCOMPARE(usageA->packs, 0);
    QCOMPARE(usageA->agents, 1);
}

QTEST_GUILESS_MAIN(TestSqlCatalogIsolation)
#include "TestSqlCatalogIsolation.moc"
