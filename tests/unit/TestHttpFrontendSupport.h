// Shared pieces of the HTTP front-end tests: a small HttpApplication with a few routes, a front
// end running on its own QThread, blocking loopback clients (POSIX sockets or QSslSocket) that
// read raw HTTP/1.1 answers, a self-signed certificate made with the openssl CLI, and the
// process RSS. The clients block on the test's main thread while the front end's event loop runs
// on its own thread.
#pragma once

#include "http/HttpFrontend.h"
#include "http/HttpLimits.h"
#include "http/HttpTypes.h"

#include <QByteArray>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QSslSocket;

namespace cairn::test {

// Routes: GET|HEAD /hello → {"hello":"world"}; PUT /echo (body ≤ 8 MiB) → the body back;
// GET /sleep → waits 300 ms; /hello and /echo with other methods → 405 + Allow; else 404.
class TestApplication : public server::HttpApplication {
public:
    static constexpr qint64 kEchoMaxBody = 8 * 1024 * 1024;

    Screening screen(const server::HttpRequestHead &head) const override;
    server::HttpResponse handle(const server::HttpRequest &request) override;

    std::atomic<int> started {0}; // handle() calls begun
    std::atomic<int> finished {0}; // handle() calls returned
};

// An HttpFrontend listening on 127.0.0.1 on its own thread, created and destroyed there.
class FrontendThread {
public:
    explicit FrontendThread(
        const server::HttpLimits &limits, const std::optional<QSslConfiguration> &tls = std::nullopt);
    ~FrontendThread();
    FrontendThread(const FrontendThread &) = delete;
    FrontendThread &operator=(const FrontendThread &) = delete;

    quint16 port() const { return m_port; }
    const QString &error() const { return m_error; } // empty if listening
    // Only its thread-safe counters may be used from the test thread.
    const server::HttpFrontend &frontend() const { return *m_frontend; }
    TestApplication &app() { return m_app; }

private:
    TestApplication m_app;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread
    server::HttpFrontend *m_frontend = nullptr;
    quint16 m_port = 0;
    QString m_error;
};

struct HttpReply {
    int status = 0;
    server::HttpHeaders headers;
    QByteArray body;
    QByteArray header(const QByteArray &name) const;
};

// A blocking HTTP/1.1 client connection for tests.
class TestClient {
public:
    static std::unique_ptr<TestClient> plain(quint16 port);
    // TLS to 127.0.0.1, verifying the server against `ca` under the name "localhost".
    static std::unique_ptr<TestClient> tls(quint16 port, const QSslCertificate &ca);
    virtual ~TestClient() = default;

    bool isConnected() const { return m_connected; }
    // Sends all bytes; false once the connection is broken.
    bool send(const QByteArray &bytes);
    // Reads the next answer (a 1xx one too). Without a body for HEAD (expectBody false).
    // Empty on timeout or when the connection closed first.
    std::optional<HttpReply> readReply(int timeoutMs = 5000, bool expectBody = true);
    // Waits until something arrives or the connection closes: false on timeout.
    bool waitForActivity(int timeoutMs);
    // Reads until the server closes the connection (EOF or reset); false on timeout.
    bool waitForClose(int timeoutMs);
    bool isClosed() const { return m_closed; }
    // Received, not yet parsed as a reply.
    const QByteArray &buffered() const { return m_buffer; }

protected:
    // Appends what arrives within timeoutMs to m_buffer; 1 data, 0 closed, -1 timeout.
    virtual int receive(int timeoutMs) = 0;
    virtual bool sendAll(const QByteArray &bytes) = 0;

    QByteArray m_buffer;
    bool m_connected = false;
    bool m_closed = false;
};

// "METHOD path HTTP/1.1" with Host, the extra header lines (each ending in CRLF), a
// Content-Length when there is a body or the method is PUT, and the body.
QByteArray httpRequest(
    const QByteArray &method, const QByteArray &path, const QByteArray &extraHeaders = {}, const QByteArray &body = {});

// A self-signed P-256 certificate for localhost/127.0.0.1, made with the openssl CLI in `dir`.
struct TlsMaterial {
    QSslConfiguration server;
    QSslCertificate certificate;
    QString error; // empty on success
};
TlsMaterial makeSelfSignedTls(const QString &dir);

// VmRSS of this process in bytes (from /proc/self/status).
qint64 residentBytes();
// Memory this process holds: VmRSS; under AddressSanitizer its live heap bytes instead, since
// ASan keeps freed memory resident (its quarantine) and RSS then grows with all traffic.
qint64 memoryInUse();

// Polls `condition` until it holds or timeoutMs pass.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs);

} // namespace cairn::test
