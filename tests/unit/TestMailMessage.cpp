// MailMessage: the RFC 5322 / MIME bytes Cairn sends, read back with Python's email package —
// headers, a Korean subject as encoded-words, both body parts, CRLF only, short lines, unique
// Message-IDs, and header injection refused. Test's main thread.
#include "mail/MailMessage.h"

#include "SmtpSink.h"

#include <QRegularExpression>
#include <QTimeZone>
#include <QtTest>

using namespace cairn;
using namespace cairn::server;
using cairn::test::ParsedMail;

namespace {

MailDraft sampleDraft()
{
    MailDraft d;
    d.from = MailAddress(QStringLiteral("backup@cairn.example"), QStringLiteral("Cairn 백업"));
    d.to = {MailAddress(QStringLiteral("ops@acme.example"), QStringLiteral("ACME \"Ops\" Team")),
        MailAddress(QStringLiteral("kim@acme.example"), QStringLiteral("김철수"))};
    d.subject = QStringLiteral("[Cairn] Backup failed: web-01 (ACME)");
    d.text = QStringLiteral("Plain line one\nsecond line\n");
    d.html = QStringLiteral("<!DOCTYPE html><html><body><p>HTML body</p></body></html>\n");
    d.date = QDateTime(QDate(2026, 11, 27), QTime(9, 0, 0), QTimeZone("Asia/Seoul"));
    d.host = QStringLiteral("backup.cairn.example");
    return d;
}

ParsedMail parsed(const MailMessage &m)
{
    ParsedMail p;
    QString error;
    if (!cairn::test::parseMail(m.bytes(), &p, &error))
        qWarning("%s", qPrintable(error));
    return p;
}

QStringList lines(const QByteArray &bytes)
{
    QStringList out;
    for (const QByteArray &l : bytes.split('\n'))
        out.append(QString::fromLatin1(l));
    return out;
}

} // namespace

