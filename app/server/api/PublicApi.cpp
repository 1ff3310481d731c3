// Routes without an account: health, the TLS trust anchor, agent enrollment, and the session
// endpoints (login, logout, me).
#include "api/Api.h"
#include "api/Credentials.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "store/StoreCapacity.h"

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;

HttpResponse health(ApiCall &call)
{
    // The store's level only ("ok", "warning", "full"; "unknown" if unreadable): the figures are
    // for operators (GET /operator/capacity).
    auto raw = call.server.store.capacity();
    const QString store = raw ? QLatin1String(capacityLevelName(StoreCapacity::of(raw->first, raw->second).level))
                              : QStringLiteral("unknown");
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                               {QStringLiteral("version"), QStringLiteral(CAIRN_VERSION)},
                                               {QStringLiteral("store"), store}});
}

HttpResponse trustAnchor(ApiCall &call)
{
    if (call.server.settings.trustAnchorPem.isEmpty())
        return notFound(QStringLiteral("this server is not serving TLS itself"));
    return HttpResponse::bytes(200, call.server.settings.trustAnchorPem, "application/x-pem-file")
        .withHeader("X-Cairn-Fingerprint", call.server.settings.trustFingerprint.toLatin1());
}

HttpResponse enroll(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto code = in.string(QStringLiteral("code"), P::Required, 64);
    const auto hostname = in.string(QStringLiteral("hostname"), P::Required, 255);
    const auto os = in.string(QStringLiteral("os"), P::Optional, 255);
    const auto version = in.string(QStringLiteral("version"), P::Optional, 64);
    const auto kernel = in.string(QStringLiteral("kernel"), P::Optional, 200);
    const auto architecture = in.string(QStringLiteral("architecture"), P::Optional, 200);
    if (hostname && hostname->trimmed().isEmpty())
        in.fail(QStringLiteral("hostname"), QStringLiteral("must not be empty"));
    if (auto bad = in.finish())
        return *bad;
    Agent agent;
    agent.hostname = hostname->trimmed();
    agent.name = agent.hostname;
    agent.os = os.value_or(QString());
    agent.version = version.value_or(QString());
    agent.kernel = kernel.value_or(QString());
    agent.architecture = architecture.value_or(QString());
    const QByteArray token = newToken(TokenKind::Agent);
    agent.tokenHash = tokenHash(token);
    auto enrolled = call.server.catalog.enrollAgent(tokenHash(normalizeEnrollmentCode(*code)), agent, call.server.now());
    if (!enrolled) {
        if (enrolled.error().code == ErrorCode::NotFound)
            return HttpResponse::error(403, QStringLiteral("invalid_enrollment_code"),
                                       QStringLiteral("the enrollment code is unknown, used or expired"),
                                       QStringLiteral("code"));
        return errorResponse(enrolled.error());
    }
    auto keys = call.server.keyring.keys(enrolled->tenantId);
    if (!keys)
        return errorResponse(keys.error());
    auto tenant = call.server.catalog.tenant(enrolled->tenantId);
    if (!tenant)
        return errorResponse(tenant.error());
    call.principal.kind = Principal::Kind::Agent;
    call.principal.agentId = enrolled->id;
    call.audit(QStringLiteral("agent.enroll"), QStringLiteral("agent:%1").arg(enrolled->id), enrolled->tenantId,
               QJsonObject{{QStringLiteral("hostname"), enrolled->hostname}});
    QByteArray serialized = (*keys)->keys.serialize();
    QJsonObject out{{QStringLiteral("agent"), agentJson(*enrolled)},
                    {QStringLiteral("tenant"), QJsonObject{{QStringLiteral("id"), tenant->id},
                                                           {QStringLiteral("name"), tenant->name}}},
                    {QStringLiteral("token"), QString::fromLatin1(token)},
                    {QStringLiteral("keys"), QString::fromLatin1(serialized.toBase64())},
                    {QStringLiteral("repository"), QString::fromUtf8((*keys)->config.toJson())}};
    crypto::secureZero(serialized.data(), size_t(serialized.size()));
    return HttpResponse::json(201, out);
}

