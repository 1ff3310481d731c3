// The per-connection guard of the HTTP front end (network thread). See the header for how it
// shares the socket with QtHttpServer.
#include "http/ConnectionGuard.h"
#include "http/ResponseEncoder.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <sys/socket.h>

#include <utility>

namespace cairn::server {

Q_LOGGING_CATEGORY(lcHttp, "cairn.http")

namespace {

HttpResponse errorResponse(int status, const char *code, const QString &message)
{
    return HttpResponse::error(status, QString::fromLatin1(code), message);
}

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const Environment &environment, Transport transport)
    : QObject(socket),
      m_socket(socket),
      m_env(environment),
      m_tls(transport == Transport::Tls),
      m_peer(socket->peerAddress()),
      m_parser(environment.limits->maxHeaderCount, environment.limits->maxHeaderBytes)
{
    // Connected before QtHttpServer's slot: this one runs first on every readyRead.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onDeadline);
    if (m_tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        // Not bytesWritten: QSslSocket emits it when the plaintext went into OpenSSL, before the
        // ciphertext reaches the TCP socket, when both write counts briefly read zero.
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &ConnectionGuard::checkFlushed);
        // Connected after QSslServer's own `encrypted` slot, which hands the socket to QtHttpServer.
        connect(ssl, &QSslSocket::encrypted, this, &ConnectionGuard::serverAttached);
    } else {
        connect(socket, &QIODevice::bytesWritten, this, &ConnectionGuard::checkFlushed);
        // A new connection must deliver its first head within the head timeout.
        arm(Deadline::Head, m_env.limits->headerTimeoutMs);
    }
}

ConnectionGuard::~ConnectionGuard()
{
    for (auto &[seq, exchange] : m_exchanges) {
        exchange.abandoned->store(true);
        m_env.budget->release(exchange.reserved);
    }
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::serverAttached()
{
    if (m_attached)
        return;
    m_attached = true;
    m_afterServer = connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyReadAfterServer);
    if (m_tls)
        arm(Deadline::Head, m_env.limits->headerTimeoutMs);
    if (m_refused)
        closeWith(errorResponse(503, "too_many_connections", QStringLiteral("too many connections")), Exchange());
}

void ConnectionGuard::refuse()
{
    m_refused = true;
    if (!m_tls || m_attached)
        closeWith(errorResponse(503, "too_many_connections", QStringLiteral("too many connections")), Exchange());
}

void ConnectionGuard::onReadyRead()
{
    if (m_takenOver) {
        drainInput();
        return;
    }
    if (!m_attached)
        return;
    const qint64 available = m_socket->bytesAvailable();
    qint64 pos = m_unread;
    QByteArray window; // what peek() shows, from the first byte QtHttpServer has not read
    while (pos < available && !m_takenOver) {
        if (m_inBody) {
            const qint64 n = qMin(m_bodyLeft, available - pos);
            pos += n;
            m_bodyLeft -= n;
            if (m_bodyLeft > 0) {
                if (bodyTooSlow()) {
                    closeWith(errorResponse(408, "request_timeout", QStringLiteral("the request body arrives too slowly")),
                              stalledExchange());
                    return;
                }
                arm(Deadline::Body, m_env.limits->idleTimeoutMs);
            } else {
                m_inBody = false;
                disarm();
            }
            continue;
        }
        if (m_lastRequest)
            break; // nothing after a request without keep-alive is parsed
        if (!m_parser.started()) {
            m_headClock.start();
            if (m_deadline != Deadline::Head)
                arm(Deadline::Head, m_env.limits->headerTimeoutMs);
        }
        // Never look further than the head may still grow (plus one byte to see it is too large).
        const qint64 end = qMin(available, pos + m_parser.bytesLeft() + 1);
        if (window.size() < end)
            window = m_socket->peek(end);
        if (window.size() < end)
            break;
        pos += m_parser.feed(QByteArrayView(window).sliced(pos, end - pos));
        if (m_parser.state() == RequestHeadParser::State::Failed) {
            const int status = m_parser.failureStatus();
            closeWith(
                errorResponse(status, status == 431 ? "header_too_large" : "bad_request", m_parser.failureMessage()),
                exchangeFor(m_parser.head()));
            return;
        }
        if (m_parser.state() == RequestHeadParser::State::Complete)
            headComplete(pos);
    }
    if (!m_takenOver)
        m_unread = available; // until onReadyReadAfterServer() says what QtHttpServer left
}

