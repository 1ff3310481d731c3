// ApiClient implementation: QNetworkAccessManager on the GUI thread, one QNetworkReply per call.
#include "api/ApiClient.h"

#include <QDateTime>

#include <algorithm>
#include <QJsonArray>
#include <QJsonParseError>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>

namespace cairn::console {

namespace {
constexpr int kTransferTimeoutMs = 30000;

bool traceEnabled() // CAIRN_CONSOLE_TRACE=1: every request and its answer time on stderr
{
    static const bool on = qEnvironmentVariableIntValue("CAIRN_CONSOLE_TRACE") > 0;
    return on;
}

// Certificate errors that only say "this chain does not end in a CA we trust": the case of a
// server seen for the first time (nothing pinned) or of a certificate other than the pinned one.
bool isTrustError(const QSslError &e)
{
    switch (e.error()) {
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
        return true;
    default:
        return false;
    }
}

ApiError transportError(QNetworkReply *reply, const QList<QSslCertificate> &chain, const QList<QSslError> &sslErrors)
{
    ApiError e;
    e.message = reply->errorString();
    switch (reply->error()) {
    case QNetworkReply::SslHandshakeFailedError: {
        // Only an unknown issuer can be settled by trusting the certificate; an expired certificate
        // or one for another host name is refused with its reason.
        QStringList other;
        for (const QSslError &ssl : sslErrors) {
            if (!isTrustError(ssl))
                other << ssl.errorString();
        }
        if (!other.isEmpty()) {
            e.kind = ApiError::Kind::BadCertificate;
            e.message = other.join(QStringLiteral("; "));
        } else {
            e.kind = ApiError::Kind::UntrustedServer;
            if (!chain.isEmpty())
                e.certificate = chain.last();
        }
        break;
    }
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout aborts this way
        e.kind = reply->property("cairnAborted").toBool() ? ApiError::Kind::Cancelled : ApiError::Kind::Timeout;
        break;
    default:
        e.kind = ApiError::Kind::Network;
        break;
    }
    return e;
}
} // namespace

ApiRequest::ApiRequest(QNetworkReply *reply, QObject *parent)
    : QObject(parent)
    , m_reply(reply)
{
}

ApiRequest *ApiRequest::then(QObject *context, OnJson ok, OnError fail)
{
    if (fail)
        m_handled = true;
    connect(this, &ApiRequest::succeeded, context, [ok](const QJsonValue &body, const QByteArray &) {
        if (ok)
            ok(body);
    });
    if (fail)
        connect(this, &ApiRequest::failed, context, [fail](const ApiError &e) { fail(e); });
    return this;
}

ApiRequest *ApiRequest::thenBytes(QObject *context, OnBytes ok, OnError fail)
{
    if (fail)
        m_handled = true;
    connect(this, &ApiRequest::succeeded, context, [ok](const QJsonValue &, const QByteArray &raw) {
        if (ok)
            ok(raw);
    });
    if (fail)
        connect(this, &ApiRequest::failed, context, [fail](const ApiError &e) { fail(e); });
    return this;
}

void ApiRequest::abort()
{
    if (m_reply) {
        m_reply->setProperty("cairnAborted", true);
        m_reply->abort();
    }
}

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<cairn::console::ApiError>();
    m_network.setAutoDeleteReplies(false);
}

void ApiClient::setServer(const QUrl &url)
{
    QUrl base;
    base.setScheme(url.scheme().isEmpty() ? QStringLiteral("https") : url.scheme());
    base.setHost(url.host());
    base.setPort(url.port(8443));
    m_server = base;
    m_token.clear();
    m_user = SessionUser();
    m_scope.reset();
    m_network.clearConnectionCache();
}

void ApiClient::setTrustedCertificate(const QSslCertificate &certificate)
{
    m_trusted = certificate;
    m_network.clearConnectionCache();
}

void ApiClient::setTenantScope(std::optional<qint64> tenant)
{
    if (m_scope == tenant)
        return;
    m_scope = tenant;
    emit tenantScopeChanged();
}

