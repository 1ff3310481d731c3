// Restore ticket views, the SLA state of a ticket and tickets following their restore jobs (see
// TicketViews.h). HTTP worker threads.
#include "api/TicketViews.h"

#include "api/JsonViews.h"

#include <QJsonArray>
#include <QLoggingCategory>

namespace cairn::server {

namespace {
Q_LOGGING_CATEGORY(lcTickets, "cairn.server.tickets")

bool isOpen(TicketState s)
{
    return s == TicketState::Submitted || s == TicketState::Accepted || s == TicketState::Running;
}

// The job's result without its per-file list (kept in the job itself): counts and totals.
QJsonObject statsSummary(const QJsonObject &stats)
{
    QJsonObject out = stats;
    const QJsonValue failures = out.take(QStringLiteral("failures"));
    if (failures.isArray())
        out.insert(QStringLiteral("failure_count"), failures.toArray().size());
    return out;
}
} // namespace

Result<BusinessCalendar> ticketCalendar(Catalog &catalog)
{
    auto days = catalog.calendarDays();
    if (!days)
        return days.error();
    std::vector<CalendarOverride> overrides;
    for (const CalendarDay &d : *days)
        overrides.push_back(CalendarOverride {d.day, d.closed, d.note});
    return BusinessCalendar::shipped(overrides);
}

QString seoulTime(const QDateTime &t)
{
    return t.isValid() ? t.toTimeZone(BusinessCalendar::timeZone()).toString(Qt::ISODate) : QString();
}

std::optional<QDateTime> slaFinished(const TicketRecord &r)
{
    if (r.ticket.state == TicketState::Completed || r.ticket.state == TicketState::Rejected)
        return r.finishedAt ? r.finishedAt : r.updatedAt;
    return std::nullopt;
}

std::optional<SlaState> ticketSla(const BusinessCalendar &calendar, const TicketRecord &r, const QDateTime &now)
{
    if (r.ticket.state == TicketState::Cancelled)
        return std::nullopt;
    const QDateTime due = r.ticket.dueAt.value_or(QDateTime());
    SlaState state = slaState(due, now, slaFinished(r));
    if (state == SlaState::OnTrack && due.isValid() && calendar.businessSecondsBetween(now, due) < slaAtRiskSeconds)
        state = SlaState::AtRisk; // e.g. due 10:10 tomorrow, seen at 18:50: 20 business minutes left
    return state;
}

QJsonValue TicketViewer::userRef(std::optional<qint64> id)
{
    if (!id)
        return QJsonValue();
    auto it = m_users.find(*id);
    if (it == m_users.end()) {
        QJsonObject o {{QStringLiteral("id"), *id}};
        if (auto u = m_server.catalog.user(*id)) {
            o.insert(QStringLiteral("login"), u->login);
            o.insert(QStringLiteral("display_name"), u->displayName);
            o.insert(QStringLiteral("role"), QLatin1String(roleName(u->role)));
        }
        it = m_users.insert(*id, o);
    }
    return *it;
}

QJsonObject TicketViewer::ticket(const TicketRecord &r)
{
    const RestoreTicket &t = r.ticket;
    const QDateTime now = m_server.now();
    QJsonObject o = ticketJson(t);
    o.insert(QStringLiteral("due_at"), t.dueAt ? QJsonValue(seoulTime(*t.dueAt)) : QJsonValue());
    o.insert(QStringLiteral("requester"), userRef(t.requestedBy));
    o.insert(QStringLiteral("assigned_to"), r.assignedTo ? QJsonValue(*r.assignedTo) : QJsonValue());
    o.insert(QStringLiteral("assignee"), userRef(r.assignedTo));
    o.insert(QStringLiteral("updated_at"), isoTime(r.updatedAt));
    o.insert(QStringLiteral("finished_at"), isoTime(r.finishedAt));
    o.insert(QStringLiteral("resolution"), r.resolution);
    QJsonValue job;
    if (r.jobId) {
        if (auto j = m_server.catalog.job(t.tenantId, *r.jobId)) {
            job = QJsonObject {{QStringLiteral("id"), j->id}, {QStringLiteral("server"), j->agentId},
                {QStringLiteral("state"), QLatin1String(jobStateName(j->state))},
                {QStringLiteral("progress"), j->progress}, {QStringLiteral("stats"), statsSummary(j->stats)},
                {QStringLiteral("error"), j->error}, {QStringLiteral("started_at"), isoTime(j->startedAt)},
                {QStringLiteral("finished_at"), isoTime(j->finishedAt)}};
        }
    }
    o.insert(QStringLiteral("job"), job);
    const auto sla = ticketSla(m_calendar, r, now);
    o.insert(QStringLiteral("sla"), sla ? QJsonValue(QLatin1String(slaStateName(*sla))) : QJsonValue());
    QJsonValue left, leftSeconds;
    bool clockRunning = false;
    if (sla && t.dueAt) {
        const QDateTime from = isOpen(t.state) ? now : slaFinished(r).value_or(now);
        const qint64 seconds = m_calendar.businessSecondsBetween(from, *t.dueAt);
        left = seconds / 60;
        leftSeconds = seconds;
        // Whether the SLA clock runs right now (an open ticket inside business hours): a view
        // counting down between fetches stops while it does not.
        clockRunning = isOpen(t.state) && m_calendar.businessSecondsBetween(now, now.addSecs(1)) == 1;
    }
    o.insert(QStringLiteral("business_minutes_left"), left);
    o.insert(QStringLiteral("business_seconds_left"), leftSeconds);
    o.insert(QStringLiteral("sla_clock_running"), clockRunning);
    return o;
}

QJsonObject TicketViewer::message(const TicketMessage &m)
{
    return QJsonObject {{QStringLiteral("id"), m.id}, {QStringLiteral("ticket"), m.ticketId},
        {QStringLiteral("user"), userRef(m.userId)}, {QStringLiteral("system"), !m.userId.has_value()},
        {QStringLiteral("body"), m.body}, {QStringLiteral("created_at"), isoTime(m.createdAt)}};
}

void settleRestoreTickets(ServerContext &server, std::optional<qint64> tenant)
{
    auto moved = server.catalog.settleTicketJobs(tenant, server.now());
    if (!moved) {
        qCWarning(lcTickets).noquote() << "could not settle restore tickets:" << moved.error().message;
        return;
    }
    for (const TicketRecord &r : *moved) {
        AuditEntry e;
        e.at = server.now();
        e.tenantId = r.ticket.tenantId;
        e.action = QStringLiteral("ticket.job_finished");
        e.object = QStringLiteral("ticket:%1").arg(r.ticket.id);
        e.detail = QJsonObject {{QStringLiteral("job"), r.jobId ? QJsonValue(*r.jobId) : QJsonValue()},
            {QStringLiteral("state"), QLatin1String(ticketStateName(r.ticket.state))},
            {QStringLiteral("resolution"), r.resolution}};
        if (Status s = server.catalog.addAudit(e); !s.ok())
            qCWarning(lcTickets).noquote() << "could not record ticket.job_finished:" << s.error().message;
    }
}

} // namespace cairn::server
