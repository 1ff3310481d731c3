// HTTP/1.1 response serialisation (network thread). See the header.
#include "http/ResponseEncoder.h"

#include <QDateTime>
#include <QLocale>

namespace cairn::server {

namespace {

bool equalsIgnoringCase(const QByteArray &a, const char *b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Headers whose value the front end decides; the application's copies are dropped.
bool isFramingHeader(const QByteArray &name)
{
    for (const char *owned : {"content-length", "transfer-encoding", "connection", "keep-alive", "date"}) {
        if (equalsIgnoringCase(name, owned))
            return true;
    }
    return false;
}

// A name or value that could split the header block (response splitting) is never sent.
bool isSafeHeader(const QByteArray &name, const QByteArray &value)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (c <= ' ' || c == ':' || c == 0x7f)
            return false;
    }
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

// RFC 9110 IMF-fixdate, recomputed once a second.
QByteArray httpDate()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        cachedSecond = second;
        cached = QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
    }
    return cached;
}

// An application's status outside 100-599 is answered as 500.
int sentStatus(const HttpResponse &response)
{
    return response.status >= 100 && response.status <= 599 ? response.status : 500;
}

} // namespace

QByteArray ResponseEncoder::reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 507: return "Insufficient Storage";
    default: return "Status";
    }
}

bool ResponseEncoder::bodyAllowed(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

qint64 ResponseEncoder::sentBodyBytes(const HttpResponse &response, const ResponseFraming &framing)
{
    return framing.headRequest || !bodyAllowed(sentStatus(response)) ? 0 : response.body.size();
}

QByteArray ResponseEncoder::encodeHead(const HttpResponse &response, const ResponseFraming &framing)
{
    const int status = sentStatus(response);
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    bool hasCacheControl = false;
    bool isJson = false;
    for (const auto &[name, value] : response.headers) {
        if (isFramingHeader(name) || !isSafeHeader(name, value))
            continue;
        hasCacheControl = hasCacheControl || equalsIgnoringCase(name, "cache-control");
        if (equalsIgnoringCase(name, "content-type"))
            isJson = value.trimmed().toLower().startsWith("application/json");
        out += name + ": " + value + "\r\n";
    }
    if (isJson && !hasCacheControl)
        out += "Cache-Control: no-store\r\n";
    out += "Date: " + httpDate() + "\r\n";
    if (bodyAllowed(status))
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    if (framing.closeConnection)
        out += "Connection: close\r\n";
    else if (framing.http10KeepAlive)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

QByteArray ResponseEncoder::encode(const HttpResponse &response, const ResponseFraming &framing)
{
    QByteArray out = encodeHead(response, framing);
    if (sentBodyBytes(response, framing) > 0)
        out += response.body;
    return out;
}

} // namespace cairn::server
