// Shared pieces of the HTTP front-end tests (see the header). The clients run on the test's
// main thread; the front end on FrontendThread's thread.
#include "TestHttpFrontendSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSslKey>
#include <QSslSocket>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define CAIRN_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CAIRN_TEST_ASAN 1
#endif
#endif
#ifdef CAIRN_TEST_ASAN
extern "C" size_t __sanitizer_get_current_allocated_bytes(); // sanitizer/allocator_interface.h
#endif

namespace cairn::test {

using server::HttpRequest;
using server::HttpRequestHead;
using server::HttpResponse;

// --- TestApplication ---------------------------------------------------------------------------

server::HttpApplication::Screening TestApplication::screen(const HttpRequestHead &head) const
{
    Screening s;
    const auto notAllowed = [](const QByteArray &allow) {
        return HttpResponse::error(405, QStringLiteral("method_not_allowed"), QStringLiteral("method not allowed"))
            .withHeader("Allow", allow);
    };
    if (head.path == QLatin1String("/hello")) {
        if (head.method != "GET" && head.method != "HEAD")
            s.reject = notAllowed("GET, HEAD");
    } else if (head.path == QLatin1String("/echo")) {
        if (head.method != "PUT")
            s.reject = notAllowed("PUT");
        s.maxBody = kEchoMaxBody;
    } else if (head.path == QLatin1String("/sleep")) {
        if (head.method != "GET")
            s.reject = notAllowed("GET");
    } else {
        s.reject = HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such route"));
    }
    return s;
}

HttpResponse TestApplication::handle(const HttpRequest &request)
{
    ++started;
    HttpResponse response;
    if (request.path == QLatin1String("/hello")) {
        response = HttpResponse::json(200, QJsonObject {{QStringLiteral("hello"), QStringLiteral("world")}});
    } else if (request.path == QLatin1String("/echo")) {
        response = HttpResponse::bytes(200, request.body, "application/octet-stream");
    } else {
        QThread::msleep(300);
        response = HttpResponse::json(200, QJsonObject {{QStringLiteral("slept"), 300}});
    }
    ++finished;
    return response;
}

// --- FrontendThread ----------------------------------------------------------------------------

FrontendThread::FrontendThread(const server::HttpLimits &limits, const std::optional<QSslConfiguration> &tls)
{
    m_thread.setObjectName(QStringLiteral("http-frontend"));
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            m_frontend = new server::HttpFrontend(m_app, limits);
            auto port = m_frontend->listen(QHostAddress::LocalHost, 0, tls);
            if (port)
                m_port = *port;
            else
                m_error = port.error().message;
        },
        Qt::BlockingQueuedConnection);
}

FrontendThread::~FrontendThread()
{
    QMetaObject::invokeMethod(
        m_context, [this] { delete std::exchange(m_frontend, nullptr); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

// --- replies and clients -----------------------------------------------------------------------

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return QByteArray();
}

bool TestClient::send(const QByteArray &bytes)
{
    return m_connected && !m_closed && sendAll(bytes);
}

bool TestClient::waitForActivity(int timeoutMs)
{
    if (!m_buffer.isEmpty() || m_closed)
        return true;
    return receive(timeoutMs) >= 0;
}

bool TestClient::waitForClose(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_closed) {
        const qint64 left = timeoutMs - clock.elapsed();
        if (left <= 0 || receive(int(left)) < 0)
            return m_closed;
    }
    return true;
}

std::optional<HttpReply> TestClient::readReply(int timeoutMs, bool expectBody)
{
    QElapsedTimer clock;
    clock.start();
    const auto more = [&] {
        const qint64 left = timeoutMs - clock.elapsed();
        return left > 0 && !m_closed && receive(int(left)) > 0;
    };
    qsizetype headEnd;
    while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (!more())
            return std::nullopt;
    }
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    HttpReply reply;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
        return std::nullopt;
    reply.status = statusLine[1].toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    qint64 length = 0;
    if (expectBody && reply.status >= 200 && reply.status != 204 && reply.status != 304)
        length = reply.header("Content-Length").toLongLong();
    const qsizetype total = headEnd + 4 + length;
    while (m_buffer.size() < total) {
        if (!more())
            return std::nullopt;
    }
    reply.body = m_buffer.mid(headEnd + 4, length);
    m_buffer.remove(0, total);
    return reply;
}

