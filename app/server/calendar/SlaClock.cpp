// The SLA clock and the monthly compliance report (see SlaClock.h). Pure functions; any thread.
#include "calendar/SlaClock.h"

#include "calendar/BusinessCalendar.h"

namespace cairn::server {

const char *slaStateName(SlaState state)
{
    switch (state) {
    case SlaState::OnTrack: return "on-track";
    case SlaState::AtRisk: return "at-risk";
    case SlaState::Breached: return "breached";
    case SlaState::Met: return "met";
    case SlaState::Missed: return "missed";
    }
    return "on-track";
}

SlaState slaState(const QDateTime &due, const QDateTime &now, const std::optional<QDateTime> &finished)
{
    if (finished)
        return (!due.isValid() || *finished <= due) ? SlaState::Met : SlaState::Missed;
    if (!due.isValid() || !now.isValid())
        return SlaState::OnTrack;
    const qint64 leftMs = now.msecsTo(due);
    if (leftMs <= 0)
        return SlaState::Breached;
    if (leftMs < slaAtRiskSeconds * 1000)
        return SlaState::AtRisk;
    return SlaState::OnTrack;
}

SlaCompliance monthlyCompliance(const std::vector<SlaTicket> &tickets, int year, int month, const QDateTime &now)
{
    SlaCompliance report;
    for (const SlaTicket &ticket : tickets) {
        if (!ticket.due.isValid())
            continue;
        const QDate dueDay = BusinessCalendar::localDate(ticket.due);
        if (dueDay.year() != year || dueDay.month() != month)
            continue;
        switch (slaState(ticket.due, now, ticket.finished)) {
        case SlaState::Met:
            ++report.finished;
            ++report.met;
            break;
        case SlaState::Missed:
            ++report.finished;
            ++report.missed;
            break;
        case SlaState::Breached:
            ++report.open;
            ++report.breachedOpen;
            break;
        case SlaState::OnTrack:
        case SlaState::AtRisk: ++report.open; break;
        }
    }
    const int counted = report.met + report.missed + report.breachedOpen;
    if (counted > 0)
        report.percent = 100.0 * report.met / counted;
    return report;
}

} // namespace cairn::server
