// Console routes about protected servers (agents): the list, rename, remove, the backup policy
// (get, set, copy to other servers), "back up now", and the job history.
#include "api/Api.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;

bool isAbsolutePath(const QString &p)
{
    static const QRegularExpression windows(QStringLiteral("^[A-Za-z]:[\\\\/]"));
    return p.startsWith(QLatin1Char('/')) || windows.match(p).hasMatch();
}

HttpResponse listServers(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto agents = call.server.catalog.agents(tenant);
    if (!agents)
        return errorResponse(agents.error());
    QJsonArray items;
    for (const Agent &a : *agents) {
        QJsonObject o = agentJson(a);
        JobFilter f;
        f.tenantId = tenant;
        f.agentId = a.id;
        f.page.limit = 1;
        auto last = call.server.catalog.jobs(f);
        if (last && !last->items.isEmpty())
            o.insert(QStringLiteral("last_job"), jobJson(last->items.first()));
        items.append(o);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
}

HttpResponse getServer(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    return HttpResponse::json(200, agentJson(agent));
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
    Policy p;
    const auto paths = in.stringList(QStringLiteral("paths"), P::Required, 100, 4096);
    const auto excludes = in.stringList(QStringLiteral("excludes"), P::Optional, 200, 1024);
    const auto oneFs = in.boolean(QStringLiteral("one_file_system"), P::Optional);
    const auto interval = in.integer(QStringLiteral("interval_days"), P::Required, 1, 7);
    const auto weekday = in.integer(QStringLiteral("weekday"), P::Optional, 1, 7);
    const auto hour = in.integer(QStringLiteral("hour"), P::Required, 0, 23);
    const auto retention = in.integer(QStringLiteral("retention_days"), P::Required, 7, 30);
    if (paths) {
        if (paths->isEmpty())
            in.fail(QStringLiteral("paths"), QStringLiteral("must name at least one path"));
        for (const QString &path : *paths) {
            if (!isAbsolutePath(path) || path.contains(QChar(0)))
                in.fail(QStringLiteral("paths"), QStringLiteral("\"%1\" is not an absolute path").arg(path));
            p.paths.append(path.toUtf8());
        }
    }
    if (interval && *interval != 1 && *interval != 7)
        in.fail(QStringLiteral("interval_days"), QStringLiteral("must be 1 (daily) or 7 (weekly), not %1").arg(*interval));
    if (retention && *retention != 7 && *retention != 14 && *retention != 21 && *retention != 30)
        in.fail(QStringLiteral("retention_days"), QStringLiteral("must be 7, 14, 21 or 30, not %1").arg(*retention));
    if (interval && *interval == 7 && !weekday)
        in.fail(QStringLiteral("weekday"), QStringLiteral("is required for a weekly policy (1 = Monday … 7 = Sunday)"));
    if (auto bad = in.finish())
        return *bad;
    p.excludes = excludes.value_or(QStringList());
    p.oneFileSystem = oneFs.value_or(true);
    p.intervalDays = int(*interval);
    p.weekday = int(weekday.value_or(1));
    p.hour = int(*hour);
    p.retentionDays = int(*retention);
    p.updatedAt = call.server.now();
    if (Status s = call.server.catalog.setPolicy(tenant, agent.id, p); !s.ok())
        return errorResponse(s.error());
    call.audit(QStringLiteral("policy.set"), QStringLiteral("agent:%1").arg(agent.id), tenant, policyJson(p));
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
    call.audit(QStringLiteral("policy.copy"), QStringLiteral("agent:%1").arg(agent.id), tenant,
               QJsonObject{{QStringLiteral("to"), done}});
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("copied_to"), done}});
}

HttpResponse backupNow(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_AGENT_OR_RETURN(agent, call, tenant);
    JsonInput in(call.request.body);
    if (auto bad = in.finish())
        return *bad;
    Job job;
    job.tenantId = tenant;
    job.agentId = agent.id;
    job.kind = JobKind::Backup;
    job.state = JobState::Pending;
    job.scheduledAt = call.server.now();
    job.requestedBy = QStringLiteral("%1:%2").arg(call.principal.isOperator() ? QStringLiteral("operator") : QStringLiteral("user"))
                          .arg(call.principal.userId);
    auto added = call.server.catalog.addJob(job);
    if (!added)
        return errorResponse(added.error());
    call.audit(QStringLiteral("backup.now"), QStringLiteral("agent:%1").arg(agent.id), tenant,
               QJsonObject{{QStringLiteral("job"), added->id}});
    return HttpResponse::json(201, jobJson(*added));
}

std::optional<QDateTime> parseTime(JsonInput &in, const QUrlQuery &q, const QString &name)
{
    if (!q.hasQueryItem(name))
        return std::nullopt;
    const QDateTime t = QDateTime::fromString(q.queryItemValue(name), Qt::ISODate);
    if (!t.isValid()) {
        in.fail(name, QStringLiteral("must be an ISO 8601 date or time"));
        return std::nullopt;
    }
    return t.toUTC();
}

HttpResponse listJobs(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const QUrlQuery &q = call.request.query;
    auto page = pageRequest(q);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    JobFilter f;
    f.tenantId = tenant;
    f.page = std::get<PageRequest>(page);
    JsonInput in(QJsonObject{});
    if (q.hasQueryItem(QStringLiteral("server"))) {
        bool ok = false;
        const qint64 id = q.queryItemValue(QStringLiteral("server")).toLongLong(&ok);
        if (!ok || id < 1)
            return badRequest(QStringLiteral("server must be a server id"), QStringLiteral("server"));
        auto agent = call.server.catalog.agent(tenant, id);
        if (!agent)
            return agent.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such server")) : errorResponse(agent.error());
        f.agentId = id;
    }
    if (q.hasQueryItem(QStringLiteral("status"))) {
        f.state = jobStateFromName(q.queryItemValue(QStringLiteral("status")));
        if (!f.state)
            return badRequest(QStringLiteral("status must be pending, running, succeeded, warning, failed, missed or cancelled"),
                              QStringLiteral("status"));
    }
    f.from = parseTime(in, q, QStringLiteral("from"));
    f.to = parseTime(in, q, QStringLiteral("to"));
    if (auto bad = in.finish())
        return *bad;
    auto jobs = call.server.catalog.jobs(f);
    if (!jobs)
        return errorResponse(jobs.error());
    return HttpResponse::json(200, pageJson<Job>(*jobs, jobJson));
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
    r.push_back({"GET", QStringLiteral("/api/v1/jobs"), Access::User, 0, listJobs});
    r.push_back({"GET", QStringLiteral("/api/v1/jobs/{job}"), Access::User, 0, getJob});
}

} // namespace cairn::server
