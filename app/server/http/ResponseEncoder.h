// Turns an HttpResponse into the bytes of an HTTP/1.1 response: status line, the application's
// headers (minus the framing ones the front end owns), Date, Content-Length, Connection and
// Cache-Control: no-store for JSON. Pure functions, used by ConnectionGuard on the network thread.
#pragma once

#include "http/HttpTypes.h"

#include <QByteArray>

namespace cairn::server {

struct ResponseFraming {
    bool headRequest = false; // answer to HEAD: headers (with the GET Content-Length), no body
    bool closeConnection = false; // add "Connection: close"
    bool http10KeepAlive = false; // an HTTP/1.0 client asked for keep-alive: confirm it
};

class ResponseEncoder {
public:
    // "Not Found" for 404; "Status" for codes without a phrase.
    static QByteArray reasonPhrase(int status);
    // 1xx, 204 and 304 answers carry neither a body nor a Content-Length.
    static bool bodyAllowed(int status);
    // The status line and headers, up to and including the empty line.
    static QByteArray encodeHead(const HttpResponse &response, const ResponseFraming &framing);
    // The complete response: head, then the body unless HEAD or not allowed.
    static QByteArray encode(const HttpResponse &response, const ResponseFraming &framing);
    // The bytes of the body that encode() sends.
    static qint64 sentBodyBytes(const HttpResponse &response, const ResponseFraming &framing);
};

} // namespace cairn::server
