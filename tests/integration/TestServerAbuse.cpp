// Abuse of a real cairn-server over TLS: endless bodies, too many or too large headers, slow and
// idle clients, clients that vanish before their answer, malformed requests, path tricks and
// bytes that are not UTF-8, and strictly validated JSON input whose 400 names the field. Requests an HTTP client would not send go
// through RawConnection, a blocking QSslSocket that trusts only the server's CA. The server runs
// with a 3 s header timeout and a 5 s idle timeout (a config file) so that the timing tests are
// quick. Everything runs on the test's main thread.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>

using namespace cairn::test;

namespace {

constexpr int kHeaderTimeoutMs = 3000;
constexpr int kIdleTimeoutMs = 5000;
// The earliest a connection may be cut for an incomplete head: Qt's default (coarse) timers may
// fire up to 5% early.
constexpr int kEarliestCutMs = kHeaderTimeoutMs * 95 / 100;
constexpr qint64 kPeakRssLimitKiB = 200 * 1024;
const QByteArray kPassword = "alice-password-1";

struct RawResponse {
    int status = 0; // 0: no complete response head arrived
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool complete = false; // the head and all Content-Length bytes arrived

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return QByteArray();
    }
    QJsonObject error() const
    {
        return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    }
    QByteArray describe() const
    {
        return "status " + QByteArray::number(status) + (complete ? "" : " (incomplete)") + ", body: " + body.left(300);
    }
};

// One HTTP/1.1 connection over TLS, driven with the blocking QSslSocket calls (no event loop).
class RawConnection {
public:
    explicit RawConnection(const QByteArray &caPem)
    {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(caPem, QSsl::Pem));
        m_socket.setSslConfiguration(ssl);
    }

    bool open(quint16 port)
    {
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return m_socket.waitForEncrypted(10000);
    }
    QByteArray errorString() const { return m_socket.errorString().toUtf8(); }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void abort() { m_socket.abort(); }

    // Writes `bytes` and waits until they left the socket's buffers (at most `timeoutMs`);
    // false if the connection broke or the peer stopped reading.
    bool send(const QByteArray &bytes, int timeoutMs = 10000)
    {
        if (!isOpen() || m_socket.write(bytes) != bytes.size())
            return false;
        QElapsedTimer t;
        t.start();
        while (isOpen() && t.elapsed() < timeoutMs && m_socket.waitForBytesWritten(int(timeoutMs - t.elapsed()))) { }
        pull();
        return isOpen() && m_socket.bytesToWrite() == 0;
    }

    // Something of a response has arrived (its head may still be incomplete).
    bool hasAnswer()
    {
        pull();
        return !m_buffer.isEmpty();
    }

    // What follows the head of the answer: for a HEAD request nothing, whatever the headers say.
    enum class Answer { WithBody, ToHead };

    // Reads one response.
    RawResponse readResponse(int timeoutMs = 30000, Answer answer = Answer::WithBody)
    {
        QElapsedTimer t;
        t.start();
        RawResponse r;
        for (;;) {
            pull();
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end >= 0) {
                r = parseHead(m_buffer.left(end));
                const qint64 length = answer == Answer::ToHead || r.status < 200 || r.status == 204 || r.status == 304
                    ? 0
                    : r.header("Content-Length").toLongLong();
                if (m_buffer.size() >= end + 4 + length) {
                    r.body = m_buffer.mid(end + 4, length);
                    r.complete = r.status > 0;
                    m_buffer.remove(0, end + 4 + length);
                    return r;
                }
            }
            if (t.elapsed() >= timeoutMs || (!isOpen() && m_socket.bytesAvailable() == 0))
                return r;
            m_socket.waitForReadyRead(int(std::min<qint64>(200, timeoutMs - t.elapsed())));
        }
    }

    // True once the server has closed the connection; waits at most `timeoutMs`. Data that
    // arrives meanwhile is kept for readResponse().
    bool waitClosed(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (isOpen() && t.elapsed() < timeoutMs) {
            m_socket.waitForReadyRead(int(std::min<qint64>(100, timeoutMs - t.elapsed())));
            pull();
        }
        return !isOpen();
    }

    // Bytes received and not yet consumed by readResponse().
    QByteArray unread()
    {
        pull();
        return m_buffer;
    }

