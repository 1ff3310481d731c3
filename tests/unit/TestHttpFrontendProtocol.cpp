// End-to-end protocol behaviour of HttpFrontend over real loopback sockets: keep-alive, bodies,
// garbage, 404/405 from screening, HEAD, Expect: 100-continue, HTTP/1.0 and Connection: close,
// chunked bodies, pipelining, and the access log. The front end runs on its own thread; the
// test's main thread is a blocking client.
#include "TestHttpFrontendSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTest>

#include <cstring>

using namespace cairn::test;
using cairn::server::HttpLimits;

namespace {

QMutex g_logMutex;
QStringList g_accessLog;
QtMessageHandler g_previousHandler = nullptr;

void captureAccessLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && std::strcmp(context.category, "cairn.http") == 0) {
        QMutexLocker lock(&g_logMutex);
        g_accessLog.append(message);
    }
    g_previousHandler(type, context, message);
}

QByteArray helloBody()
{
    return QJsonDocument(QJsonObject {{QStringLiteral("hello"), QStringLiteral("world")}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestHttpFrontendProtocol : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<FrontendThread> m_server;

    std::unique_ptr<TestClient> connect()
    {
        auto client = TestClient::plain(m_server->port());
        return client;
    }

private slots:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(captureAccessLog);
        m_server = std::make_unique<FrontendThread>(HttpLimits());
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        qInstallMessageHandler(g_previousHandler);
    }

    void keepsAliveOverThreeRequests()
    {
        auto c = connect();
        QVERIFY(c->isConnected());
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto r1 = c->readReply();
        QVERIFY(r1);
        QCOMPARE(r1->status, 200);
        QCOMPARE(r1->body, helloBody());
        QCOMPARE(r1->header("Cache-Control"), QByteArray("no-store"));
        QVERIFY(!r1->header("Date").isEmpty());
        QVERIFY(r1->header("Connection").isEmpty());

        const QByteArray payload = QByteArray(300 * 1024, 'p') + "end";
        QVERIFY(c->send(httpRequest("PUT", "/echo", {}, payload)));
        auto r2 = c->readReply();
        QVERIFY(r2);
        QCOMPARE(r2->status, 200);
        QCOMPARE(r2->body, payload);

        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto r3 = c->readReply();
        QVERIFY(r3);
        QCOMPARE(r3->status, 200);
        QVERIFY(!c->isClosed());
        QVERIFY(waitUntil([&] { return m_server->frontend().bufferedBodyBytes() == 0; }, 2000));
    }

    void answersGarbageWith400AndCloses()
    {
        for (const QByteArray &garbage : {QByteArray("\x16\x03\x01\x02\x05garbage\r\n\r\n"),
                 QByteArray("GET / HTTP/2.0\r\n\r\n"), QByteArray("HELLO\r\n\r\n")}) {
            auto c = connect();
            QVERIFY(c->send(garbage));
            auto r = c->readReply();
            QVERIFY(r);
            QCOMPARE(r->status, 400);
            QCOMPARE(r->header("Connection"), QByteArray("close"));
            const QJsonObject error
                = QJsonDocument::fromJson(r->body).object().value(QStringLiteral("error")).toObject();
            QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));
            QVERIFY(c->waitForClose(3000));
        }
    }

    void answersUnknownRoutesWith404AndKeepsTheConnection()
    {
        auto c = connect();
        QVERIFY(c->send(httpRequest("GET", "/nope")));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto next = c->readReply();
        QVERIFY(next);
        QCOMPARE(next->status, 200);
    }

    void answersARejectedUploadAtOnceAndCloses()
    {
        const int handled = m_server->app().started.load();
        auto c = connect();
        // The head announces a body that is never sent: the answer must not wait for it.
        QVERIFY(c->send("PUT /nope HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n"));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QCOMPARE(r->header("Connection"), QByteArray("close"));
        QVERIFY(c->waitForClose(3000));
        QCOMPARE(m_server->app().started.load(), handled); // the application never saw it
    }

    void answersWrongMethodsWith405AndAllow()
    {
        auto c = connect();
        QVERIFY(c->send(httpRequest("DELETE", "/hello")));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 405);
        QCOMPARE(r->header("Allow"), QByteArray("GET, HEAD"));
    }

    void answersHeadWithoutBody()
    {
        auto c = connect();
        QVERIFY(c->send(httpRequest("HEAD", "/hello")));
        auto head = c->readReply(5000, false);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("Content-Length").toInt(), helloBody().size());
        // If a body had followed the HEAD answer, this answer would not parse.
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto get = c->readReply();
        QVERIFY(get);
        QCOMPARE(get->status, 200);
        QCOMPARE(get->body, helloBody());
        QVERIFY(c->buffered().isEmpty());
    }

    void sendsContinueBeforeTheBody()
    {
        auto c = connect();
        QVERIFY(c->send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
        auto interim = c->readReply(3000);
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        QVERIFY(c->send("12345"));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("12345"));
    }

    void refusesAnOversizedExpectWithoutContinue()
    {
        auto c = connect();
        const qint64 tooLarge = TestApplication::kEchoMaxBody + 1;
        QVERIFY(c->send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: "
            + QByteArray::number(tooLarge) + "\r\n\r\n"));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QVERIFY(c->waitForClose(3000));
        QVERIFY(c->buffered().isEmpty());
    }

    void refusesOtherExpectations()
    {
        auto c = connect();
        QVERIFY(c->send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx"));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 417);
        QVERIFY(c->waitForClose(3000));
    }

    void closesAfterHttp10()
    {
        auto c = connect();
        QVERIFY(c->send("GET /hello HTTP/1.0\r\n\r\n"));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Connection"), QByteArray("close"));
        QVERIFY(c->waitForClose(3000));
    }

    void keepsHttp10AliveWhenAsked()
    {
        auto c = connect();
        QVERIFY(c->send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->header("Connection"), QByteArray("keep-alive"));
        QVERIFY(c->send("GET /hello HTTP/1.0\r\n\r\n"));
        auto last = c->readReply();
        QVERIFY(last);
        QCOMPARE(last->status, 200);
        QVERIFY(c->waitForClose(3000));
    }

    void closesOnConnectionClose()
    {
        auto c = connect();
        // Anything after a request with "Connection: close" is ignored.
        QVERIFY(c->send(httpRequest("GET", "/hello", "Connection: close\r\n") + httpRequest("GET", "/hello")));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("Connection"), QByteArray("close"));
        QVERIFY(c->waitForClose(3000));
        QVERIFY(c->buffered().isEmpty());
    }

    void refusesChunkedBodiesWith411()
    {
        auto c = connect();
        QVERIFY(c->send(
            "PUT /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 411);
        QVERIFY(c->waitForClose(3000));
    }

    void refusesWebSocketUpgrades()
    {
        // QtHttpServer 6.4 would close such a connection without an answer.
        auto c = connect();
        QVERIFY(c->send(httpRequest("GET", "/hello", "Connection: Upgrade\r\nUpgrade: websocket\r\n")));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QVERIFY(c->waitForClose(3000));
    }

    void answersPipelinedRequestsInOrder()
    {
        auto c = connect();
        QVERIFY(c->send(httpRequest("GET", "/sleep") + httpRequest("PUT", "/echo", {}, "second")
            + httpRequest("GET", "/nope") + httpRequest("GET", "/hello")));
        auto r1 = c->readReply();
        auto r2 = c->readReply();
        auto r3 = c->readReply();
        auto r4 = c->readReply();
        QVERIFY(r1 && r2 && r3 && r4);
        QCOMPARE(r1->body, QByteArray("{\"slept\":300}"));
        QCOMPARE(r2->body, QByteArray("second"));
        QCOMPARE(r3->status, 404);
        QCOMPARE(r4->body, helloBody());
    }

    void logsAccessWithoutQueryOrSecrets()
    {
        {
            QMutexLocker lock(&g_logMutex);
            g_accessLog.clear();
        }
        auto c = connect();
        QVERIFY(c->send(
            httpRequest("GET", "/hello?token=abc123", "Authorization: Bearer s3cr3t\r\nCookie: session=c00kie\r\n")));
        auto r = c->readReply();
        QVERIFY(r);
        QMutexLocker lock(&g_logMutex);
        QCOMPARE(g_accessLog.size(), 1);
        const QString line = g_accessLog.first();
        QVERIFY2(line.startsWith(QStringLiteral("127.0.0.1 GET /hello 200 ")), qPrintable(line));
        QVERIFY2(line.endsWith(QStringLiteral("ms")), qPrintable(line));
        QVERIFY(!line.contains(QStringLiteral("abc123")));
        QVERIFY(!line.contains(QStringLiteral("s3cr3t")));
        QVERIFY(!line.contains(QStringLiteral("c00kie")));
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendProtocol)
#include "TestHttpFrontendProtocol.moc"
