// Shared pieces of the API: the route table and the answers every handler uses.
#include "api/Api.h"

#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcAudit, "cairn.audit")

namespace cairn::server {

const std::vector<Route> &apiRoutes()
{
    static const std::vector<Route> routes = [] {
        std::vector<Route> r;
        addPublicRoutes(r);
        addAgentRoutes(r);
        addServerRoutes(r);
        addSnapshotRoutes(r);
        addAdminRoutes(r);
        addTicketRoutes(r);
        addBillingRoutes(r);
        addOperationsRoutes(r);
        addConsoleRoutes(r);
        return r;
    }();
    return routes;
}

std::variant<qint64, HttpResponse> ApiCall::tenant() const
{
    const QString requested = request.query.queryItemValue(QStringLiteral("tenant"));
    if (principal.kind == Principal::Kind::Agent)
        return *principal.tenantId;
    if (principal.isOperator()) {
        if (requested.isEmpty())
            return badRequest(QStringLiteral("operators must name the tenant with ?tenant=ID"), QStringLiteral("tenant"));
        bool ok = false;
        const qint64 id = requested.toLongLong(&ok);
        if (!ok || id <= 0)
            return badRequest(QStringLiteral("tenant must be a positive integer"), QStringLiteral("tenant"));
        auto t = server.catalog.tenant(id);
        if (!t)
            return errorResponse(t.error());
        return id;
    }
    if (!principal.tenantId)
        return forbidden(QStringLiteral("this user belongs to no tenant"));
    if (!requested.isEmpty() && requested != QString::number(*principal.tenantId))
        return forbidden(QStringLiteral("you may only act on your own tenant"));
    return *principal.tenantId;
}

QString ApiCall::peer() const
{
    if (server.settings.trustedProxies.contains(request.peer)) {
        const QByteArrayList hops = request.header("X-Forwarded-For").split(',');
        const QHostAddress client(QString::fromLatin1(hops.last().trimmed()));
        if (!client.isNull())
            return client.toString();
    }
    return request.peer.toString();
}

std::optional<qint64> ApiCall::idParam(const QString &name) const
{
    bool ok = false;
    const qint64 id = params.value(name).toLongLong(&ok);
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}

void ApiCall::audit(const QString &action, const QString &object, std::optional<qint64> tenantId,
                    const QJsonObject &detail) const
{
    AuditEntry e;
    e.at = server.now();
    e.tenantId = tenantId;
    if (principal.kind == Principal::Kind::User)
        e.userId = principal.userId;
    if (principal.kind == Principal::Kind::Agent)
        e.agentId = principal.agentId;
    e.action = action;
    e.object = object;
    e.detail = detail;
    e.peer = peer();
    if (Status s = server.catalog.addAudit(e); !s.ok())
        qCWarning(lcAudit).noquote() << "could not record" << action << object << ":" << s.error().message;
}

std::variant<Agent, HttpResponse> pathAgent(ApiCall &call, qint64 tenant)
{
    const auto id = call.idParam(QStringLiteral("agent"));
    if (!id)
        return notFound(QStringLiteral("no such server"));
    auto agent = call.server.catalog.agent(tenant, *id);
    if (!agent)
        return agent.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such server")) : errorResponse(agent.error());
    if (agent->removedAt) // its history stays visible through /jobs and /snapshots
        return notFound(QStringLiteral("no such server (it was removed)"));
    return *agent;
}

HttpResponse errorResponse(const Error &error)
{
    int status = 500;
    switch (error.code) {
    case ErrorCode::NotFound: status = 404; break;
    case ErrorCode::InvalidArgument: status = 400; break;
    // Handlers answer bad client data (a damaged upload) themselves; a Corrupt error reaching
    // here is damage on the server's side (a tree, a key, a catalog row).
    case ErrorCode::Corrupt: status = 500; break;
    case ErrorCode::PermissionDenied: status = 403; break;
    case ErrorCode::Unsupported: status = 400; break;
    case ErrorCode::Transient: status = 503; break;
    case ErrorCode::Cancelled: status = 503; break;
    case ErrorCode::WrongPassphrase: status = 401; break;
    case ErrorCode::Permanent:
    case ErrorCode::Io: status = 500; break;
    }
    HttpResponse r = HttpResponse::error(status, QString::fromLatin1(errorCodeName(error.code)), error.message);
    if (status == 503)
        r.withHeader("Retry-After", "2");
    return r;
}

HttpResponse notFound(const QString &what)
{
    return HttpResponse::error(404, QStringLiteral("not_found"), what);
}

HttpResponse forbidden(const QString &why)
{
    return HttpResponse::error(403, QStringLiteral("forbidden"), why);
}

HttpResponse badRequest(const QString &message, const QString &field)
{
    return HttpResponse::error(400, field.isEmpty() ? QStringLiteral("bad_request") : QStringLiteral("invalid_field"),
                               message, field);
}

QString isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonValue isoTime(const std::optional<QDateTime> &t)
{
    return t && t->isValid() ? QJsonValue(isoTime(*t)) : QJsonValue();
}

bool isAbsolutePath(const QString &p)
{
    static const QRegularExpression windows(QStringLiteral("^[A-Za-z]:[\\\\/]"));
    return p.startsWith(QLatin1Char('/')) || windows.match(p).hasMatch();
}

std::variant<PageRequest, HttpResponse> pageRequest(const QUrlQuery &query)
{
    PageRequest page;
    if (query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 500)
            return badRequest(QStringLiteral("limit must be between 1 and 500"), QStringLiteral("limit"));
        page.limit = limit;
    }
    if (query.hasQueryItem(QStringLiteral("before"))) {
        bool ok = false;
        const qint64 before = query.queryItemValue(QStringLiteral("before")).toLongLong(&ok);
        if (!ok || before < 1)
            return badRequest(QStringLiteral("before must be a positive integer"), QStringLiteral("before"));
        page.beforeId = before;
    }
    return page;
}

} // namespace cairn::server