class TestMailMessage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!cairn::test::debianPython().isEmpty(), "no Python interpreter to read messages back with");
    }

    void headers()
    {
        auto built = MailMessage::build(sampleDraft());
        QVERIFY2(built.ok(), built.ok() ? "" : qPrintable(built.error().message));
        const MailMessage &m = *built;
        const QByteArray b = m.bytes();
        QVERIFY(b.contains("\r\nDate: Fri, 27 Nov 2026 09:00:00 +0900\r\n"));
        QVERIFY(b.contains("\r\nMIME-Version: 1.0\r\n"));
        QVERIFY(b.contains("\r\nAuto-Submitted: auto-generated\r\n"));
        QVERIFY(b.contains("Content-Type: multipart/alternative;"));
        QVERIFY(QRegularExpression(QStringLiteral("^<[0-9a-f]{32}\\.[0-9]+@backup\\.cairn\\.example>$"))
                    .match(QString::fromLatin1(m.messageId()))
                    .hasMatch());
        QCOMPARE(m.recipientAddresses(),
            QStringList({QStringLiteral("ops@acme.example"), QStringLiteral("kim@acme.example")}));

        const ParsedMail o = parsed(m);
        QCOMPARE(o.subject, QStringLiteral("[Cairn] Backup failed: web-01 (ACME)"));
        QCOMPARE(o.fromName, QStringLiteral("Cairn 백업"));
        QVERIFY(o.from.endsWith(QStringLiteral("<backup@cairn.example>")));
        QCOMPARE(o.toAddresses, QStringList({QStringLiteral("ops@acme.example"), QStringLiteral("kim@acme.example")}));
        QCOMPARE(o.toNames, QStringList({QStringLiteral("ACME \"Ops\" Team"), QStringLiteral("김철수")}));
        QCOMPARE(o.messageId, QString::fromLatin1(m.messageId()));
        QCOMPARE(o.date, QStringLiteral("Fri, 27 Nov 2026 09:00:00 +0900"));
        QCOMPARE(o.contentType, QStringLiteral("multipart/alternative"));
        QCOMPARE(o.defects, QStringList());
    }

    void koreanSubjectDecodesBack()
    {
        MailDraft d = sampleDraft();
        d.subject
            = QStringLiteral("[Cairn] 일일 백업 보고서 2026-11-27 (에이스 주식회사): 성공 5, 실패 1 — 보관 주기 30일, "
                             "복구 요청은 업무 시간 기준 3시간 이내에 완료됩니다 😀");
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        const QByteArray b = m->bytes();
        QVERIFY(b.contains("Subject: =?UTF-8?B?"));
        for (const char c : b)
            QVERIFY2(uchar(c) < 0x80, "the message must be 7-bit ASCII");
        // Each encoded-word is at most 75 characters (RFC 2047 2).
        const QRegularExpression word(QStringLiteral("=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]*\\?="));
        int words = 0;
        for (auto it = word.globalMatch(QString::fromLatin1(b)); it.hasNext();) {
            QVERIFY(it.next().capturedLength() <= 75);
            ++words;
        }
        QVERIFY(words > 3);
        QCOMPARE(parsed(*m).subject, d.subject);
    }

    void bothPartsCarryTheText()
    {
        MailDraft d = sampleDraft();
        d.text = QStringLiteral(
            "백업이 실패했습니다.\nA=B trailing space \n.starts with a dot\nFrom the start\n\ttab\n끝");
        d.html = QStringLiteral("<p>백업 결과 &amp; 복구</p>\r\n<p>a=b</p>");
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        QVERIFY(m->bytes().contains("Content-Type: text/plain; charset=UTF-8\r\n"));
        QVERIFY(m->bytes().contains("Content-Type: text/html; charset=UTF-8\r\n"));
        const auto parts = parsed(*m).parts;
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts[0].contentType, QStringLiteral("text/plain"));
        QCOMPARE(parts[0].charset, QStringLiteral("utf-8"));
        QCOMPARE(parts[0].text, d.text + QLatin1Char('\n'));
        QCOMPARE(parts[1].contentType, QStringLiteral("text/html"));
        QCOMPARE(parts[1].charset, QStringLiteral("utf-8"));
        QCOMPARE(parts[1].text, QStringLiteral("<p>백업 결과 &amp; 복구</p>\n<p>a=b</p>\n"));
    }

    void encodingFollowsTheContent()
    {
        // Mostly ASCII: quoted-printable; mostly Hangul: base64 (a third of the size).
        MailDraft d = sampleDraft();
        d.text = QStringLiteral("The backup of web-01 failed (백업 실패).\n");
        d.html = QStringLiteral("백업 결과를 알려 드립니다. 보관 주기는 30일입니다. ").repeated(20);
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        const ParsedMail p = parsed(*m);
        QCOMPARE(p.parts.size(), 2);
        QCOMPARE(p.parts[0].transferEncoding, QStringLiteral("quoted-printable"));
        QCOMPARE(p.parts[0].text, d.text);
        QCOMPARE(p.parts[1].transferEncoding, QStringLiteral("base64"));
        QCOMPARE(p.parts[1].text, d.html + QLatin1Char('\n'));
        const qsizetype body = m->bytes().indexOf("Content-Transfer-Encoding: base64\r\n\r\n");
        QVERIFY(body > 0);
        const QList<QByteArray> base64Lines = m->bytes().mid(body).split('\n');
        QVERIFY(base64Lines.size() > 10);
        for (qsizetype i = 2; i < base64Lines.size() && !base64Lines[i].trimmed().isEmpty(); ++i)
            QVERIFY(base64Lines[i].size() <= 77); // 76 and the CR
    }

    void crlfLineEndingsOnly()
    {
        MailDraft d = sampleDraft();
        d.text = QStringLiteral("unix\nmac\rwindows\r\nend");
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        const QByteArray b = m->bytes();
        QVERIFY(b.endsWith("\r\n"));
        for (qsizetype i = 0; i < b.size(); ++i) {
            if (b[i] == '\n')
                QVERIFY2(i > 0 && b[i - 1] == '\r', "a bare LF");
            if (b[i] == '\r')
                QVERIFY2(i + 1 < b.size() && b[i + 1] == '\n', "a bare CR");
        }
        QCOMPARE(parsed(*m).parts.value(0).text, QStringLiteral("unix\nmac\nwindows\nend\n"));
    }

    void longLinesAreFoldedOrEncoded()
    {
        MailDraft d = sampleDraft();
        d.subject = QString(300, QLatin1Char('s'))
            + QStringLiteral(" and then a few words that go on and on to pass the "
                             "width of one header line by far");
        d.to.clear();
        for (int i = 0; i < 40; ++i)
            d.to.append(MailAddress(QStringLiteral("recipient%1@tenant-with-a-long-domain.example").arg(i)));
        d.text = QString(5000, QLatin1Char('x')) + QLatin1Char('\n') + QString(3000, QChar(0xBC31)); // 백
        d.html = QStringLiteral("<p>") + QString(20000, QLatin1Char('h')) + QStringLiteral("</p>");
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        const QByteArray b = m->bytes();
        const qsizetype bodyStart = b.indexOf("\r\n\r\n");
        int lineNo = 0;
        qsizetype offset = 0;
        for (const QString &l : lines(b)) {
            const qsizetype length = l.endsWith(QLatin1Char('\r')) ? l.size() - 1 : l.size();
            QVERIFY2(length <= 998, qPrintable(QStringLiteral("line %1 has %2 octets").arg(lineNo).arg(length)));
            QVERIFY2(length <= (offset < bodyStart ? 78 : 76),
                qPrintable(QStringLiteral("line %1 has %2 octets: %3").arg(lineNo).arg(length).arg(l.left(90))));
            offset += l.size() + 1;
            ++lineNo;
        }
        const ParsedMail o = parsed(*m);
        QCOMPARE(o.subject, d.subject);
        QCOMPARE(o.toAddresses.size(), 40);
        QCOMPARE(o.toAddresses.value(39), QStringLiteral("recipient39@tenant-with-a-long-domain.example"));
        QCOMPARE(o.parts.size(), 2);
        QCOMPARE(o.parts[0].text, d.text + QLatin1Char('\n'));
        QCOMPARE(o.parts[1].text, d.html + QLatin1Char('\n'));
    }

    void quotedPrintableVectors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("abc\r\n") << QByteArray("abc\r\n");
        QTest::newRow("equals") << QByteArray("a=b\r\n") << QByteArray("a=3Db\r\n");
        QTest::newRow("trailing space") << QByteArray("a \r\nb\t\r\n") << QByteArray("a=20\r\nb=09\r\n");
        QTest::newRow("inner space") << QByteArray("a b\r\n") << QByteArray("a b\r\n");
        QTest::newRow("utf-8") << QByteArray("\xeb\xb0\xb1\r\n") << QByteArray("=EB=B0=B1\r\n");
        QTest::newRow("leading dot") << QByteArray(".x\r\n") << QByteArray("=2Ex\r\n");
        QTest::newRow("From") << QByteArray("From here\r\n") << QByteArray("=46rom here\r\n");
        QTest::newRow("76 fits") << QByteArray(76, 'a') + "\r\n" << QByteArray(76, 'a') + "\r\n";
        QTest::newRow("77 breaks") << QByteArray(77, 'a') + "\r\n" << QByteArray(75, 'a') + "=\r\naa\r\n";
        QTest::newRow("escape not split") << QByteArray(74, 'a') + "\xff" + "b\r\n"
                                          << QByteArray(74, 'a') + "=\r\n=FFb\r\n";
    }

    void quotedPrintableVectors()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(quotedPrintable(input), expected);
    }

    void messageIdsAreUnique()
    {
        QSet<QByteArray> ids;
        for (int i = 0; i < 50; ++i) {
            auto m = MailMessage::build(sampleDraft());
            QVERIFY(m.ok());
            QVERIFY(m->messageId().endsWith("@backup.cairn.example>"));
            ids.insert(m->messageId());
        }
        QCOMPARE(ids.size(), 50);
    }

    void headerInjectionIsRefused_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("value");
        const QString values[] = {QStringLiteral("x\r\nBcc: victim@evil.example"),
            QStringLiteral("x\nBcc: v@e.example"), QStringLiteral("x\rBcc: v@e.example")};
        const char *fields[]
            = {"subject", "from address", "from name", "to address", "to name", "header value", "header name", "host"};
        for (int f = 0; f < 8; ++f)
            for (int v = 0; v < 3; ++v)
                QTest::addRow("%s %d", fields[f], v) << f << values[v];
    }

    void headerInjectionIsRefused()
    {
        QFETCH(int, field);
        QFETCH(QString, value);
        MailDraft d = sampleDraft();
        const QString address = QStringLiteral("ops@acme.example") + value;
        switch (field) {
        case 0: d.subject = value; break;
        case 1: d.from.address = address; break;
        case 2: d.from.name = value; break;
        case 3: d.to.last().address = address; break;
        case 4: d.to.last().name = value; break;
        case 5: d.extraHeaders.append({"X-Cairn-Test", value}); break;
        case 6: d.extraHeaders.append({value.toLatin1(), QStringLiteral("v")}); break;
        case 7: d.host = QStringLiteral("cairn.example") + value; break;
        }
        auto m = MailMessage::build(d);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().code, ErrorCode::InvalidArgument);
    }

    void badAddressesAreRefused_data()
    {
        QTest::addColumn<QString>("address");
        for (const char *a : {"", "no-at-sign", "two@@example.com", "a b@example.com", "<a@example.com>",
                 "a@example.com>", "\"quoted\"@example.com", "a@", "@example.com", "a@exa mple.com", "a@-", "a@.com",
                 "a..b@example.com", "a@example..com", "a,b@example.com"})
            QTest::newRow(a) << QString::fromLatin1(a);
        QTest::newRow("non-ascii local") << QStringLiteral("김@example.com");
        QTest::newRow("non-ascii domain") << QStringLiteral("a@예시.com");
        QTest::newRow("too long") << QString(250, QLatin1Char('a')) + QStringLiteral("@b.cd");
    }

    void badAddressesAreRefused()
    {
        QFETCH(QString, address);
        QVERIFY(!checkMailAddress(address).ok());
        MailDraft d = sampleDraft();
        d.to.append(MailAddress(address));
        QVERIFY(!MailMessage::build(d).ok());
    }

    void goodAddressesAreAccepted()
    {
        for (const char *a : {"a@b.cd", "first.last+tag@sub.example.com", "o'neil@example.com", "x_y-z@a-b.example"})
            QVERIFY2(checkMailAddress(QString::fromLatin1(a)).ok(), a);
    }

    void reservedOrMissingFieldsAreRefused()
    {
        MailDraft d = sampleDraft();
        d.extraHeaders.append({"bcc", QStringLiteral("x@example.com")});
        QVERIFY(!MailMessage::build(d).ok());
        d = sampleDraft();
        d.extraHeaders.append({"X-Bad:Name", QStringLiteral("v")});
        QVERIFY(!MailMessage::build(d).ok());
        d = sampleDraft();
        d.to.clear();
        QVERIFY(!MailMessage::build(d).ok());
        d = sampleDraft();
        d.host = QStringLiteral("not a host");
        QVERIFY(!MailMessage::build(d).ok());
    }

    void extraHeadersAreWritten()
    {
        MailDraft d = sampleDraft();
        d.extraHeaders.append({"X-Cairn-Tenant", QStringLiteral("에이스 주식회사")});
        auto m = MailMessage::build(d);
        QVERIFY(m.ok());
        QCOMPARE(parsed(*m).header(QStringLiteral("X-Cairn-Tenant")), QStringList({QStringLiteral("에이스 주식회사")}));
    }

    void rfc5322DateUsesTheOffset()
    {
        QCOMPARE(rfc5322Date(QDateTime(QDate(2026, 7, 4), QTime(23, 5, 9), QTimeZone("America/New_York"))),
            QByteArray("Sat, 4 Jul 2026 23:05:09 -0400"));
        QCOMPARE(rfc5322Date(QDateTime(QDate(2026, 1, 1), QTime(0, 0, 0), QTimeZone("Asia/Kolkata"))),
            QByteArray("Thu, 1 Jan 2026 00:00:00 +0530"));
    }
};

QTEST_GUILESS_MAIN(TestMailMessage)
#include "TestMailMessage.moc"
