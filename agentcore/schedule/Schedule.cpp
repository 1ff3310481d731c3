// Schedule slots (see Schedule.h). Pure functions on any thread.
//
// Local times are resolved here rather than by QDateTime(date, time, zone), whose treatment of
// times in a DST gap or overlap differs between Qt versions: the agent and the server must agree
// on every slot whatever Qt they were built with.
#include "schedule/Schedule.h"

#include "crypto/Crypto.h"

#include <QTimeZone>

#include <algorithm>
#include <vector>

namespace cairn {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

QTimeZone zoneOf(const ScheduleRule &rule)
{
    if (!rule.timeZone.isEmpty()) {
        QTimeZone zone(rule.timeZone);
        if (zone.isValid())
            return zone;
    }
    return QTimeZone::utc();
}

int offsetAt(const QTimeZone &zone, qint64 utcMs)
{
    return zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC));
}

// The UTC instant of local `date` at `hour`:00 in `zone`: the first occurrence when the clock was
// set back over it, the end of the jump when the clock jumped forward over it.
qint64 localHourToUtcMs(const QTimeZone &zone, const QDate &date, int hour)
{
    // The local time read as if it were UTC; the instant is naive - offset for an offset in force.
    const qint64 naive = QDateTime(date, QTime(hour, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 from = naive - kDayMs, to = naive + kDayMs; // offsets lie within ±14 h
    std::vector<int> offsets {offsetAt(zone, from)};
    struct Change {
        qint64 atMs;
        int before, after;
    };
    std::vector<Change> changes;
    if (zone.hasTransitions()) {
        const auto transitions = zone.transitions(
            QDateTime::fromMSecsSinceEpoch(from, Qt::UTC), QDateTime::fromMSecsSinceEpoch(to, Qt::UTC));
        for (const QTimeZone::OffsetData &t : transitions) {
            const qint64 at = t.atUtc.toMSecsSinceEpoch();
            changes.push_back({at, offsetAt(zone, at - 1), t.offsetFromUtc});
            offsets.push_back(t.offsetFromUtc);
        }
    }
    qint64 best = 0;
    bool found = false;
    for (int o : offsets) {
        const qint64 utc = naive - qint64(o) * 1000;
        if (offsetAt(zone, utc) == o && (!found || utc < best)) {
            best = utc;
            found = true;
        }
    }
    if (found)
        return best;
    // In a gap: the local times [at + before, at + after) do not exist; the first valid one is the
    // transition itself.
    for (const Change &c : changes)
        if (c.atMs + qint64(c.before) * 1000 <= naive && naive < c.atMs + qint64(c.after) * 1000)
            return c.atMs;
    // No transition data explains it (cannot happen with a consistent database): Qt's answer.
    return QDateTime(date, QTime(hour, 0), zone).toMSecsSinceEpoch();
}

bool slotDay(const ScheduleRule &rule, const QDate &date)
{
    return rule.intervalDays == 1 || date.dayOfWeek() == rule.weekday;
}

qint64 slotOnMs(const ScheduleRule &rule, const QTimeZone &zone, const QDate &date)
{
    return localHourToUtcMs(zone, date, rule.hour) + rule.offsetSeconds * 1000;
}

} // namespace

bool isValid(const ScheduleRule &rule)
{
    return (rule.intervalDays == 1 || rule.intervalDays == 7) && rule.weekday >= 1 && rule.weekday <= 7
        && rule.hour >= 0 && rule.hour <= 23 && rule.offsetSeconds >= 0 && rule.offsetSeconds < 3600;
}

QDateTime nextSlot(const ScheduleRule &rule, const QDateTime &after)
{
    if (!isValid(rule) || !after.isValid())
        return QDateTime();
    const QTimeZone zone = zoneOf(rule);
    const qint64 afterMs = after.toMSecsSinceEpoch();
    // A slot of the previous local day can still lie ahead (its offset crosses midnight).
    const QDate today = after.toTimeZone(zone).date();
    for (QDate d = today.addDays(-1); d <= today.addDays(8); d = d.addDays(1)) {
        if (!slotDay(rule, d))
            continue;
        const qint64 slot = slotOnMs(rule, zone, d);
        if (slot > afterMs)
            return QDateTime::fromMSecsSinceEpoch(slot, Qt::UTC);
    }
    return QDateTime();
}

QDateTime latestSlot(const ScheduleRule &rule, const QDateTime &at)
{
    if (!isValid(rule) || !at.isValid())
        return QDateTime();
    const QTimeZone zone = zoneOf(rule);
    const qint64 atMs = at.toMSecsSinceEpoch();
    const QDate today = at.toTimeZone(zone).date();
    for (QDate d = today.addDays(1); d >= today.addDays(-9); d = d.addDays(-1)) {
        if (!slotDay(rule, d))
            continue;
        const qint64 slot = slotOnMs(rule, zone, d);
        if (slot <= atMs)
            return atMs - slot <= 8 * kDayMs ? QDateTime::fromMSecsSinceEpoch(slot, Qt::UTC) : QDateTime();
    }
    return QDateTime();
}

qint64 scheduleOffsetSeconds(qint64 tenantId, qint64 agentId, qint64 maxOffsetSeconds)
{
    if (maxOffsetSeconds <= 0)
        return 0;
    const QByteArray input
        = "cairn-schedule-offset:" + QByteArray::number(tenantId) + ':' + QByteArray::number(agentId);
    const crypto::Digest digest = crypto::sha256(input);
    quint64 value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | digest[size_t(i)];
    return qint64(value % quint64(maxOffsetSeconds));
}

} // namespace cairn
