// Operations (see Operations.h). Runs on the thread that owns the object.
#include "ops/Operations.h"

#include "api/ScheduleViews.h"

#include <QJsonObject>

#include <algorithm>

namespace cairn::server {

namespace {

void audit(Catalog &catalog, const Job &job, const QString &action, const QDateTime &now, Operations::Pass &pass)
{
    AuditEntry e;
    e.at = now;
    e.tenantId = job.tenantId;
    e.agentId = job.agentId;
    e.action = action;
    e.object = QStringLiteral("job:%1").arg(job.id);
    e.detail = QJsonObject {{QStringLiteral("scheduled_at"), job.scheduledAt.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("requested_by"), job.requestedBy}};
    e.peer = QStringLiteral("server");
    if (Status s = catalog.addAudit(e); !s.ok())
        pass.problems << s.error().message;
}

} // namespace

Operations::Operations(Catalog &catalog, const ServerSettings &server, std::function<QDateTime()> now,
    OperationsSettings settings, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_server(server), m_now(std::move(now)), m_settings(settings)
{
    m_timer.setParent(this);
    m_timer.setInterval(std::clamp(m_settings.tickSeconds, 1, 3600) * 1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void Operations::start()
{
    tick();
    m_timer.start();
}

void Operations::stop()
{
    m_timer.stop();
}

Operations::Pass Operations::tick()
{
    Pass pass;
    const QDateTime now = m_now();
    recordSlots(now, pass);
    const QDateTime cutoff = now.addSecs(-kMissedAfterSeconds);
    if (auto missed = m_catalog.markMissedJobs(cutoff, now)) {
        pass.missed += int(missed->size());
        for (const Job &j : *missed)
            audit(m_catalog, j, QStringLiteral("job.missed"), now, pass);
    } else {
        pass.problems << missed.error().message;
    }
    if (auto late = m_catalog.markLateJobs(cutoff)) {
        pass.late = int(late->size());
        for (const Job &j : *late)
            audit(m_catalog, j, QStringLiteral("job.late"), now, pass);
    } else {
        pass.problems << late.error().message;
    }
    for (const QString &p : pass.problems)
        qWarning("operations: %s", qPrintable(p));
    return pass;
}

void Operations::recordSlots(const QDateTime &now, Pass &pass)
{
    auto tenants = m_catalog.tenants();
    if (!tenants) {
        pass.problems << tenants.error().message;
        return;
    }
    for (const Tenant &tenant : *tenants) {
        auto agents = m_catalog.agents(tenant.id);
        if (!agents) {
            pass.problems << agents.error().message;
            continue;
        }
        for (const Agent &agent : *agents) {
            auto policy = m_catalog.policy(tenant.id, agent.id);
            if (!policy) {
                if (policy.error().code != ErrorCode::NotFound)
                    pass.problems << policy.error().message;
                continue;
            }
            auto last = m_catalog.lastScheduledSlot(tenant.id, agent.id);
            if (!last) {
                pass.problems << last.error().message;
                continue;
            }
            const ScheduleRule rule
                = scheduleRule(*policy, tenant.timeZone, scheduleOffset(m_server, tenant.id, agent.id));
            // Slots strictly after `from` count: a policy's slots start after it was set (as the
            // agent and the next-run view see it), a server's after it enrolled.
            QDateTime from = std::max({policy->updatedAt, agent.enrolledAt, now.addDays(-kMaxCatchUpDays)});
            if (*last && **last > from)
                from = **last;
            for (QDateTime slot = nextSlot(rule, from); slot.isValid() && slot <= now; slot = nextSlot(rule, slot)) {
                Job job;
                job.tenantId = tenant.id;
                job.agentId = agent.id;
                job.kind = JobKind::Backup;
                job.state = JobState::Pending;
                job.scheduledAt = slot;
                const bool tooOld = slot.secsTo(now) >= kMissedAfterSeconds;
                if (tooOld) {
                    job.state = JobState::Missed;
                    job.finishedAt = now;
                    job.error = QStringLiteral("not started within 3 hours of its scheduled time");
                }
                auto added = m_catalog.addScheduledJob(job);
                if (!added) {
                    pass.problems << added.error().message;
                    break;
                }
                if (!added->created)
                    continue;
                ++pass.slotsRecorded;
                if (tooOld) {
                    ++pass.missed;
                    audit(m_catalog, added->job, QStringLiteral("job.missed"), now, pass);
                }
            }
        }
    }
}

} // namespace cairn::server
