// The /api/v1 surface: the route table and what a handler receives. Every route declares who may
// call it (Access), its body limit and its handler; ApiApplication authenticates the caller
// before the handler runs, and the isolation tests enumerate apiRoutes() so that no route is
// left untested. Handlers run on the HTTP worker threads and must be thread-safe.
#pragma once

#include "api/LoginThrottle.h"
#include "api/TenantKeyring.h"
#include "catalog/Catalog.h"
#include "http/HttpTypes.h"
#include "store/PackStore.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QString>

#include <functional>
#include <vector>

namespace cairn::server {

enum class Access {
    Public,      // no credentials
    Agent,       // an enrolled agent's bearer token
    User,        // any logged-in user (member, tenant admin, operator)
    TenantAdmin, // tenant admin or operator
    Operator,    // operators only
};

struct ServerSettings {
    qint64 sessionLifetimeMs = 12LL * 3600 * 1000;
    qint64 enrollmentCodeLifetimeMs = 7LL * 24 * 3600 * 1000;
    QByteArray trustAnchorPem;  // the certificate agents pin (served at /api/v1/tls/ca)
    QString trustFingerprint;   // its SHA-256 fingerprint
    // Reverse proxies whose X-Forwarded-For is believed (the last address it appended is the
    // client's): rate limits and the audit log then see real client addresses.
    QList<QHostAddress> trustedProxies;
    // Each server's scheduled backups start at the policy's hour plus a per-server offset in
    // [0, scheduleMaxOffsetSeconds) (schedule/max_offset_seconds, 0–3600), see ScheduleViews.h.
    qint64 scheduleMaxOffsetSeconds = 3600;
    // schedule/test_offset_seconds (0–3599): every server uses exactly this offset. For tests and
    // demos only: it makes all servers of a tenant start at the same second.
    std::optional<qint64> scheduleTestOffsetSeconds;
};

// Everything the handlers share. Lives as long as the HTTP front end; members are thread-safe.
struct ServerContext {
    Catalog &catalog;
    PackStore &store;
    TenantKeyring &keyring;
    LoginThrottle &throttle;
    ServerSettings settings;
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
};

struct Principal {
    enum class Kind { Anonymous, Agent, User } kind = Kind::Anonymous;
    std::optional<qint64> tenantId; // none for operators
    qint64 agentId = 0;
    qint64 userId = 0;
    Role role = Role::Member;
    QByteArray sessionTokenHash;
    QString login;

    bool isOperator() const { return kind == Kind::User && role == Role::Operator; }
};

struct ApiCall {
    const HttpRequest &request;
    QHash<QString, QString> params; // captured {name} path segments
    Principal principal;
    ServerContext &server;

    // The tenant a console request acts on: the user's own, or for an operator the ?tenant=
    // query value. A response (400/403/404) if there is none or the user may not use it.
    std::variant<qint64, HttpResponse> tenant() const;
    // The captured {name} as a row id (positive integer), or nullopt.
    std::optional<qint64> idParam(const QString &name) const;
    // The client's address (see ServerSettings::trustedProxies).
    QString peer() const;
    // Writes an audit entry for an action of this caller (failures are logged, not returned).
    void audit(const QString &action, const QString &object, std::optional<qint64> tenantId,
               const QJsonObject &detail = QJsonObject()) const;
};

using ApiHandler = std::function<HttpResponse(ApiCall &)>;

struct Route {
    QByteArray method;  // GET (also answers HEAD), PUT, POST, PATCH, DELETE
    QString pattern;    // "/api/v1/servers/{agent}/policy"
    Access access = Access::User;
    qint64 maxBody = 0;
    ApiHandler handler;
};

// The whole table, in documentation order.
const std::vector<Route> &apiRoutes();

// Route groups, one per file.
void addPublicRoutes(std::vector<Route> &routes);
void addAgentRoutes(std::vector<Route> &routes);
void addAgentJobRoutes(std::vector<Route> &routes); // called by addAgentRoutes
void addServerRoutes(std::vector<Route> &routes);
void addSnapshotRoutes(std::vector<Route> &routes);
void addAdminRoutes(std::vector<Route> &routes);
void addTicketRoutes(std::vector<Route> &routes);
void addBillingRoutes(std::vector<Route> &routes);
void addOperationsRoutes(std::vector<Route> &routes);
void addConsoleRoutes(std::vector<Route> &routes); // ConsoleApi.cpp, CalendarApi.cpp

// Shared answers.
HttpResponse errorResponse(const Error &error);            // maps ErrorCode → status
HttpResponse notFound(const QString &what);
HttpResponse forbidden(const QString &why);
HttpResponse badRequest(const QString &message, const QString &field = QString());
QString isoTime(const QDateTime &t);                        // "" for an invalid time
QJsonValue isoTime(const std::optional<QDateTime> &t);      // null when unset
// Whether `path` is absolute: "/…", or a Windows drive path ("C:\…" or "C:/…").
bool isAbsolutePath(const QString &path);
// Reads ?limit= and ?before= into a PageRequest; a response if they are malformed.
std::variant<PageRequest, HttpResponse> pageRequest(const QUrlQuery &query);
template <typename T>
QJsonObject pageJson(const Page<T> &page, const std::function<QJsonObject(const T &)> &toJson)
{
    QJsonArray items;
    for (const T &t : page.items)
        items.append(toJson(t));
    QJsonObject o{{QStringLiteral("items"), items}};
    o.insert(QStringLiteral("next"), page.next ? QJsonValue(*page.next) : QJsonValue());
    return o;
}

#define CAIRN_TENANT_OR_RETURN(var, call)                                                          \
    qint64 var = 0;                                                                                \
    {                                                                                              \
        auto t_ = (call).tenant();                                                                 \
        if (auto *bad_ = std::get_if<HttpResponse>(&t_))                                           \
            return *bad_;                                                                          \
        var = std::get<qint64>(t_);                                                                \
    }

// The {agent} of the path as an agent of `tenant`, or the 404 to answer.
std::variant<Agent, HttpResponse> pathAgent(ApiCall &call, qint64 tenant);

#define CAIRN_AGENT_OR_RETURN(var, call, tenant)                                                   \
    Agent var;                                                                                     \
    {                                                                                              \
        auto a_ = pathAgent((call), (tenant));                                                     \
        if (auto *bad_ = std::get_if<HttpResponse>(&a_))                                           \
            return *bad_;                                                                          \
        var = std::get<Agent>(a_);                                                                 \
    }


} // namespace cairn::server
