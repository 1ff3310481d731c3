// Routes for an enrolled agent's configuration and jobs: its policy and schedule, the jobs waiting
// for it, the jobs it creates itself (schedule slots, "backup now" on the machine), and its reports
// on a job's progress and result. The answer to a progress report is the job, so a running agent
// learns there that a user asked to cancel it. Handlers run on the HTTP worker threads.
#include "api/Api.h"
#include "api/BodyReaders.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "api/ScheduleViews.h"
#include "store/StoreCapacity.h"
#include "api/TicketViews.h"

#include "base/Id.h"

#include <QJsonArray>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;
// How far a scheduled job's slot may lie from the server's clock: an agent that was asleep or
// offline catches up on a slot for 3 hours; a clock a little fast is tolerated.
constexpr qint64 kScheduleLookBackSeconds = 3 * 3600;
constexpr qint64 kScheduleLookAheadSeconds = 5 * 60;

qint64 tenantOf(const ApiCall &call)
{
    return *call.principal.tenantId;
}

HttpResponse config(ApiCall &call)
{
    ServerContext &s = call.server;
    (void)s.catalog.touchAgent(
        call.principal.agentId, s.now(), QString::fromLatin1(call.request.header("X-Cairn-Version")));
    auto agent = s.catalog.agent(tenantOf(call), call.principal.agentId);
    if (!agent)
        return errorResponse(agent.error());
    auto tenant = s.catalog.tenant(tenantOf(call));
    if (!tenant)
        return errorResponse(tenant.error());
    QJsonObject out {{QStringLiteral("agent"), agentJson(*agent)},
        {QStringLiteral("tenant"),
            QJsonObject {{QStringLiteral("id"), tenant->id}, {QStringLiteral("name"), tenant->name},
                {QStringLiteral("time_zone"), tenant->timeZone}}},
        {QStringLiteral("repository"), QString::fromUtf8(tenant->repositoryConfig)}};
    auto policy = s.catalog.policy(tenantOf(call), call.principal.agentId);
    std::optional<Policy> current;
    if (policy)
        current = *policy;
    else if (policy.error().code != ErrorCode::NotFound)
        return errorResponse(policy.error());
    out.insert(QStringLiteral("policy"), current ? QJsonValue(policyJson(*current)) : QJsonValue());
    out.insert(QStringLiteral("schedule"),
        QJsonObject {{QStringLiteral("offset_seconds"), scheduleOffset(s.settings, tenant->id, agent->id)},
            {QStringLiteral("next_run"),
                nextRunJson(s.settings, current, tenant->timeZone, tenant->id, agent->id, s.now())}});
    return HttpResponse::json(200, out);
}

HttpResponse pendingJobs(ApiCall &call)
{
    (void)call.server.catalog.touchAgent(
        call.principal.agentId, call.server.now(), QString::fromLatin1(call.request.header("X-Cairn-Version")));
    auto jobs = call.server.catalog.pendingJobs(tenantOf(call), call.principal.agentId);
    if (!jobs)
        return errorResponse(jobs.error());
    QJsonArray items;
    for (const Job &j : *jobs)
        items.append(jobJson(j));
    return HttpResponse::json(200, QJsonObject {{QStringLiteral("items"), items}});
}

// The instant of an ISO 8601 date-time that names its zone ("Z" or "+09:00"); invalid otherwise.
QDateTime parseInstant(const QString &text)
{
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
        return QDateTime();
    return t.toUTC();
}

// The agent creates a job for itself: the run of a schedule slot (idempotent per slot), or a
// backup an administrator started on the machine.
HttpResponse createJob(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto kind = in.string(QStringLiteral("kind"), P::Required, 32);
    const auto trigger = in.string(QStringLiteral("trigger"), P::Required, 32);
    const auto scheduledAt = in.string(QStringLiteral("scheduled_at"), P::Optional, 64);
    if (kind && *kind != QLatin1String("backup"))
        in.fail(QStringLiteral("kind"), QStringLiteral("must be \"backup\" (restores are dispatched by operators)"));
    const bool scheduled = trigger && *trigger == QLatin1String("schedule");
    if (trigger && !scheduled && *trigger != QLatin1String("agent"))
        in.fail(QStringLiteral("trigger"), QStringLiteral("must be \"schedule\" or \"agent\""));
    const QDateTime now = call.server.now();
    QDateTime slot;
    if (scheduled) {
        if (!scheduledAt) {
            in.fail(QStringLiteral("scheduled_at"), QStringLiteral("is required for a scheduled job: the slot's time"));
        } else {
            slot = parseInstant(*scheduledAt);
            if (!slot.isValid())
                in.fail(QStringLiteral("scheduled_at"),
                    QStringLiteral("must be an ISO 8601 date-time with its zone, e.g. 2026-11-27T17:00:00Z"));
            else if (slot < now.addSecs(-kScheduleLookBackSeconds) || slot > now.addSecs(kScheduleLookAheadSeconds))
                in.fail(QStringLiteral("scheduled_at"),
                    QStringLiteral("must lie within the last 3 hours and at most 5 minutes ahead of the server's "
                                   "clock (%1); check the agent's clock")
                        .arg(isoTime(now)));
        }
    } else if (trigger && scheduledAt) {
        in.fail(QStringLiteral("scheduled_at"), QStringLiteral("is only for trigger \"schedule\""));
    }
    if (auto bad = in.finish())
        return *bad;
    // A full store takes no new backups (store/StoreCapacity.h).
    if (auto full = newBackupRefusal(call.server.store, call.server.catalog, now))
        return HttpResponse::error(507, QStringLiteral("store_full"), *full);

    Job job;
    job.tenantId = tenantOf(call);
    job.agentId = call.principal.agentId;
    job.kind = JobKind::Backup;
    job.state = JobState::Pending;
    if (scheduled) {
        auto policy = call.server.catalog.policy(job.tenantId, job.agentId);
        if (!policy && policy.error().code == ErrorCode::NotFound)
            return HttpResponse::error(409, QStringLiteral("no_policy"),
                QStringLiteral("this server has no backup policy, so it has no schedule"));
        if (!policy)
            return errorResponse(policy.error());
        job.scheduledAt = slot;
        auto added = call.server.catalog.addScheduledJob(job);
        if (!added)
            return errorResponse(added.error());
        return HttpResponse::json(added->created ? 201 : 200, jobJson(added->job));
    }
    job.scheduledAt = now;
    job.requestedBy = QStringLiteral("agent");
    auto added = call.server.catalog.addJob(job);
    if (!added)
        return errorResponse(added.error());
    call.audit(QStringLiteral("backup.now"), QStringLiteral("agent:%1").arg(job.agentId), job.tenantId,
        QJsonObject {{QStringLiteral("job"), added->id}, {QStringLiteral("trigger"), QStringLiteral("agent")}});
    return HttpResponse::json(201, jobJson(*added));
}

