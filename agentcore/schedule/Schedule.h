// The backup schedule as points in time ("slots"). A policy says "every day" or "every <weekday>"
// at a whole hour of the tenant's time zone; each server runs its backup at that hour plus a
// deterministic per-server offset (under an hour), so that the servers of one tenant do not all
// start at the same second. The agent computes its next run with nextSlot(), the server shows the
// same next run and recognises a scheduled job's slot with latestSlot(): both sides compute the
// same slots from the same rule. Pure functions, thread-safe.
//
// Local time: a slot is the local date D at hour:00 in the rule's zone. When that local time does
// not exist (the clock jumps forward over it, e.g. 02:00 on the spring-forward day in New York),
// the slot is the first valid time after the jump (03:00 local, the instant of the transition).
// When it exists twice (the clock is set back over it), the slot is the first occurrence. The
// offset is added to that instant, so a slot at 23:00 with an offset of 40 minutes falls on the
// next day (and, when weekly, possibly in the next week).
#pragma once

#include <QByteArray>
#include <QDateTime>

namespace cairn {

struct ScheduleRule {
    int intervalDays = 1; // 1 (daily) or 7 (weekly)
    int weekday = 1; // 1 = Monday … 7 = Sunday, used when weekly
    int hour = 2; // 0–23, local time of `timeZone`
    // IANA id, e.g. "Asia/Seoul". An empty or unknown id (or one the system's time zone database
    // lacks) means UTC.
    QByteArray timeZone;
    qint64 offsetSeconds = 0; // the deterministic per-server offset, 0 ≤ offset < 3600
};

// Whether every field is in its range (interval 1 or 7, weekday 1–7, hour 0–23, offset 0–3599).
// The functions below answer an invalid QDateTime for a rule that is not.
bool isValid(const ScheduleRule &rule);

// The first slot strictly after `after` (in UTC); invalid for an invalid rule or time.
QDateTime nextSlot(const ScheduleRule &rule, const QDateTime &after);

// The latest slot at or before `at` (in UTC); invalid for an invalid rule or time, or if there is
// none within 8 days before `at` (which cannot happen for a valid rule).
QDateTime latestSlot(const ScheduleRule &rule, const QDateTime &at);

// The deterministic offset of a server in [0, maxOffsetSeconds): the first 8 bytes of
// SHA-256("cairn-schedule-offset:<tenantId>:<agentId>") (ids in decimal) read as a big-endian
// unsigned integer, modulo maxOffsetSeconds. 0 when maxOffsetSeconds ≤ 0.
qint64 scheduleOffsetSeconds(qint64 tenantId, qint64 agentId, qint64 maxOffsetSeconds = 3600);

} // namespace cairn
