// SqlCatalog: jobs, snapshots, restore tickets and the audit log — the rows the console pages
// through. Lists are keyset-paginated: newest first (id DESC), `id < beforeId` for older pages,
// one row more than the limit is read to know whether another page exists. Any thread (see
// SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlJobRows.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

using sql::notFound;

// --- jobs (row helpers shared with the sweeps, see SqlJobRows.h)

const QString kJobColumns = QStringLiteral("id, tenant_id, agent_id, kind, state, scheduled_at, started_at, "
                                           "finished_at, progress, stats, spec, snapshot_id, error, requested_by, "
                                           "cancel_requested, late");

Result<Job> jobFrom(const Statement &st)
{
    Job j;
    j.id = st.value(0).toLongLong();
    j.tenantId = st.value(1).toLongLong();
    j.agentId = st.value(2).toLongLong();
    const auto kind = jobKindFromName(st.value(3).toString());
    const auto state = jobStateFromName(st.value(4).toString());
    if (!kind || !state)
        return Error(ErrorCode::Corrupt,
            QStringLiteral("job %1 has an unknown kind '%2' or state '%3'")
                .arg(j.id)
                .arg(st.value(3).toString(), st.value(4).toString()));
    j.kind = *kind;
    j.state = *state;
    j.scheduledAt = sql::timeFrom(st.value(5));
    j.startedAt = sql::optTimeFrom(st.value(6));
    j.finishedAt = sql::optTimeFrom(st.value(7));
    j.progress = sql::jsonObjectFrom(st.value(8));
    j.stats = sql::jsonObjectFrom(st.value(9));
    j.spec = sql::jsonObjectFrom(st.value(10));
    j.snapshotId = st.value(11).toString();
    j.error = st.value(12).toString();
    j.requestedBy = st.value(13).toString();
    j.cancelRequested = st.value(14).toInt() != 0;
    j.late = st.value(15).toInt() != 0;
    return j;
}

Result<QList<Job>> jobsFrom(Statement &st)
{
    QList<Job> out;
    while (st.next()) {
        auto j = jobFrom(st);
        if (!j)
            return j.error();
        out.append(std::move(j).value());
    }
    CAIRN_TRY(st.rowsDone());
    return out;
}

