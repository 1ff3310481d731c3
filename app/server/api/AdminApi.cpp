// Console routes for administration: tenants and their settings, users, enrollment codes, usage
// and the audit log (restore tickets are in TicketApi.cpp).
#include "api/Api.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "api/Provisioning.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;

HttpResponse listTenants(ApiCall &call)
{
    auto tenants = call.server.catalog.tenants();
    if (!tenants)
        return errorResponse(tenants.error());
    QJsonArray items;
    for (const Tenant &t : *tenants)
        items.append(tenantJson(t));
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
}

HttpResponse addTenant(ApiCall &call)
{
    JsonInput in(call.request.body);
    NewTenant spec;
    const auto name = in.string(QStringLiteral("name"), P::Required, 200);
    const auto tz = in.string(QStringLiteral("time_zone"), P::Optional, 64);
    const auto lang = in.string(QStringLiteral("language"), P::Optional, 2);
    if (auto bad = in.finish())
        return *bad;
    spec.name = *name;
    spec.timeZone = tz.value_or(spec.timeZone);
    spec.language = lang.value_or(spec.language);
    auto t = createTenant(call.server.catalog, call.server.keyring, spec, call.server.now());
    if (!t)
        return errorResponse(t.error());
    call.audit(QStringLiteral("tenant.add"), QStringLiteral("tenant:%1").arg(t->id), t->id);
    return HttpResponse::json(201, tenantJson(*t));
}

// {tenant} of the path: the caller's own tenant, or any for operators.
std::variant<Tenant, HttpResponse> pathTenant(ApiCall &call)
{
    const auto id = call.idParam(QStringLiteral("tenant"));
    if (!id || (!call.principal.isOperator() && call.principal.tenantId != id))
        return notFound(QStringLiteral("no such tenant"));
    auto t = call.server.catalog.tenant(*id);
    if (!t)
        return t.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such tenant")) : errorResponse(t.error());
    return *t;
}

HttpResponse getTenant(ApiCall &call)
{
    auto t = pathTenant(call);
    if (auto *bad = std::get_if<HttpResponse>(&t))
        return *bad;
    return HttpResponse::json(200, tenantJson(std::get<Tenant>(t)));
}

