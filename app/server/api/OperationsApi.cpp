// Routes for service operations for operators: store capacity, garbage collection, verify runs, mail outbox.
// Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"
#include "api/JsonInput.h"
#include "store/StoreCapacity.h"

namespace cairn::server {

namespace {

// --- store capacity and verify runs

QJsonObject verifyRunJson(const VerifyRun &r)
{
    return QJsonObject {{QStringLiteral("id"), r.id},
        {QStringLiteral("tenant"), r.tenantId ? QJsonValue(*r.tenantId) : QJsonValue()},
        {QStringLiteral("state"), r.finishedAt ? QStringLiteral("finished") : QStringLiteral("running")},
        {QStringLiteral("started_at"), isoTime(r.startedAt)}, {QStringLiteral("finished_at"), isoTime(r.finishedAt)},
        {QStringLiteral("packs"), r.packs}, {QStringLiteral("bytes"), r.bytes}, {QStringLiteral("problems"), r.problems},
        {QStringLiteral("findings"), r.findings}, {QStringLiteral("requested_by"), r.requestedBy}};
}

HttpResponse capacity(ApiCall &call)
{
    auto c = checkStoreCapacity(call.server.store, call.server.catalog, call.server.now());
    if (!c)
        return errorResponse(c.error());
    return HttpResponse::json(200, c->toJson());
}

// POST /operator/verify {"tenant": ID | null}: queues a run; the verifier (ops/Verifier.h) starts
// on it within seconds.
HttpResponse requestVerify(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto tenant = in.integer(QStringLiteral("tenant"), JsonInput::Presence::Optional, 1,
        std::numeric_limits<qint64>::max() / 2);
    if (auto bad = in.finish())
        return *bad;
    VerifyRun run;
    run.tenantId = tenant;
    run.startedAt = call.server.now();
    run.requestedBy = QStringLiteral("operator:%1").arg(call.principal.userId);
    auto added = call.server.catalog.addVerifyRun(run);
    if (!added)
        return added.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such tenant"))
                                                         : errorResponse(added.error());
    call.audit(QStringLiteral("verify.request"), QStringLiteral("verify:%1").arg(added->id), added->tenantId);
    return HttpResponse::json(202, verifyRunJson(*added));
}

HttpResponse listVerifyRuns(ApiCall &call)
{
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    auto runs = call.server.catalog.verifyRuns(std::get<PageRequest>(page));
    if (!runs)
        return errorResponse(runs.error());
    return HttpResponse::json(200, pageJson<VerifyRun>(*runs, verifyRunJson));
}

HttpResponse getVerifyRun(ApiCall &call)
{
    const auto id = call.idParam(QStringLiteral("run"));
    if (!id)
        return notFound(QStringLiteral("no such verify run"));
    auto run = call.server.catalog.verifyRun(*id);
    if (!run)
        return run.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such verify run"))
                                                       : errorResponse(run.error());
    return HttpResponse::json(200, verifyRunJson(*run));
}

void addCapacityAndVerifyRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/operator/capacity"), Access::Operator, 0, capacity});
    r.push_back({"POST", QStringLiteral("/api/v1/operator/verify"), Access::Operator, 4096, requestVerify});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/verify"), Access::Operator, 0, listVerifyRuns});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/verify/{run}"), Access::Operator, 0, getVerifyRun});
}

// --- mail outbox

QJsonObject outboxMailJson(const OutboxMail &m)
{
    return QJsonObject {{QStringLiteral("id"), m.id},
        {QStringLiteral("tenant"), m.tenantId ? QJsonValue(*m.tenantId) : QJsonValue()},
        {QStringLiteral("kind"), m.kind}, {QStringLiteral("recipient"), m.recipient},
        {QStringLiteral("subject"), m.subject}, {QStringLiteral("state"), QLatin1String(mailStateName(m.state))},
        {QStringLiteral("created_at"), isoTime(m.createdAt)}, {QStringLiteral("attempts"), m.attempts},
        {QStringLiteral("next_attempt_at"), m.state == MailState::Queued ? QJsonValue(isoTime(m.nextAttemptAt)) : QJsonValue()},
        {QStringLiteral("sent_at"), isoTime(m.sentAt)}, {QStringLiteral("last_error"), m.lastError}};
}

// GET /operator/mail?state=queued|sent|failed&tenant=ID&limit=N&before=ID: the outbox, newest first.
HttpResponse listMail(ApiCall &call)
{
    std::optional<MailState> state;
    if (call.request.query.hasQueryItem(QStringLiteral("state"))) {
        state = mailStateFromName(call.request.query.queryItemValue(QStringLiteral("state")));
        if (!state)
            return badRequest(QStringLiteral("state must be queued, sent or failed"), QStringLiteral("state"));
    }
    std::optional<qint64> tenant;
    if (call.request.query.hasQueryItem(QStringLiteral("tenant"))) {
        auto t = call.tenant();
        if (auto *bad = std::get_if<HttpResponse>(&t))
            return *bad;
        tenant = std::get<qint64>(t);
    }
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    auto rows = call.server.catalog.outbox(tenant, state, std::get<PageRequest>(page));
    if (!rows)
        return errorResponse(rows.error());
    return HttpResponse::json(200, pageJson<OutboxMail>(*rows, outboxMailJson));
}

void addMailRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/operator/mail"), Access::Operator, 0, listMail});
}

} // namespace

void addOperationsRoutes(std::vector<Route> &routes)
{
    addCapacityAndVerifyRoutes(routes);
    addMailRoutes(routes);
}

} // namespace cairn::server
