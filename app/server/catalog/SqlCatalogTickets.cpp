// SqlCatalog: the restore ticket workflow — tickets with their workflow columns (assigned
// operator, restore job, resolution), guarded state changes in one write transaction, tickets
// following their finished restore jobs, and the message thread. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlJobRows.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

const QString kRecordColumns
    = QStringLiteral("id, tenant_id, agent_id, requested_by, state, request, created_at, due_at, "
                     "assigned_to, job_id, updated_at, finished_at, resolution");
constexpr int kRecordColumnCount = 13;

Result<TicketRecord> recordFrom(const Statement &st, int first = 0)
{
    TicketRecord r;
    RestoreTicket &t = r.ticket;
    t.id = st.value(first + 0).toLongLong();
    t.tenantId = st.value(first + 1).toLongLong();
    t.agentId = st.value(first + 2).toLongLong();
    t.requestedBy = st.value(first + 3).toLongLong();
    const auto state = ticketStateFromName(st.value(first + 4).toString());
    if (!state)
        return Error(ErrorCode::Corrupt,
            QStringLiteral("restore ticket %1 has an unknown state '%2'")
                .arg(t.id)
                .arg(st.value(first + 4).toString()));
    t.state = *state;
    t.request = sql::jsonObjectFrom(st.value(first + 5));
    t.createdAt = sql::timeFrom(st.value(first + 6));
    t.dueAt = sql::optTimeFrom(st.value(first + 7));
    r.assignedTo = sql::optIntFrom(st.value(first + 8));
    r.jobId = sql::optIntFrom(st.value(first + 9));
    r.updatedAt = sql::optTimeFrom(st.value(first + 10));
    r.finishedAt = sql::optTimeFrom(st.value(first + 11));
    r.resolution = st.value(first + 12).toString();
    return r;
}

Result<TicketRecord> readRecord(const QSqlDatabase &db, qint64 tenantId, qint64 ticketId)
{
    return sql::selectOne<TicketRecord>(db,
        QStringLiteral("SELECT %1 FROM restore_tickets WHERE id = ? AND tenant_id = ?").arg(kRecordColumns),
        QStringLiteral("restore ticket %1").arg(ticketId), {ticketId, tenantId},
        [](const Statement &st) { return recordFrom(st); });
}

Status insertMessage(const QSqlDatabase &db, TicketMessage &m, const QString &what)
{
    auto st = Statement::run(db,
        QStringLiteral("INSERT INTO ticket_messages (tenant_id, ticket_id, user_id, body, created_at) "
                       "VALUES (?, ?, ?, ?, ?) RETURNING id"),
        what, {m.tenantId, m.ticketId, sql::optInt(m.userId), sql::text(m.body), sql::timeValue(m.createdAt)});
    if (!st)
        return st.error();
    if (!st->next())
        return st->error();
    m.id = st->value(0).toLongLong();
    st->finish();
    return {};
}

QString stateList(const QList<TicketState> &states)
{
    QStringList quoted;
    for (TicketState s : states)
        quoted << QStringLiteral("'%1'").arg(QLatin1String(ticketStateName(s)));
    return quoted.join(QStringLiteral(", "));
}

// How a ticket ends when its restore job ended as `job` says.
QString jobResolution(const Job &job)
{
    const QJsonObject &s = job.stats;
    QString line = QStringLiteral("restore job %1 %2: %3 files, %4 bytes restored")
                       .arg(job.id)
                       .arg(job.state == JobState::Warning ? QStringLiteral("finished with warnings")
                                                           : QStringLiteral("succeeded"))
                       .arg(s.value(QStringLiteral("files")).toInteger())
                       .arg(s.value(QStringLiteral("bytes")).toInteger());
    const qint64 errors = s.value(QStringLiteral("errors")).toInteger();
    if (errors > 0)
        line += QStringLiteral(", %1 errors").arg(errors);
    return line;
}

QString jobFailure(const Job &job)
{
    QString line = QStringLiteral("restore job %1 %2").arg(job.id).arg(QLatin1String(jobStateName(job.state)));
    if (!job.error.isEmpty())
        line += QStringLiteral(": ") + job.error.left(2000);
    return line + QStringLiteral(". The ticket is accepted again: start the restore again, or reject the ticket.");
}

} // namespace

Result<TicketRecord> SqlCatalog::ticketRecord(qint64 tenantId, qint64 ticketId)
{
    auto d = db();
    if (!d)
        return d.error();
    return readRecord(*d, tenantId, ticketId);
}

Result<Page<TicketRecord>> SqlCatalog::ticketRecords(const TicketFilter &filter)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList conditions;
    QVariantList values;
    if (filter.tenantId) {
        conditions << QStringLiteral("tenant_id = ?");
        values << qlonglong(*filter.tenantId);
    }
    if (filter.state) {
        conditions << QStringLiteral("state = ?");
        values << QString::fromLatin1(ticketStateName(*filter.state));
    }
    return sql::selectPage<TicketRecord>(
        *d, kRecordColumns, QStringLiteral("restore_tickets"), conditions, values, filter.page,
        QStringLiteral("restore tickets"), [](const Statement &st) { return recordFrom(st); },
        [](const TicketRecord &r) { return r.ticket.id; });
}

