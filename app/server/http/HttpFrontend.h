// The hardened HTTP front end of cairn-server. QtHttpServer 6.4 (a technology preview) parses
// the requests; a ConnectionGuard on every connection (see ConnectionGuard.h) enforces the
// limits and timeouts of HttpLimits before QtHttpServer buffers anything, and writes the answers.
// Complete requests go to HttpApplication::handle() on a thread pool of limits.workerThreads.
//
// Lives on the thread that created it (the server's main thread), which must run an event loop;
// handle() runs on the pool threads.
//
// Answers come back with QFuture::then(this, ...), not then(socket, ...): in Qt 6.4 a
// continuation whose context object was deleted before the work finished hits
// Q_ASSERT(context) in qfuture_impl.h (an abort in builds without QT_NO_DEBUG), and without
// asserts it checks the context on the worker thread only, racing with the deletion. The front
// end outlives all work (its destructor waits for the pool), and the continuation, which runs on
// this thread, checks a QPointer to the connection's guard before it writes.
#pragma once

#include "base/Result.h"
#include "http/BodyBudget.h"
#include "http/ConnectionGuard.h"
#include "http/HttpLimits.h"
#include "http/HttpTypes.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QThreadPool>

#include <atomic>
#include <optional>

class QTcpServer;

namespace cairn::server {

class HttpFrontend : public QAbstractHttpServer {
    Q_OBJECT

public:
    HttpFrontend(HttpApplication &app, const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpFrontend() override;

    // Listens on address:port (port 0: any free one), with TLS when `tls` is given (the TLS
    // handshake must finish within limits.headerTimeoutMs). Returns the port. Once only.
    Result<quint16> listen(const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls);

    // The limits in force (see effectiveLimits()).
    const HttpLimits &limits() const { return m_limits; }
    // Open connections, TLS handshakes included. Any thread.
    int connectionCount() const { return m_connections.load(std::memory_order_relaxed); }
    // Body bytes reserved by requests being received or handled. Any thread.
    qint64 bufferedBodyBytes() const { return m_budget.reserved(); }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ConnectionGuard *adopt(QTcpSocket *socket, ConnectionGuard::Transport transport);

    HttpApplication &m_app;
    const HttpLimits m_limits;
    BodyBudget m_budget;
    ConnectionGuard::Environment m_environment;
    QThreadPool m_pool;
    QTcpServer *m_listener = nullptr;
    std::atomic<int> m_connections {0};
};

} // namespace cairn::server