void ApiClient::login(const QString &login, const QString &password)
{
    m_token.clear();
    m_expiredSignalled = false;
    QJsonObject body {{QStringLiteral("login"), login}, {QStringLiteral("password"), password}};
    post(QStringLiteral("/session/login"), body, {}, Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_token = answer[QLatin1String("token")].toString().toUtf8();
                if (m_token.isEmpty()) {
                    ApiError e;
                    e.kind = ApiError::Kind::BadAnswer;
                    emit loginFailed(e);
                    return;
                }
                get(QStringLiteral("/session/me"), {}, Scope::Global)
                    ->then(
                        this,
                        [this](const QJsonValue &me) {
                            const QJsonObject u = me[QLatin1String("user")].toObject();
                            const QJsonObject t = me[QLatin1String("tenant")].toObject();
                            m_user = SessionUser();
                            m_user.id = u[QLatin1String("id")].toInteger();
                            m_user.login = u[QLatin1String("login")].toString();
                            m_user.displayName = u[QLatin1String("display_name")].toString();
                            m_user.role = u[QLatin1String("role")].toString();
                            if (!t.isEmpty()) {
                                m_user.tenantId = t[QLatin1String("id")].toInteger();
                                m_user.tenantName = t[QLatin1String("name")].toString();
                                m_user.tenantTimeZone = t[QLatin1String("time_zone")].toString();
                            }
                            emit loggedIn();
                        },
                        [this](const ApiError &e) {
                            m_token.clear();
                            emit loginFailed(e);
                        });
            },
            [this](const ApiError &e) { emit loginFailed(e); });
}

void ApiClient::abortAll()
{
    for (ApiRequest *r : findChildren<ApiRequest *>(QString(), Qt::FindDirectChildrenOnly))
        r->abort();
}

void ApiClient::logout()
{
    abortAll(); // answers for the previous session must not fill the views
    if (!m_token.isEmpty())
        post(QStringLiteral("/session/logout"), QJsonObject(), {}, Scope::Global)->then(this, {}, [](const ApiError &) {});
    m_token.clear();
    m_user = SessionUser();
    m_scope.reset();
    emit loggedOut();
}

ApiRequest *ApiClient::get(const QString &path, const QUrlQuery &query, Scope scope)
{
    return send("GET", path, query, scope, QByteArray());
}

ApiRequest *ApiClient::post(const QString &path, const QJsonValue &body, const QUrlQuery &query, Scope scope)
{
    return send("POST", path, query, scope,
        body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact));
}

ApiRequest *ApiClient::put(const QString &path, const QJsonValue &body, const QUrlQuery &query, Scope scope)
{
    return send("PUT", path, query, scope,
        body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact));
}

ApiRequest *ApiClient::patch(const QString &path, const QJsonValue &body, const QUrlQuery &query, Scope scope)
{
    return send("PATCH", path, query, scope, QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact));
}

ApiRequest *ApiClient::del(const QString &path, const QUrlQuery &query, Scope scope)
{
    return send("DELETE", path, query, scope, QByteArray());
}