namespace {

// Every row of an executed SELECT of kRecordColumns.
Result<QList<TicketRecord>> recordsFrom(Statement &st)
{
    QList<TicketRecord> out;
    while (st.next()) {
        auto r = recordFrom(st);
        if (!r)
            return r.error();
        out.append(std::move(r).value());
    }
    CAIRN_TRY(st.rowsDone());
    return out;
}

} // namespace

Result<QList<TicketRecord>> SqlCatalog::ticketQueue(int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1 FROM restore_tickets WHERE state IN ('submitted', 'accepted', 'running') "
                       "ORDER BY due_at IS NULL, due_at, id LIMIT ?")
            .arg(kRecordColumns),
        QStringLiteral("list the restore ticket queue"), {std::clamp(limit, 1, 500)});
    if (!st)
        return st.error();
    return recordsFrom(*st);
}

Result<QList<TicketRecord>> SqlCatalog::ticketsDue(
    std::optional<qint64> tenantId, const QDateTime &from, const QDateTime &to)
{
    auto d = db();
    if (!d)
        return d.error();
    QString text
        = QStringLiteral("SELECT %1 FROM restore_tickets WHERE due_at >= ? AND due_at < ?").arg(kRecordColumns);
    QVariantList values {sql::timeValue(from), sql::timeValue(to)};
    if (tenantId) {
        text += QStringLiteral(" AND tenant_id = ?");
        values << qlonglong(*tenantId);
    }
    text += QStringLiteral(" ORDER BY due_at, id");
    auto st = Statement::prepare(*d, text, QStringLiteral("list restore tickets due"));
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    return recordsFrom(*st);
}

