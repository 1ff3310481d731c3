// The limits and timeouts of HttpFrontend over real loopback sockets: header count and size
// (431), a declared 1 GiB body (413 at once, without the memory), the global body budget (503 +
// Retry-After, released afterwards), the connection limit (503), a slow head cut after
// headerTimeout, a stalled body and an idle keep-alive connection cut after idleTimeout. Each
// test runs its own front end on its own thread; the test's main thread is a blocking client.
#include "TestHttpFrontendSupport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace cairn::test;
using cairn::server::HttpLimits;

class TestHttpFrontendLimits : public QObject {
    Q_OBJECT

private slots:
    void refusesTooManyHeaders()
    {
        FrontendThread server {HttpLimits()};
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        auto c = TestClient::plain(server.port());
        QByteArray headers;
        for (int i = 0; i < 1000; ++i)
            headers += "X-H" + QByteArray::number(i) + ": v\r\n";
        QVERIFY(headers.size() < 16 * 1024); // the count trips, not the size
        QVERIFY(c->send(httpRequest("GET", "/hello", headers)));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
        QVERIFY(c->waitForClose(3000));
        QCOMPARE(server.app().started.load(), 0);
    }

    void refusesAHugeHeader()
    {
        FrontendThread server {HttpLimits()};
        auto c = TestClient::plain(server.port());
        QVERIFY(c->send(httpRequest("GET", "/hello", "X-Big: " + QByteArray(20 * 1024, 'b') + "\r\n")));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
        QVERIFY(c->waitForClose(3000));
        QCOMPARE(server.app().started.load(), 0);
    }