ApiRequest *ApiClient::send(const QByteArray &verb, const QString &path, const QUrlQuery &query, Scope scope,
    const QByteArray &body)
{
    if (m_token.isEmpty() && path != QLatin1String("/session/login")) {
        // No session (not logged in yet, logged out, expired): nothing is sent. The caller hears
        // "cancelled" on the next turn of the event loop, which views do not show as an error.
        auto *call = new ApiRequest(nullptr, this);
        QTimer::singleShot(0, call, [call] {
            ApiError e;
            e.kind = ApiError::Kind::Cancelled;
            e.message = QStringLiteral("not logged in");
            emit call->failed(e);
            call->deleteLater();
        });
        return call;
    }
    QUrl url = m_server;
    url.setPath(QStringLiteral("/api/v1") + path);
    QUrlQuery q = query;
    if (scope == Scope::Tenant && m_user.isOperator() && m_scope && !q.hasQueryItem(QStringLiteral("tenant")))
        q.addQueryItem(QStringLiteral("tenant"), QString::number(*m_scope));
    url.setQuery(q);

    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "cairn-console/" CAIRN_VERSION);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty() || verb == "POST" || verb == "PUT" || verb == "PATCH")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    // Only the pinned certificate is trusted, never the system's CAs: with nothing pinned every
    // handshake fails and the user is shown the fingerprint to compare (trust on first use).
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(m_trusted.isNull() ? QList<QSslCertificate>() : QList<QSslCertificate> {m_trusted});
    request.setSslConfiguration(tls);

    QNetworkReply *reply = (body.isEmpty() && verb != "POST" && verb != "PUT" && verb != "PATCH")
        ? m_network.sendCustomRequest(request, verb)
        : m_network.sendCustomRequest(request, verb, body);
    auto *call = new ApiRequest(reply, this);
    if (traceEnabled()) {
        reply->setProperty("cairnStarted", QDateTime::currentMSecsSinceEpoch());
        qDebug("api > %s %s", verb.constData(), qPrintable(url.toString(QUrl::RemoveQuery)));
    }
    connect(reply, &QNetworkReply::sslErrors, call, [this, call, reply](const QList<QSslError> &errors) {
        call->m_chain = reply->sslConfiguration().peerCertificateChain();
        call->m_sslErrors = errors;
        // The pinned certificate may be an intermediate or the server's own certificate rather
        // than a root: accept the chain when it contains the pinned certificate and nothing but
        // the issuer is in question (host name and validity are still checked).
        const bool onlyTrust = std::all_of(errors.begin(), errors.end(), isTrustError);
        if (!m_trusted.isNull() && onlyTrust && call->m_chain.contains(m_trusted))
            reply->ignoreSslErrors(errors);
    });
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finish(call, reply); });
    if (m_inFlight++ == 0)
        emit busyChanged(true);
    return call;
}

void ApiClient::finish(ApiRequest *call, QNetworkReply *reply)
{
    reply->deleteLater();
    call->deleteLater();
    if (--m_inFlight == 0)
        emit busyChanged(false);

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray raw = reply->isOpen() ? reply->readAll() : QByteArray();
    if (traceEnabled())
        qDebug("api < %d %s %s (%lld ms)", status, qPrintable(reply->url().toString(QUrl::RemoveQuery)),
            qPrintable(reply->errorString()), QDateTime::currentMSecsSinceEpoch() - reply->property("cairnStarted").toLongLong());
    if (status == 0) {
        const ApiError e = transportError(reply, call->m_chain, call->m_sslErrors);
        emit call->failed(e);
        if (!call->m_handled && e.kind != ApiError::Kind::Cancelled)
            emit errorOccurred(e);
        return;
    }
    const bool isJson = reply->header(QNetworkRequest::ContentTypeHeader).toString().startsWith(QLatin1String("application/json"));
    QJsonParseError parseError;
    const QJsonDocument doc = isJson && !raw.isEmpty() ? QJsonDocument::fromJson(raw, &parseError) : QJsonDocument();
    if (status >= 200 && status < 300) {
        if (isJson && !raw.isEmpty() && doc.isNull()) {
            ApiError e;
            e.kind = ApiError::Kind::BadAnswer;
            e.status = status;
            emit call->failed(e);
            if (!call->m_handled)
                emit errorOccurred(e);
            return;
        }
        const QJsonValue value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        emit call->succeeded(value, raw);
        return;
    }
    ApiError e;
    e.kind = ApiError::Kind::Http;
    e.status = status;
    const QJsonObject error = doc.object()[QLatin1String("error")].toObject();
    e.code = error[QLatin1String("code")].toString();
    e.message = error[QLatin1String("message")].toString();
    e.field = error[QLatin1String("field")].toString();
    e.retryAfterSeconds = reply->rawHeader("Retry-After").toInt();
    if (status == 401 && e.code != QLatin1String("bad_credentials") && !m_token.isEmpty()) {
        m_token.clear();
        if (!m_expiredSignalled) {
            m_expiredSignalled = true;
            emit sessionExpired();
        }
    }
    emit call->failed(e);
    if (!call->m_handled)
        emit errorOccurred(e);
}

} // namespace cairn::console
