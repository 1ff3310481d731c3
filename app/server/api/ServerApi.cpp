// Console routes about protected servers (agents): the list, rename, remove, the backup policy
// (get, set, copy to other servers), "back up now", restores dispatched by operators, and the job
// history with cancelling. Handlers run on the HTTP worker threads.
#include "api/Api.h"
#include "api/JobListing.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "api/BodyReaders.h"
#include "api/RestoreDispatch.h"
#include "api/ScheduleViews.h"

#include "base/Id.h"

#include <QJsonArray>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;

// "user:<id>" or "operator:<id>": who asked, as jobs and audit details name people.
QString requester(const ApiCall &call)
{
    return QStringLiteral("%1:%2")
        .arg(call.principal.isOperator() ? QStringLiteral("operator") : QStringLiteral("user"))
        .arg(call.principal.userId);
}

// The server's view with its next scheduled run (null without a policy).
QJsonObject serverJson(ApiCall &call, const Tenant &tenant, const Agent &agent, const std::optional<Policy> &policy)
{
    QJsonObject o = agentJson(agent);
    o.insert(QStringLiteral("next_run"),
             nextRunJson(call.server.settings, policy, tenant.timeZone, tenant.id, agent.id, call.server.now()));
    return o;
}

// Four statements whatever the number of servers: servers, policies, latest jobs, the tenant.
HttpResponse listServers(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto agents = call.server.catalog.agents(tenant);
    if (!agents)
        return errorResponse(agents.error());
    auto settings = call.server.catalog.tenant(tenant);
    if (!settings)
        return errorResponse(settings.error());
    auto policies = call.server.catalog.policies(tenant);
    if (!policies)
        return errorResponse(policies.error());
    auto latest = call.server.catalog.latestJobs(tenant, Catalog::LatestJob::Any);
    if (!latest)
        return errorResponse(latest.error());
    QJsonArray items;
    for (const Agent &a : *agents) {
        const auto policy = policies->constFind(a.id);
        QJsonObject o = serverJson(call, *settings, a,
                                   policy == policies->constEnd() ? std::nullopt : std::optional<Policy>(*policy));
        if (const auto last = latest->constFind(a.id); last != latest->constEnd())
            o.insert(QStringLiteral("last_job"), jobJson(*last));
        items.append(o);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
}

HttpResponse getServer(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    auto settings = call.server.catalog.tenant(tenant);
    if (!settings)
        return errorResponse(settings.error());
    auto policy = call.server.catalog.policy(tenant, agent.id);
    std::optional<Policy> current;
    if (policy)
        current = *policy;
    else if (policy.error().code != ErrorCode::NotFound)
        return errorResponse(policy.error());
    return HttpResponse::json(200, serverJson(call, *settings, agent, current));
}

HttpResponse renameServer(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    const auto name = in.string(QStringLiteral("name"), P::Required, 200);
    if (name && name->trimmed().isEmpty())
        in.fail(QStringLiteral("name"), QStringLiteral("must not be empty"));
    if (auto bad = in.finish())
        return *bad;
    if (Status s = call.server.catalog.renameAgent(tenant, agent.id, name->trimmed()); !s.ok())
        return errorResponse(s.error());
    call.audit(QStringLiteral("server.rename"), QStringLiteral("agent:%1").arg(agent.id), tenant,
               QJsonObject{{QStringLiteral("from"), agent.name}, {QStringLiteral("to"), name->trimmed()}});
    agent.name = name->trimmed();
    return HttpResponse::json(200, agentJson(agent));
}

HttpResponse removeServer(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    if (Status s = call.server.catalog.removeAgent(tenant, agent.id, call.server.now()); !s.ok())
        return errorResponse(s.error());
    call.audit(QStringLiteral("server.remove"), QStringLiteral("agent:%1").arg(agent.id), tenant,
               QJsonObject{{QStringLiteral("name"), agent.name}});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("removed"), agent.id}});
}

HttpResponse getPolicy(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    auto policy = call.server.catalog.policy(tenant, agent.id);
    if (!policy) {
        if (policy.error().code == ErrorCode::NotFound)
            return notFound(QStringLiteral("this server has no policy yet"));
        return errorResponse(policy.error());
    }
    return HttpResponse::json(200, policyJson(*policy));
}

