// SqlCatalog keyset pagination: walking every page of jobs (1,234 of them, limit 100, with agent,
// state and date-range filters and their combination), snapshots, restore tickets and audit
// entries visits each matching row exactly once, newest first, with `next` set exactly when more
// rows exist; limits are clamped to 1..500.
#include "TestSqlCatalogFixture.h"

#include <QElapsedTimer>

#include <algorithm>
#include <set>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

constexpr int kJobs = 1234;

struct JobRow {
    qint64 id;
    qint64 tenantId;
    qint64 agentId;
    JobState state;
    QDateTime scheduledAt;
};

} // namespace

class TestSqlCatalogPagination : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void initTestCase();
    void cleanupTestCase() { m_catalog.reset(); }

    void walkJobs_data();
    void walkJobs();
    void pageBoundaryHasNoEmptyTail();
    void walkSnapshots();
    void walkRestoreTicketsAndAudit();

private:
    // Walks every page; checks page invariants and returns the ids in the order seen.
    template <typename T, typename Fetch, typename IdOf> QList<qint64> walk(int limit, Fetch fetch, IdOf idOf);

    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_tenant = 0, m_other = 0;
    QList<qint64> m_agents;
    std::vector<JobRow> m_rows;
};

template <typename T, typename Fetch, typename IdOf>
QList<qint64> TestSqlCatalogPagination::walk(int limit, Fetch fetch, IdOf idOf)
{
    const int expectedLimit = std::clamp(limit, 1, 500);
    QList<qint64> ids;
    PageRequest request;
    request.limit = limit;
    for (int pages = 0; pages < 10000; ++pages) {
        Result<Page<T>> page = fetch(request);
        if (!page.ok()) {
            QTest::qFail(qPrintable(page.error().message), __FILE__, __LINE__);
            return {};
        }
        QList<qint64> pageIds;
        for (const T &item : page->items)
            pageIds.append(idOf(item));
        if (pageIds.size() > expectedLimit || (page->next && pageIds.size() != expectedLimit)
            || (page->next && *page->next != pageIds.last()) || (pages > 0 && pageIds.isEmpty())) {
            QTest::qFail("page invariant broken (size, next or empty page)", __FILE__, __LINE__);
            return {};
        }
        ids += pageIds;
        if (!page->next)
            return ids;
        request.beforeId = *page->next;
    }
    QTest::qFail("pagination did not end", __FILE__, __LINE__);
    return {};
}

void TestSqlCatalogPagination::initTestCase()
{
    m_catalog = createCatalog(m_dir);
    QVERIFY(m_catalog);
    auto tenant = addTenant(*m_catalog, QStringLiteral("pages"));
    auto other = addTenant(*m_catalog, QStringLiteral("other"));
    QVERIFY_OK(tenant);
    QVERIFY_OK(other);
    m_tenant = tenant->id;
    m_other = other->id;
    for (int i = 0; i < 3; ++i) {
        auto a = enrollAgent(*m_catalog, m_tenant, QStringLiteral("host-%1").arg(i));
        QVERIFY_OK(a);
        m_agents.append(a->id);
    }
    auto otherAgent = enrollAgent(*m_catalog, m_other, QStringLiteral("elsewhere"));
    QVERIFY_OK(otherAgent);

    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kJobs; ++i) {
        Job j;
        j.tenantId = m_tenant;
        j.agentId = m_agents[i % 3];
        j.state = JobState(i % 7);
        // Scheduled times are a permutation of the ids, so a date range picks scattered ids.
        j.scheduledAt = baseTime().addSecs(qint64((i * 7919) % kJobs) * 600);
        auto added = m_catalog->addJob(j);
        QVERIFY_OK(added);
        m_rows.push_back({added->id, m_tenant, j.agentId, j.state, j.scheduledAt});
        if (i % 25 == 0) { // another tenant's jobs interleave the ids
            Job o = j;
            o.tenantId = m_other;
            o.agentId = otherAgent->id;
            QVERIFY(m_catalog->addJob(o).ok());
        }
    }
    qInfo("added %d jobs in %lld ms", kJobs, timer.elapsed());
}

