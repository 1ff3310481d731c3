// A server's backup schedule as the API shows it: the per-server offset the server hands out (from
// the settings, see ServerSettings) and the next run of a policy in the tenant's time zone, both
// computed with the schedule calculation the agent uses (schedule/Schedule.h). Pure functions of
// their arguments; any thread.
#pragma once

#include "api/Api.h"
#include "catalog/CatalogTypes.h"

#include "schedule/Schedule.h"

#include <QDateTime>
#include <QJsonValue>

#include <optional>

namespace cairn::server {

// schedule/test_offset_seconds when set, else scheduleOffsetSeconds(tenant, agent, max).
qint64 scheduleOffset(const ServerSettings &settings, qint64 tenantId, qint64 agentId);
ScheduleRule scheduleRule(const Policy &policy, const QString &timeZone, qint64 offsetSeconds);
// The first slot after max(now, policy.updatedAt) (a policy set now does not run in the past);
// invalid without a policy.
QDateTime nextRun(const ServerSettings &settings, const std::optional<Policy> &policy, const QString &timeZone,
    qint64 tenantId, qint64 agentId, const QDateTime &now);
// The same as an ISO string, or null.
QJsonValue nextRunJson(const ServerSettings &settings, const std::optional<Policy> &policy, const QString &timeZone,
    qint64 tenantId, qint64 agentId, const QDateTime &now);

} // namespace cairn::server
