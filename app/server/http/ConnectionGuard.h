// The guard of one client connection of the HTTP front end: a QObject child of the socket, on the
// network thread. It sees every byte before QtHttpServer does, parses each request head itself
// and enforces the limits of HttpLimits (head size and field count, body size per route, the
// global body budget, timeouts, pipelining depth) before QtHttpServer buffers anything that
// matters. It also writes every answer, in request order, and closes the connection when an
// answer asks for it.
//
// How the bytes are shared with QtHttpServer 6.4 (read in its sources, checked on 6.4.2):
// - QAbstractHttpServer connects the socket's readyRead when the listening server announces the
//   socket (pendingConnectionAvailable, emitted synchronously from addPendingConnection; with
//   QSslServer from the socket's `encrypted`). The guard connects before that, so on every
//   readyRead its slot runs first; a second slot, connected right after QtHttpServer's, notes
//   what QtHttpServer left unread.
// - QtHttpServer reads inside a QIODevice transaction (started on readyRead, committed when one
//   request is complete). While it is open the bytes read stay in the socket buffer, but
//   bytesAvailable() and peek() show only the unread ones.
// - On each readyRead it reads everything available (the head byte by byte, the body as
//   min(available, remaining)), except that it stops after a complete request, dispatches it to
//   handleRequest() and re-emits readyRead for the rest (pipelining).
// So of what peek() shows, the first m_unread bytes were already seen by the guard and the rest
// are new. To refuse a request the guard disconnects QtHttpServer's slot from the socket (it never
// sees the request), closes the transaction, answers, and drains input until the client has read
// the answer or lingerMs has passed. The guard's heads agree with QtHttpServer's framing because
// RequestHeadParser accepts only heads QtHttpServer parses the same way, and a dispatched body
// whose size differs from the accepted Content-Length cuts the connection.
//
// QtHttpServer deletes the socket (deleteLater) when it disconnects, and the guard goes with it.
#pragma once

#include "http/BodyBudget.h"
#include "http/HttpLimits.h"
#include "http/HttpTypes.h"
#include "http/RequestHeadParser.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <optional>

class QTcpSocket;

namespace cairn::server {

// "cairn.http": the access log (peer, method, path without query, status, bytes sent, ms, and
// "in=N" for a request body of N bytes) and warnings.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)

class ConnectionGuard : public QObject {
    Q_OBJECT

public:
    // What all guards of one front end share; outlives them.
    struct Environment {
        const HttpLimits *limits = nullptr;
        const HttpApplication *app = nullptr;
        BodyBudget *budget = nullptr;
        QObject *httpServer = nullptr; // the QAbstractHttpServer, whose readyRead slot is cut on refusal
    };
    enum class Transport { Plain, Tls };

    // A complete request for the application, or the answer screening already chose.
    struct Dispatch {
        quint64 seq = 0;
        HttpRequest request;
        std::optional<HttpResponse> immediate;
        std::shared_ptr<std::atomic<bool>> abandoned; // set once nobody will read the answer
    };

    ConnectionGuard(QTcpSocket *socket, const Environment &environment, Transport transport);
    ~ConnectionGuard() override;

    // The guard of a socket, if it has one.
    static ConnectionGuard *of(QTcpSocket *socket);

    // QtHttpServer has connected its readyRead slot (after the guard's): start reading. With TLS the
    // guard calls this itself once the handshake is done.
    void serverAttached();
    // Over the connection limit: answer 503 and close (with TLS once the handshake is done).
    void refuse();
    bool isRefused() const { return m_refused; }

    // QtHttpServer dispatched the next request with this body. Empty when it is not the request
    // the guard accepted next (the connection is then cut).
    std::optional<Dispatch> takeDispatch(const QByteArray &body);
    // The answer to request `seq`; answers are written in request order.
    void respond(quint64 seq, const HttpResponse &response);

private:
    enum class Deadline { None, Head, Body, Idle, Linger };

    // One request, from its accepted head to its written answer.
    struct Exchange {
        QByteArray method; // for the log
        QByteArray path; // raw path without the query, for the log
        bool keepAlive = true;
        bool headRequest = false;
        bool http10 = false;
        bool continuePending = false; // owes "100 Continue" once the earlier answers are out
        bool closeAfter = false;
        qint64 contentLength = 0;
        qint64 reserved = 0; // body budget held until the answer is written
        std::optional<HttpRequestHead> head; // until dispatched
        std::optional<HttpResponse> screened; // screening's answer to a request without body
        std::optional<HttpResponse> answer; // ready, waiting for its turn
        QElapsedTimer clock;
        std::shared_ptr<std::atomic<bool>> abandoned = std::make_shared<std::atomic<bool>>(false);
    };

    void onReadyRead();
    void onReadyReadAfterServer();
    void onDeadline();
    void checkFlushed();

    Exchange exchangeFor(const ParsedRequestHead &head) const;
    void headComplete(qint64 headEnd); // headEnd: bytes from the first unread one to the end of the head
    void closeWith(HttpResponse response, Exchange exchange);
    void takeOver();
    void drainInput();
    void dropExchange(quint64 seq);
    void writeReady();
    void startClosing();
    void arm(Deadline deadline, int ms);
    Exchange stalledExchange() const;
    bool bodyTooSlow() const;
    qint64 unsentBytes() const; // answer bytes not yet handed to the kernel
    void disarm();
    void log(const Exchange &exchange, int status, qint64 bytes) const;

    QTcpSocket *const m_socket;
    const Environment m_env;
    const bool m_tls;
    const QHostAddress m_peer;
    RequestHeadParser m_parser;
    QMetaObject::Connection m_afterServer;
    QTimer m_timer;
    Deadline m_deadline = Deadline::None;
    QElapsedTimer m_headClock;

    bool m_attached = false;
    bool m_refused = false;
    bool m_takenOver = false; // QtHttpServer cut off; input is drained
    bool m_closeQueued = false; // the closing answer is queued
    bool m_closing = false; // the closing answer is written; waiting for it to flush
    bool m_shutDown = false; // our side of the TCP connection is shut
    bool m_lastRequest = false; // a request without keep-alive was accepted: no more heads
    bool m_inBody = false;
    qint64 m_bodyLeft = 0;
    qint64 m_bodyTotal = 0;
    // Body bytes of a refused request still to be read and dropped before the connection closes.
    qint64 m_discardLeft = 0;
    QElapsedTimer m_closingClock;
    static constexpr qint64 kMaxDiscardBytes = 64LL << 20;
    static constexpr qint64 kMaxDiscardMs = 60 * 1000;
    QElapsedTimer m_bodyClock;
    qint64 m_unread = 0; // bytes QtHttpServer left unread that the guard has seen

    quint64 m_nextSeq = 0;
    std::map<quint64, Exchange> m_exchanges; // by request order; written from the lowest
    std::deque<quint64> m_awaitingDispatch; // accepted, not yet dispatched by QtHttpServer
};

} // namespace cairn::server