Result<Job> readJob(const QSqlDatabase &db, qint64 tenantId, qint64 jobId)
{
    auto st = Statement::run(db, QStringLiteral("SELECT %1 FROM jobs WHERE id = ? AND tenant_id = ?").arg(kJobColumns),
        QStringLiteral("read job %1").arg(jobId), {jobId, tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return notFound(QStringLiteral("job %1").arg(jobId));
    }
    return jobFrom(*st);
}

// Inserts `j` (inside the caller's write transaction) and sets its id.
Status insertJob(const QSqlDatabase &db, Job &j, const QString &what)
{
    auto st = Statement::run(db,
        QStringLiteral(
            "INSERT INTO jobs (tenant_id, agent_id, kind, state, scheduled_at, "
            "started_at, finished_at, progress, stats, spec, snapshot_id, error, "
            "requested_by, cancel_requested) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        what,
        {j.tenantId, j.agentId, QString::fromLatin1(jobKindName(j.kind)), QString::fromLatin1(jobStateName(j.state)),
            sql::timeValue(j.scheduledAt), sql::timeValue(j.startedAt), sql::timeValue(j.finishedAt),
            sql::jsonText(j.progress), sql::jsonText(j.stats), sql::jsonText(j.spec), sql::text(j.snapshotId),
            sql::text(j.error), sql::text(j.requestedBy), j.cancelRequested ? 1 : 0});
    if (!st)
        return st.error();
    if (!st->next())
        return st->error();
    j.id = st->value(0).toLongLong();
    return {};
}

namespace {

// --- snapshots

const QString kSnapshotColumns = QStringLiteral("id, snapshot_id, tenant_id, agent_id, job_id, taken_at, finished_at, "
                                                "hostname, paths, root_tree, stats, record_size");

Result<SnapshotRecord> snapshotFrom(const Statement &st)
{
    SnapshotRecord s;
    s.rowId = st.value(0).toLongLong();
    s.id = sql::idFrom<SnapshotId>(st.value(1));
    s.tenantId = st.value(2).toLongLong();
    s.agentId = st.value(3).toLongLong();
    s.jobId = sql::optIntFrom(st.value(4));
    s.time = sql::timeFrom(st.value(5));
    s.endTime = sql::timeFrom(st.value(6));
    s.hostname = st.value(7).toString();
    s.paths = sql::pathsFrom(st.value(8));
    s.rootTree = sql::idFrom<ChunkId>(st.value(9));
    s.stats = sql::jsonObjectFrom(st.value(10));
    s.recordSize = st.value(11).toLongLong();
    return s;
}

bool sameSnapshot(const SnapshotRecord &a, const SnapshotRecord &b)
{
    return a.agentId == b.agentId && a.jobId == b.jobId && a.time == b.time && a.endTime == b.endTime
        && a.hostname == b.hostname && a.paths == b.paths && a.rootTree == b.rootTree && a.stats == b.stats
        && a.recordSize == b.recordSize;
}

Result<std::optional<SnapshotRecord>> findSnapshot(const QSqlDatabase &db, qint64 tenantId, const SnapshotId &id)
{
    auto st = Statement::run(db,
        QStringLiteral("SELECT %1 FROM snapshots WHERE tenant_id = ? AND snapshot_id = ?").arg(kSnapshotColumns),
        QStringLiteral("read snapshot %1").arg(id.shortHex()), {tenantId, sql::idValue(id)});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return std::optional<SnapshotRecord>();
    }
    auto s = snapshotFrom(*st);
    if (!s)
        return s.error();
    return std::optional<SnapshotRecord>(std::move(s).value());
}

// --- audit

const QString kAuditColumns
    = QStringLiteral("id, occurred_at, tenant_id, user_id, agent_id, action, object, detail, peer");

Result<AuditEntry> auditFrom(const Statement &st)
{
    AuditEntry e;
    e.id = st.value(0).toLongLong();
    e.at = sql::timeFrom(st.value(1));
    e.tenantId = sql::optIntFrom(st.value(2));
    e.userId = sql::optIntFrom(st.value(3));
    e.agentId = sql::optIntFrom(st.value(4));
    e.action = st.value(5).toString();
    e.object = st.value(6).toString();
    e.detail = sql::jsonObjectFrom(st.value(7));
    e.peer = st.value(8).toString();
    return e;
}

} // namespace

// --- jobs

Result<Job> SqlCatalog::addJob(const Job &job)
{
    auto d = db();
    if (!d)
        return d.error();
    Job j = job;
    if (!j.scheduledAt.isValid())
        j.scheduledAt = QDateTime::currentDateTimeUtc();
    const QString what = QStringLiteral("add job for agent %1").arg(j.agentId);
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    CAIRN_TRY(requireAgent(*d, j.tenantId, j.agentId, what));
    CAIRN_TRY(insertJob(*d, j, what));
    CAIRN_TRY(tx.commit());
    return j;
}

Result<AddedJob> SqlCatalog::addScheduledJob(const Job &job)
{
    const QString what = QStringLiteral("add scheduled job for agent %1").arg(job.agentId);
    if (!job.scheduledAt.isValid())
        return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": a scheduled job needs its slot time"));
    auto d = db();
    if (!d)
        return d.error();
    AddedJob out;
    out.job = job;
    out.job.requestedBy = QStringLiteral("schedule");
    // Look-up and insert in one write transaction: SQLite runs one writer at a time (BEGIN
    // IMMEDIATE), so two calls for one slot cannot both miss. (A PostgreSQL catalog will need a
    // row lock on the agent or a unique index on the slot for the same guarantee.)
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    CAIRN_TRY(requireAgent(*d, job.tenantId, job.agentId, what));
    {
        auto st = Statement::run(*d,
            QStringLiteral("SELECT %1 FROM jobs WHERE agent_id = ? AND requested_by = ? AND scheduled_at = ? "
                           "AND tenant_id = ? ORDER BY id LIMIT 1")
                .arg(kJobColumns),
            what, {job.agentId, out.job.requestedBy, sql::timeValue(job.scheduledAt), job.tenantId});
        if (!st)
            return st.error();
        if (st->next()) {
            auto existing = jobFrom(*st);
            if (!existing)
                return existing.error();
            out.job = std::move(existing).value();
            return out; // nothing written: the transaction rolls back
        }
        CAIRN_TRY(st->rowsDone());
    }
    CAIRN_TRY(insertJob(*d, out.job, what));
    CAIRN_TRY(tx.commit());
    out.created = true;
    return out;
}

Result<Job> SqlCatalog::requestCancel(qint64 tenantId, qint64 jobId, const QString &requestedBy, const QDateTime &when)
{
    const QString what = QStringLiteral("cancel job %1").arg(jobId);
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto current = readJob(*d, tenantId, jobId);
    if (!current)
        return current.error();
    if (isFinished(current->state))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1: the job already finished (%2)").arg(what, QLatin1String(jobStateName(current->state))));
    if (current->state == JobState::Pending) {
        auto st = Statement::run(*d,
            QStringLiteral("UPDATE jobs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND tenant_id = ?"),
            what,
            {QString::fromLatin1(jobStateName(JobState::Cancelled)),
                sql::timeValue(when.isValid() ? when : QDateTime::currentDateTimeUtc()),
                QStringLiteral("cancelled by %1").arg(requestedBy), jobId, tenantId});
        if (!st)
            return st.error();
    } else if (!current->cancelRequested) {
        auto st
            = Statement::run(*d, QStringLiteral("UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND tenant_id = ?"),
                what, {jobId, tenantId});
        if (!st)
            return st.error();
    } else {
        return current; // asked before: nothing to write
    }
    auto job = readJob(*d, tenantId, jobId);
    if (!job)
        return job.error();
    CAIRN_TRY(tx.commit());
    return job;
}