    void refusesAGigabyteBodyQuicklyWithoutBufferingIt()
    {
        FrontendThread server {HttpLimits()};
        auto c = TestClient::plain(server.port());
        const qint64 memoryBefore = memoryInUse();
        qint64 peakGrowth = 0;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(c->send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1073741824\r\n\r\n"));
        // Push up to 128 MiB of body like a client that reads only when done sending: none of it
        // may pile up in the server. Note when the answer arrives.
        const QByteArray chunk(256 * 1024, 'z');
        qint64 sent = 0;
        qint64 answeredAfter = -1;
        while (sent < 128LL * 1024 * 1024 && c->send(chunk)) {
            sent += chunk.size();
            peakGrowth = qMax(peakGrowth, memoryInUse() - memoryBefore);
            if (answeredAfter < 0 && c->waitForActivity(0))
                answeredAfter = clock.elapsed();
        }
        auto r = c->readReply(5000);
        if (answeredAfter < 0)
            answeredAfter = clock.elapsed();
        peakGrowth = qMax(peakGrowth, memoryInUse() - memoryBefore);
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QVERIFY2(answeredAfter < 3000, qPrintable(QStringLiteral("413 after %1 ms").arg(answeredAfter)));
        QVERIFY2(
            peakGrowth < 50LL * 1024 * 1024, qPrintable(QStringLiteral("memory grew by %1 bytes").arg(peakGrowth)));
        QVERIFY(c->waitForClose(5000));
        qInfo("413 after %lld ms; %lld MiB of body pushed; memory in use grew by at most %lld KiB", answeredAfter,
            sent >> 20, peakGrowth / 1024);
    }

    void budgetRefusesUploadsBeyondItAndIsReleased()
    {
        HttpLimits limits;
        limits.maxBufferedBodyBytes = 1024 * 1024;
        FrontendThread server(limits);
        const QByteArray body(700 * 1024, 'u');

        auto first = TestClient::plain(server.port());
        const QByteArray firstRequest = httpRequest("PUT", "/echo", {}, body);
        const qsizetype headSize = firstRequest.size() - body.size();
        QVERIFY(first->send(firstRequest.left(headSize + 1024)));
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == body.size(); }, 3000));

        auto second = TestClient::plain(server.port());
        QVERIFY(second->send(httpRequest("PUT", "/echo", {}, body).left(headSize)));
        auto busy = second->readReply(3000);
        QVERIFY(busy);
        QCOMPARE(busy->status, 503);
        QCOMPARE(busy->header("Retry-After"), QByteArray("1"));
        QVERIFY(second->waitForClose(3000));

        QVERIFY(first->send(firstRequest.mid(headSize + 1024)));
        auto done = first->readReply();
        QVERIFY(done);
        QCOMPARE(done->status, 200);
        QCOMPARE(done->body.size(), body.size());
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 3000));

        auto third = TestClient::plain(server.port());
        QVERIFY(third->send(httpRequest("PUT", "/echo", {}, body)));
        auto again = third->readReply();
        QVERIFY(again);
        QCOMPARE(again->status, 200);
    }

    void budgetIsReleasedWhenTheClientLeaves()
    {
        HttpLimits limits;
        limits.maxBufferedBodyBytes = 1024 * 1024;
        FrontendThread server(limits);
        {
            auto leaving = TestClient::plain(server.port());
            QVERIFY(leaving->send(httpRequest("PUT", "/echo", {}, QByteArray(900 * 1024, 'l')).left(200)));
            QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 900 * 1024; }, 3000));
        }
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 3000));
    }

    void refusesConnectionsBeyondTheLimit()
    {
        HttpLimits limits;
        limits.maxConnections = 3;
        FrontendThread server(limits);
        std::vector<std::unique_ptr<TestClient>> open;
        for (int i = 0; i < 3; ++i) {
            open.push_back(TestClient::plain(server.port()));
            QVERIFY(open.back()->send(httpRequest("GET", "/hello")));
            auto r = open.back()->readReply();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
        }
        auto extra = TestClient::plain(server.port());
        auto refused = extra->readReply(3000);
        QVERIFY(refused);
        QCOMPARE(refused->status, 503);
        QVERIFY(extra->waitForClose(3000));

        open.pop_back();
        QVERIFY(waitUntil([&] { return server.frontend().connectionCount() == 2; }, 3000));
        auto next = TestClient::plain(server.port());
        QVERIFY(next->send(httpRequest("GET", "/hello")));
        auto ok = next->readReply();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
    }

    void cutsASlowHead()
    {
        HttpLimits limits;
        limits.headerTimeoutMs = 2000;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
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
        QCOMPARE(server.app().started.load(), 0);
    }

    void cutsASilentNewConnection()
    {
        HttpLimits limits;
        limits.headerTimeoutMs = 1000;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(c->waitForClose(4000));
        QVERIFY2(clock.elapsed() >= 800, qPrintable(QString::number(clock.elapsed())));
    }

    void cutsAStalledBody()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 1000;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        QVERIFY(c->send(httpRequest("PUT", "/echo", {}, QByteArray(100, 'b')).chopped(90)));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(c->waitForClose(4000));
        QVERIFY2(clock.elapsed() >= 800 && clock.elapsed() <= 3000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(c->buffered().startsWith("HTTP/1.1 408 "), c->buffered().constData());
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 2000));
    }

    void keepsABodyThatKeepsArriving()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 1000;
        limits.minBodyBytesPerSecond = 1; // this test is about the gap timer, not the rate floor
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        // The last request of the connection, its body trickling in over 3 s in 300 ms steps.
        const QByteArray body = "0123456789";
        const QByteArray request = httpRequest("PUT", "/echo", "Connection: close\r\n", body);
        QVERIFY(c->send(request.chopped(body.size())));
        for (char b : body) {
            QThread::msleep(300);
            QVERIFY(c->send(QByteArray(1, b)));
        }
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, body);
    }

    void cutsABodyThatTrickles()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 1000;
        limits.minBodyBytesPerSecond = 1000;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        // Never a gap as long as the idle timeout, but 3 bytes a second on average.
        const QByteArray request = httpRequest("PUT", "/echo", {}, QByteArray(100, 'c'));
        QVERIFY(c->send(request.chopped(100)));
        QElapsedTimer clock;
        clock.start();
        // Without the rate floor the 100 bytes would take 30 s and never be cut.
        for (int i = 0; i < 10 && c->send(QByteArray(1, 'c')); ++i)
            QThread::msleep(300);
        QVERIFY(c->waitForClose(4000));
        QVERIFY2(c->buffered().startsWith("HTTP/1.1 408 "), c->buffered().constData());
        QVERIFY2(clock.elapsed() >= 1000 && clock.elapsed() <= 8000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 2000));
    }

    void refusesAClientThatDoesNotRead()
    {
        HttpLimits limits;
        limits.maxUnsentBytes = 1 << 20;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        // 64 echoes of 512 KiB sent back to back and never read: 32 MiB of answers, far more than
        // the kernel buffers hold, so the unsent answers pile up in the server until it refuses.
        const QByteArray request = httpRequest("PUT", "/echo", {}, QByteArray(512 << 10, 'e'));
        for (int i = 0; i < 64 && c->send(request); ++i) {
        }
        QVERIFY(c->waitForClose(15000));
        QVERIFY2(c->buffered().contains("HTTP/1.1 503 ") && c->buffered().contains("not_reading"),
                 c->buffered().right(300).constData());
        QVERIFY(waitUntil([&] { return server.frontend().connectionCount() == 0; }, 5000));
        QVERIFY(waitUntil([&] { return server.frontend().bufferedBodyBytes() == 0; }, 2000));
    }

    void closesAnIdleKeepAliveConnection()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 1000;
        FrontendThread server(limits);
        auto c = TestClient::plain(server.port());
        QVERIFY(c->send(httpRequest("GET", "/hello")));
        auto r = c->readReply();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(c->waitForClose(4000));
        QVERIFY2(clock.elapsed() >= 800 && clock.elapsed() <= 3000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(c->buffered().isEmpty());
        QVERIFY(waitUntil([&] { return server.frontend().connectionCount() == 0; }, 2000));
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendLimits)
#include "TestHttpFrontendLimits.moc"