HttpResponse login(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto loginName = in.string(QStringLiteral("login"), P::Required, 128);
    const auto password = in.string(QStringLiteral("password"), P::Required, 1024);
    if (auto bad = in.finish())
        return *bad;
    ServerContext &s = call.server;
    const QDateTime now = s.now();
    if (const int wait = s.throttle.admit(*loginName, call.peer(), now); wait > 0)
        return HttpResponse::error(429, QStringLiteral("too_many_attempts"),
                                   QStringLiteral("too many failed logins; try again in %1 seconds").arg(wait))
            .withHeader("Retry-After", QByteArray::number(wait));
    auto user = s.catalog.userByLogin(*loginName);
    if (!user && user.error().code != ErrorCode::NotFound)
        return errorResponse(user.error());
    // Unknown logins cost the same hash work as known ones.
    static const QByteArray dummy = hashPassword("cairn-dummy").value();
    const bool good = verifyPassword(password->toUtf8(), user ? user->passwordHash : dummy) && user && !user->disabled;
    if (!good) {
        call.audit(QStringLiteral("login.failed"), QStringLiteral("login:%1").arg(*loginName),
                   user ? user->tenantId : std::nullopt);
        return HttpResponse::error(401, QStringLiteral("bad_credentials"), QStringLiteral("wrong login or password"));
    }
    s.throttle.succeeded(*loginName, call.peer());
    Session session;
    const QByteArray token = newToken(TokenKind::Session);
    session.tokenHash = tokenHash(token);
    session.userId = user->id;
    session.createdAt = now;
    session.lastSeen = now;
    session.expiresAt = now.addMSecs(s.settings.sessionLifetimeMs);
    session.peer = call.peer();
    if (Status st = s.catalog.addSession(session); !st.ok())
        return errorResponse(st.error());
    call.principal.kind = Principal::Kind::User;
    call.principal.userId = user->id;
    call.audit(QStringLiteral("login"), QStringLiteral("user:%1").arg(user->id), user->tenantId);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("token"), QString::fromLatin1(token)},
                                               {QStringLiteral("expires_at"), isoTime(session.expiresAt)},
                                               {QStringLiteral("user"), userJson(*user)}});
}

HttpResponse logout(ApiCall &call)
{
    if (Status s = call.server.catalog.removeSession(call.principal.sessionTokenHash); !s.ok())
        return errorResponse(s.error());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("logged_out"), true}});
}

HttpResponse me(ApiCall &call)
{
    auto user = call.server.catalog.user(call.principal.userId);
    if (!user)
        return errorResponse(user.error());
    QJsonObject out{{QStringLiteral("user"), userJson(*user)}};
    if (user->tenantId) {
        auto tenant = call.server.catalog.tenant(*user->tenantId);
        if (!tenant)
            return errorResponse(tenant.error());
        out.insert(QStringLiteral("tenant"), tenantJson(*tenant));
    }
    return HttpResponse::json(200, out);
}

} // namespace

void addPublicRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/health"), Access::Public, 0, health});
    r.push_back({"GET", QStringLiteral("/api/v1/tls/ca"), Access::Public, 0, trustAnchor});
    r.push_back({"POST", QStringLiteral("/api/v1/enroll"), Access::Public, kJsonLimit, enroll});
    r.push_back({"POST", QStringLiteral("/api/v1/session/login"), Access::Public, kJsonLimit, login});
    r.push_back({"POST", QStringLiteral("/api/v1/session/logout"), Access::User, kJsonLimit, logout});
    r.push_back({"GET", QStringLiteral("/api/v1/session/me"), Access::User, 0, me});
}

} // namespace cairn::server