HttpResponse setPolicy(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    Policy p = readPolicy(in);
    if (auto bad = in.finish())
        return *bad;
    p.updatedAt = call.server.now();
    if (Status s = call.server.catalog.setPolicy(tenant, agent.id, p); !s.ok())
        return errorResponse(s.error());
    call.audit(QStringLiteral("policy.set"), QStringLiteral("agent:%1").arg(agent.id), tenant, policyJson(p));
    // Commands run as root on the server: an entry of their own, easy to find and review.
    if (!p.preCommand.isEmpty() || !p.postCommand.isEmpty())
        call.audit(QStringLiteral("policy.commands"), QStringLiteral("agent:%1").arg(agent.id), tenant,
                   QJsonObject{{QStringLiteral("pre_command"), p.preCommand},
                               {QStringLiteral("post_command"), p.postCommand},
                               {QStringLiteral("runs_as"), QStringLiteral("root")}});
    return HttpResponse::json(200, policyJson(p));
}

HttpResponse copyPolicy(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    const auto targets = in.array(QStringLiteral("servers"), P::Required, 1000);
    QList<qint64> ids;
    if (targets) {
        for (const QJsonValue &v : *targets) {
            const double d = v.toDouble(-1);
            if (!v.isDouble() || d < 1 || d != qint64(d))
                in.fail(QStringLiteral("servers"), QStringLiteral("must be an array of server ids"));
            else
                ids.append(qint64(d));
        }
        if (ids.isEmpty())
            in.fail(QStringLiteral("servers"), QStringLiteral("must name at least one server"));
    }
    if (auto bad = in.finish())
        return *bad;
    auto policy = call.server.catalog.policy(tenant, agent.id);
    if (!policy)
        return policy.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("this server has no policy to copy"))
                                                          : errorResponse(policy.error());
    // Check every target first: all or nothing.
    for (qint64 id : ids) {
        auto target = call.server.catalog.agent(tenant, id);
        if (!target)
            return target.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such server: %1").arg(id))
                                                              : errorResponse(target.error());
        if (target->removedAt)
            return notFound(QStringLiteral("no such server: %1 (it was removed)").arg(id));
    }
    Policy copy = *policy;
    copy.updatedAt = call.server.now();
    QJsonArray done;
    for (qint64 id : ids) {
        if (Status s = call.server.catalog.setPolicy(tenant, id, copy); !s.ok())
            return errorResponse(s.error());
        done.append(id);
    }
    QJsonObject detail{{QStringLiteral("to"), done}};
    if (!copy.preCommand.isEmpty() || !copy.postCommand.isEmpty()) { // now run as root on these servers too
        detail.insert(QStringLiteral("pre_command"), copy.preCommand);
        detail.insert(QStringLiteral("post_command"), copy.postCommand);
    }
    call.audit(QStringLiteral("policy.copy"), QStringLiteral("agent:%1").arg(agent.id), tenant, detail);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("copied_to"), done}});
}

// A job for server `agent` that waits for it, requested now by the caller.
Job pendingJob(const ApiCall &call, qint64 tenant, qint64 agent, JobKind kind)
{
    Job job;
    job.tenantId = tenant;
    job.agentId = agent;
    job.kind = kind;
    job.state = JobState::Pending;
    job.scheduledAt = call.server.now();
    job.requestedBy = requester(call);
    return job;
}

HttpResponse backupNow(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    if (auto bad = in.finish())
        return *bad;
    Job job = pendingJob(call, tenant, agent.id, JobKind::Backup);
    auto added = call.server.catalog.addJob(job);
    if (!added)
        return errorResponse(added.error());
    call.audit(QStringLiteral("backup.now"), QStringLiteral("agent:%1").arg(agent.id), tenant,
               QJsonObject{{QStringLiteral("job"), added->id}});
    return HttpResponse::json(201, jobJson(*added));
}