HttpResponse updateJob(ApiCall &call, const JobUpdate &update)
{
    auto job = call.server.catalog.updateJob(tenantOf(call), call.principal.agentId, update);
    if (!job)
        return errorResponse(job.error());
    return HttpResponse::json(200, jobJson(*job));
}

HttpResponse jobProgress(ApiCall &call)
{
    const auto id = call.idParam(QStringLiteral("job"));
    if (!id)
        return notFound(QStringLiteral("no such job"));
    JsonInput in(call.request.body);
    const auto progress = in.object(QStringLiteral("progress"), P::Required);
    if (auto bad = in.finish())
        return *bad;
    auto current = call.server.catalog.job(tenantOf(call), *id);
    if (!current || current->agentId != call.principal.agentId)
        return notFound(QStringLiteral("no such job"));
    if (isFinished(current->state))
        return HttpResponse::error(409, QStringLiteral("job_finished"),
            QStringLiteral("the job already finished as %1").arg(QLatin1String(jobStateName(current->state))));
    JobUpdate u;
    u.jobId = *id;
    u.state = JobState::Running;
    if (!current->startedAt)
        u.startedAt = call.server.now();
    // The first report starts a backup: not into a full store. The job fails with the reason (the
    // agent learns from the 409 of its next report that it is over); running ones go on.
    if (current->kind == JobKind::Backup && current->state == JobState::Pending) {
        if (auto full = newBackupRefusal(call.server.store, call.server.catalog, call.server.now())) {
            u.state = JobState::Failed;
            u.finishedAt = call.server.now();
            u.error = *full;
            auto failed = call.server.catalog.updateJob(tenantOf(call), call.principal.agentId, u);
            if (!failed)
                return errorResponse(failed.error());
            return HttpResponse::error(507, QStringLiteral("store_full"), *full);
        }
    }
    u.progress = *progress;
    return updateJob(call, u);
}

HttpResponse jobResult(ApiCall &call)
{
    const auto id = call.idParam(QStringLiteral("job"));
    if (!id)
        return notFound(QStringLiteral("no such job"));
    JsonInput in(call.request.body);
    const JobResultInput result = readJobResult(in);
    if (auto bad = in.finish())
        return *bad;
    const std::optional<QString> &snapshot = result.snapshot;
    auto current = call.server.catalog.job(tenantOf(call), *id);
    if (!current || current->agentId != call.principal.agentId)
        return notFound(QStringLiteral("no such job"));
    if (snapshot) {
        auto snap = call.server.catalog.snapshot(tenantOf(call), *SnapshotId::fromHex(*snapshot));
        if (!snap)
            return badRequest(QStringLiteral("snapshot: the snapshot is not committed"), QStringLiteral("snapshot"));
    }
    if (isFinished(current->state)) {
        // A result sent again after a lost answer gets the same answer; a different one conflicts.
        if (current->state == result.state && current->snapshotId == snapshot.value_or(QString()))
            return HttpResponse::json(200, jobJson(*current));
        return HttpResponse::error(409, QStringLiteral("job_finished"),
            QStringLiteral("the job already finished as %1").arg(QLatin1String(jobStateName(current->state))));
    }
    JobUpdate u;
    u.jobId = *id;
    u.state = result.state;
    if (!current->startedAt)
        u.startedAt = call.server.now();
    u.finishedAt = call.server.now();
    u.stats = result.stats;
    u.snapshotId = snapshot;
    u.error = result.error;
    HttpResponse answer = updateJob(call, u);
    if (current->kind == JobKind::Restore && answer.status == 200)
        settleRestoreTickets(call.server, tenantOf(call)); // a ticket's restore ended: the ticket follows
    return answer;
}

} // namespace

void addAgentJobRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/agent/config"), Access::Agent, 0, config});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/jobs"), Access::Agent, 0, pendingJobs});
    r.push_back({"POST", QStringLiteral("/api/v1/agent/jobs"), Access::Agent, kJsonLimit, createJob});
    r.push_back({"POST", QStringLiteral("/api/v1/agent/jobs/{job}/progress"), Access::Agent, kJsonLimit, jobProgress});
    r.push_back({"POST", QStringLiteral("/api/v1/agent/jobs/{job}/result"), Access::Agent, kJsonLimit, jobResult});
}

} // namespace cairn::server