private:
    void pull()
    {
        if (m_socket.bytesAvailable() > 0)
            m_buffer += m_socket.readAll();
    }

    static RawResponse parseHead(const QByteArray &head)
    {
        RawResponse r;
        const QList<QByteArray> lines = head.split('\n');
        static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.[01] (\\d{3})( .*)?$"));
        const auto m = statusLine.match(QString::fromLatin1(lines.first().trimmed()));
        if (!m.hasMatch())
            return r;
        r.status = m.captured(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
        }
        return r;
    }

    QSslSocket m_socket;
    QByteArray m_buffer;
};

// The most memory the process ever had resident (VmHWM), in KiB; -1 if unknown.
qint64 peakRssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

QByteArray requestHead(const QByteArray &method, const QByteArray &path, const QByteArray &extraHeaders = QByteArray())
{
    return method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

} // namespace

class TestServerAbuse : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_tmp;
    std::unique_ptr<SimulatedAgent> m_agent;
    std::unique_ptr<ApiClient> m_console;

    QByteArray ca() const { return m_server.caPem(); }

    // Every file below the server's folder (data, configuration, logs), as relative paths.
    QStringList serverFiles() const
    {
        const QDir top(QFileInfo(m_server.dataDir()).absolutePath());
        QStringList files;
        QDirIterator it(top.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << top.relativeFilePath(it.next());
        return files;
    }

    // A JSON request whose answer must be 400 naming `field` (code "invalid_field", or
    // "invalid_json" when `field` is empty).
    void expectFieldError(const ApiReply &r, const QString &field)
    {
        QVERIFY2(r.status == 400, qPrintable(r.describe()));
        const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
        if (field.isEmpty()) {
            QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_json"));
            return;
        }
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_field"));
        QCOMPARE(error.value(QStringLiteral("field")).toString(), field);
        QVERIFY2(error.value(QStringLiteral("message")).toString().contains(field), qPrintable(r.describe()));
    }

private slots:
    void initTestCase()
    {
        std::signal(SIGPIPE, SIG_IGN); // writes to a socket the server has cut must fail, not kill us
        QVERIFY(m_tmp.isValid());
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.addTenant(QStringLiteral("acme")) > 0, m_server.log().constData());
        QVERIFY2(m_server.addUser(QStringLiteral("alice"), kPassword, QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
        const QString code = m_server.enrollmentCode(QStringLiteral("acme"));
        QVERIFY2(!code.isEmpty(), m_server.log().constData());
        const QString config = m_tmp.filePath(QStringLiteral("server.conf"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[limits]\nheader_timeout_ms=" + QByteArray::number(kHeaderTimeoutMs)
            + "\nidle_timeout_ms=" + QByteArray::number(kIdleTimeoutMs) + "\n");
        f.close();
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());

        m_agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), ca());
        const ApiReply enrolled = m_agent->enroll(code, QStringLiteral("abuse-host"));
        QVERIFY2(enrolled.status == 201, qPrintable(enrolled.describe()));
        m_console = std::make_unique<ApiClient>(m_server.baseUrl(), ca());
        const ApiReply login = m_console->login(QStringLiteral("alice"), QString::fromUtf8(kPassword));
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
    }

    // A 1 GiB Content-Length is refused from the head alone — 413 for an agent, 401 without a
    // token (a large body is only accepted from a known agent): the answer comes while the body is
    // still streaming, and the server never buffers it (peak RSS stays small).
    void oversizedBodyIsRefusedEarly_data()
    {
        QTest::addColumn<bool>("withToken");
        QTest::newRow("agent token") << true;
        QTest::newRow("no token") << false;
    }
    void oversizedBodyIsRefusedEarly()
    {
        QFETCH(bool, withToken);
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        const QByteArray auth
            = withToken ? "Authorization: Bearer " + m_agent->client().token() + "\r\n" : QByteArray();
        const QByteArray path = "/api/v1/agent/packs/" + QByteArray(64, 'a');
        QVERIFY(c.send(requestHead(
            "PUT", path, auth + "Content-Type: application/octet-stream\r\nContent-Length: 1073741824\r\n")));
        const QByteArray chunk(1 << 20, '\0');
        qint64 sent = 0;
        while (sent < (64LL << 20) && !c.hasAnswer() && c.send(chunk, 5000))
            sent += chunk.size();
        const RawResponse r = c.readResponse(10000);
        const int expected = withToken ? 413 : 401;
        QVERIFY2(r.status == expected, r.describe().constData());
        qInfo("answered %d after %lld MiB of the body", expected, sent >> 20);
        QVERIFY2(c.waitClosed(kIdleTimeoutMs + 2000), "the connection stays open after the refusal");
        const qint64 peak = peakRssKiB(m_server.pid());
        qInfo("server peak RSS %lld KiB", peak);
        QVERIFY(peak > 0);
        QVERIFY2(peak < kPeakRssLimitKiB, qPrintable(QStringLiteral("peak RSS %1 KiB").arg(peak)));
        QCOMPARE(m_console->get(QStringLiteral("/api/v1/health")).status, 200);
    }

    void thousandHeadersGet431()
    {
        QByteArray headers;
        for (int i = 0; i < 1000; ++i)
            headers += "X-Filler-" + QByteArray::number(i) + ": value\r\n";
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        c.send(requestHead("GET", "/api/v1/health", headers)); // the server may cut us mid-way
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 431, r.describe().constData());
    }

    void hugeHeaderGets431()
    {
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        c.send(requestHead("GET", "/api/v1/health", "X-Huge: " + QByteArray(100 * 1024, 'h') + "\r\n"));
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 431, r.describe().constData());
    }

    // One header byte per second: cut once the head is not complete within the header timeout.
    void slowHeaderIsCut()
    {
        RawConnection c(ca());
        QElapsedTimer sinceConnect;
        sinceConnect.start();
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        const QByteArray slow = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + QByteArray(60, 's');
        QElapsedTimer sinceFirstByte;
        sinceFirstByte.start();
        const qint64 handshakeMs = sinceConnect.elapsed();
        qint64 cutAfter = -1;
        for (qsizetype i = 0; i < slow.size() && cutAfter < 0; ++i) {
            c.send(slow.mid(i, 1), 1000);
            if (c.waitClosed(1000))
                cutAfter = sinceFirstByte.elapsed();
        }
        QVERIFY2(cutAfter >= 0, "a client sending one byte per second was never cut");
        qInfo("cut %lld ms after the first byte (handshake took %lld ms)", cutAfter, handshakeMs);
        // The timeout may run from the accept, which came before the handshake.
        QVERIFY2(cutAfter + handshakeMs >= kEarliestCutMs, qPrintable(QString::number(cutAfter)));
        QVERIFY2(cutAfter <= 2 * kHeaderTimeoutMs + 500, qPrintable(QString::number(cutAfter)));
    }

    void idleTlsConnectionIsClosed()
    {
        RawConnection c(ca());
        QElapsedTimer t;
        t.start();
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY2(c.waitClosed(kIdleTimeoutMs + 5000), "an idle TLS connection stays open");
        const qint64 ms = t.elapsed();
        qInfo("idle TLS connection closed after %lld ms", ms);
        QVERIFY2(ms >= kEarliestCutMs && ms <= kIdleTimeoutMs + 2000, qPrintable(QString::number(ms)));
    }

    void connectionWithoutHandshakeIsClosed()
    {
        QTcpSocket s;
        QElapsedTimer t;
        t.start();
        s.connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
        QVERIFY(s.waitForConnected(5000));
        while (s.state() == QAbstractSocket::ConnectedState && t.elapsed() < kIdleTimeoutMs + 5000)
            s.waitForReadyRead(100);
        const qint64 ms = t.elapsed();
        QVERIFY2(s.state() != QAbstractSocket::ConnectedState, "a TCP connection that never starts TLS stays open");
        qInfo("connection without a TLS handshake closed after %lld ms", ms);
        QVERIFY2(ms >= kEarliestCutMs && ms <= kIdleTimeoutMs + 2000, qPrintable(QString::number(ms)));
    }

    void garbageGets400()
    {
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        c.send(QByteArray("\x01\x02\x03\xff", 4) + " garbage that is not HTTP\r\n\r\n");
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 400, r.describe().constData());
    }

    void wrongMethodGets405WithAllow()
    {
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY(c.send(requestHead("DELETE", "/api/v1/health")));
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 405, r.describe().constData());
        const QByteArrayList allow = r.header("Allow").replace(' ', "").split(',');
        QVERIFY2(allow.contains("GET"), r.header("Allow").constData());
        QVERIFY2(!allow.contains("DELETE"), r.header("Allow").constData());
    }

    void unknownPathGets404()
    {
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY(c.send(requestHead("GET", "/api/v1/no-such-endpoint")));
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 404, r.describe().constData());
        QCOMPARE(r.error().value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    }

    // HEAD: the GET's headers and no body, so the next answer on the connection parses cleanly.
    void headHasNoBody()
    {
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY(c.send(requestHead("HEAD", "/api/v1/health")));
        const RawResponse head = c.readResponse(10000, RawConnection::Answer::ToHead);
        QVERIFY2(head.status == 200, head.describe().constData());
        const qint64 announced = head.header("Content-Length").toLongLong();
        QVERIFY2(announced > 0, "HEAD must announce the GET's Content-Length");
        QThread::msleep(300);
        QVERIFY2(c.unread().isEmpty(), c.unread().left(200).constData());
        QVERIFY(c.send(requestHead("GET", "/api/v1/health")));
        const RawResponse get = c.readResponse(10000);
        QVERIFY2(get.status == 200 && get.complete, get.describe().constData());
        QCOMPARE(get.body.size(), announced);
        QCOMPARE(QJsonDocument::fromJson(get.body).object().value(QStringLiteral("status")).toString(),
            QStringLiteral("ok"));
    }

    // The server closes after the answer, well before the idle timeout would.
    void closeIsHonoured_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("Connection: close") << requestHead("GET", "/api/v1/health", "Connection: close\r\n");
        QTest::newRow("HTTP/1.0") << QByteArray("GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    }
    void closeIsHonoured()
    {
        QFETCH(QByteArray, request);
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY(c.send(request));
        const RawResponse r = c.readResponse(10000);
        QVERIFY2(r.status == 200 && r.complete, r.describe().constData());
        QVERIFY2(c.waitClosed(2000), "the connection stays open after an answer to a closing request");
    }

    void policyValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field"); // empty: the body is valid
        const auto row = [](const char *name, const QByteArray &body, const char *field) {
            QTest::newRow(name) << body << QString::fromLatin1(field);
        };
        const QByteArray rest = R"("paths":["/data"],"interval_days":1,"retention_days":14)";
        row("valid", "{" + rest + R"(,"hour":2})", "");
        row("hour 24", "{" + rest + R"(,"hour":24})", "hour");
        row("hour as string", "{" + rest + R"(,"hour":"2"})", "hour");
        row("hour missing", "{" + rest + "}", "hour");
        row("interval 3", R"({"paths":["/data"],"interval_days":3,"retention_days":14,"hour":2})", "interval_days");
        row("retention 10", R"({"paths":["/data"],"interval_days":1,"retention_days":10,"hour":2})", "retention_days");
        row("relative path", R"({"paths":["relative/path"],"interval_days":1,"retention_days":14,"hour":2})", "paths");
        row("paths not a list", R"({"paths":"notalist","interval_days":1,"retention_days":14,"hour":2})", "paths");
        row("unknown field", "{" + rest + R"(,"hour":2,"colour":"blue"})", "colour");
        row("weekly without weekday", R"({"paths":["/data"],"interval_days":7,"retention_days":14,"hour":2})",
            "weekday");
        row("weekday 8", R"({"paths":["/data"],"interval_days":7,"weekday":8,"retention_days":14,"hour":2})",
            "weekday");
        row("truncated", "{", "");
    }
    void policyValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const QString path = QStringLiteral("/api/v1/servers/%1/policy").arg(m_agent->agentId());
        const ApiReply r = m_console->request("PUT", path, body);
        if (QByteArray(QTest::currentDataTag()) == "valid") {
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            return;
        }
        expectFieldError(r, field);
    }

    void publicJsonValidation_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field"); // empty: invalid_json
        QTest::newRow("login password is a number")
            << QStringLiteral("/api/v1/session/login") << QByteArray(R"({"login":"alice","password":12345})")
            << QStringLiteral("password");
        QTest::newRow("login without login")
            << QStringLiteral("/api/v1/session/login") << QByteArray(R"({"password":"x"})") << QStringLiteral("login");
        QTest::newRow("enroll without hostname")
            << QStringLiteral("/api/v1/enroll") << QByteArray(R"({"code":"ABCD-EFGH"})") << QStringLiteral("hostname");
        QTest::newRow("login body {") << QStringLiteral("/api/v1/session/login") << QByteArray("{") << QString();
        QTest::newRow("login body is an array")
            << QStringLiteral("/api/v1/session/login") << QByteArray("[1,2]") << QString();
    }
    void publicJsonValidation()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        ApiClient anonymous(m_server.baseUrl(), ca());
        expectFieldError(anonymous.request("POST", path, body), field);
    }

    // Path tricks and bytes that are not UTF-8, sent raw (no client normalises them): traversal
    // out of the pack store and across routes, encoded separators and dots, NUL, ids that are not
    // ids, invalid and overlong UTF-8 in paths, bodies and headers. Each is refused with a 4xx (a
    // complete answer, never a 5xx, never a file of the store), and the server stays up.
    void pathTricksAndInvalidUtf8_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("extraHeaders");
        QTest::addColumn<int>("who"); // 0: nobody, 1: the agent, 2: the tenant admin
        const auto row = [](const char *name, const QByteArray &method, const QByteArray &path, int who,
                             const QByteArray &body = QByteArray(), const QByteArray &headers = QByteArray()) {
            QTest::newRow(name) << method << path << body << headers << who;
        };
        const QByteArray hex64(64, 'a');
        row("pack ../ traversal", "GET", "/api/v1/agent/packs/../../../etc/passwd", 1);
        row("pack %2F traversal", "GET", "/api/v1/agent/packs/..%2F..%2Fcatalog.sqlite", 1);
        row("pack %2e%2e", "GET", "/api/v1/agent/packs/%2e%2e", 1);
        row("pack overlong-UTF-8 dots", "GET", "/api/v1/agent/packs/%c0%ae%c0%ae%c0%afcatalog.sqlite", 1);
        row("pack id with NUL", "GET", "/api/v1/agent/packs/" + hex64 + "%00", 1);
        row("pack id with raw NUL", "GET", "/api/v1/agent/packs/" + hex64.left(10) + QByteArray(1, '\0') + "x", 1);
        row("pack id 63 digits + /", "GET", "/api/v1/agent/packs/" + hex64.left(63) + "/", 1);
        row("pack upload ../", "PUT", "/api/v1/agent/packs/..%2F..%2Fowned", 1, QByteArray(64, 'x'),
            "Content-Type: application/octet-stream\r\n");
        // Climbs to /api/v1/jobs, which the admin may read: resolving them would answer 200.
        row("route climb", "GET", "/api/v1/servers/{agent}/../../jobs", 2);
        row("route climb encoded", "GET", "/api/v1/servers/{agent}%2F..%2F..%2Fjobs", 2);
        row("route climb with dots encoded", "GET", "/api/v1/servers/{agent}/%2e%2e/%2e%2e/jobs", 2);
        row("job id too big", "GET", "/api/v1/jobs/99999999999999999999999999", 2);
        row("job id negative", "GET", "/api/v1/jobs/-1", 2);
        row("job id hex", "GET", "/api/v1/jobs/0x1", 2);
        row("job id exponent", "GET", "/api/v1/jobs/1e3", 2);
        row("job id with space", "GET", "/api/v1/jobs/1%20", 2);
        row("job id invalid UTF-8", "GET", "/api/v1/jobs/%ff%fe", 2);
        row("raw invalid UTF-8 path", "GET", "/api/v1/\xff\xfe\xc0\xaf", 2);
        row("policy with invalid UTF-8", "PUT", "/api/v1/servers/{agent}/policy", 2,
            "{\"paths\":[\"/data\xff\xfe\"],\"interval_days\":1,\"retention_days\":14,\"hour\":2}",
            "Content-Type: application/json\r\n");
        row("rename with overlong UTF-8", "PATCH", "/api/v1/servers/{agent}", 2, "{\"name\":\"\xc0\xaf\xe0\x80\xaf\"}",
            "Content-Type: application/json\r\n");
        row("rename with a lone surrogate", "PATCH", "/api/v1/servers/{agent}", 2, "{\"name\":\"\xed\xa0\x80\"}",
            "Content-Type: application/json\r\n");
        row("login with invalid UTF-8", "POST", "/api/v1/session/login", 0, "{\"login\":\"\xff\",\"password\":\"\xfe\"}",
            "Content-Type: application/json\r\n");
        row("token with invalid UTF-8", "GET", "/api/v1/session/me", 0, QByteArray(),
            "Authorization: Bearer \xff\xfe\xfd\r\n");
        row("query with invalid UTF-8", "GET", "/api/v1/jobs?state=%ff%fe&limit=%c0", 2);
    }
    void pathTricksAndInvalidUtf8()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, extraHeaders);
        QFETCH(int, who);
        path.replace("{agent}", QByteArray::number(m_agent->agentId()));
        if (who == 1)
            extraHeaders += "Authorization: Bearer " + m_agent->client().token() + "\r\n";
        else if (who == 2)
            extraHeaders += "Authorization: Bearer " + m_console->token() + "\r\n";
        if (!body.isEmpty())
            extraHeaders += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        const QStringList filesBefore = serverFiles();
        RawConnection c(ca());
        QVERIFY2(c.open(m_server.port()), c.errorString().constData());
        QVERIFY(c.send(requestHead(method, path, extraHeaders) + body));
        const RawResponse r = c.readResponse(10000);
        qInfo("%d %s", r.status, qPrintable(r.error().value(QStringLiteral("code")).toString()));
        QVERIFY2(r.complete && r.status >= 400 && r.status < 500, r.describe().constData());
        QVERIFY2(!r.body.contains("SQLite format") && !r.body.contains("root:"), r.describe().constData());
        QVERIFY2(m_server.isRunning(), m_server.log().right(3000).constData());
        ApiClient fresh(m_server.baseUrl(), ca());
        QCOMPARE(fresh.get(QStringLiteral("/api/v1/health")).status, 200);
        // No file appeared in the server's folders (SQLite's own companions aside).
        QStringList added;
        for (const QString &f : serverFiles())
            if (!filesBefore.contains(f) && !f.endsWith(QLatin1String("-wal")) && !f.endsWith(QLatin1String("-shm"))
                && !f.endsWith(QLatin1String("-journal")))
                added << f;
        QVERIFY2(added.isEmpty(), qPrintable(added.join(QLatin1Char('\n'))));
    }

    // 200 clients send a request with a slow answer (a login: Argon2; a 16 MiB pack) and vanish
    // at once. The server must survive all the answers that have nowhere to go.
    void clientsVanishingBeforeTheirAnswer()
    {
        const SimulatedAgent::BuiltPack big = m_agent->buildPack(7, 16, 1 << 20, false);
        const ApiReply uploaded = m_agent->uploadPack(big);
        QVERIFY2(uploaded.status == 201, qPrintable(uploaded.describe()));
        const QByteArray loginBody = QJsonDocument(QJsonObject {{QStringLiteral("login"), QStringLiteral("alice")},
                                                       {QStringLiteral("password"), QString::fromUtf8(kPassword)}})
                                         .toJson(QJsonDocument::Compact);
        const QByteArray login
            = requestHead("POST", "/api/v1/session/login",
                  "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(loginBody.size()) + "\r\n")
            + loginBody;
        const QByteArray getPack = requestHead("GET", "/api/v1/agent/packs/" + big.id.toHex().toLatin1(),
            "Authorization: Bearer " + m_agent->client().token() + "\r\n");
        for (int i = 0; i < 200; ++i) {
            RawConnection c(ca());
            QVERIFY2(c.open(m_server.port()), c.errorString().constData());
            QVERIFY(c.send(i % 2 ? getPack : login));
            c.abort();
        }
        QVERIFY2(m_server.isRunning(), m_server.log().right(3000).constData());
        ApiClient fresh(m_server.baseUrl(), ca());
        const ApiReply health = fresh.get(QStringLiteral("/api/v1/health"));
        QVERIFY2(health.status == 200, qPrintable(health.describe()));
        const ApiReply again = fresh.login(QStringLiteral("alice"), QString::fromUtf8(kPassword));
        QVERIFY2(again.status == 200, qPrintable(again.describe()));
        QThread::msleep(1000);
        QVERIFY2(m_server.isRunning(), m_server.log().right(3000).constData());
        QCOMPARE(fresh.get(QStringLiteral("/api/v1/session/me")).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestServerAbuse)
#include "TestServerAbuse.moc"