Result<Job> SqlCatalog::job(qint64 tenantId, qint64 jobId)
{
    auto d = db();
    if (!d)
        return d.error();
    return readJob(*d, tenantId, jobId);
}

Result<Page<Job>> SqlCatalog::jobs(const JobFilter &filter)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList conditions {QStringLiteral("tenant_id = ?")};
    QVariantList values {qlonglong(filter.tenantId)};
    if (filter.agentId) {
        conditions << QStringLiteral("agent_id = ?");
        values << qlonglong(*filter.agentId);
    }
    if (filter.state) {
        conditions << QStringLiteral("state = ?");
        values << QString::fromLatin1(jobStateName(*filter.state));
    }
    if (filter.from) {
        conditions << QStringLiteral("scheduled_at >= ?");
        values << sql::timeValue(*filter.from);
    }
    if (filter.to) {
        conditions << QStringLiteral("scheduled_at < ?");
        values << sql::timeValue(*filter.to);
    }
    return sql::selectPage<Job>(*d, kJobColumns, QStringLiteral("jobs"), conditions, values, filter.page,
        QStringLiteral("jobs"), jobFrom, [](const Job &j) { return j.id; });
}

Result<QList<Job>> SqlCatalog::pendingJobs(qint64 tenantId, qint64 agentId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1 FROM jobs WHERE agent_id = ? AND state = ? AND tenant_id = ? "
                       "ORDER BY scheduled_at, id")
            .arg(kJobColumns),
        QStringLiteral("list pending jobs of agent %1").arg(agentId),
        {agentId, QString::fromLatin1(jobStateName(JobState::Pending)), tenantId});
    if (!st)
        return st.error();
    return jobsFrom(*st);
}

Result<Job> SqlCatalog::updateJob(qint64 tenantId, qint64 agentId, const JobUpdate &update)
{
    const QString what = QStringLiteral("update job %1").arg(update.jobId);
    if (update.state == JobState::Pending || update.state == JobState::Missed)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1: an agent cannot move a job to %2")
                .arg(what, QLatin1String(jobStateName(update.state))));
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    {
        auto st = Statement::run(*d,
            QStringLiteral("SELECT state FROM jobs WHERE id = ? AND tenant_id = ? AND agent_id = ?"), what,
            {update.jobId, tenantId, agentId});
        if (!st)
            return st.error();
        if (!st->next()) {
            CAIRN_TRY(st->rowsDone());
            return notFound(QStringLiteral("job %1").arg(update.jobId));
        }
        const auto current = jobStateFromName(st->value(0).toString());
        if (!current || isFinished(*current))
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1: the job is already finished (%2)").arg(what, st->value(0).toString()));
    }
    QStringList sets {QStringLiteral("state = ?")};
    QVariantList values {QString::fromLatin1(jobStateName(update.state))};
    auto set = [&](const char *column, const QVariant &value) {
        sets << QStringLiteral("%1 = ?").arg(QLatin1String(column));
        values << value;
    };
    if (update.startedAt)
        set("started_at", sql::timeValue(*update.startedAt));
    if (update.finishedAt)
        set("finished_at", sql::timeValue(*update.finishedAt));
    if (update.progress)
        set("progress", sql::jsonText(*update.progress));
    if (update.stats)
        set("stats", sql::jsonText(*update.stats));
    if (update.snapshotId)
        set("snapshot_id", sql::text(*update.snapshotId));
    if (update.error)
        set("error", sql::text(*update.error));
    values << qlonglong(update.jobId);
    {
        auto st = Statement::prepare(
            *d, QStringLiteral("UPDATE jobs SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))), what);
        if (!st)
            return st.error();
        CAIRN_TRY(st->exec(values));
    }
    auto job = readJob(*d, tenantId, update.jobId);
    if (!job)
        return job.error();
    CAIRN_TRY(tx.commit());
    return job;
}

// --- snapshots

Result<SnapshotRecord> SqlCatalog::addSnapshot(const SnapshotRecord &snapshot)
{
    const QString what = QStringLiteral("add snapshot %1").arg(snapshot.id.shortHex());
    if (snapshot.id.isNull() || !snapshot.time.isValid())
        return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": a snapshot needs an id and a time"));
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto existing = findSnapshot(*d, snapshot.tenantId, snapshot.id);
    if (!existing)
        return existing.error();
    if (*existing) {
        if (!sameSnapshot(**existing, snapshot))
            return Error(
                ErrorCode::InvalidArgument, what + QStringLiteral(": a different snapshot with this id exists"));
        return **existing;
    }
    CAIRN_TRY(requireAgent(*d, snapshot.tenantId, snapshot.agentId, what));
    if (snapshot.jobId) {
        auto job = readJob(*d, snapshot.tenantId, *snapshot.jobId);
        if (!job)
            return job.error().wrapped(what);
    }
    SnapshotRecord s = snapshot;
    {
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO snapshots (tenant_id, snapshot_id, agent_id, job_id, "
                           "taken_at, finished_at, hostname, paths, root_tree, stats, record_size) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            what,
            {s.tenantId, sql::idValue(s.id), s.agentId, sql::optInt(s.jobId), sql::timeValue(s.time),
                sql::timeValue(s.endTime), sql::text(s.hostname), sql::pathsJson(s.paths), sql::idValue(s.rootTree),
                sql::jsonText(s.stats), s.recordSize});
        if (!st)
            return st.error();
        if (!st->next())
            return st->error();
        s.rowId = st->value(0).toLongLong();
    }
    CAIRN_TRY(tx.commit());
    return s;
}