void ConnectionGuard::onReadyReadAfterServer()
{
    if (!m_takenOver)
        m_unread = m_socket->bytesAvailable();
}

ConnectionGuard::Exchange ConnectionGuard::exchangeFor(const ParsedRequestHead &head) const
{
    Exchange e;
    e.method = head.method;
    e.path = head.rawPath();
    e.keepAlive = head.keepAlive;
    e.headRequest = head.method == "HEAD";
    e.http10 = head.minorVersion == 0;
    e.clock = m_headClock;
    return e;
}

void ConnectionGuard::headComplete(qint64 headEnd)
{
    const ParsedRequestHead &parsed = m_parser.head();
    Exchange exchange = exchangeFor(parsed);
    const qint64 length = qMax<qint64>(0, parsed.contentLength);
    if (parsed.transferEncoding) {
        return closeWith(errorResponse(411, "length_required", QStringLiteral("a request body needs a Content-Length")),
            std::move(exchange));
    }
    if (parsed.webSocketUpgrade) { // QtHttpServer 6.4 would close the connection without an answer
        return closeWith(
            errorResponse(400, "upgrade_unsupported", QStringLiteral("WebSocket upgrades are not supported")),
            std::move(exchange));
    }
    const bool expectContinue = parsed.expect.compare("100-continue", Qt::CaseInsensitive) == 0;
    if (!parsed.expect.isEmpty() && !expectContinue) {
        return closeWith(errorResponse(417, "expectation_failed", QStringLiteral("only 100-continue is supported")),
            std::move(exchange));
    }
    // Whatever the answer, a client that does not read answers or piles up requests is cut.
    if (unsentBytes() > m_env.limits->maxUnsentBytes) {
        return closeWith(errorResponse(503, "not_reading", QStringLiteral("earlier answers were not read")),
            std::move(exchange));
    }
    if (m_exchanges.size() >= size_t(m_env.limits->maxPipelinedRequests)) {
        return closeWith(errorResponse(503, "too_many_requests", QStringLiteral("too many pipelined requests")),
            std::move(exchange));
    }
    HttpRequestHead head = parsed.toRequestHead(m_peer);
    HttpApplication::Screening screening = m_env.app->screen(head);
    if (screening.reject && length > 0) { // answered at once; the body is not wanted
        // A client that does not wait for 100-continue is sending it anyway: read and drop it
        // (up to a pack's size) before closing, so that the client gets to read the answer.
        // Counted from the first byte QtHttpServer has not read: this head, then its body.
        if (!expectContinue && length <= kMaxDiscardBytes)
            m_discardLeft = headEnd + length;
        return closeWith(std::move(*screening.reject), std::move(exchange));
    }
    if (!screening.reject) {
        if (length > screening.maxBody) {
            return closeWith(errorResponse(413, "payload_too_large",
                                 QStringLiteral("the body may be at most %1 bytes").arg(screening.maxBody)),
                std::move(exchange));
        }
        if (!m_env.budget->tryReserve(length)) {
            HttpResponse busy = errorResponse(503, "server_busy", QStringLiteral("too many uploads in progress"));
            busy.withHeader("Retry-After", "1");
            return closeWith(std::move(busy), std::move(exchange));
        }
        exchange.reserved = length;
        exchange.head = std::move(head);
    } else {
        exchange.screened = std::move(screening.reject);
    }
    exchange.contentLength = length;
    exchange.continuePending = expectContinue && length > 0 && parsed.minorVersion == 1;
    m_lastRequest = !exchange.keepAlive;
    const quint64 seq = m_nextSeq++;
    m_exchanges.emplace(seq, std::move(exchange));
    m_awaitingDispatch.push_back(seq);
    m_parser.reset();
    m_bodyLeft = length;
    m_bodyTotal = length;
    m_bodyClock.start();
    m_inBody = length > 0;
    if (m_inBody)
        arm(Deadline::Body, m_env.limits->idleTimeoutMs);
    else
        disarm();
    writeReady(); // a "100 Continue" goes out now if no earlier answer is pending
}

