// Tests of RequestHeadParser: what heads it accepts, which it refuses with 400 or 431 (and that it
// refuses an oversized head before the head ends), keep-alive rules, where the head ends, and the
// application's view (decoded path, query). Single-threaded.
#include "http/RequestHeadParser.h"

#include <QTest>

using cairn::server::ParsedRequestHead;
using cairn::server::RequestHeadParser;

namespace {

constexpr int kCount = 100;
constexpr int kBytes = 16 * 1024;

// Feeds `input` whole or one byte at a time; returns the bytes taken.
qsizetype feedAll(RequestHeadParser &parser, const QByteArray &input, bool byteByByte)
{
    if (!byteByByte)
        return parser.feed(input);
    qsizetype taken = 0;
    for (qsizetype i = 0; i < input.size() && parser.state() == RequestHeadParser::State::Incomplete; ++i)
        taken += parser.feed(QByteArrayView(input).sliced(i, 1));
    return taken;
}

QByteArray manyHeaders(int n)
{
    QByteArray h = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 1; i < n; ++i)
        h += "X-" + QByteArray::number(i) + ": v\r\n";
    return h + "\r\n";
}

} // namespace

class TestHttpFrontendHeadParser : public QObject {
    Q_OBJECT

private slots:
    void acceptsValidHeads_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("minor");
        QTest::addColumn<int>("headerCount");
        QTest::addColumn<qint64>("contentLength");
        QTest::addColumn<bool>("keepAlive");
        QTest::addRow("get") << QByteArray("GET /a/b?c=d HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("GET")
                             << QByteArray("/a/b?c=d") << 1 << 1 << qint64(-1) << true;
        QTest::addRow("put with length") << QByteArray("PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n")
                                         << QByteArray("PUT") << QByteArray("/p") << 1 << 2 << qint64(12) << true;
        QTest::addRow("lf line ends") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << QByteArray("GET")
                                      << QByteArray("/") << 1 << 1 << qint64(-1) << true;
        QTest::addRow("leading empty lines") << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
                                             << QByteArray("GET") << QByteArray("/") << 1 << 1 << qint64(-1) << true;
        QTest::addRow("http/1.0 without host") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET")
                                               << QByteArray("/") << 0 << 0 << qint64(-1) << false;
        QTest::addRow("http/1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
                                             << QByteArray("GET") << QByteArray("/") << 0 << 1 << qint64(-1) << true;
        QTest::addRow("connection close") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, Close\r\n\r\n")
                                          << QByteArray("GET") << QByteArray("/") << 1 << 2 << qint64(-1) << false;
        QTest::addRow("custom method, blanks around value")
            << QByteArray("PURGE /x HTTP/1.1\r\nHost:\t x \t\r\n\r\n") << QByteArray("PURGE") << QByteArray("/x") << 1
            << 1 << qint64(-1) << true;
        QTest::addRow("100 fields") << manyHeaders(100) << QByteArray("GET") << QByteArray("/") << 1 << 100
                                    << qint64(-1) << true;
    }

    void acceptsValidHeads()
    {
        QFETCH(QByteArray, input);
        for (const bool byteByByte : {false, true}) {
            RequestHeadParser parser(kCount, kBytes);
            QCOMPARE(feedAll(parser, input, byteByByte), input.size());
            QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
            const ParsedRequestHead &h = parser.head();
            QTEST(h.method, "method");
            QTEST(h.target, "target");
            QTEST(h.minorVersion, "minor");
            QTEST(int(h.headers.size()), "headerCount");
            QTEST(h.contentLength, "contentLength");
            QTEST(h.keepAlive, "keepAlive");
            QCOMPARE(h.bytes, qint64(input.size()));
        }
    }

    void refusesBadHeads_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("status");
        QTest::addRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 400;
        QTest::addRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::addRow("http/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 400;
        QTest::addRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("leading blank") << QByteArray(" GET / HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("target not a path") << QByteArray("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("raw utf-8 in target") << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("nul in decoded path") << QByteArray("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::addRow("folded line") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n") << 400;
        QTest::addRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n") << 400;
        QTest::addRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::addRow("control in value") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX: a\x01\r\n\r\n") << 400;
        QTest::addRow("bare cr in value") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n") << 400;
        QTest::addRow("no host in 1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
        QTest::addRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
        QTest::addRow("length not digits")
            << QByteArray("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n") << 400;
        QTest::addRow("negative length") << QByteArray("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
                                         << 400;
        QTest::addRow("plus sign") << QByteArray("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n") << 400;
        QTest::addRow("empty length") << QByteArray("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n") << 400;
        QTest::addRow("huge length") << QByteArray(
            "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999999999999\r\n\r\n")
                                     << 400;
        QTest::addRow("two lengths") << QByteArray(
            "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")
                                     << 400;
        QTest::addRow("101 fields") << manyHeaders(101) << 431;
        QTest::addRow("1000 fields") << manyHeaders(1000) << 431;
        QTest::addRow("20 KiB field") << ("GET / HTTP/1.1\r\nHost: x\r\nX: " + QByteArray(20 * 1024, 'a') + "\r\n\r\n")
                                      << 431;
        QTest::addRow("20 KiB target") << ("GET /" + QByteArray(20 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                       << 431;
    }

    void refusesBadHeads()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, status);
        for (const bool byteByByte : {false, true}) {
            RequestHeadParser parser(kCount, kBytes);
            feedAll(parser, input, byteByByte);
            QCOMPARE(parser.state(), RequestHeadParser::State::Failed);
            QCOMPARE(parser.failureStatus(), status);
            QVERIFY(!parser.failureMessage().isEmpty());
        }
    }

    void refusesAnOversizedHeadBeforeItEnds()
    {
        RequestHeadParser parser(kCount, kBytes);
        parser.feed("GET / HTTP/1.1\r\nHost: x\r\nX-Long: ");
        QCOMPARE(parser.state(), RequestHeadParser::State::Incomplete);
        parser.feed(QByteArray(kBytes, 'a')); // no line end yet
        QCOMPARE(parser.state(), RequestHeadParser::State::Failed);
        QCOMPARE(parser.failureStatus(), 431);
        QVERIFY(parser.bytesLeft() < 0);
    }

    void takesOnlyTheHead()
    {
        RequestHeadParser parser(kCount, kBytes);
        const QByteArray head = "PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n";
        QCOMPARE(parser.feed(head + "BODYGET / HTTP/1.1"), head.size());
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        QCOMPARE(parser.feed("more"), qsizetype(0));
    }

    void startsOnTheFirstByte()
    {
        RequestHeadParser parser(kCount, kBytes);
        QVERIFY(!parser.started());
        parser.feed("\r\n");
        QVERIFY(parser.started());
        QCOMPARE(parser.state(), RequestHeadParser::State::Incomplete);
    }

    void resetReadsTheNextHead()
    {
        RequestHeadParser parser(kCount, kBytes);
        parser.feed("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        parser.reset();
        QVERIFY(!parser.started());
        parser.feed("DELETE /two HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        QCOMPARE(parser.head().method, QByteArray("DELETE"));
        QCOMPARE(parser.head().target, QByteArray("/two"));
        QCOMPARE(parser.head().headers.size(), 1);
    }

    void recordsFramingHeaders()
    {
        RequestHeadParser parser(kCount, kBytes);
        parser.feed("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-Continue\r\n\r\n");
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        QVERIFY(parser.head().transferEncoding);
        QCOMPARE(parser.head().expect, QByteArray("100-Continue"));
        QCOMPARE(parser.head().contentLength, qint64(-1));
        QVERIFY(!parser.head().webSocketUpgrade);

        parser.reset();
        parser.feed("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket\r\n\r\n");
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        QVERIFY(parser.head().webSocketUpgrade);
        parser.reset();
        parser.feed("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n");
        QVERIFY(!parser.head().webSocketUpgrade);
    }

    void givesTheApplicationADecodedPathAndQuery()
    {
        RequestHeadParser parser(kCount, kBytes);
        parser.feed("GET /a%20b/c%2Fd/%C3%A9?x=1&y=%41%20b#frag HTTP/1.1\r\nHost: x\r\nX-Tag: v\r\n\r\n");
        QCOMPARE(parser.state(), RequestHeadParser::State::Complete);
        QCOMPARE(parser.head().rawPath(), QByteArray("/a%20b/c%2Fd/%C3%A9"));
        QCOMPARE(parser.head().rawQuery(), QByteArray("x=1&y=%41%20b"));
        const auto head = parser.head().toRequestHead(QHostAddress(QStringLiteral("192.0.2.7")));
        QCOMPARE(head.method, QByteArray("GET"));
        QCOMPARE(head.path, QStringLiteral("/a b/c/d/\u00e9"));
        QCOMPARE(head.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
        QCOMPARE(head.query.queryItemValue(QStringLiteral("y"), QUrl::FullyDecoded), QStringLiteral("A b"));
        QCOMPARE(head.header("x-tag"), QByteArray("v"));
        QCOMPARE(head.peer, QHostAddress(QStringLiteral("192.0.2.7")));
    }
};

QTEST_GUILESS_MAIN(TestHttpFrontendHeadParser)
#include "TestHttpFrontendHeadParser.moc"
