// SmtpClient against a real SMTP server (Debian's aiosmtpd via SmtpSink) on loopback: delivery
// to several recipients byte for byte, STARTTLS and SMTPS with AUTH, the verdicts for a wrong password
// (535), a rejected (550) or deferred (451) recipient, an untrusted certificate, a server that
// is down, silent or killed and restarted. Test's main thread (send() blocks it; the server is
// another process).
#include "mail/SmtpClient.h"

#include "SmtpSink.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QtTest>

using namespace cairn;
using namespace cairn::server;
using cairn::test::ParsedMail;
using cairn::test::SinkSecurity;
using cairn::test::SmtpSink;
using cairn::test::SmtpSinkOptions;

namespace {

const QString kUser = QStringLiteral("cairn-mailer");
const QString kPassword = QStringLiteral("s3cret-Pa55word");

MailMessage sampleMessage(
    const QStringList &to = {QStringLiteral("ops@acme.example"), QStringLiteral("kim@acme.example")})
{
    MailDraft d;
    d.from = MailAddress(QStringLiteral("backup@cairn.example"), QStringLiteral("Cairn 백업"));
    for (const QString &a : to)
        d.to.append(MailAddress(a));
    d.subject = QStringLiteral("[Cairn] 백업 실패: web-01 (ACME)");
    d.text = QStringLiteral("서버 web-01의 백업이 실패했습니다.\n보관 주기: 30일\n");
    d.html = QStringLiteral("<p>서버 <b>web-01</b>의 백업이 실패했습니다.</p>\n");
    d.host = QStringLiteral("backup.cairn.example");
    auto m = MailMessage::build(d);
    if (!m.ok())
        qFatal("sample message: %s", qPrintable(m.error().message));
    return *m;
}

SmtpSettings settingsFor(const SmtpSink &sink, SmtpSecurity security)
{
    SmtpSettings s;
    s.host = QStringLiteral("127.0.0.1");
    s.port = sink.port();
    s.security = security;
    s.timeoutMs = 15000;
    s.heloName = QStringLiteral("cairn-test.example");
    if (security != SmtpSecurity::None)
        s.caFile = sink.caFile();
    return s;
}

QByteArray describe(const SmtpResult &r)
{
    return QByteArray(smtpVerdictName(r.verdict)) + ' ' + QByteArray::number(r.replyCode) + ' ' + r.reply.toUtf8();
}

// Shows the verdict in the test log, then returns it for checking.
SmtpResult logged(const SmtpResult &r)
{
    qInfo("%s", describe(r).constData());
    return r;
}

} // namespace

class TestSmtpClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // A missing aiosmtpd shows here with the sink's own message, not as odd failures later.
        SmtpSink probe;
        QVERIFY2(probe.start(), qPrintable(probe.errorString()));
    }

    void deliversToTwoRecipientsByteForByte()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const MailMessage message = sampleMessage();
        const SmtpResult r = logged(SmtpClient(settingsFor(sink, SmtpSecurity::None)).send(message));
        QVERIFY2(r.isSent(), describe(r).constData());
        QCOMPARE(r.replyCode, 250);
        QVERIFY2(r.reply.contains(QStringLiteral("queued as 000001")), describe(r).constData());

        const auto got = sink.messages();
        QCOMPARE(got.size(), 1);
        QCOMPARE(got[0].mailFrom, QStringLiteral("backup@cairn.example"));
        QCOMPARE(
            got[0].recipients, QStringList({QStringLiteral("ops@acme.example"), QStringLiteral("kim@acme.example")}));
        QVERIFY(!got[0].tls);
        QCOMPARE(got[0].helo, QStringLiteral("cairn-test.example"));
        QCOMPARE(got[0].bytes, message.bytes());

        ParsedMail p;
        QString error;
        QVERIFY2(cairn::test::parseMail(got[0].bytes, &p, &error), qPrintable(error));
        QCOMPARE(p.subject, QStringLiteral("[Cairn] 백업 실패: web-01 (ACME)"));
        QCOMPARE(p.toAddresses, message.recipientAddresses());
        QCOMPARE(p.parts.size(), 2);
        QCOMPARE(p.parts[0].contentType, QStringLiteral("text/plain"));
        QCOMPARE(p.parts[0].text, QStringLiteral("서버 web-01의 백업이 실패했습니다.\n보관 주기: 30일\n"));
        QCOMPARE(p.parts[1].contentType, QStringLiteral("text/html"));
        QCOMPARE(p.parts[1].text, QStringLiteral("<p>서버 <b>web-01</b>의 백업이 실패했습니다.</p>\n"));
    }

    void envelopeSenderFromSettings()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        SmtpSettings s = settingsFor(sink, SmtpSecurity::None);
        s.fromAddress = QStringLiteral("bounces@cairn.example");
        const SmtpResult r = logged(SmtpClient(s).send(sampleMessage()));
        QVERIFY2(r.isSent(), describe(r).constData());
        QCOMPARE(sink.messages().value(0).mailFrom, QStringLiteral("bounces@cairn.example"));
    }

    void rawBytesAreDotStuffed()
    {
        // An outbox sends kept bytes; a line holding only "." must not end the data early.
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const QByteArray raw = "From: a@cairn.example\r\nTo: b@acme.example\r\nSubject: dots\r\n\r\nbefore\r\n.\r\n"
                               "..two\r\n.after\r\n";
        const SmtpResult r
            = logged(SmtpClient(settingsFor(sink, SmtpSecurity::None))
                         .send(QStringLiteral("a@cairn.example"), {QStringLiteral("b@acme.example")}, raw));
        QVERIFY2(r.isSent(), describe(r).constData());
        QCOMPARE(sink.messages().value(0).bytes, raw);
    }

    // STARTTLS on the submission port and implicit TLS (SMTPS), each with AUTH.
    void tlsWithAuth_data()
    {
        QTest::addColumn<int>("sinkSecurity");
        QTest::addColumn<int>("clientSecurity");
        QTest::newRow("starttls") << int(SinkSecurity::StartTls) << int(SmtpSecurity::StartTls);
        QTest::newRow("implicit tls") << int(SinkSecurity::ImplicitTls) << int(SmtpSecurity::Tls);
    }

    void tlsWithAuth()
    {
        QFETCH(int, sinkSecurity);
        QFETCH(int, clientSecurity);
        SmtpSinkOptions o;
        o.security = SinkSecurity(sinkSecurity);
        o.user = kUser;
        o.password = kPassword;
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        SmtpSettings s = settingsFor(sink, SmtpSecurity(clientSecurity));
        s.username = kUser;
        s.password = kPassword;
        const MailMessage message = sampleMessage();
        const SmtpResult r = logged(SmtpClient(s).send(message));
        QVERIFY2(r.isSent(), describe(r).constData());
        const auto got = sink.messages();
        QCOMPARE(got.size(), 1);
        QVERIFY(got[0].tls);
        QCOMPARE(got[0].login, kUser);
        QCOMPARE(got[0].bytes, message.bytes());
    }

    void wrongPasswordIsPermanent535()
    {
        SmtpSinkOptions o;
        o.security = SinkSecurity::StartTls;
        o.user = kUser;
        o.password = kPassword;
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        SmtpSettings s = settingsFor(sink, SmtpSecurity::StartTls);
        s.username = kUser;
        s.password = QStringLiteral("not-the-password");
        const SmtpResult r = logged(SmtpClient(s).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Permanent, describe(r).constData());
        QCOMPARE(r.replyCode, 535);
        QVERIFY2(r.reply.startsWith(QStringLiteral("535 ")), describe(r).constData());
        QVERIFY(!r.reply.contains(s.password));
        QVERIFY(sink.messages().isEmpty());
    }

    void missingAuthIsPermanent()
    {
        SmtpSinkOptions o;
        o.security = SinkSecurity::StartTls;
        o.user = kUser;
        o.password = kPassword;
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const SmtpResult r = logged(SmtpClient(settingsFor(sink, SmtpSecurity::StartTls)).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Permanent, describe(r).constData());
        QCOMPARE(r.replyCode, 530);
    }

    void rejectedRecipientIsPermanent550()
    {
        SmtpSinkOptions o;
        o.rejectRecipients = {QStringLiteral("nobody@acme.example")};
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const SmtpResult r = logged(
            SmtpClient(settingsFor(sink, SmtpSecurity::None))
                .send(sampleMessage({QStringLiteral("ops@acme.example"), QStringLiteral("nobody@acme.example")})));
        QVERIFY2(r.verdict == SmtpVerdict::Permanent, describe(r).constData());
        QCOMPARE(r.replyCode, 550);
        QVERIFY2(r.reply.startsWith(QStringLiteral("550 ")) && r.reply.contains(QStringLiteral("nobody@acme.example")),
            describe(r).constData());
        QVERIFY(sink.messages().isEmpty()); // no partial delivery
    }

    void deferredRecipientIsTransient451()
    {
        SmtpSinkOptions o;
        o.deferRecipients = {QStringLiteral("kim@acme.example")};
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const SmtpResult r = logged(SmtpClient(settingsFor(sink, SmtpSecurity::None)).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Transient, describe(r).constData());
        QCOMPARE(r.replyCode, 451);
        QVERIFY(sink.messages().isEmpty());
    }

    void untrustedCertificateIsPermanent()
    {
        SmtpSinkOptions o;
        o.security = SinkSecurity::StartTls;
        SmtpSink sink(o);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        SmtpSettings s = settingsFor(sink, SmtpSecurity::StartTls);
        s.caFile = QStringLiteral("system"); // the sink's self-signed certificate is not in it
        const SmtpResult r = logged(SmtpClient(s).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Permanent, describe(r).constData());
        QCOMPARE(r.replyCode, 0);
        QVERIFY(sink.messages().isEmpty());
    }

    void startTlsNotOfferedIsPermanent()
    {
        SmtpSink sink; // plain only
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const SmtpResult r = logged(SmtpClient(settingsFor(sink, SmtpSecurity::StartTls)).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Permanent, describe(r).constData());
        QVERIFY(sink.messages().isEmpty());
    }

    void serverNotRunningIsTransient()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const SmtpSettings s = settingsFor(sink, SmtpSecurity::None);
        sink.stop();
        QElapsedTimer t;
        t.start();
        const SmtpResult r = logged(SmtpClient(s).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Transient, describe(r).constData());
        QCOMPARE(r.replyCode, 0);
        QVERIFY(!r.reply.isEmpty());
        QVERIFY(t.elapsed() < 5000);
    }

    void silentServerTimesOutTransient()
    {
        // Listening but never answering: the kernel completes the connection, no greeting comes.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        SmtpSettings s;
        s.host = QStringLiteral("127.0.0.1");
        s.port = silent.serverPort();
        s.security = SmtpSecurity::None;
        s.timeoutMs = 1500;
        QElapsedTimer t;
        t.start();
        const SmtpResult r = logged(SmtpClient(s).send(sampleMessage()));
        QVERIFY2(r.verdict == SmtpVerdict::Transient, describe(r).constData());
        QVERIFY2(t.elapsed() >= 1400 && t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
    }

    void killedAndRestartedServerTakesTheNextMessage()
    {
        SmtpSink sink;
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        const quint16 port = sink.port();
        const SmtpClient client(settingsFor(sink, SmtpSecurity::None));
        const MailMessage first = sampleMessage();
        QVERIFY(client.send(first).isSent());

        sink.kill();
        const MailMessage second = sampleMessage();
        const SmtpResult down = logged(client.send(second));
        QVERIFY2(down.verdict == SmtpVerdict::Transient, describe(down).constData());

        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        QCOMPARE(sink.port(), port);
        // What an outbox does: the kept bytes go out unchanged once the server is back.
        const SmtpResult up = logged(client.send(second.from().address, second.recipientAddresses(), second.bytes()));
        QVERIFY2(up.isSent(), describe(up).constData());
        const auto got = sink.messages();
        QCOMPARE(got.size(), 2);
        QCOMPARE(got[0].bytes, first.bytes());
        QCOMPARE(got[1].bytes, second.bytes());
    }

    void unusableSettingsArePermanent()
    {
        SmtpSettings s;
        s.host = QStringLiteral("bad host\r\n");
        QCOMPARE(SmtpClient(s).send(sampleMessage()).verdict, SmtpVerdict::Permanent);
        s.host = QStringLiteral("127.0.0.1");
        s.port = 70000;
        QCOMPARE(SmtpClient(s).send(sampleMessage()).verdict, SmtpVerdict::Permanent);
        s.port = 25;
        QCOMPARE(SmtpClient(s)
                     .send(QStringLiteral("a@b.example"), {QStringLiteral("x\r\nRCPT TO:<y@z.example>")},
                         "Subject: x\r\n\r\nx\r\n")
                     .verdict,
            SmtpVerdict::Permanent);
        QCOMPARE(SmtpClient(s).send(MailMessage()).verdict, SmtpVerdict::Permanent);
        // No envelope sender given and none in the settings.
        QCOMPARE(SmtpClient(s).send(QString(), {QStringLiteral("y@z.example")}, "Subject: x\r\n\r\nx\r\n").verdict,
            SmtpVerdict::Permanent);
    }
};

QTEST_GUILESS_MAIN(TestSmtpClient)
#include "TestSmtpClient.moc"