// A restore of one of the tenant's snapshots (taken on any of its servers) onto server {agent}.
HttpResponse dispatchRestore(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    const RestoreSpec spec = readRestoreSpec(in);
    if (auto bad = in.finish())
        return *bad;
    auto snap = restoreSnapshot(call.server, tenant, spec);
    if (auto *bad = std::get_if<HttpResponse>(&snap))
        return *bad;
    const Job job = restoreJob(call.server, tenant, agent.id, spec, requester(call));
    auto added = call.server.catalog.addJob(job);
    if (!added)
        return errorResponse(added.error());
    QJsonObject detail = job.spec;
    detail.insert(QStringLiteral("job"), added->id);
    detail.insert(QStringLiteral("snapshot_server"), std::get<SnapshotRecord>(snap).agentId);
    call.audit(QStringLiteral("restore.dispatch"), QStringLiteral("agent:%1").arg(agent.id), tenant, detail);
    return HttpResponse::json(201, jobJson(*added));
}

HttpResponse getJob(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const auto id = call.idParam(QStringLiteral("job"));
    if (!id)
        return notFound(QStringLiteral("no such job"));
    auto job = call.server.catalog.job(tenant, *id);
    if (!job)
        return job.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such job")) : errorResponse(job.error());
    return HttpResponse::json(200, jobJson(*job));
}

HttpResponse cancelJob(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const auto id = call.idParam(QStringLiteral("job"));
    if (!id)
        return notFound(QStringLiteral("no such job"));
    JsonInput in(call.request.body);
    if (auto bad = in.finish())
        return *bad;
    auto before = call.server.catalog.job(tenant, *id);
    if (!before)
        return before.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such job"))
                                                          : errorResponse(before.error());
    const auto finished = [](JobState state) {
        return HttpResponse::error(409, QStringLiteral("job_finished"),
                                   QStringLiteral("the job already finished as %1").arg(QLatin1String(jobStateName(state))));
    };
    if (isFinished(before->state))
        return finished(before->state);
    auto job = call.server.catalog.requestCancel(tenant, *id, requester(call), call.server.now());
    if (!job) {
        if (job.error().code == ErrorCode::InvalidArgument) { // it finished meanwhile
            auto now = call.server.catalog.job(tenant, *id);
            return finished(now ? now->state : JobState::Cancelled);
        }
        return job.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such job")) : errorResponse(job.error());
    }
    call.audit(QStringLiteral("job.cancel"), QStringLiteral("job:%1").arg(*id), tenant,
               QJsonObject{{QStringLiteral("server"), job->agentId},
                           {QStringLiteral("from"), QLatin1String(jobStateName(before->state))},
                           {QStringLiteral("to"), QLatin1String(jobStateName(job->state))}});
    return HttpResponse::json(200, jobJson(*job));
}

} // namespace

void addServerRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/servers"), Access::User, 0, listServers});
    r.push_back({"GET", QStringLiteral("/api/v1/servers/{agent}"), Access::User, 0, getServer});
    r.push_back({"PATCH", QStringLiteral("/api/v1/servers/{agent}"), Access::TenantAdmin, kJsonLimit, renameServer});
    r.push_back({"DELETE", QStringLiteral("/api/v1/servers/{agent}"), Access::TenantAdmin, 0, removeServer});
    r.push_back({"GET", QStringLiteral("/api/v1/servers/{agent}/policy"), Access::User, 0, getPolicy});
    r.push_back({"PUT", QStringLiteral("/api/v1/servers/{agent}/policy"), Access::TenantAdmin, kJsonLimit, setPolicy});
    r.push_back({"POST", QStringLiteral("/api/v1/servers/{agent}/policy/copy"), Access::TenantAdmin, kJsonLimit, copyPolicy});
    r.push_back({"POST", QStringLiteral("/api/v1/servers/{agent}/backup"), Access::User, kJsonLimit, backupNow});
    r.push_back({"POST", QStringLiteral("/api/v1/servers/{agent}/restore"), Access::Operator, kJsonLimit, dispatchRestore});
    r.push_back({"GET", QStringLiteral("/api/v1/jobs"), Access::User, 0, listJobs});
    r.push_back({"GET", QStringLiteral("/api/v1/jobs/{job}"), Access::User, 0, getJob});
    r.push_back({"POST", QStringLiteral("/api/v1/jobs/{job}/cancel"), Access::User, kJsonLimit, cancelJob});
}

} // namespace cairn::server