Result<TicketTransitionResult> SqlCatalog::transitionTicket(const TicketTransition &t)
{
    if (t.from.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a ticket transition needs the states it starts from"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what
        = QStringLiteral("move restore ticket %1 to %2").arg(t.ticketId).arg(QLatin1String(ticketStateName(t.to)));
    const QDateTime at = t.at.isValid() ? t.at : QDateTime::currentDateTimeUtc();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto before = readRecord(*d, t.tenantId, t.ticketId);
    if (!before)
        return before.error();
    TicketTransitionResult out;
    if (!t.from.contains(before->ticket.state)) {
        out.ticket = *before;
        return out; // rolled back: nothing was written
    }
    if (t.job) {
        Job job = *t.job;
        job.tenantId = t.tenantId;
        CAIRN_TRY(requireAgent(*d, t.tenantId, job.agentId, what));
        CAIRN_TRY(insertJob(*d, job, what));
        out.job = job;
    }
    QStringList sets {QStringLiteral("state = ?"), QStringLiteral("updated_at = ?")};
    QVariantList values {QString::fromLatin1(ticketStateName(t.to)), sql::timeValue(at)};
    if (t.assignTo) {
        sets << QStringLiteral("assigned_to = ?");
        values << qlonglong(*t.assignTo);
    }
    if (t.resolution) {
        sets << QStringLiteral("resolution = ?");
        values << sql::text(*t.resolution);
    }
    if (t.finishes) {
        sets << QStringLiteral("finished_at = ?");
        values << sql::timeValue(at);
    }
    if (out.job) {
        sets << QStringLiteral("job_id = ?");
        values << qlonglong(out.job->id);
    }
    values << qlonglong(t.ticketId) << qlonglong(t.tenantId);
    auto st = Statement::prepare(*d,
        QStringLiteral("UPDATE restore_tickets SET %1 WHERE id = ? AND tenant_id = ? AND state IN (%2)")
            .arg(sets.join(QStringLiteral(", ")), stateList(t.from)),
        what);
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    if (st->rowsAffected() != 1)
        return Error(ErrorCode::Transient, QStringLiteral("%1: the ticket changed meanwhile").arg(what));
    if (t.message) {
        TicketMessage m;
        m.tenantId = t.tenantId;
        m.ticketId = t.ticketId;
        m.userId = t.messageUser;
        m.body = *t.message;
        m.createdAt = at;
        CAIRN_TRY(insertMessage(*d, m, what));
    }
    auto after = readRecord(*d, t.tenantId, t.ticketId);
    if (!after)
        return after.error();
    CAIRN_TRY(tx.commit());
    out.applied = true;
    out.ticket = *after;
    return out;
}

Result<QList<TicketRecord>> SqlCatalog::settleTicketJobs(std::optional<qint64> tenantId, const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList columns;
    for (const QString &c : kRecordColumns.split(QStringLiteral(", ")))
        columns << QStringLiteral("t.") + c;
    QStringList jobColumns;
    for (const QString &c : kJobColumns.split(QStringLiteral(", ")))
        jobColumns << QStringLiteral("j.") + c.trimmed();
    QString text = QStringLiteral("SELECT %1, %2 FROM restore_tickets t JOIN jobs j ON j.id = t.job_id AND "
                                  "j.tenant_id = t.tenant_id WHERE t.state = 'running' AND j.state IN "
                                  "('succeeded', 'warning', 'failed', 'cancelled', 'missed')")
                       .arg(columns.join(QStringLiteral(", ")), jobColumns.join(QStringLiteral(", ")));
    QVariantList values;
    if (tenantId) {
        text += QStringLiteral(" AND t.tenant_id = ?");
        values << qlonglong(*tenantId);
    }
    const QString what = QStringLiteral("settle restore tickets of finished jobs");
    // A read first: nearly always there is nothing to do, and then no write lock is taken.
    const auto finished = [&]() -> Result<QList<std::pair<TicketRecord, Job>>> {
        auto st = Statement::prepare(*d, text, what);
        if (!st)
            return st.error();
        CAIRN_TRY(st->exec(values));
        QList<std::pair<TicketRecord, Job>> rows;
        while (st->next()) {
            auto r = recordFrom(*st);
            if (!r)
                return r.error();
            // The job's columns follow the ticket's.
            Job j;
            const int b = kRecordColumnCount;
            j.id = st->value(b + 0).toLongLong();
            j.tenantId = st->value(b + 1).toLongLong();
            j.agentId = st->value(b + 2).toLongLong();
            j.state = jobStateFromName(st->value(b + 4).toString()).value_or(JobState::Failed);
            j.finishedAt = sql::optTimeFrom(st->value(b + 7));
            j.stats = sql::jsonObjectFrom(st->value(b + 9));
            j.error = st->value(b + 12).toString();
            rows.append({std::move(r).value(), j});
        }
        CAIRN_TRY(st->rowsDone());
        return rows;
    };
    auto candidates = finished();
    if (!candidates)
        return candidates.error();
    QList<TicketRecord> moved;
    if (candidates->isEmpty())
        return moved;
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    for (const auto &[record, job] : *candidates) {
        const bool ok = job.state == JobState::Succeeded || job.state == JobState::Warning;
        const QDateTime end = job.finishedAt.value_or(now);
        auto st = Statement::run(*d,
            QStringLiteral("UPDATE restore_tickets SET state = ?, updated_at = ?, finished_at = ?, resolution = ? "
                           "WHERE id = ? AND tenant_id = ? AND state = 'running' AND job_id = ?"),
            what,
            {QString::fromLatin1(ticketStateName(ok ? TicketState::Completed : TicketState::Accepted)),
                sql::timeValue(end), ok ? sql::timeValue(end) : sql::nullInt(),
                sql::text(ok ? jobResolution(job) : record.resolution), record.ticket.id, record.ticket.tenantId,
                job.id});
        if (!st)
            return st.error();
        if (st->rowsAffected() != 1)
            continue; // settled meanwhile by another caller
        if (!ok) {
            TicketMessage m;
            m.tenantId = record.ticket.tenantId;
            m.ticketId = record.ticket.id;
            m.body = jobFailure(job);
            m.createdAt = end;
            CAIRN_TRY(insertMessage(*d, m, what));
        }
        auto after = readRecord(*d, record.ticket.tenantId, record.ticket.id);
        if (!after)
            return after.error();
        moved.append(*after);
    }
    CAIRN_TRY(tx.commit());
    return moved;
}

Result<TicketMessage> SqlCatalog::addTicketMessage(const TicketMessage &message)
{
    if (message.body.trimmed().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a message needs a body"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("add a message to restore ticket %1").arg(message.ticketId);
    TicketMessage m = message;
    if (!m.createdAt.isValid())
        m.createdAt = QDateTime::currentDateTimeUtc();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto ticket = readRecord(*d, m.tenantId, m.ticketId);
    if (!ticket)
        return ticket.error();
    CAIRN_TRY(insertMessage(*d, m, what));
    CAIRN_TRY(tx.commit());
    return m;
}

Result<QList<TicketMessage>> SqlCatalog::ticketMessages(qint64 tenantId, qint64 ticketId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto ticket = readRecord(*d, tenantId, ticketId);
    if (!ticket)
        return ticket.error();
    return sql::selectAll<TicketMessage>(*d,
        QStringLiteral("SELECT id, tenant_id, ticket_id, user_id, body, created_at FROM ticket_messages "
                       "WHERE ticket_id = ? AND tenant_id = ? ORDER BY id"),
        QStringLiteral("messages of restore ticket %1").arg(ticketId), {ticketId, tenantId}, [](const Statement &st) {
            TicketMessage m;
            m.id = st.value(0).toLongLong();
            m.tenantId = st.value(1).toLongLong();
            m.ticketId = st.value(2).toLongLong();
            m.userId = sql::optIntFrom(st.value(3));
            m.body = st.value(4).toString();
            m.createdAt = sql::timeFrom(st.value(5));
            return m;
        });
}

} // namespace cairn::server
