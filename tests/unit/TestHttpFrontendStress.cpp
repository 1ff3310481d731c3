// Many quick requests at once through HttpFrontend: 8 client threads keep 16 pipelined GETs
// each (the limit) in flight, so that handler work finishes on the worker pool at every possible
// moment relative to the front end's bookkeeping. Every answer must come back and the process
// must survive. A regression test: answers used to be delivered through a QFuture continuation,
// which Qt 6.4 can run twice when the task finishes as the continuation is attached; the second
// run dereferenced a moved-from promise and crashed the server (SIGSEGV at 0xbc, seen in 1 of 3
// runs of this test with that code, and once in the long reliability run). Front end on its own
// thread; each client thread owns its connection.
#include "TestHttpFrontendSupport.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace cairn::test;
using cairn::server::HttpLimits;

class TestHttpFrontendStress : public QObject {
    Q_OBJECT

private slots:
    void manyPipelinedRequestsAllAnswered()
    {
        FrontendThread server {HttpLimits()};
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        constexpr int kClients = 8, kBatches = 300, kPipelined = 16; // HttpLimits::maxPipelinedRequests
        std::atomic<int> answered {0}, wrong {0};
        QByteArray batch;
        for (int i = 0; i < kPipelined; ++i)
            batch += httpRequest("GET", "/hello");
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back([&] {
                auto client = TestClient::plain(server.port());
                for (int b = 0; b < kBatches && client->isConnected(); ++b) {
                    if (!client->send(batch))
                        return;
                    for (int i = 0; i < kPipelined; ++i) {
                        const auto reply = client->readReply(30000);
                        if (!reply)
                            return;
                        if (reply->status == 200)
                            ++answered;
                        else
                            ++wrong;
                    }
                }
            });
        for (std::thread &t : clients)
            t.join();
        QCOMPARE(wrong.load(), 0);
        QCOMPARE(answered.load(), kClients * kBatches * kPipelined);
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendStress)
#include "TestHttpFrontendStress.moc"
