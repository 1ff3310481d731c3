// HttpFrontend in TLS mode (QSslServer) with a self-signed certificate made by the openssl CLI:
// keep-alive requests with a body, a slow head cut after headerTimeout, a silent connection cut
// by the handshake timeout, the connection limit, and refusals answered over TLS. The front end
// runs on its own thread; the test's main thread is a blocking QSslSocket client.
#include "TestHttpFrontendSupport.h"

#include <QElapsedTimer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn::test;
using cairn::server::HttpLimits;

class TestHttpFrontendTls : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TlsMaterial m_tls;

private slots:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        QVERIFY(m_dir.isValid());
        m_tls = makeSelfSignedTls(m_dir.path());
        QVERIFY2(m_tls.error.isEmpty(), qPrintable(m_tls.error));
    }

    void servesKeepAliveRequests()
    {
        FrontendThread server(HttpLimits(), m_tls.server);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        auto c = TestClient::tls(server.port(), m_tls.certificate);
        QVERIFY(c->isConnected());
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto r1 = c->readReply();
        QVERIFY(r1);
        QCOMPARE(r1->status, 200);
        const QByteArray payload(512 * 1024, 't');
        QVERIFY(c->send(httpRequest("PUT", "/echo", {}, payload)));
        auto r2 = c->readReply();
        QVERIFY(r2);
        QCOMPARE(r2->body, payload);
        QVERIFY(c->send(httpRequest("HEAD", "/hello")));
        auto r3 = c->readReply(5000, false);
        QVERIFY(r3);
        QCOMPARE(r3->status, 200);
        QVERIFY(c->send(httpRequest("GET", "/nope")));
        auto r4 = c->readReply();
        QVERIFY(r4);
        QCOMPARE(r4->status, 404);
    }

    void refusesOverTls()
    {
        FrontendThread server(HttpLimits(), m_tls.server);
        auto c = TestClient::tls(server.port(), m_tls.certificate);
        QVERIFY(c->send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1073741824\r\n\r\n"));
        auto r = c->readReply(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QVERIFY(c->waitForClose(5000));
    }

    void cutsASlowHead()
    {
        HttpLimits limits;
        limits.headerTimeoutMs = 2000;
        FrontendThread server(limits, m_tls.server);
        auto c = TestClient::tls(server.port(), m_tls.certificate);
        QVERIFY(c->isConnected());
        const QByteArray request = httpRequest("GET", "/hello", "X-Slow: " + QByteArray(20, 's') + "\r\n");
        QElapsedTimer clock;
        clock.start();
        qint64 cutAfter = -1;
        for (qsizetype i = 0; i < request.size() && cutAfter < 0; ++i) {
            if (!c->send(request.mid(i, 1)) || c->waitForActivity(1000))
                cutAfter = clock.elapsed();
        }
        QVERIFY2(cutAfter >= 1800 && cutAfter <= 4000, qPrintable(QStringLiteral("cut after %1 ms").arg(cutAfter)));
        QVERIFY(c->waitForClose(4000));
        QVERIFY2(c->buffered().startsWith("HTTP/1.1 408 "), c->buffered().constData());
    }

    void cutsAStalledHandshake()
    {
        HttpLimits limits;
        limits.headerTimeoutMs = 1500;
        FrontendThread server(limits, m_tls.server);
        // Plain TCP that never finishes a handshake: silent, and with half a ClientHello.
        for (const QByteArray &opening : {QByteArray(), QByteArray("\x16\x03\x01\x00\x05", 5)}) {
            auto c = TestClient::plain(server.port());
            QVERIFY(opening.isEmpty() || c->send(opening));
            QElapsedTimer clock;
            clock.start();
            QVERIFY(c->waitForClose(5000));
            QVERIFY2(clock.elapsed() >= 1200 && clock.elapsed() <= 4000, qPrintable(QString::number(clock.elapsed())));
        }
    }

    void refusesConnectionsBeyondTheLimit()
    {
        HttpLimits limits;
        limits.maxConnections = 2;
        FrontendThread server(limits, m_tls.server);
        auto a = TestClient::tls(server.port(), m_tls.certificate);
        auto b = TestClient::tls(server.port(), m_tls.certificate);
        QVERIFY(a->isConnected() && b->isConnected());
        auto extra = TestClient::tls(server.port(), m_tls.certificate);
        QVERIFY(extra->isConnected());
        auto refused = extra->readReply(3000);
        QVERIFY(refused);
        QCOMPARE(refused->status, 503);
        QVERIFY(extra->waitForClose(3000));
        QVERIFY(a->send(httpRequest("GET", "/hello")));
        auto ok = a->readReply();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendTls)
#include "TestHttpFrontendTls.moc"
