// SqlCatalog: what the console's views read in bulk — the job history in any order with keyset
// pages, the dashboard's per-server figures and daily sums, the operators' health view (bulk
// loads of history rows are in SqlCatalogImport.cpp). Each call is a constant number of statements whatever the number
// of servers, and each statement walks an index (schema versions 1 and 6; see Schema.cpp). Any thread (see
// SqlCatalog.h).
#include "catalog/SqlCatalog.h"
#include "catalog/SqlAgentRows.h"

#include "catalog/SqlJobRows.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

const char *const kFinishedStates = "('succeeded', 'warning', 'failed', 'missed', 'cancelled')";

// kJobColumns with every column qualified by `alias`, for statements that join jobs.
QString jobColumnsOf(const QString &alias)
{
    QStringList columns = kJobColumns.split(QStringLiteral(", "));
    for (QString &c : columns)
        c = alias + QLatin1Char('.') + c;
    return columns.join(QStringLiteral(", "));
}

const char *sortColumn(JobSortKey key)
{
    switch (key) {
    case JobSortKey::Id: return "id";
    case JobSortKey::ScheduledAt: return "scheduled_at";
    case JobSortKey::StartedAt: return "started_at";
    case JobSortKey::FinishedAt: return "finished_at";
    case JobSortKey::State: return "state";
    case JobSortKey::Kind: return "kind";
    }
    return "id";
}

// Only started_at and finished_at can be unset.
bool canBeUnset(JobSortKey key)
{
    return key == JobSortKey::StartedAt || key == JobSortKey::FinishedAt;
}

bool isTimeKey(JobSortKey key)
{
    return key == JobSortKey::ScheduledAt || key == JobSortKey::StartedAt || key == JobSortKey::FinishedAt;
}

// The sort value of `j` for the cursor (invalid when unset).
QVariant sortValue(const Job &j, JobSortKey key)
{
    switch (key) {
    case JobSortKey::Id: return QVariant();
    case JobSortKey::ScheduledAt: return j.scheduledAt;
    case JobSortKey::StartedAt: return j.startedAt ? QVariant(*j.startedAt) : QVariant();
    case JobSortKey::FinishedAt: return j.finishedAt ? QVariant(*j.finishedAt) : QVariant();
    case JobSortKey::State: return QString::fromLatin1(jobStateName(j.state));
    case JobSortKey::Kind: return QString::fromLatin1(jobKindName(j.kind));
    }
    return QVariant();
}

// How a sorted page is read. Without statistics SQLite cannot tell a filter that keeps a few
// rows (one server's history, the failed runs) from one that keeps most (the succeeded runs), so
// sortedJobs() counts the matching rows first and says which index to walk:
//   Narrow: few rows match — walk the filters' indexes and sort what they give (`+column` in the
//           sort terms and ORDER BY keeps SQLite off the sort column's index);
//   Wide:   many match — walk the sort column's index in order and test the filters on the way
//           (`+column` in the filter terms keeps SQLite off their indexes), so no page sorts the
//           whole history and a deep page costs what the first one does.
enum class Plan { Narrow, Wide };
constexpr qint64 kNarrowRows = 10000;

// `+column`: the same value, but SQLite uses no index for it. (These hints are SQLite's; a
// PostgreSQL catalog would leave them out and let its statistics decide.)
QString plain(const QString &column, bool noIndex)
{
    return noIndex ? QLatin1Char('+') + column : column;
}

// The WHERE terms of the query's filters. A filter on the sorted column is always indexed (its
// index is the sort index).
void filterTerms(const JobQuery &q, Plan plan, QStringList *terms, QVariantList *values)
{
    const JobFilter &f = q.filter;
    const auto noIndex = [&](JobSortKey key) { return plan == Plan::Wide && q.sort != key; };
    *terms << QStringLiteral("tenant_id = ?");
    *values << qlonglong(f.tenantId);
    if (f.agentId) {
        *terms << plain(QStringLiteral("agent_id"), plan == Plan::Wide) + QStringLiteral(" = ?");
        *values << qlonglong(*f.agentId);
    }
    if (f.state) {
        *terms << plain(QStringLiteral("state"), noIndex(JobSortKey::State)) + QStringLiteral(" = ?");
        *values << QString::fromLatin1(jobStateName(*f.state));
    }
    if (q.kind) {
        *terms << plain(QStringLiteral("kind"), noIndex(JobSortKey::Kind)) + QStringLiteral(" = ?");
        *values << QString::fromLatin1(jobKindName(*q.kind));
    }
    if (f.from) {
        *terms << plain(QStringLiteral("scheduled_at"), noIndex(JobSortKey::ScheduledAt)) + QStringLiteral(" >= ?");
        *values << sql::timeValue(*f.from);
    }
    if (f.to) {
        *terms << plain(QStringLiteral("scheduled_at"), noIndex(JobSortKey::ScheduledAt)) + QStringLiteral(" < ?");
        *values << sql::timeValue(*f.to);
    }
}