HttpResponse updateTenant(ApiCall &call)
{
    auto found = pathTenant(call);
    if (auto *bad = std::get_if<HttpResponse>(&found))
        return *bad;
    Tenant t = std::get<Tenant>(found);
    JsonInput in(call.request.body);
    const auto tz = in.string(QStringLiteral("time_zone"), P::Optional, 64);
    const auto lang = in.string(QStringLiteral("language"), P::Optional, 2);
    const auto recipients = in.stringList(QStringLiteral("report_recipients"), P::Optional, 50, 254);
    const auto activated = in.string(QStringLiteral("activated_at"), P::Optional, 64);
    const auto reportTime = in.string(QStringLiteral("report_time"), P::Optional, 5);
    const auto languages = in.object(QStringLiteral("recipient_languages"), P::Optional);
    if (tz && !isValidTimeZone(*tz))
        in.fail(QStringLiteral("time_zone"), QStringLiteral("\"%1\" is not a known IANA time zone").arg(*tz));
    if (lang && *lang != QLatin1String("ko") && *lang != QLatin1String("en"))
        in.fail(QStringLiteral("language"), QStringLiteral("must be ko or en"));
    static const QRegularExpression mail(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    for (const QString &r : recipients.value_or(QStringList())) {
        if (!mail.match(r).hasMatch())
            in.fail(QStringLiteral("report_recipients"), QStringLiteral("\"%1\" is not an e-mail address").arg(r));
    }
    static const QRegularExpression hhmm(QStringLiteral("^([01][0-9]|2[0-3]):[0-5][0-9]$"));
    if (reportTime && !hhmm.match(*reportTime).hasMatch())
        in.fail(QStringLiteral("report_time"), QStringLiteral("must be HH:MM (00:00 to 23:59) in the tenant's time zone"));
    if (languages && languages->size() > 50)
        in.fail(QStringLiteral("recipient_languages"), QStringLiteral("may name at most 50 addresses"));
    const QJsonObject languageMap = languages.value_or(QJsonObject());
    for (auto it = languageMap.begin(); it != languageMap.end(); ++it) {
        if (it.key().size() > 254 || !mail.match(it.key()).hasMatch())
            in.fail(QStringLiteral("recipient_languages"), QStringLiteral("\"%1\" is not an e-mail address").arg(it.key()));
        else if (it.value() != QJsonValue(QStringLiteral("ko")) && it.value() != QJsonValue(QStringLiteral("en")))
            in.fail(QStringLiteral("recipient_languages"), QStringLiteral("the language of %1 must be ko or en").arg(it.key()));
    }
    QDateTime activatedAt;
    if (activated) {
        if (!call.principal.isOperator())
            in.fail(QStringLiteral("activated_at"), QStringLiteral("only operators may set the activation date"));
        activatedAt = QDateTime::fromString(*activated, Qt::ISODate);
        if (!activatedAt.isValid())
            in.fail(QStringLiteral("activated_at"), QStringLiteral("must be an ISO 8601 time"));
    }
    if (auto bad = in.finish())
        return *bad;
    if (tz)
        t.timeZone = *tz;
    if (lang)
        t.language = *lang;
    if (recipients)
        t.reportRecipients = *recipients;
    if (reportTime)
        t.reportTime = *reportTime;
    if (languages)
        t.recipientLanguages = *languages;
    if (activated)
        t.activatedAt = activatedAt.toUTC();
    if (Status s = call.server.catalog.updateTenantSettings(t); !s.ok())
        return errorResponse(s.error());
    call.audit(QStringLiteral("tenant.update"), QStringLiteral("tenant:%1").arg(t.id), t.id, tenantJson(t));
    return HttpResponse::json(200, tenantJson(t));
}

// The tenant a listing is limited to: the caller's own; for operators the ?tenant= one, or none
// (every tenant) when they give none.
std::variant<std::optional<qint64>, HttpResponse> tenantScope(ApiCall &call)
{
    if (call.principal.isOperator() && !call.request.query.hasQueryItem(QStringLiteral("tenant")))
        return std::optional<qint64>();
    auto t = call.tenant();
    if (auto *bad = std::get_if<HttpResponse>(&t))
        return *bad;
    return std::optional<qint64>(std::get<qint64>(t));
}

// One page of a history that operators may read across tenants (see tenantScope()).
template <typename T>
HttpResponse scopedPage(ApiCall &call,
                        const std::function<Result<Page<T>>(std::optional<qint64>, const PageRequest &)> &fetch,
                        QJsonObject (*toJson)(const T &))
{
    auto scope = tenantScope(call);
    if (auto *bad = std::get_if<HttpResponse>(&scope))
        return *bad;
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    auto rows = fetch(std::get<std::optional<qint64>>(scope), std::get<PageRequest>(page));
    if (!rows)
        return errorResponse(rows.error());
    return HttpResponse::json(200, pageJson<T>(*rows, toJson));
}

HttpResponse listUsers(ApiCall &call)
{
    auto scope = tenantScope(call);
    if (auto *bad = std::get_if<HttpResponse>(&scope))
        return *bad;
    const std::optional<qint64> tenant = std::get<std::optional<qint64>>(scope);
    auto users = call.server.catalog.users(tenant);
    if (!users)
        return errorResponse(users.error());
    QJsonArray items;
    for (const User &u : *users)
        items.append(userJson(u));
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
}

HttpResponse addUser(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto login = in.string(QStringLiteral("login"), P::Required, 64);
    const auto password = in.string(QStringLiteral("password"), P::Required, 1024);
    const auto roleText = in.string(QStringLiteral("role"), P::Optional, 16);
    const auto tenantId = in.integer(QStringLiteral("tenant"), P::Optional, 1, std::numeric_limits<qint64>::max() / 2);
    const auto display = in.string(QStringLiteral("display_name"), P::Optional, 200);
    const auto email = in.string(QStringLiteral("email"), P::Optional, 254);
    std::optional<Role> role = Role::Member;
    if (roleText) {
        role = roleFromName(*roleText);
        if (!role)
            in.fail(QStringLiteral("role"), QStringLiteral("must be member, admin or operator"));
    }
    if (role && *role == Role::Operator && !call.principal.isOperator())
        in.fail(QStringLiteral("role"), QStringLiteral("only operators may create operators"));
    if (auto bad = in.finish())
        return *bad;
    NewUser spec;
    spec.login = *login;
    spec.password = password->toUtf8();
    spec.role = *role;
    spec.displayName = display.value_or(QString());
    spec.email = email.value_or(QString());
    if (spec.role != Role::Operator) {
        if (call.principal.isOperator()) {
            if (!tenantId)
                return badRequest(QStringLiteral("tenant: is required"), QStringLiteral("tenant"));
            spec.tenantId = *tenantId;
        } else {
            if (tenantId && tenantId != call.principal.tenantId)
                return forbidden(QStringLiteral("you may only add users to your own tenant"));
            spec.tenantId = call.principal.tenantId;
        }
    }
    auto user = createUser(call.server.catalog, spec, call.server.now());
    if (!user)
        return errorResponse(user.error());
    call.audit(QStringLiteral("user.add"), QStringLiteral("user:%1").arg(user->id), user->tenantId,
               QJsonObject{{QStringLiteral("login"), user->login}, {QStringLiteral("role"), QLatin1String(roleName(user->role))}});
    return HttpResponse::json(201, userJson(*user));
}

HttpResponse addEnrollmentCode(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    JsonInput in(call.request.body);
    if (auto bad = in.finish())
        return *bad;
    auto code = createEnrollmentCode(call.server.catalog, tenant, call.server.settings.enrollmentCodeLifetimeMs, call.server.now());
    if (!code)
        return errorResponse(code.error());
    call.audit(QStringLiteral("enrollment_code.add"), QStringLiteral("tenant:%1").arg(tenant), tenant);
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("code"), code->code},
                                               {QStringLiteral("expires_at"), isoTime(code->expiresAt)},
                                               {QStringLiteral("fingerprint"), call.server.settings.trustFingerprint}});
}

