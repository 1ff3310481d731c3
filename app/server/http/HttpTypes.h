// The request/response values that pass between the hardened HTTP front end (HttpFrontend, which
// owns the sockets) and the application (the API router). Plain value types, thread-agnostic:
// the front end builds an HttpRequest on the network thread and the application answers it on a
// worker thread.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace cairn::server {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// What is known once the request head (request line and headers) has arrived.
struct HttpRequestHead {
    QByteArray method;    // "GET", "HEAD", "PUT", ... as sent (HEAD is answered like GET minus the body)
    QString path;         // percent-decoded path, e.g. "/api/v1/agent/packs/ab12..."
    QUrlQuery query;
    HttpHeaders headers;  // names as sent; look up with header()
    QHostAddress peer;

    // The first header with this name (case-insensitive), or an empty array.
    QByteArray header(const QByteArray &name) const;
};

struct HttpRequest : HttpRequestHead {
    QByteArray body;
};

struct HttpResponse {
    int status = 200;
    HttpHeaders headers;  // Content-Length is added by the front end
    QByteArray body;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse bytes(int status, const QByteArray &body, const QByteArray &contentType);
    // {"error": {"code": code, "message": message[, "field": field]}}
    static HttpResponse error(int status, const QString &code, const QString &message,
                              const QString &field = QString());
    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value);
};

// The application behind the front end.
class HttpApplication {
public:
    virtual ~HttpApplication() = default;

    // Decided from the head alone, before any body byte is buffered. Called on the network thread:
    // must be quick and must not block (no database, no disk).
    struct Screening {
        std::optional<HttpResponse> reject; // answer with this at once (404, 405 + Allow, ...)
        qint64 maxBody = 0;                 // largest Content-Length this route accepts (else 413)
    };
    virtual Screening screen(const HttpRequestHead &head) const = 0;

    // Answers a complete request. Called on a worker thread; may block on the database or disk.
    virtual HttpResponse handle(const HttpRequest &request) = 0;
};

} // namespace cairn::server