bool hasFilters(const JobQuery &q)
{
    return q.filter.agentId || q.filter.state || q.kind || q.filter.from || q.filter.to;
}

Result<qint64> countMatching(const QSqlDatabase &db, const JobQuery &query)
{
    QStringList terms;
    QVariantList values;
    filterTerms(query, Plan::Narrow, &terms, &values);
    auto st = Statement::prepare(db,
        QStringLiteral("SELECT COUNT(*) FROM jobs WHERE %1").arg(terms.join(QStringLiteral(" AND "))),
        QStringLiteral("count jobs"));
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    if (!st->next())
        return st->error();
    return st->value(0).toLongLong();
}

QVariant cursorValue(const JobCursor &c, JobSortKey key)
{
    if (isTimeKey(key))
        return sql::timeValue(c.value.toDateTime());
    return c.value.toString();
}

} // namespace

// --- the job history in any order

Result<JobList> SqlCatalog::sortedJobs(const JobQuery &query)
{
    auto d = db();
    if (!d)
        return d.error();
    const int limit = sql::clampLimit(query.filter.page.limit);
    const bool desc = query.order == SortOrder::Descending;
    const QString dir = desc ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString beyond = desc ? QStringLiteral("<") : QStringLiteral(">");
    const QString column = QLatin1String(sortColumn(query.sort));
    if (query.after && isTimeKey(query.sort) && !query.after->unset && !query.after->value.toDateTime().isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("list jobs: the cursor has no time"));

    // One read transaction: the count and both parts come from the same snapshot of the table.
    Transaction tx(*d, Transaction::Kind::Read, QStringLiteral("list jobs"));
    CAIRN_TRY(tx.begin());
    JobList out;
    Plan plan = Plan::Narrow; // by id every filter's index also gives the order
    if (query.sort != JobSortKey::Id && hasFilters(query)) {
        auto matching = countMatching(*d, query);
        if (!matching)
            return matching.error();
        out.total = *matching;
        plan = *matching <= kNarrowRows ? Plan::Narrow : Plan::Wide;
    } else if (query.sort != JobSortKey::Id) {
        plan = Plan::Wide;
    }
    // A narrow plan sorts what the filters' indexes give; a wide one walks the sort index.
    const QString sorted = plain(column, plan == Plan::Narrow && query.sort != JobSortKey::Id);
    // Part 1: rows with a value, by (value, id); part 2: rows without one, by id.
    const auto runPart = [&](bool unsetPart, int wanted) -> Status {
        QStringList terms;
        QVariantList values;
        filterTerms(query, plan, &terms, &values);
        QString order;
        if (query.sort == JobSortKey::Id || unsetPart) {
            if (unsetPart)
                terms << sorted + QStringLiteral(" IS NULL");
            if (query.after && (query.sort == JobSortKey::Id || query.after->unset)) {
                terms << QStringLiteral("id %1 ?").arg(beyond);
                values << qlonglong(query.after->id);
            }
            order = QStringLiteral("id %1").arg(dir);
        } else {
            if (canBeUnset(query.sort))
                terms << sorted + QStringLiteral(" IS NOT NULL");
            if (query.after) {
                // value beyond, or the same value and id beyond; the first term is the index's range.
                const QVariant v = cursorValue(*query.after, query.sort);
                terms << QStringLiteral("%1 %2= ?").arg(sorted, beyond)
                      << QStringLiteral("(%1 %2 ? OR id %2 ?)").arg(sorted, beyond);
                values << v << v << qlonglong(query.after->id);
            }
            order = QStringLiteral("%1 %2, id %2").arg(sorted, dir);
        }
        const QString text = QStringLiteral("SELECT %1 FROM jobs WHERE %2 ORDER BY %3 LIMIT ?")
                                 .arg(kJobColumns, terms.join(QStringLiteral(" AND ")), order);
        values << wanted;
        auto st = Statement::prepare(*d, text, QStringLiteral("list jobs"));
        if (!st)
            return st.error();
        CAIRN_TRY(st->exec(values));
        auto rows = jobsFrom(*st);
        if (!rows)
            return rows.error();
        out.items.append(*rows);
        return {};
    };
    const bool startInUnsetPart = query.sort != JobSortKey::Id && query.after && query.after->unset;
    if (!startInUnsetPart)
        CAIRN_TRY(runPart(false, limit + 1));
    if (canBeUnset(query.sort) && out.items.size() <= limit)
        CAIRN_TRY(runPart(true, limit + 1 - int(out.items.size())));
    CAIRN_TRY(tx.commit());
    if (out.items.size() > limit) {
        out.items.resize(limit);
        const Job &last = out.items.last();
        JobCursor c;
        c.id = last.id;
        c.value = sortValue(last, query.sort);
        c.unset = query.sort != JobSortKey::Id && !c.value.isValid();
        out.next = c;
    }
    return out;
}