void TestSqlCatalogPagination::walkJobs_data()
{
    QTest::addColumn<int>("agent"); // index into m_agents, -1: any
    QTest::addColumn<int>("state"); // JobState, -1: any
    QTest::addColumn<int>("fromSlot"); // scheduled range in 600 s slots, -1: open
    QTest::addColumn<int>("toSlot");
    QTest::addColumn<int>("limit");
    QTest::newRow("all") << -1 << -1 << -1 << -1 << 100;
    QTest::newRow("all, odd limit") << -1 << -1 << -1 << -1 << 7;
    QTest::newRow("agent") << 1 << -1 << -1 << -1 << 100;
    QTest::newRow("state") << -1 << int(JobState::Failed) << -1 << -1 << 100;
    QTest::newRow("date range") << -1 << -1 << 200 << 700 << 100;
    QTest::newRow("from only") << -1 << -1 << 1000 << -1 << 100;
    QTest::newRow("to only") << -1 << -1 << -1 << 50 << 100;
    QTest::newRow("agent, state, range") << 2 << int(JobState::Pending) << 100 << 1100 << 10;
    QTest::newRow("limit above 500 clamps") << -1 << -1 << -1 << -1 << 1000;
    QTest::newRow("limit 0 clamps to 1") << 0 << int(JobState::Running) << -1 << -1 << 0;
    QTest::newRow("nothing matches") << 0 << -1 << 5000 << -1 << 100;
}

void TestSqlCatalogPagination::walkJobs()
{
    QFETCH(int, agent);
    QFETCH(int, state);
    QFETCH(int, fromSlot);
    QFETCH(int, toSlot);
    QFETCH(int, limit);

    JobFilter filter;
    filter.tenantId = m_tenant;
    if (agent >= 0)
        filter.agentId = m_agents[agent];
    if (state >= 0)
        filter.state = JobState(state);
    if (fromSlot >= 0)
        filter.from = baseTime().addSecs(qint64(fromSlot) * 600);
    if (toSlot >= 0)
        filter.to = baseTime().addSecs(qint64(toSlot) * 600);

    QList<qint64> expected;
    for (const JobRow &r : m_rows)
        if ((!filter.agentId || r.agentId == *filter.agentId) && (!filter.state || r.state == *filter.state)
            && (!filter.from || r.scheduledAt >= *filter.from) && (!filter.to || r.scheduledAt < *filter.to))
            expected.append(r.id);
    std::sort(expected.begin(), expected.end(), std::greater<>());

    std::map<qint64, const JobRow *> byId;
    for (const JobRow &r : m_rows)
        byId[r.id] = &r;
    bool fieldsMatch = true;
    QElapsedTimer timer;
    timer.start();
    const QList<qint64> seen = walk<Job>(
        limit,
        [&](const PageRequest &page) {
            filter.page = page;
            return m_catalog->jobs(filter);
        },
        [&](const Job &j) {
            auto it = byId.find(j.id);
            fieldsMatch = fieldsMatch && it != byId.end() && j.tenantId == m_tenant && it->second->agentId == j.agentId
                && it->second->state == j.state && it->second->scheduledAt == j.scheduledAt;
            return j.id;
        });
    qInfo("walked %lld jobs in %lld ms", qlonglong(seen.size()), timer.elapsed());
    QVERIFY(fieldsMatch);
    QCOMPARE(seen.size(), expected.size());
    QCOMPARE(seen, expected); // each row once, newest first
    QCOMPARE(int(std::set<qint64>(seen.begin(), seen.end()).size()), int(seen.size()));
}

void TestSqlCatalogPagination::pageBoundaryHasNoEmptyTail()
{
    JobFilter filter;
    filter.tenantId = m_tenant;
    filter.agentId = m_agents[0];
    filter.state = JobState::Succeeded;
    filter.page.limit = 500;
    auto all = m_catalog->jobs(filter);
    QVERIFY_OK(all);
    const int n = int(all->items.size());
    QVERIFY(n > 2);
    QVERIFY(!all->next);

    filter.page.limit = n; // exactly one full page: no next
    auto exact = m_catalog->jobs(filter);
    QCOMPARE(int(exact->items.size()), n);
    QVERIFY(!exact->next);

    filter.page.limit = n - 1; // one short: a second page with one row
    auto first = m_catalog->jobs(filter);
    QVERIFY(first->next);
    filter.page.beforeId = *first->next;
    auto second = m_catalog->jobs(filter);
    QCOMPARE(second->items.size(), 1);
    QVERIFY(!second->next);
    QCOMPARE(second->items.first().id, all->items.last().id);
}

