// ServerConnection: an enrolled agent's authenticated channel to its Cairn server. Every request
// carries the agent token (`Authorization: Bearer ca_…`) and `X-Cairn-Version`, and is retried
// while the failure is transient — transport errors, 408, 429 and 5xx — with exponential backoff
// and jitter (250 ms doubling to 30 s; a Retry-After from the server is honoured) until the retry
// budget (default 10 minutes) is spent; then the last error is returned as ErrorCode::Transient.
// Retrying is safe because everything an agent writes is content-addressed (same name, same
// bytes). Other answers come back to the caller, which gives them meaning; replyError() maps the
// usual ones (404 NotFound, 401/403 PermissionDenied, 400 InvalidArgument or Corrupt, ...).
// Thread-safe: any number of threads may call at once (each borrows a pooled connection).
#pragma once

#include "base/Result.h"
#include "remote/HttpClient.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

namespace cairn {

struct RetryPolicy {
    qint64 initialDelayMs = 250;
    qint64 maxDelayMs = 30000;
    qint64 giveUpAfterMs = 10 * 60 * 1000; // total time spent retrying one request
};

struct ServerConnectionSettings {
    QString serverUrl; // https://host:port
    QByteArray caPem; // the pinned trust anchor
    QByteArray token; // the agent token; a secret
    RetryPolicy retry;
    int connectTimeoutMs = 15000;
    int stallSeconds = 60;
};

class ServerConnection {
public:
    explicit ServerConnection(ServerConnectionSettings settings);
    ~ServerConnection();

    QString serverUrl() const { return m_serverUrl; }
    const RetryPolicy &retryPolicy() const { return m_retry; }

    // One request with retries as described above. A reply is returned for every status except
    // the retried ones (they end as a Transient error when the budget is spent).
    Result<HttpReply> call(const QByteArray &method, const QString &path, const QByteArray &body = QByteArray(),
        const HttpHeaders &headers = {});
    // call() that needs a 2xx JSON object answer; anything else becomes replyError().
    Result<QJsonObject> getJson(const QString &path);
    Result<QJsonObject> postJson(const QString &path, const QJsonObject &body);

    // Called before each wait between attempts (from the calling thread): the error being
    // retried and the wait in milliseconds. For logging; the message holds no secret. Set it
    // before the connection is shared between threads.
    void setRetryObserver(std::function<void(const Error &, qint64 waitMs)> observer);
    // Caps the upload speed of each request (bytes per second, 0 = none): a policy's bandwidth
    // limit. Requests are one at a time where it matters (the repository saves packs from one
    // thread), so this is the agent's upload rate. Any thread.
    void setSendRateLimit(qint64 bytesPerSecond);
    // While `stopRequested` answers true, calls end with ErrorCode::Cancelled: it is asked
    // before each attempt (later calls end before they start), every 100 ms while waiting to
    // retry (they end at once) and at least once a second during a transfer (it stops within
    // about a second), from the threads making calls. A job's stop flags, so that a stop also
    // reaches a call nobody else is watching. Set before the connection is shared between threads.
    void setStopCondition(std::function<bool()> stopRequested);
    // Request body bytes sent so far (uploads, counted as they go, retries included).
    qint64 bytesSent() const;

    // The error a reply stands for, for a status the caller did not expect. `what` names the
    // request ("PUT pack 1a2b…"); the server's {"error":{"code","message"}} is included.
    static Error replyError(const HttpReply &reply, const QString &what);
    // The server's error code ("id_mismatch", ...) of an error answer, or empty.
    static QString errorCodeOf(const HttpReply &reply);

private:
    bool waitBeforeRetry(qint64 ms);
    bool cancelled() const; // the stop condition holds

    QString m_serverUrl;
    RetryPolicy m_retry;
    std::unique_ptr<HttpClient> m_client;
    std::function<void(const Error &, qint64)> m_retryObserver;
    std::function<bool()> m_stopRequested;
};

// Retry-After in milliseconds (delta-seconds or an HTTP date), or -1 if absent or unreadable.
qint64 retryAfterMs(const QByteArray &value);

} // namespace cairn
