// Clients that leave before their answer: 200 clients send a request whose handler sleeps
// 300 ms and disconnect at once; uploads broken off mid-body. The front end must not crash (the
// crash QtHttpServer 6.4 shows with asynchronous answers), must free every connection and body
// reservation, and must still answer a normal request afterwards. Also run under ASan/UBSan.
// The front end runs on its own thread; the test's main thread is the clients.
#include "TestHttpFrontendSupport.h"

#include <QTest>

using namespace cairn::test;
using cairn::server::HttpLimits;

class TestHttpFrontendDisconnect : public QObject {
    Q_OBJECT

private slots:
    void survivesClientsLeavingBeforeTheirAnswer()
    {
        FrontendThread server {HttpLimits()};
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        for (int i = 0; i < 200; ++i) {
            auto c = TestClient::plain(server.port());
            QVERIFY(c->isConnected());
            QVERIFY(c->send(httpRequest("GET", "/sleep")));
        } // each client closes right after sending
        // Some handlers were running when their clients left; let them finish into nothing.
        QVERIFY(waitUntil([&] { return server.app().started.load() > 0; }, 5000));
        QVERIFY(waitUntil([&] { return server.app().started.load() == server.app().finished.load(); }, 20000));

        auto c = TestClient::plain(server.port());
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto r = c->readReply(10000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        c.reset();
        QVERIFY(waitUntil([&] { return server.frontend().connectionCount() == 0; }, 5000));
        qInfo("handlers run for clients that had left: %d of 200", server.app().started.load() - 1);
    }

    void survivesUploadsBrokenOff()
    {
        FrontendThread server {HttpLimits()};
        const QByteArray request = httpRequest("PUT", "/echo", {}, QByteArray(2 * 1024 * 1024, 'x'));
        for (int i = 0; i < 50; ++i) {
            auto c = TestClient::plain(server.port());
            QVERIFY(c->send(request.left(request.size() / 2 + i * 997)));
        }
        // Whole uploads whose clients leave while the handler runs.
        for (int i = 0; i < 20; ++i) {
            auto c = TestClient::plain(server.port());
            QVERIFY(c->send(request));
        }
        QVERIFY(waitUntil([&] { return server.frontend().connectionCount() == 0; }, 10000));
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 10000));
        auto c = TestClient::plain(server.port());
        QVERIFY(c->send(httpRequest("PUT", "/echo", {}, "still here")));
        auto r = c->readReply(10000);
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("still here"));
    }

    void shutsDownWithWorkInFlight()
    {
        auto server = std::make_unique<FrontendThread>(HttpLimits());
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(TestClient::plain(server->port()));
            QVERIFY(clients.back()->send(httpRequest("GET", "/sleep")));
        }
        QVERIFY(waitUntil([&] { return server->app().started.load() > 0; }, 5000));
        server.reset(); // destroys the front end while handlers run and clients wait
        for (auto &c : clients)
            QVERIFY(c->waitForClose(5000));
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendDisconnect)
#include "TestHttpFrontendDisconnect.moc"