Result<qint64> SqlCatalog::countJobs(const JobQuery &query)
{
    auto d = db();
    if (!d)
        return d.error();
    return countMatching(*d, query);
}

// --- the dashboard and the server list

Result<QHash<qint64, Policy>> SqlCatalog::policies(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d, QStringLiteral("SELECT agent_id, %1 FROM policies WHERE tenant_id = ?").arg(kPolicyColumns),
        QStringLiteral("list policies of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    QHash<qint64, Policy> out;
    while (st->next())
        out.insert(st->value(0).toLongLong(), policyFrom(*st, 1));
    CAIRN_TRY(st->rowsDone());
    return out;
}

Result<QHash<qint64, Job>> SqlCatalog::latestJobs(qint64 tenantId, LatestJob which)
{
    auto d = db();
    if (!d)
        return d.error();
    // Per server one short walk down jobs_by_agent (tenant, agent, id DESC) from its newest job.
    const QString only = which == LatestJob::FinishedBackup
        ? QStringLiteral(" AND j.kind = 'backup' AND j.state IN %1").arg(QLatin1String(kFinishedStates))
        : QString();
    auto st = Statement::run(*d,
        QStringLiteral(
            "SELECT %1 FROM jobs WHERE id IN (SELECT (SELECT j.id FROM jobs j WHERE j.tenant_id = a.tenant_id "
            "AND j.agent_id = a.id%2 ORDER BY j.id DESC LIMIT 1) FROM agents a "
            "WHERE a.tenant_id = ? AND a.removed_at IS NULL)")
            .arg(kJobColumns, only),
        QStringLiteral("list the latest jobs of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    auto jobs = jobsFrom(*st);
    if (!jobs)
        return jobs.error();
    QHash<qint64, Job> out;
    for (const Job &j : *jobs)
        out.insert(j.agentId, j);
    return out;
}

Result<QList<Job>> SqlCatalog::runningJobs(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1 FROM jobs WHERE tenant_id = ? AND state = 'running' ORDER BY id").arg(kJobColumns),
        QStringLiteral("list running jobs of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    return jobsFrom(*st);
}

Result<QHash<qint64, qint64>> SqlCatalog::keptSnapshotBytes(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    // Read from snapshots_stored_by_agent alone.
    auto st = Statement::run(*d,
        QStringLiteral("SELECT agent_id, COALESCE(SUM(bytes_stored), 0) FROM snapshots WHERE tenant_id = ? "
                       "GROUP BY agent_id"),
        QStringLiteral("sum stored bytes of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    QHash<qint64, qint64> out;
    while (st->next())
        out.insert(st->value(0).toLongLong(), st->value(1).toLongLong());
    CAIRN_TRY(st->rowsDone());
    return out;
}

Result<QList<qint64>> SqlCatalog::storedBytesFinishedIn(qint64 tenantId, const QList<QDateTime> &bounds)
{
    const QString what = QStringLiteral("sum stored bytes per period of tenant %1").arg(tenantId);
    if (bounds.size() < 2 || bounds.size() > 367)
        return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": 2 to 367 bounds are needed"));
    for (qsizetype i = 0; i < bounds.size(); ++i) {
        if (!bounds[i].isValid() || (i > 0 && bounds[i] <= bounds[i - 1]))
            return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": the bounds must be ascending instants"));
    }
    auto d = db();
    if (!d)
        return d.error();
    // The periods as a table of (index, start, end); each is a range of jobs_by_tenant_finish,
    // which holds bytes_stored too.
    QStringList rows;
    QVariantList values;
    for (qsizetype i = 0; i + 1 < bounds.size(); ++i) {
        rows << QStringLiteral("(?, ?, ?)");
        values << qlonglong(i) << sql::timeValue(bounds[i]) << sql::timeValue(bounds[i + 1]);
    }
    values << qlonglong(tenantId);
    auto st = Statement::prepare(*d,
        QStringLiteral("WITH periods(i, lo, hi) AS (VALUES %1) "
                       "SELECT p.i, (SELECT COALESCE(SUM(j.bytes_stored), 0) FROM jobs j "
                       "WHERE j.tenant_id = ? AND j.finished_at >= p.lo AND j.finished_at < p.hi) FROM periods p")
            .arg(rows.join(QStringLiteral(", "))),
        what);
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    QList<qint64> out(bounds.size() - 1, 0);
    while (st->next()) {
        const qint64 i = st->value(0).toLongLong();
        if (i >= 0 && i < out.size())
            out[i] = st->value(1).toLongLong();
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

// --- the operators' health view

Result<QList<NamedAgent>> SqlCatalog::agentsSilentSince(const QDateTime &seenBefore, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1, t.name FROM agents a JOIN tenants t ON t.id = a.tenant_id "
                       "WHERE a.removed_at IS NULL AND COALESCE(a.last_seen, a.enrolled_at) < ? "
                       "ORDER BY COALESCE(a.last_seen, a.enrolled_at) DESC, a.id DESC LIMIT ?")
            .arg(agentColumnsOf(QStringLiteral("a"))),
        QStringLiteral("list silent agents"), {sql::timeValue(seenBefore), sql::clampLimit(limit)});
    if (!st)
        return st.error();
    QList<NamedAgent> out;
    while (st->next())
        out.append(NamedAgent {agentFrom(*st), st->value(kAgentColumnCount).toString()});
    CAIRN_TRY(st->rowsDone());
    return out;
}

Result<QList<NamedJob>> SqlCatalog::failedJobsSince(const QDateTime &since, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    // jobs_by_state_finish: two short ranges (failed, missed) of recent finish times.
    const int columns = int(kJobColumns.count(QLatin1Char(','))) + 1;
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1, t.name, a.name FROM jobs j JOIN tenants t ON t.id = j.tenant_id "
                       "JOIN agents a ON a.id = j.agent_id "
                       "WHERE j.state IN ('failed', 'missed') AND j.finished_at >= ? "
                       "ORDER BY j.finished_at DESC, j.id DESC LIMIT ?")
            .arg(jobColumnsOf(QStringLiteral("j"))),
        QStringLiteral("list failed jobs"), {sql::timeValue(since), sql::clampLimit(limit)});
    if (!st)
        return st.error();
    QList<NamedJob> out;
    while (st->next()) {
        auto job = jobFrom(*st);
        if (!job)
            return job.error();
        out.append(NamedJob {std::move(job).value(), st->value(columns).toString(), st->value(columns + 1).toString()});
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

Result<ServiceCounts> SqlCatalog::serviceCounts()
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT (SELECT COUNT(*) FROM jobs WHERE state = 'running'), "
                       "(SELECT COUNT(*) FROM restore_tickets WHERE state IN ('submitted', 'accepted', 'running')), "
                       "(SELECT COUNT(*) FROM mail_outbox WHERE state = 'failed')"),
        QStringLiteral("count running jobs, open tickets and failed mail"), {});
    if (!st)
        return st.error();
    if (!st->next())
        return st->error();
    ServiceCounts c;
    c.runningJobs = st->value(0).toLongLong();
    c.openTickets = st->value(1).toLongLong();
    c.failedMail = st->value(2).toLongLong();
    return c;
}

} // namespace cairn::server
