#include "api/Provisioning.h"

#include "api/Credentials.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace cairn::server {

bool isValidTimeZone(const QString &ianaName)
{
    return !ianaName.isEmpty() && QTimeZone::isTimeZoneIdAvailable(ianaName.toLatin1());
}

Result<Tenant> createTenant(Catalog &catalog, const TenantKeyring &keyring, const NewTenant &spec, const QDateTime &now)
{
    const QString name = spec.name.trimmed();
    if (name.isEmpty() || name.size() > 200)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a tenant name must have 1 to 200 characters"));
    if (!isValidTimeZone(spec.timeZone))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone \"%1\" (use an IANA name such as Asia/Seoul)").arg(spec.timeZone));
    if (spec.language != QLatin1String("ko") && spec.language != QLatin1String("en"))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("language must be ko or en"));
    Tenant t;
    t.name = name;
    t.timeZone = spec.timeZone;
    t.language = spec.language;
    t.createdAt = now;
    keyring.prepareNewTenant(t);
    return catalog.addTenant(t);
}

Result<User> createUser(Catalog &catalog, const NewUser &spec, const QDateTime &now)
{
    static const QRegularExpression loginPattern(QStringLiteral("^[A-Za-z0-9._@-]{1,64}$"));
    if (!loginPattern.match(spec.login).hasMatch())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a login has 1 to 64 characters of A-Z a-z 0-9 . _ @ -"));
    if (QString::fromUtf8(spec.password).size() < 10 || spec.password.size() > 1024)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a password needs at least 10 characters"));
    if (spec.role == Role::Operator && spec.tenantId)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("operators belong to no tenant"));
    if (spec.role != Role::Operator && !spec.tenantId)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a tenant user needs a tenant"));
    if (spec.tenantId) {
        auto t = catalog.tenant(*spec.tenantId);
        if (!t)
            return t.error();
    }
    auto hash = hashPassword(spec.password);
    if (!hash)
        return hash.error();
    User u;
    u.tenantId = spec.tenantId;
    u.login = spec.login;
    u.displayName = spec.displayName.isEmpty() ? spec.login : spec.displayName;
    u.email = spec.email;
    u.role = spec.role;
    u.passwordHash = *hash;
    u.createdAt = now;
    return catalog.addUser(u);
}

Result<IssuedCode> createEnrollmentCode(Catalog &catalog, qint64 tenantId, qint64 lifetimeMs, const QDateTime &now)
{
    auto t = catalog.tenant(tenantId);
    if (!t)
        return t.error();
    IssuedCode issued;
    issued.code = newEnrollmentCode();
    issued.expiresAt = now.addMSecs(lifetimeMs);
    EnrollmentCode code;
    code.codeHash = tokenHash(normalizeEnrollmentCode(issued.code));
    code.tenantId = tenantId;
    code.createdAt = now;
    code.expiresAt = issued.expiresAt;
    CAIRN_TRY(catalog.addEnrollmentCode(code));
    return issued;
}

} // namespace cairn::server
