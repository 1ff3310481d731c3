// The schedule views of the API (see ScheduleViews.h). Pure functions; any thread.
#include "api/ScheduleViews.h"

#include <algorithm>

namespace cairn::server {

qint64 scheduleOffset(const ServerSettings &settings, qint64 tenantId, qint64 agentId)
{
    if (settings.scheduleTestOffsetSeconds)
        return *settings.scheduleTestOffsetSeconds;
    return scheduleOffsetSeconds(tenantId, agentId, settings.scheduleMaxOffsetSeconds);
}

ScheduleRule scheduleRule(const Policy &policy, const QString &timeZone, qint64 offsetSeconds)
{
    ScheduleRule rule;
    rule.intervalDays = policy.intervalDays;
    rule.weekday = policy.weekday;
    rule.hour = policy.hour;
    rule.timeZone = timeZone.toUtf8();
    rule.offsetSeconds = offsetSeconds;
    return rule;
}

QDateTime nextRun(const ServerSettings &settings, const std::optional<Policy> &policy, const QString &timeZone,
    qint64 tenantId, qint64 agentId, const QDateTime &now)
{
    if (!policy)
        return QDateTime();
    const QDateTime from = policy->updatedAt.isValid() ? std::max(now, policy->updatedAt) : now;
    return nextSlot(scheduleRule(*policy, timeZone, scheduleOffset(settings, tenantId, agentId)), from);
}

QJsonValue nextRunJson(const ServerSettings &settings, const std::optional<Policy> &policy, const QString &timeZone,
    qint64 tenantId, qint64 agentId, const QDateTime &now)
{
    const QDateTime t = nextRun(settings, policy, timeZone, tenantId, agentId, now);
    return t.isValid() ? QJsonValue(isoTime(t)) : QJsonValue();
}

} // namespace cairn::server
