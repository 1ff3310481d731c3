// Restore tickets as the API shows them: the ticket with its assigned operator, its restore job
// (state, progress, result summary), its due time in Asia/Seoul and where it stands on the SLA
// clock; messages of its thread; and the step that lets running tickets follow their finished
// restore jobs. Called on the HTTP worker threads.
#pragma once

#include "api/Api.h"
#include "calendar/BusinessCalendar.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace cairn::server {

// The business calendar with the operators' changes from the catalog.
Result<BusinessCalendar> ticketCalendar(Catalog &catalog);

// An instant as ISO 8601 in Asia/Seoul ("2026-11-09T12:59:00+09:00"); "" when invalid.
QString seoulTime(const QDateTime &t);

// Where a ticket stands on the SLA clock at `now`: on-track, at-risk (less than 30 minutes of
// business time, or of wall time, left), breached; met or missed once completed or rejected.
// nullopt for a cancelled ticket (it left the queue; it counts in no compliance report).
std::optional<SlaState> ticketSla(const BusinessCalendar &calendar, const TicketRecord &r, const QDateTime &now);
// The finished instant the SLA clock counts: the end of a completed or rejected ticket.
std::optional<QDateTime> slaFinished(const TicketRecord &r);

// Builds ticket and message views, looking up users and jobs once per request.
class TicketViewer {
public:
    TicketViewer(ServerContext &server, const BusinessCalendar &calendar) : m_server(server), m_calendar(calendar) { }
    QJsonObject ticket(const TicketRecord &r);
    QJsonObject message(const TicketMessage &m);

private:
    QJsonValue userRef(std::optional<qint64> id);

    ServerContext &m_server;
    const BusinessCalendar &m_calendar;
    QHash<qint64, QJsonObject> m_users;
};

// Running tickets whose restore job has finished follow it (Catalog::settleTicketJobs); each
// move is audited as "ticket.job_finished". Failures are logged: the next call settles them.
void settleRestoreTickets(ServerContext &server, std::optional<qint64> tenant);

} // namespace cairn::server
