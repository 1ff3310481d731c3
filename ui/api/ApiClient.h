// ApiClient: the console's only way to the server — asynchronous HTTPS/JSON requests to /api/v1
// with the session token, the server's certificate pinned on first use (TrustStore), and errors
// as ApiError values. Every call returns an ApiRequest at once; its result arrives later by signal
// (or through then()), so the window never waits on the network. It counts requests in flight
// (busyChanged) for the spinner and reports an expired session once (sessionExpired).
// Lives on the GUI thread.
#pragma once

#include "api/ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <optional>

class QNetworkReply;

namespace cairn::console {

// One request in flight. Deletes itself after it has delivered its result.
class ApiRequest : public QObject {
    Q_OBJECT
public:
    using OnJson = std::function<void(const QJsonValue &body)>;
    using OnBytes = std::function<void(const QByteArray &body)>;
    using OnError = std::function<void(const ApiError &error)>;

    // Calls ok or fail on the GUI thread, only while `context` still exists. Without `fail`,
    // the error goes to ApiClient::errorOccurred (the window shows it in its status line).
    ApiRequest *then(QObject *context, OnJson ok, OnError fail = {});
    ApiRequest *thenBytes(QObject *context, OnBytes ok, OnError fail = {});
    void abort();

signals:
    void succeeded(const QJsonValue &body, const QByteArray &raw);
    void failed(const cairn::console::ApiError &error);

private:
    friend class ApiClient;
    explicit ApiRequest(QNetworkReply *reply, QObject *parent);
    QPointer<QNetworkReply> m_reply;
    bool m_handled = false; // someone takes the error
    QList<QSslCertificate> m_chain;
    QList<QSslError> m_sslErrors;
};

struct SessionUser {
    qint64 id = 0;
    QString login;
    QString displayName;
    QString role; // member | admin | operator
    std::optional<qint64> tenantId;
    QString tenantName;
    QString tenantTimeZone;
    bool isOperator() const { return role == QLatin1String("operator"); }
    bool isAdmin() const { return role == QLatin1String("admin") || isOperator(); }
};

class ApiClient : public QObject {
    Q_OBJECT
public:
    // Which requests get `?tenant=ID` added for operators (see setTenantScope).
    enum class Scope { Tenant, Global };

    explicit ApiClient(QObject *parent = nullptr);

    // "https://host:port" (a path after it is ignored). Resets the session.
    void setServer(const QUrl &url);
    QUrl server() const { return m_server; }
    // The certificate trusted for this server (TrustStore's, or one given on the command line).
    void setTrustedCertificate(const QSslCertificate &certificate);
    QSslCertificate trustedCertificate() const { return m_trusted; }

    // POST /session/login then GET /session/me; loggedIn() or loginFailed(error).
    void login(const QString &login, const QString &password);
    void logout();
    bool isLoggedIn() const { return !m_token.isEmpty(); }
    const SessionUser &user() const { return m_user; }

    // Operators act on one tenant at a time in the tenant views; nullopt for none.
    void setTenantScope(std::optional<qint64> tenant);
    std::optional<qint64> tenantScope() const { return m_scope; }
    // The tenant the tenant views show: the user's own, or the operator's chosen one.
    std::optional<qint64> currentTenant() const { return m_user.isOperator() ? m_scope : m_user.tenantId; }

    // Paths are relative to /api/v1 ("/servers/7/policy").
    ApiRequest *get(const QString &path, const QUrlQuery &query = {}, Scope scope = Scope::Tenant);
    ApiRequest *post(const QString &path, const QJsonValue &body = QJsonObject(), const QUrlQuery &query = {},
        Scope scope = Scope::Tenant);
    ApiRequest *put(const QString &path, const QJsonValue &body, const QUrlQuery &query = {}, Scope scope = Scope::Tenant);
    ApiRequest *patch(const QString &path, const QJsonValue &body, const QUrlQuery &query = {}, Scope scope = Scope::Tenant);
    ApiRequest *del(const QString &path, const QUrlQuery &query = {}, Scope scope = Scope::Tenant);

    int requestsInFlight() const { return m_inFlight; }
    void abortAll(); // every request in flight ends as Cancelled

signals:
    void loggedIn();
    void loginFailed(const cairn::console::ApiError &error);
    void loggedOut();
    void sessionExpired();
    void tenantScopeChanged();
    void busyChanged(bool busy);
    // An error no caller took (ApiRequest::then without a failure handler).
    void errorOccurred(const cairn::console::ApiError &error);

private:
    ApiRequest *send(const QByteArray &verb, const QString &path, const QUrlQuery &query, Scope scope,
        const QByteArray &body);
    void finish(ApiRequest *request, QNetworkReply *reply);

    QNetworkAccessManager m_network;
    QUrl m_server;
    QSslCertificate m_trusted;
    QByteArray m_token;
    SessionUser m_user;
    std::optional<qint64> m_scope;
    int m_inFlight = 0;
    bool m_expiredSignalled = false;
};

} // namespace cairn::console

Q_DECLARE_METATYPE(cairn::console::ApiError)