std::optional<ConnectionGuard::Dispatch> ConnectionGuard::takeDispatch(const QByteArray &body)
{
    if (m_awaitingDispatch.empty() || m_takenOver) {
        qCWarning(lcHttp) << "unexpected request from" << m_peer.toString() << "- connection cut";
        m_socket->abort();
        return std::nullopt;
    }
    const quint64 seq = m_awaitingDispatch.front();
    m_awaitingDispatch.pop_front();
    Exchange &exchange = m_exchanges.at(seq);
    if (body.size() != exchange.contentLength) {
        qCWarning(lcHttp) << "request framing mismatch with" << m_peer.toString() << "- connection cut";
        m_socket->abort();
        return std::nullopt;
    }
    Dispatch dispatch;
    dispatch.seq = seq;
    dispatch.abandoned = exchange.abandoned;
    if (exchange.screened) {
        dispatch.immediate = std::move(exchange.screened);
    } else {
        static_cast<HttpRequestHead &>(dispatch.request) = std::move(*exchange.head);
        dispatch.request.body = body;
    }
    exchange.head.reset();
    if (!exchange.keepAlive)
        takeOver(); // whatever follows a last request is never parsed
    return dispatch;
}

void ConnectionGuard::respond(quint64 seq, const HttpResponse &response)
{
    auto it = m_exchanges.find(seq);
    if (it == m_exchanges.end() || it->second.answer)
        return;
    it->second.answer = response;
    writeReady();
}

void ConnectionGuard::closeWith(HttpResponse response, Exchange exchange)
{
    if (m_closeQueued)
        return;
    m_closeQueued = true;
    takeOver();
    // Accepted requests QtHttpServer has not dispatched are never answered: the client sees the
    // connection close after the answers to the earlier ones and this one.
    for (quint64 seq : m_awaitingDispatch)
        dropExchange(seq);
    m_awaitingDispatch.clear();
    exchange.answer = std::move(response);
    exchange.closeAfter = true;
    exchange.continuePending = false;
    if (!exchange.clock.isValid())
        exchange.clock.start();
    m_exchanges.emplace(m_nextSeq++, std::move(exchange));
    writeReady();
}

void ConnectionGuard::takeOver()
{
    if (m_takenOver)
        return;
    m_takenOver = true;
    if (m_env.httpServer)
        QObject::disconnect(m_socket, &QIODevice::readyRead, m_env.httpServer, nullptr);
    QObject::disconnect(m_afterServer);
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    disarm();
    drainInput();
}

void ConnectionGuard::drainInput()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    m_socket->skip(available);
    if (m_discardLeft <= 0)
        return;
    m_discardLeft = qMax<qint64>(0, m_discardLeft - available);
    if (!m_closing)
        return;
    if (m_discardLeft == 0)
        checkFlushed();
    else if (m_closingClock.elapsed() < kMaxDiscardMs)
        arm(Deadline::Linger, m_env.limits->lingerMs); // still arriving: keep waiting for the rest
}

void ConnectionGuard::dropExchange(quint64 seq)
{
    auto it = m_exchanges.find(seq);
    if (it == m_exchanges.end())
        return;
    it->second.abandoned->store(true);
    m_env.budget->release(it->second.reserved);
    m_exchanges.erase(it);
}

