// Incremental, strict parser of an HTTP/1.x request head (request line and header fields), fed
// the bytes of a connection as they arrive. Used by ConnectionGuard on the network thread; pure
// logic without I/O.
//
// It accepts only what QtHttpServer 6.4 parses the same way, so that both agree where a request
// ends: CRLF or LF line ends, empty lines before the request line skipped, no obsolete line
// folding, token header names, at most 100 fields (see HttpLimits). Anything else fails with 400,
// and too many or too large headers with 431, as soon as the limit is passed (the parser never
// holds more than maxHeaderBytes).
#pragma once

#include "http/HttpTypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace cairn::server {

struct ParsedRequestHead {
    QByteArray method; // a token, as sent
    QByteArray target; // origin-form, as sent: "/path?query"
    int minorVersion = 1; // HTTP/1.<minorVersion>
    HttpHeaders headers; // names and values as sent (values without surrounding blanks)
    qint64 contentLength = -1; // -1: no Content-Length
    bool transferEncoding = false; // a Transfer-Encoding header was sent
    bool keepAlive = true; // from the version and the Connection header
    QByteArray expect; // the Expect value; empty if none
    bool webSocketUpgrade = false; // Connection mentions "upgrade" and Upgrade "websocket"
    qint64 bytes = 0; // size of the head on the wire

    QByteArray rawPath() const; // the target up to '?' or '#', still percent-encoded
    QByteArray rawQuery() const; // between '?' and '#'
    // The application's view of the head.
    HttpRequestHead toRequestHead(const QHostAddress &peer) const;
};

class RequestHeadParser {
public:
    enum class State {
        Incomplete, // more bytes needed (possibly none seen yet)
        Complete, // head() is valid; the bytes after it belong to the body or the next request
        Failed, // failureStatus() / failureMessage() say why
    };

    RequestHeadParser(int maxHeaderCount, int maxHeaderBytes);

    // Takes bytes of `data` up to the end of the head and returns how many it took (all of them
    // unless the head completed inside `data`). Takes nothing once Complete or Failed.
    qsizetype feed(QByteArrayView data);

    State state() const { return m_state; }
    // At least one byte of this head has arrived (an empty line before the request line counts).
    bool started() const { return m_head.bytes > 0; }
    // Bytes the head may still grow by before it is too large.
    qint64 bytesLeft() const { return m_maxBytes - m_head.bytes; }
    const ParsedRequestHead &head() const { return m_head; }
    int failureStatus() const { return m_failureStatus; }
    const QString &failureMessage() const { return m_failureMessage; }

    // Ready for the next request on the connection.
    void reset();

private:
    void takeLine(QByteArrayView line);
    void parseRequestLine(QByteArrayView line);
    void parseHeaderLine(QByteArrayView line);
    void finish();
    void fail(int status, const QString &message);

    int m_maxCount;
    qint64 m_maxBytes;
    State m_state = State::Incomplete;
    bool m_haveRequestLine = false;
    QByteArray m_line; // the current, incomplete line
    ParsedRequestHead m_head;
    int m_failureStatus = 0;
    QString m_failureMessage;
};

} // namespace cairn::server