Result<SnapshotRecord> SqlCatalog::snapshot(qint64 tenantId, const SnapshotId &id)
{
    auto d = db();
    if (!d)
        return d.error();
    auto found = findSnapshot(*d, tenantId, id);
    if (!found)
        return found.error();
    if (!*found)
        return notFound(QStringLiteral("snapshot %1").arg(id.shortHex()));
    return **found;
}

Result<Page<SnapshotRecord>> SqlCatalog::snapshots(
    qint64 tenantId, std::optional<qint64> agentId, const PageRequest &page)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList conditions {QStringLiteral("tenant_id = ?")};
    QVariantList values {qlonglong(tenantId)};
    if (agentId) {
        conditions << QStringLiteral("agent_id = ?");
        values << qlonglong(*agentId);
    }
    return sql::selectPage<SnapshotRecord>(*d, kSnapshotColumns, QStringLiteral("snapshots"), conditions, values, page,
        QStringLiteral("snapshots"), snapshotFrom, [](const SnapshotRecord &s) { return s.rowId; });
}

// --- restore tickets

Result<RestoreTicket> SqlCatalog::addRestoreTicket(const RestoreTicket &ticket)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("add restore ticket for agent %1").arg(ticket.agentId);
    RestoreTicket t = ticket;
    if (!t.createdAt.isValid())
        t.createdAt = QDateTime::currentDateTimeUtc();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    CAIRN_TRY(requireAgent(*d, t.tenantId, t.agentId, what));
    {
        auto st = Statement::prepare(*d,
            QStringLiteral("INSERT INTO restore_tickets (tenant_id, agent_id, requested_by, "
                           "state, request, created_at, due_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            what);
        if (!st)
            return st.error();
        if (Status s = st->exec({t.tenantId, t.agentId, t.requestedBy, QString::fromLatin1(ticketStateName(t.state)),
                sql::jsonText(t.request), sql::timeValue(t.createdAt), sql::timeValue(t.dueAt)});
            !s.ok()) {
            if (sql::isForeignKeyViolation(st->lastError()))
                return Error(ErrorCode::NotFound, QStringLiteral("%1: user %2 not found").arg(what).arg(t.requestedBy));
            return s.error();
        }
        if (!st->next())
            return st->error();
        t.id = st->value(0).toLongLong();
    }
    CAIRN_TRY(tx.commit());
    return t;
}

// --- audit

Status SqlCatalog::addAudit(const AuditEntry &entry)
{
    if (entry.action.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("an audit entry needs an action"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("add audit entry '%1'").arg(entry.action);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO audit_log (occurred_at, tenant_id, user_id, agent_id, "
                           "action, object, detail, peer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            what,
            {sql::timeValue(entry.at.isValid() ? entry.at : QDateTime::currentDateTimeUtc()),
                sql::optInt(entry.tenantId), sql::optInt(entry.userId), sql::optInt(entry.agentId), entry.action,
                sql::text(entry.object), sql::jsonText(entry.detail), sql::text(entry.peer)});
        return st ? Status() : Status(st.error());
    });
}

Result<Page<AuditEntry>> SqlCatalog::audit(std::optional<qint64> tenantId, const PageRequest &page)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList conditions;
    QVariantList values;
    if (tenantId) {
        conditions << QStringLiteral("tenant_id = ?");
        values << qlonglong(*tenantId);
    }
    return sql::selectPage<AuditEntry>(*d, kAuditColumns, QStringLiteral("audit_log"), conditions, values, page,
        QStringLiteral("audit log"), auditFrom, [](const AuditEntry &e) { return e.id; });
}

} // namespace cairn::server