namespace {

class PlainClient : public TestClient {
public:
    explicit PlainClient(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = m_fd >= 0 && ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
        const int one = 1;
        if (m_connected)
            ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~PlainClient() override
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

protected:
    int receive(int timeoutMs) override
    {
        pollfd p {m_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, timeoutMs);
        if (ready <= 0)
            return -1;
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            m_closed = true; // EOF or reset
            return 0;
        }
        m_buffer.append(chunk, n);
        return 1;
    }

    bool sendAll(const QByteArray &bytes) override
    {
        qsizetype done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::send(m_fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            done += n;
        }
        return true;
    }

private:
    int m_fd = -1;
};

class TlsClient : public TestClient {
public:
    TlsClient(quint16 port, const QSslCertificate &ca)
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates({ca});
        m_socket.setSslConfiguration(config);
        m_socket.setPeerVerifyName(QStringLiteral("localhost"));
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        m_connected = m_socket.waitForEncrypted(5000);
        // Without an event loop our Finished message would wait in the socket's buffer, and the
        // server would count the connection as still in its handshake.
        if (m_connected)
            m_socket.flush();
    }

protected:
    int receive(int timeoutMs) override
    {
        if (m_socket.bytesAvailable() == 0 && m_socket.state() != QAbstractSocket::ConnectedState) {
            m_closed = true;
            return 0;
        }
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(timeoutMs)) {
            if (m_socket.state() != QAbstractSocket::ConnectedState
                || m_socket.error() == QAbstractSocket::RemoteHostClosedError) {
                m_closed = true;
                return 0;
            }
            return -1;
        }
        m_buffer.append(m_socket.readAll());
        return 1;
    }

    bool sendAll(const QByteArray &bytes) override
    {
        if (m_socket.write(bytes) != bytes.size())
            return false;
        while (m_socket.bytesToWrite() > 0 || m_socket.encryptedBytesToWrite() > 0) {
            if (!m_socket.waitForBytesWritten(5000))
                return false;
        }
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }

private:
    QSslSocket m_socket;
};

} // namespace

std::unique_ptr<TestClient> TestClient::plain(quint16 port)
{
    return std::make_unique<PlainClient>(port);
}

std::unique_ptr<TestClient> TestClient::tls(quint16 port, const QSslCertificate &ca)
{
    return std::make_unique<TlsClient>(port, ca);
}

QByteArray httpRequest(
    const QByteArray &method, const QByteArray &path, const QByteArray &extraHeaders, const QByteArray &body)
{
    QByteArray r = method + ' ' + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders;
    if (!body.isEmpty() || method == "PUT")
        r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return r + "\r\n" + body;
}

TlsMaterial makeSelfSignedTls(const QString &dir)
{
    TlsMaterial m;
    const QString key = dir + QStringLiteral("/key.pem");
    const QString cert = dir + QStringLiteral("/cert.pem");
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-days"), QStringLiteral("1"),
            QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
            QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
        m.error = QStringLiteral("openssl failed: ") + QString::fromLocal8Bit(openssl.readAllStandardError());
        return m;
    }
    QFile certFile(cert);
    QFile keyFile(key);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        m.error = QStringLiteral("cannot read the generated certificate");
        return m;
    }
    m.certificate = QSslCertificate(certFile.readAll(), QSsl::Pem);
    const QSslKey privateKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
    if (m.certificate.isNull() || privateKey.isNull()) {
        m.error = QStringLiteral("the generated certificate or key does not load");
        return m;
    }
    m.server = QSslConfiguration::defaultConfiguration();
    m.server.setLocalCertificate(m.certificate);
    m.server.setPrivateKey(privateKey);
    m.server.setPeerVerifyMode(QSslSocket::VerifyNone);
    return m;
}

qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return -1;
}

qint64 memoryInUse()
{
#ifdef CAIRN_TEST_ASAN
    return qint64(__sanitizer_get_current_allocated_bytes());
#else
    return residentBytes();
#endif
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

} // namespace cairn::test
