// ServerConnection: authentication headers, the retry loop and the mapping of error answers.
// Any thread.
#include "remote/ServerConnection.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <chrono>
#include <thread>

namespace cairn {

namespace {

bool isRetried(int status)
{
    // 507: the server's store is full and it refuses new backups; asking again will not help
    // until an operator frees space, so the run fails at once with the server's reason.
    return status == 408 || status == 429 || (status >= 500 && status != 507);
}

QJsonObject errorObject(const HttpReply &reply)
{
    const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
    return doc.object().value(QStringLiteral("error")).toObject();
}

} // namespace

qint64 retryAfterMs(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : std::min<qint64>(seconds, 24 * 3600) * 1000;
    QString date = QString::fromLatin1(v); // an HTTP date: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (date.endsWith(QLatin1String(" GMT")))
        date = date.chopped(3) + QStringLiteral("+0000"); // the form Qt's RFC 2822 parser takes
    const QDateTime at = QDateTime::fromString(date, Qt::RFC2822Date);
    if (!at.isValid())
        return -1;
    return std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at));
}

ServerConnection::ServerConnection(ServerConnectionSettings settings)
    : m_serverUrl(settings.serverUrl), m_retry(settings.retry)
{
    while (m_serverUrl.endsWith(QLatin1Char('/')))
        m_serverUrl.chop(1);
    HttpClientOptions o;
    o.baseUrl = m_serverUrl;
    o.caPem = settings.caPem;
    o.connectTimeoutMs = settings.connectTimeoutMs;
    o.stallSeconds = settings.stallSeconds;
    o.defaultHeaders = {{"Authorization", "Bearer " + settings.token}, {"X-Cairn-Version", CAIRN_VERSION}};
    m_client = std::make_unique<HttpClient>(std::move(o));
    m_client->setAbortCheck([this] { return cancelled(); });
}

ServerConnection::~ServerConnection() = default;

void ServerConnection::setRetryObserver(std::function<void(const Error &, qint64)> observer)
{
    m_retryObserver = std::move(observer);
}

void ServerConnection::setStopCondition(std::function<bool()> stopRequested)
{
    m_stopRequested = std::move(stopRequested);
}

bool ServerConnection::cancelled() const
{
    return m_stopRequested && m_stopRequested();
}

qint64 ServerConnection::bytesSent() const
{
    return m_client->bytesSent();
}

void ServerConnection::setSendRateLimit(qint64 bytesPerSecond)
{
    m_client->setSendRateLimit(bytesPerSecond);
}

bool ServerConnection::waitBeforeRetry(qint64 ms)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!cancelled()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until)
            return true;
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(100)));
    }
    return false;
}

Result<HttpReply> ServerConnection::call(
    const QByteArray &method, const QString &path, const QByteArray &body, const HttpHeaders &headers)
{
    const auto start = std::chrono::steady_clock::now();
    for (int attempt = 0;; ++attempt) {
        if (cancelled())
            return Error(
                ErrorCode::Cancelled, QStringLiteral("%1 %2: cancelled").arg(QString::fromLatin1(method), path));
        Result<HttpReply> reply = m_client->request(method, path, body, headers);
        std::optional<Error> failure;
        qint64 serverWaitMs = -1;
        if (!reply) {
            if (reply.error().code != ErrorCode::Transient)
                return reply.error();
            failure = reply.error();
        } else if (isRetried(reply->status)) {
            failure = replyError(*reply, QStringLiteral("%1 %2").arg(QString::fromLatin1(method), path));
            failure->code = ErrorCode::Transient;
            serverWaitMs = retryAfterMs(reply->header("Retry-After"));
        } else {
            return reply;
        }

        // Exponential backoff with jitter: half the step fixed, half random.
        const qint64 step = std::min<qint64>(m_retry.maxDelayMs, m_retry.initialDelayMs << std::min(attempt, 20));
        qint64 waitMs = step / 2 + qint64(QRandomGenerator::global()->bounded(quint32(step / 2 + 1)));
        waitMs = std::max(waitMs, serverWaitMs);
        const qint64 spentMs
            = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        if (spentMs + waitMs > m_retry.giveUpAfterMs)
            return Error(ErrorCode::Transient,
                QStringLiteral("%1 (gave up after %2 attempts in %3 s)")
                    .arg(failure->message)
                    .arg(attempt + 1)
                    .arg(double(spentMs) / 1000, 0, 'f', 1));
        if (m_retryObserver)
            m_retryObserver(*failure, waitMs);
        if (!waitBeforeRetry(waitMs))
            return Error(
                ErrorCode::Cancelled, failure->message + QStringLiteral(" (cancelled while waiting to retry)"));
    }
}

Result<QJsonObject> ServerConnection::getJson(const QString &path)
{
    auto reply = call("GET", path);
    if (!reply)
        return reply.error();
    if (reply->status / 100 != 2)
        return replyError(*reply, QStringLiteral("GET %1").arg(path));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(reply->body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("GET %1: the answer is not a JSON object").arg(path));
    return doc.object();
}

Result<QJsonObject> ServerConnection::postJson(const QString &path, const QJsonObject &body)
{
    auto reply = call(
        "POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}});
    if (!reply)
        return reply.error();
    if (reply->status / 100 != 2)
        return replyError(*reply, QStringLiteral("POST %1").arg(path));
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(reply->body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("POST %1: the answer is not a JSON object").arg(path));
    return doc.object();
}

QString ServerConnection::errorCodeOf(const HttpReply &reply)
{
    return errorObject(reply).value(QStringLiteral("code")).toString();
}

Error ServerConnection::replyError(const HttpReply &reply, const QString &what)
{
    const QJsonObject e = errorObject(reply);
    const QString code = e.value(QStringLiteral("code")).toString();
    QString message = e.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = QString::fromUtf8(reply.body.left(200)).trimmed();
    const QString text = QStringLiteral("%1: the server answered %2%3%4")
                             .arg(what)
                             .arg(reply.status)
                             .arg(code.isEmpty() ? QString() : QStringLiteral(" ") + code)
                             .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message);
    ErrorCode ec = ErrorCode::Permanent;
    switch (reply.status) {
    case 400:
        if (code == u"id_mismatch" || code == u"bad_pack" || code == u"bad_snapshot")
            ec = ErrorCode::Corrupt;
        else if (code == u"invalid_field" || code == u"bad_request")
            ec = ErrorCode::InvalidArgument;
        break;
    case 401:
    case 403: ec = ErrorCode::PermissionDenied; break;
    case 404: ec = ErrorCode::NotFound; break;
    default: ec = isRetried(reply.status) ? ErrorCode::Transient : ErrorCode::Permanent; break;
    }
    return Error(ec, text);
}

} // namespace cairn
