// HttpClient: synchronous HTTPS requests from the agent to its Cairn server (libcurl underneath,
// hidden here). The server is verified against one pinned certificate given as PEM in memory,
// with normal hostname checks; only enrollment's first request, which fetches that certificate
// to check its fingerprint, runs without verification. Connections are kept alive and reused:
// each request borrows an idle transfer handle from a pool (and returns it), so one instance may
// be used from any number of threads at once. Request bodies come from memory; the whole answer
// (status, headers, body) is returned. Transport failures become errors: Transient when a retry
// may help (refused, reset, timed out), Permanent when the server's certificate is not trusted.
// Nothing is logged, so tokens in headers never reach a log.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace cairn {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct HttpClientOptions {
    QString baseUrl; // "https://host:port", no trailing slash needed
    QByteArray caPem; // the only trusted CA (PEM); required when verifyPeer
    bool verifyPeer = true; // false only to fetch the trust anchor during enrollment
    int connectTimeoutMs = 15000; // TCP connect plus TLS handshake
    int stallSeconds = 60; // abort a transfer that moves no byte for this long
    qint64 maxResponseBytes = qint64(1) << 30;
    HttpHeaders defaultHeaders; // sent with every request (e.g. the version)
};

struct HttpReply {
    int status = 0;
    HttpHeaders headers; // of the final response, names as sent
    QByteArray body;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty if absent
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    const HttpClientOptions &options() const { return m_options; }

    // Caps the upload speed of each request started afterwards (bytes per second; 0 = no cap).
    // Any thread.
    void setSendRateLimit(qint64 bytesPerSecond) { m_sendRateLimit = bytesPerSecond; }
    qint64 sendRateLimit() const { return m_sendRateLimit; }
    // Asked during every transfer (at least once a second, from the thread making the request):
    // while it answers true, requests end as Cancelled, also in the middle of a transfer. Set
    // before the client is shared between threads.
    void setAbortCheck(std::function<bool()> aborted) { m_aborted = std::move(aborted); }
    // Request body bytes sent so far by all requests (counted as they go). Any thread.
    qint64 bytesSent() const { return m_bytesSent; }

    // `path` starts with '/' and may carry a query. A body is sent for any method when given
    // (Content-Type from `headers`, default application/octet-stream). "HEAD" reads no body.
    Result<HttpReply> request(const QByteArray &method, const QString &path, const QByteArray &body = QByteArray(),
        const HttpHeaders &headers = {});

private:
    struct Pool;
    HttpClientOptions m_options;
    std::unique_ptr<Pool> m_pool;
    std::atomic<qint64> m_sendRateLimit {0};
    std::function<bool()> m_aborted;
    std::atomic<qint64> m_bytesSent {0};
};

} // namespace cairn