void TestSqlCatalogPagination::walkSnapshots()
{
    std::vector<std::pair<qint64, qint64>> rows; // (row id, agent)
    for (int i = 0; i < 345; ++i) {
        SnapshotRecord s;
        s.id = snapshotId(quint64(i) + 1);
        s.tenantId = m_tenant;
        s.agentId = m_agents[i % 2];
        s.time = baseTime().addSecs(i);
        s.rootTree = chunkId(quint64(i));
        auto added = m_catalog->addSnapshot(s);
        QVERIFY_OK(added);
        rows.emplace_back(added->rowId, s.agentId);
    }
    for (std::optional<qint64> agent :
        {std::optional<qint64>(), std::optional<qint64>(m_agents[1]), std::optional<qint64>(m_agents[2])}) {
        QList<qint64> expected;
        for (const auto &[rowId, a] : rows)
            if (!agent || a == *agent)
                expected.append(rowId);
        std::sort(expected.begin(), expected.end(), std::greater<>());
        const QList<qint64> seen = walk<SnapshotRecord>(
            50, [&](const PageRequest &p) { return m_catalog->snapshots(m_tenant, agent, p); },
            [](const SnapshotRecord &s) { return s.rowId; });
        QCOMPARE(seen, expected);
    }
}

void TestSqlCatalogPagination::walkRestoreTicketsAndAudit()
{
    User u;
    u.login = QStringLiteral("pager");
    auto user = m_catalog->addUser(u);
    QVERIFY_OK(user);
    auto otherAgent = m_catalog->agents(m_other);
    QVERIFY_OK(otherAgent);
    QList<qint64> tickets, allTickets, audit, allAudit;
    for (int i = 0; i < 130; ++i) {
        const bool mine = i % 4 != 0;
        RestoreTicket t;
        t.tenantId = mine ? m_tenant : m_other;
        t.agentId = mine ? m_agents[0] : otherAgent->first().id;
        t.requestedBy = user->id;
        auto added = m_catalog->addRestoreTicket(t);
        QVERIFY_OK(added);
        allTickets.prepend(added->id);
        if (mine)
            tickets.prepend(added->id);
    }
    for (int i = 0; i < 260; ++i) {
        AuditEntry e;
        e.action = QStringLiteral("test.entry");
        e.object = QString::number(i);
        if (i % 3)
            e.tenantId = m_tenant;
        QVERIFY(m_catalog->addAudit(e).ok());
    }
    auto newest = m_catalog->audit(std::nullopt, PageRequest {1, 0});
    QVERIFY_OK(newest);
    QCOMPARE(newest->items.first().object, QStringLiteral("259"));

    const auto ticketId = [](const TicketRecord &r) { return r.ticket.id; };
    QCOMPARE(walk<TicketRecord>(
                 40, [&](const PageRequest &p) { return m_catalog->ticketRecords(TicketFilter {m_tenant, std::nullopt, p}); },
                 ticketId),
        tickets);
    QCOMPARE(walk<TicketRecord>(
                 40, [&](const PageRequest &p) { return m_catalog->ticketRecords(TicketFilter {std::nullopt, std::nullopt, p}); },
                 ticketId),
        allTickets);

    QStringList objects;
    const QList<qint64> mineAudit = walk<AuditEntry>(
        64, [&](const PageRequest &p) { return m_catalog->audit(m_tenant, p); },
        [&](const AuditEntry &e) {
            objects.append(e.object);
            return e.id;
        });
    QCOMPARE(mineAudit.size(), 173); // i % 3 != 0 for i < 260
    QVERIFY(std::is_sorted(mineAudit.begin(), mineAudit.end(), std::greater<>()));
    QCOMPARE(objects.first(), QStringLiteral("259"));
    QCOMPARE(objects.last(), QStringLiteral("1"));
    const QList<qint64> everything = walk<AuditEntry>(
        64, [&](const PageRequest &p) { return m_catalog->audit(std::nullopt, p); },
        [](const AuditEntry &e) { return e.id; });
    QCOMPARE(everything.size(), 260);
    QCOMPARE(int(std::set<qint64>(everything.begin(), everything.end()).size()), 260);
}

QTEST_GUILESS_MAIN(TestSqlCatalogPagination)
#include "TestSqlCatalogPagination.moc"
