// The SLA clock of restore tickets: where a ticket stands against its due time (on track, at risk,
// breached; met or missed once finished) and the monthly compliance report. The due time itself
// comes from BusinessCalendar::dueAt. Pure functions and value types; any thread.
#pragma once

#include <QDateTime>

#include <optional>
#include <vector>

namespace cairn::server {

enum class SlaState {
    OnTrack, // open, 30 minutes or more (wall time) before the due time
    AtRisk, // open, less than 30 minutes (wall time) left: 0 < due - now < 30 min
    Breached, // open and now >= due
    Met, // finished at or before the due time
    Missed, // finished after the due time
};

// "on-track", "at-risk", "breached", "met", "missed": stable words for APIs and the console.
const char *slaStateName(SlaState state);

// Wall-clock time left below which an open ticket is at risk.
inline constexpr qint64 slaAtRiskSeconds = 30 * 60;

// The state of a ticket due at `due`, seen at `now`, finished at `finished` (if it is). A finished
// ticket is Met or Missed whatever `now` is. A ticket without a valid due time is never late.
SlaState slaState(const QDateTime &due, const QDateTime &now, const std::optional<QDateTime> &finished);

// One ticket as the report sees it.
struct SlaTicket {
    QDateTime due;
    std::optional<QDateTime> finished;
};

struct SlaCompliance {
    int finished = 0; // met + missed
    int met = 0;
    int missed = 0;
    int open = 0; // not finished (breached or not)
    int breachedOpen = 0; // not finished and past due at `now`
    // met / (met + missed + breachedOpen) × 100: an open ticket past its due time counts as a miss
    // already, one not yet due is not counted. 100 when there is nothing to count.
    double percent = 100;
};

// Compliance of the tickets whose due time falls in `month` (1-12) of `year` in Asia/Seoul,
// evaluated at `now`. Tickets without a valid due time are left out.
SlaCompliance monthlyCompliance(const std::vector<SlaTicket> &tickets, int year, int month, const QDateTime &now);

} // namespace cairn::server
