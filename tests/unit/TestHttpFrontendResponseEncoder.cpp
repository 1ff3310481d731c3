// Tests of ResponseEncoder: status line, Content-Length, HEAD without body, Connection, JSON
// no-store, dropped framing and unsafe headers, bodiless statuses. Single-threaded.
#include "http/ResponseEncoder.h"

#include <QJsonObject>
#include <QTest>

using cairn::server::HttpResponse;
using cairn::server::ResponseEncoder;
using cairn::server::ResponseFraming;

namespace {

struct Split {
    QByteArray head; // up to and including the empty line
    QByteArray body;
};

Split split(const QByteArray &wire)
{
    const qsizetype end = wire.indexOf("\r\n\r\n");
    return {wire.left(end + 4), wire.mid(end + 4)};
}

} // namespace

class TestHttpFrontendResponseEncoder : public QObject {
    Q_OBJECT

private slots:
    void writesStatusHeadersAndBody()
    {
        HttpResponse r = HttpResponse::bytes(201, "abc", "text/plain");
        r.withHeader("X-Id", "7");
        const Split s = split(ResponseEncoder::encode(r, ResponseFraming()));
        QVERIFY(s.head.startsWith("HTTP/1.1 201 Created\r\n"));
        QVERIFY(s.head.contains("\r\nContent-Type: text/plain\r\n"));
        QVERIFY(s.head.contains("\r\nX-Id: 7\r\n"));
        QVERIFY(s.head.contains("\r\nContent-Length: 3\r\n"));
        QVERIFY(s.head.contains("\r\nDate: "));
        QVERIFY(!s.head.contains("Connection:"));
        QVERIFY(!s.head.contains("Cache-Control"));
        QCOMPARE(s.body, QByteArray("abc"));
    }

    void answersHeadWithTheGetLengthAndNoBody()
    {
        ResponseFraming framing;
        framing.headRequest = true;
        const HttpResponse r = HttpResponse::bytes(200, QByteArray(1234, 'x'), "application/octet-stream");
        const Split s = split(ResponseEncoder::encode(r, framing));
        QVERIFY(s.head.contains("\r\nContent-Length: 1234\r\n"));
        QVERIFY(s.body.isEmpty());
        QCOMPARE(ResponseEncoder::sentBodyBytes(r, framing), qint64(0));
    }

    void marksJsonNoStore()
    {
        const HttpResponse json = HttpResponse::json(200, QJsonObject {{QStringLiteral("a"), 1}});
        QVERIFY(ResponseEncoder::encode(json, ResponseFraming()).contains("\r\nCache-Control: no-store\r\n"));
        HttpResponse cached = json;
        cached.withHeader("Cache-Control", "max-age=60");
        const QByteArray wire = ResponseEncoder::encode(cached, ResponseFraming());
        QVERIFY(wire.contains("\r\nCache-Control: max-age=60\r\n"));
        QVERIFY(!wire.contains("no-store"));
    }

    void ownsTheConnectionHeaders()
    {
        HttpResponse r = HttpResponse::bytes(200, "ab", "text/plain");
        r.withHeader("Content-Length", "99")
            .withHeader("Connection", "upgrade")
            .withHeader("Transfer-Encoding", "chunked");
        ResponseFraming close;
        close.closeConnection = true;
        const Split s = split(ResponseEncoder::encode(r, close));
        QCOMPARE(s.head.count("Content-Length"), 1);
        QVERIFY(s.head.contains("\r\nContent-Length: 2\r\n"));
        QVERIFY(s.head.contains("\r\nConnection: close\r\n"));
        QVERIFY(!s.head.contains("upgrade"));
        QVERIFY(!s.head.contains("chunked"));

        ResponseFraming keepAlive10;
        keepAlive10.http10KeepAlive = true;
        QVERIFY(ResponseEncoder::encode(r, keepAlive10).contains("\r\nConnection: keep-alive\r\n"));
    }

    void dropsHeadersThatWouldSplitTheResponse()
    {
        HttpResponse r = HttpResponse::bytes(200, "", "text/plain");
        r.withHeader("X-Evil", "a\r\nSet-Cookie: x=1").withHeader("Bad Name", "v").withHeader("X-Good", "ok");
        const QByteArray wire = ResponseEncoder::encode(r, ResponseFraming());
        QVERIFY(!wire.contains("Set-Cookie"));
        QVERIFY(!wire.contains("Bad Name"));
        QVERIFY(wire.contains("\r\nX-Good: ok\r\n"));
    }

    void sendsNoBodyWhereNoneIsAllowed()
    {
        for (const int status : {204, 304}) {
            const HttpResponse r = HttpResponse::bytes(status, "ignored", QByteArray());
            const Split s = split(ResponseEncoder::encode(r, ResponseFraming()));
            QVERIFY2(!s.head.contains("Content-Length"), qPrintable(QString::number(status)));
            QVERIFY(s.body.isEmpty());
        }
        QCOMPARE(ResponseEncoder::reasonPhrase(431), QByteArray("Request Header Fields Too Large"));
        QVERIFY(ResponseEncoder::encode(HttpResponse::bytes(42, "", ""), {}).startsWith("HTTP/1.1 500 "));
    }

    // The connection writes encodeHead() and then, apart, the body when sentBodyBytes() says so:
    // the head ends at the empty line and never carries the body; HEAD answers and bodiless
    // statuses send nothing after it, also for an invalid status answered as 500.
    void headAndBodyApart()
    {
        ResponseFraming headRequest;
        headRequest.headRequest = true;
        struct Case {
            int status;
            bool head;
            qint64 body;
        };
        for (const Case &c : {Case {200, false, 7}, Case {206, false, 7}, Case {404, false, 7}, Case {42, false, 7},
                 Case {204, false, 0}, Case {304, false, 0}, Case {200, true, 0}, Case {42, true, 0}}) {
            const HttpResponse r = HttpResponse::bytes(c.status, "payload", "application/octet-stream");
            const ResponseFraming framing = c.head ? headRequest : ResponseFraming();
            const QByteArray head = ResponseEncoder::encodeHead(r, framing);
            const QString what = QStringLiteral("status %1%2").arg(c.status).arg(c.head ? QStringLiteral(" HEAD") : QString());
            QVERIFY2(head.endsWith("\r\n\r\n") && head.count("\r\n\r\n") == 1, qPrintable(what));
            QVERIFY2(!head.contains("payload"), qPrintable(what));
            QCOMPARE(ResponseEncoder::sentBodyBytes(r, framing), c.body);
            // A HEAD answer announces the length the GET would send.
            QCOMPARE(head.contains("\r\nContent-Length: 7\r\n"), c.status != 204 && c.status != 304);
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendResponseEncoder)
#include "TestHttpFrontendResponseEncoder.moc"
