// Creating tenants, users and enrollment codes: shared by the admin CLI (for an empty system)
// and the console API, so both validate alike. Thread-safe (the catalog is).
#pragma once

#include "api/TenantKeyring.h"
#include "catalog/Catalog.h"

#include <QDateTime>
#include <QString>

namespace cairn::server {

struct NewTenant {
    QString name;
    QString timeZone = QStringLiteral("Asia/Seoul");
    QString language = QStringLiteral("ko");
};
// InvalidArgument for an empty/overlong name, an unknown IANA time zone or a language other than ko/en.
Result<Tenant> createTenant(Catalog &catalog, const TenantKeyring &keyring, const NewTenant &spec, const QDateTime &now);

struct NewUser {
    QString login;
    QByteArray password;
    Role role = Role::Member;
    std::optional<qint64> tenantId; // required unless role is Operator, which must have none
    QString displayName, email;
};
// InvalidArgument for a bad login (1–64 of [A-Za-z0-9._@-]), a password under 10 characters, or a
// role/tenant mismatch.
Result<User> createUser(Catalog &catalog, const NewUser &spec, const QDateTime &now);

struct IssuedCode {
    QString code;
    QDateTime expiresAt;
};
Result<IssuedCode> createEnrollmentCode(Catalog &catalog, qint64 tenantId, qint64 lifetimeMs, const QDateTime &now);

bool isValidTimeZone(const QString &ianaName);

} // namespace cairn::server