HttpResponse usage(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto u = call.server.catalog.usage(tenant);
    if (!u)
        return errorResponse(u.error());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("tenant"), tenant},
                                               {QStringLiteral("servers"), u->agents},
                                               {QStringLiteral("packs"), u->packs},
                                               {QStringLiteral("stored_bytes"), u->storedBytes},
                                               {QStringLiteral("chunks"), u->chunks},
                                               {QStringLiteral("snapshots"), u->snapshots}});
}

HttpResponse auditLog(ApiCall &call)
{
    return scopedPage<AuditEntry>(call, [&](std::optional<qint64> tenant, const PageRequest &page) {
        return call.server.catalog.audit(tenant, page);
    }, auditJson);
}

} // namespace

void addAdminRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/tenants"), Access::Operator, 0, listTenants});
    r.push_back({"POST", QStringLiteral("/api/v1/tenants"), Access::Operator, kJsonLimit, addTenant});
    r.push_back({"GET", QStringLiteral("/api/v1/tenants/{tenant}"), Access::User, 0, getTenant});
    r.push_back({"PATCH", QStringLiteral("/api/v1/tenants/{tenant}"), Access::TenantAdmin, kJsonLimit, updateTenant});
    r.push_back({"GET", QStringLiteral("/api/v1/users"), Access::TenantAdmin, 0, listUsers});
    r.push_back({"POST", QStringLiteral("/api/v1/users"), Access::TenantAdmin, kJsonLimit, addUser});
    r.push_back({"POST", QStringLiteral("/api/v1/enrollment-codes"), Access::TenantAdmin, kJsonLimit, addEnrollmentCode});
    r.push_back({"GET", QStringLiteral("/api/v1/usage"), Access::User, 0, usage});
    r.push_back({"GET", QStringLiteral("/api/v1/audit"), Access::TenantAdmin, 0, auditLog});
}

} // namespace cairn::server
