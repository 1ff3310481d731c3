// Incremental, strict HTTP/1.x request-head parser (network thread, no I/O). See the header.
#include "http/RequestHeadParser.h"

#include <QUrlQuery>

#include <cstring>
#include <utility>

namespace cairn::server {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// A control character other than horizontal tab (field values may not contain them).
bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
}

QByteArrayView trimBlanks(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

bool equalsIgnoringCase(QByteArrayView a, const char *b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray ParsedRequestHead::rawPath() const
{
    qsizetype end = target.size();
    for (const char stop : {'?', '#'}) {
        const qsizetype i = target.indexOf(stop);
        if (i >= 0 && i < end)
            end = i;
    }
    return target.first(end);
}

QByteArray ParsedRequestHead::rawQuery() const
{
    const qsizetype q = target.indexOf('?');
    if (q < 0)
        return QByteArray();
    const qsizetype hash = target.indexOf('#', q);
    return target.mid(q + 1, hash < 0 ? -1 : hash - q - 1);
}

HttpRequestHead ParsedRequestHead::toRequestHead(const QHostAddress &peer) const
{
    HttpRequestHead h;
    h.method = method;
    h.path = QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath()));
    h.query = QUrlQuery(QString::fromUtf8(rawQuery()));
    h.headers = headers;
    h.peer = peer;
    return h;
}

RequestHeadParser::RequestHeadParser(int maxHeaderCount, int maxHeaderBytes)
    : m_maxCount(maxHeaderCount), m_maxBytes(maxHeaderBytes)
{
}

void RequestHeadParser::reset()
{
    m_state = State::Incomplete;
    m_haveRequestLine = false;
    m_line.clear();
    m_head = ParsedRequestHead();
    m_failureStatus = 0;
    m_failureMessage.clear();
}

qsizetype RequestHeadParser::feed(QByteArrayView data)
{
    if (m_state != State::Incomplete)
        return 0;
    qsizetype taken = 0;
    while (taken < data.size()) {
        const qsizetype newline = data.indexOf('\n', taken);
        const qsizetype end = newline < 0 ? data.size() : newline + 1;
        if (end - taken > bytesLeft()) {
            m_head.bytes = m_maxBytes + 1;
            fail(431, QStringLiteral("request head larger than %1 bytes").arg(m_maxBytes));
            return data.size();
        }
        m_head.bytes += end - taken;
        if (newline < 0) {
            m_line.append(data.sliced(taken));
            return data.size();
        }
        m_line.append(data.sliced(taken, newline - taken));
        taken = end;
        takeLine(m_line);
        m_line.clear();
        if (m_state != State::Incomplete)
            break;
    }
    return taken;
}

void RequestHeadParser::takeLine(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (!m_haveRequestLine) {
        if (!line.isEmpty()) // empty lines before a request are skipped (RFC 9112 2.2)
            parseRequestLine(line);
        return;
    }
    if (line.isEmpty())
        finish();
    else
        parseHeaderLine(line);
}

void RequestHeadParser::parseRequestLine(QByteArrayView line)
{
    // request-line = method SP request-target SP HTTP-version
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1)
        return fail(400, QStringLiteral("malformed request line"));
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return fail(400, QStringLiteral("malformed request method"));
    if (version == "HTTP/1.1")
        m_head.minorVersion = 1;
    else if (version == "HTTP/1.0")
        m_head.minorVersion = 0;
    else
        return fail(400, QStringLiteral("unsupported protocol version"));
    if (!target.startsWith('/'))
        return fail(400, QStringLiteral("request target is not an absolute path"));
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return fail(400, QStringLiteral("invalid character in request target"));
    }
    m_head.method = method.toByteArray();
    m_head.target = target.toByteArray();
    m_haveRequestLine = true;
}

void RequestHeadParser::parseHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, QStringLiteral("folded header line"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return fail(400, QStringLiteral("malformed header field"));
    const QByteArrayView value = line.sliced(colon + 1);
    for (char c : value) {
        if (isControl(c))
            return fail(400, QStringLiteral("control character in header field"));
    }
    if (m_head.headers.size() >= m_maxCount)
        return fail(431, QStringLiteral("more than %1 header fields").arg(m_maxCount));
    m_head.headers.append({line.first(colon).toByteArray(), trimBlanks(value).toByteArray()});
}

void RequestHeadParser::finish()
{
    int hosts = 0;
    int lengths = 0;
    bool close = false;
    bool keepAlive = false;
    bool connectionUpgrade = false;
    bool upgradeToWebSocket = false;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (equalsIgnoringCase(name, "host")) {
            ++hosts;
        } else if (equalsIgnoringCase(name, "content-length")) {
            ++lengths;
            bool digits = !value.isEmpty() && value.size() <= 18;
            for (char c : value)
                digits = digits && c >= '0' && c <= '9';
            if (!digits)
                return fail(400, QStringLiteral("invalid Content-Length"));
            m_head.contentLength = value.toLongLong();
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            m_head.transferEncoding = true;
        } else if (equalsIgnoringCase(name, "upgrade")) {
            upgradeToWebSocket = upgradeToWebSocket || value.toLower().contains("websocket");
        } else if (equalsIgnoringCase(name, "connection")) {
            // QtHttpServer looks for the substring, not the token.
            connectionUpgrade = connectionUpgrade || value.toLower().contains("upgrade");
            for (const QByteArray &token : value.split(',')) {
                const QByteArrayView t = trimBlanks(token);
                close = close || equalsIgnoringCase(t, "close");
                keepAlive = keepAlive || equalsIgnoringCase(t, "keep-alive");
            }
        } else if (equalsIgnoringCase(name, "expect")) {
            // Several Expect fields are joined, which never reads as a plain "100-continue".
            m_head.expect = m_head.expect.isEmpty() ? value : m_head.expect + ", " + value;
        }
    }
    // Duplicates are refused, not merged: QtHttpServer 6.4 would read "5, 5" as no length at all.
    if (lengths > 1)
        return fail(400, QStringLiteral("more than one Content-Length"));
    if (hosts > 1 || (hosts == 0 && m_head.minorVersion == 1))
        return fail(400, QStringLiteral("an HTTP/1.1 request needs exactly one Host"));
    for (char c : QByteArray::fromPercentEncoding(m_head.rawPath())) {
        if (isControl(c) || c == '\t')
            return fail(400, QStringLiteral("control character in path"));
    }
    m_head.keepAlive = !close && (m_head.minorVersion == 1 || keepAlive);
    m_head.webSocketUpgrade = connectionUpgrade && upgradeToWebSocket;
    m_state = State::Complete;
}

void RequestHeadParser::fail(int status, const QString &message)
{
    m_state = State::Failed;
    m_failureStatus = status;
    m_failureMessage = message;
}

} // namespace cairn::server
