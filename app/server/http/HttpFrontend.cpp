// The hardened HTTP front end (its own thread; handlers on the pool). See the header.
#include "http/HttpFrontend.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <exception>
#include <functional>
#include <utility>

#include <unistd.h>

namespace cairn::server {

namespace {

// Plain TCP listener that puts a guard on each socket before QtHttpServer sees it.
class GuardedTcpServer : public QTcpServer {
public:
    using Adopt = std::function<ConnectionGuard *(QTcpSocket *)>;
    explicit GuardedTcpServer(Adopt adopt) : m_adopt(std::move(adopt)) { }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            ::close(int(descriptor));
            return;
        }
        ConnectionGuard *guard = m_adopt(socket);
        if (guard->isRefused())
            return; // answered by the guard alone; the socket deletes itself when it disconnects
        // QAbstractHttpServer takes the socket and connects its readyRead slot in here, after
        // the guard's.
        addPendingConnection(socket);
        guard->serverAttached();
    }

private:
    Adopt m_adopt;
};

} // namespace

HttpFrontend::HttpFrontend(HttpApplication &app, const HttpLimits &limits, QObject *parent)
    : QAbstractHttpServer(parent),
      m_app(app),
      m_limits(effectiveLimits(limits)),
      m_budget(m_limits.maxBufferedBodyBytes)
{
    m_environment.limits = &m_limits;
    m_environment.app = &m_app;
    m_environment.budget = &m_budget;
    m_environment.httpServer = this;
    m_pool.setMaxThreadCount(m_limits.workerThreads);
    m_pool.setObjectName(QStringLiteral("cairn-http-workers"));
}

HttpFrontend::~HttpFrontend()
{
    // The guards report to this object: drop the connections while it is still whole. Their
    // requests are marked abandoned, so queued handler work returns at once.
    delete std::exchange(m_listener, nullptr);
    m_pool.waitForDone();
}

Result<quint16> HttpFrontend::listen(
    const QHostAddress &address, quint16 port, const std::optional<QSslConfiguration> &tls)
{
    if (m_listener)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the HTTP front end is already listening"));
    QTcpServer *server = nullptr;
    if (tls) {
        if (!QSslSocket::supportsSsl())
            return Error(ErrorCode::Unsupported, QStringLiteral("TLS is not available in this build of Qt"));
        auto *ssl = new QSslServer;
        ssl->setSslConfiguration(*tls);
        ssl->setHandshakeTimeout(m_limits.headerTimeoutMs);
        connect(ssl, &QSslServer::startedEncryptionHandshake, this,
            [this](QSslSocket *socket) { adopt(socket, ConnectionGuard::Transport::Tls); });
        server = ssl;
    } else {
        server = new GuardedTcpServer(
            [this](QTcpSocket *socket) { return adopt(socket, ConnectionGuard::Transport::Plain); });
    }
    // QSslServer counts sockets still in their handshake as pending and stops accepting at this
    // number (30 by default): keep it from being the real connection limit.
    server->setMaxPendingConnections(m_limits.maxConnections);
    if (!server->listen(address, port)) {
        Error error(ErrorCode::Io,
            QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(server->errorString()));
        delete server;
        return error;
    }
    bind(server);
    m_listener = server;
    return server->serverPort();
}

ConnectionGuard *HttpFrontend::adopt(QTcpSocket *socket, ConnectionGuard::Transport transport)
{
    auto *guard = new ConnectionGuard(socket, m_environment, transport);
    const int open = m_connections.fetch_add(1, std::memory_order_relaxed) + 1;
    connect(guard, &QObject::destroyed, this, [this] { m_connections.fetch_sub(1, std::memory_order_relaxed); });
    if (open > m_limits.maxConnections)
        guard->refuse();
    return guard;
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (!guard) {
        socket->abort();
        return true;
    }
    std::optional<ConnectionGuard::Dispatch> dispatch = guard->takeDispatch(request.body());
    if (!dispatch)
        return true;
    if (dispatch->immediate) {
        guard->respond(dispatch->seq, *dispatch->immediate);
        return true;
    }
    // Reads before writes: with hundreds of agents uploading, a console's GET would otherwise
    // queue behind every pending pack upload.
    const bool read = dispatch->request.method == "GET" || dispatch->request.method == "HEAD";
    HttpApplication *app = &m_app;
    auto work = [app, request = std::move(dispatch->request),
                    abandoned = dispatch->abandoned]() -> std::optional<HttpResponse> {
        if (abandoned->load())
            return std::nullopt; // the client is gone
        try {
            return app->handle(request);
        } catch (const std::exception &e) {
            qCCritical(lcHttp) << "handler failed for" << request.path << ":" << e.what();
        } catch (...) {
            qCCritical(lcHttp) << "handler failed for" << request.path;
        }
        return HttpResponse::error(500, QStringLiteral("internal"), QStringLiteral("internal server error"));
    };
    QPointer<ConnectionGuard> target(guard);
    const quint64 seq = dispatch->seq;
    // The worker posts the answer back to this thread itself. (A QFuture continuation attached
    // after the task started can run twice in Qt 6.4 when the task finishes at that moment, and
    // the second run crashed the server.) The pool's destructor waits for the workers, so `this`
    // outlives every post; `target` is only looked at on this thread.
    m_pool.start(
        [this, work = std::move(work), target, seq]() {
            std::optional<HttpResponse> response = work();
            if (!response)
                return;
            QMetaObject::invokeMethod(
                this,
                [target, seq, response = std::move(*response)]() {
                    if (target)
                        target->respond(seq, response);
                },
                Qt::QueuedConnection);
        },
        read ? 1 : 0);
    return true;
}

void HttpFrontend::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    // Not reached: handleRequest() answers every request.
    socket->abort();
}

} // namespace cairn::server
