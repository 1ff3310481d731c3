#include "api/ApiApplication.h"

#include "api/Credentials.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcApi, "cairn.api")

namespace cairn::server {

namespace {

bool segmentsMatch(const QStringList &pattern, const QStringList &path, QHash<QString, QString> *params)
{
    if (pattern.size() != path.size())
        return false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &p = pattern[i];
        if (p.startsWith(QLatin1Char('{')) && p.endsWith(QLatin1Char('}'))) {
            if (path[i].isEmpty())
                return false;
            if (params)
                params->insert(p.mid(1, p.size() - 2), path[i]);
        } else if (p != path[i]) {
            return false;
        }
    }
    return true;
}

constexpr qint64 kSmallBody = 1 << 20;

QByteArray bearerToken(const HttpRequestHead &request)
{
    const QByteArray auth = request.header("Authorization").trimmed();
    if (auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    return QByteArray();
}

HttpResponse unauthorized(const QString &message)
{
    return HttpResponse::error(401, QStringLiteral("unauthorized"), message).withHeader("WWW-Authenticate", "Bearer");
}

} // namespace

ApiApplication::ApiApplication(ServerContext &context) : m_context(context), m_routes(apiRoutes()) {}

ApiApplication::Match ApiApplication::match(const QByteArray &method, const QString &path) const
{
    Match m;
    const QByteArray effective = method == "HEAD" ? QByteArray("GET") : method;
    const QStringList segments = path.split(QLatin1Char('/'));
    QByteArrayList allowed;
    for (const Route &r : m_routes) {
        const QStringList pattern = r.pattern.split(QLatin1Char('/'));
        if (!segmentsMatch(pattern, segments, nullptr))
            continue;
        if (r.method == effective) {
            m.route = &r;
            segmentsMatch(pattern, segments, &m.params);
            return m;
        }
        allowed.append(r.method);
        if (r.method == "GET")
            allowed.append("HEAD");
    }
    m.allowed = allowed.join(", ");
    return m;
}

HttpApplication::Screening ApiApplication::screen(const HttpRequestHead &head) const
{
    Screening s;
    const Match m = match(head.method, head.path);
    if (m.route) {
        s.maxBody = m.route->maxBody;
        // Large bodies (packs) reserve memory while they arrive: only a known agent may start one.
        // One indexed read of the catalog (WAL readers never wait for writers), on this thread.
        if (m.route->access == Access::Agent && m.route->maxBody > kSmallBody) {
            const QByteArray token = bearerToken(head);
            if (!token.startsWith("ca_"))
                s.reject = unauthorized(QStringLiteral("this endpoint needs an agent token"));
            else if (auto agent = m_context.catalog.agentByTokenHash(tokenHash(token)); !agent)
                s.reject = agent.error().code == ErrorCode::NotFound
                               ? unauthorized(QStringLiteral("unknown or revoked agent token"))
                               : errorResponse(Error(ErrorCode::Transient, agent.error().message));
        }
        return s;
    }
    if (!m.allowed.isEmpty()) {
        s.reject = HttpResponse::error(405, QStringLiteral("method_not_allowed"),
                                       QStringLiteral("%1 is not allowed on %2; allowed: %3")
                                           .arg(QString::fromLatin1(head.method), head.path,
                                                QString::fromLatin1(m.allowed)))
                       .withHeader("Allow", m.allowed);
    } else {
        s.reject = notFound(QStringLiteral("no such endpoint: %1").arg(head.path));
    }
    return s;
}

std::variant<Principal, HttpResponse> ApiApplication::authenticate(const HttpRequest &request, Access access)
{
    Principal p;
    if (access == Access::Public)
        return p;
    const QByteArray token = bearerToken(request);
    if (token.isEmpty())
        return unauthorized(QStringLiteral("this endpoint needs an Authorization: Bearer token"));
    const bool agentToken = token.startsWith("ca_");
    if (access == Access::Agent) {
        if (!agentToken)
            return unauthorized(QStringLiteral("this endpoint needs an agent token"));
        auto agent = m_context.catalog.agentByTokenHash(tokenHash(token));
        if (!agent) {
            if (agent.error().code == ErrorCode::NotFound)
                return unauthorized(QStringLiteral("unknown or revoked agent token"));
            return errorResponse(agent.error());
        }
        p.kind = Principal::Kind::Agent;
        p.tenantId = agent->tenantId;
        p.agentId = agent->id;
        return p;
    }
    if (!token.startsWith("cs_"))
        return unauthorized(QStringLiteral("this endpoint needs a user session; agents may not call it"));
    const QByteArray hash = tokenHash(token);
    auto session = m_context.catalog.sessionByTokenHash(hash, m_context.now());
    if (!session) {
        if (session.error().code == ErrorCode::NotFound)
            return unauthorized(QStringLiteral("the session is unknown or has expired; log in again"));
        return errorResponse(session.error());
    }
    auto user = m_context.catalog.user(session->userId);
    if (!user)
        return user.error().code == ErrorCode::NotFound ? unauthorized(QStringLiteral("the session's user no longer exists"))
                                                        : errorResponse(user.error());
    if (user->disabled)
        return unauthorized(QStringLiteral("this user is disabled"));
    p.kind = Principal::Kind::User;
    p.tenantId = user->tenantId;
    p.userId = user->id;
    p.role = user->role;
    p.login = user->login;
    p.sessionTokenHash = hash;
    if (access == Access::Operator && user->role != Role::Operator)
        return forbidden(QStringLiteral("only operators may do this"));
    if (access == Access::TenantAdmin && user->role == Role::Member)
        return forbidden(QStringLiteral("only tenant administrators and operators may do this"));
    return p;
}

HttpResponse ApiApplication::handle(const HttpRequest &request)
{
    Match m = match(request.method, request.path);
    if (!m.route) // the front end screened the head; the table cannot have changed
        return notFound(QStringLiteral("no such endpoint: %1").arg(request.path));
    auto auth = authenticate(request, m.route->access);
    if (auto *response = std::get_if<HttpResponse>(&auth))
        return *response;
    ApiCall call{request, std::move(m.params), std::get<Principal>(auth), m_context};
    HttpResponse response = m.route->handler(call);
    if (response.status >= 500)
        qCWarning(lcApi).noquote() << request.method << request.path << "failed:" << response.body.left(300);
    return response;
}

} // namespace cairn::server