void ConnectionGuard::writeReady()
{
    if (m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return; // a gone client's socket is about to be deleted, and this guard with it
    // The lowest open exchange is next: every earlier one was written or dropped.
    for (auto it = m_exchanges.begin(); it != m_exchanges.end(); it = m_exchanges.begin()) {
        Exchange &exchange = it->second;
        if (exchange.continuePending) {
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            exchange.continuePending = false;
        }
        if (!exchange.answer)
            return;
        ResponseFraming framing;
        framing.headRequest = exchange.headRequest;
        framing.closeConnection = exchange.closeAfter || !exchange.keepAlive;
        framing.http10KeepAlive = exchange.http10 && !framing.closeConnection;
        // Head and body are written apart: the socket's buffer keeps a (shared) body of a pack
        // as it is instead of copying 16 MiB into one response string.
        m_socket->write(ResponseEncoder::encodeHead(*exchange.answer, framing));
        const qint64 bodyBytes = ResponseEncoder::sentBodyBytes(*exchange.answer, framing);
        if (bodyBytes > 0)
            m_socket->write(exchange.answer->body);
        log(exchange, exchange.answer->status, bodyBytes);
        m_env.budget->release(exchange.reserved);
        m_exchanges.erase(it);
        if (framing.closeConnection)
            return startClosing();
    }
    if (!m_takenOver && !m_inBody && m_exchanges.empty() && !m_parser.started())
        arm(Deadline::Idle, m_env.limits->idleTimeoutMs);
}

void ConnectionGuard::startClosing()
{
    takeOver();
    m_closing = true;
    for (auto it = m_exchanges.begin(); it != m_exchanges.end(); it = m_exchanges.begin())
        dropExchange(it->first);
    m_awaitingDispatch.clear();
    m_closingClock.start();
    arm(Deadline::Linger, m_env.limits->lingerMs);
    checkFlushed();
}

void ConnectionGuard::checkFlushed()
{
    if (!m_closing) {
        // An answer still going out (a big download to a slow client) is not idleness.
        if (m_deadline == Deadline::Idle)
            arm(Deadline::Idle, m_env.limits->idleTimeoutMs);
        return;
    }
    if (m_shutDown)
        return;
    if (unsentBytes() > 0 || m_discardLeft > 0)
        return;
    // The answer is with the kernel: end our direction so the client sees it complete, and keep
    // draining its input until it closes too or the linger time is over.
    m_shutDown = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void ConnectionGuard::onDeadline()
{
    const Deadline expired = std::exchange(m_deadline, Deadline::None);
    switch (expired) {
    case Deadline::Head:
        if (m_parser.started()) {
            closeWith(errorResponse(408, "request_timeout", QStringLiteral("the request head took too long")),
                exchangeFor(m_parser.head()));
        } else {
            m_socket->abort(); // nothing arrived on a new connection
        }
        break;
    case Deadline::Body:
        closeWith(errorResponse(408, "request_timeout", QStringLiteral("the request body stalled")), stalledExchange());
        break;
    case Deadline::Idle:
        // A client that stopped reading never lets a graceful close finish: cut it.
        if (unsentBytes() > 0)
            m_socket->abort();
        else
            m_socket->disconnectFromHost();
        break;
    case Deadline::Linger: m_socket->abort(); break;
    case Deadline::None: break;
    }
}

ConnectionGuard::Exchange ConnectionGuard::stalledExchange() const
{
    Exchange stalled; // logged under the request whose body stopped; that one is dropped
    if (!m_awaitingDispatch.empty()) {
        const Exchange &receiving = m_exchanges.at(m_awaitingDispatch.back());
        stalled.method = receiving.method;
        stalled.path = receiving.path;
        stalled.clock = receiving.clock;
    }
    return stalled;
}

bool ConnectionGuard::bodyTooSlow() const
{
    const qint64 ms = m_bodyClock.elapsed();
    if (ms <= m_env.limits->idleTimeoutMs)
        return false;
    const qint64 received = m_bodyTotal - m_bodyLeft;
    return received * 1000 < m_env.limits->minBodyBytesPerSecond * ms;
}

qint64 ConnectionGuard::unsentBytes() const
{
    qint64 pending = m_socket->bytesToWrite();
    if (m_tls)
        pending += static_cast<QSslSocket *>(m_socket)->encryptedBytesToWrite();
    return pending;
}

void ConnectionGuard::arm(Deadline deadline, int ms)
{
    m_deadline = deadline;
    m_timer.start(ms);
}

void ConnectionGuard::disarm()
{
    m_deadline = Deadline::None;
    m_timer.stop();
}

void ConnectionGuard::log(const Exchange &exchange, int status, qint64 bytes) const
{
    qCInfo(lcHttp).noquote().nospace() << m_peer.toString() << ' '
                                       << (exchange.method.isEmpty() ? QByteArray("-") : exchange.method) << ' '
                                       << (exchange.path.isEmpty() ? QByteArray("-") : exchange.path) << ' ' << status
                                       << ' ' << bytes << ' '
                                       << (exchange.clock.isValid() ? exchange.clock.elapsed() : 0) << "ms"
                                       << (exchange.contentLength > 0 ? QStringLiteral(" in=%1").arg(exchange.contentLength)
                                                                      : QString());
}

} // namespace cairn::server
