// ReportMail: the failure and daily report mails in Korean and English carry the exact figures
// of their input (names, numbers, exact bytes, times in the tenant's zone with the offset), have
// the filterable subjects, escape HTML, keep a name's line break out of the headers, and come out
// of MailMessage as Python's email package reads them. Test's main thread.
#include "mail/ReportMail.h"

#include "SmtpSink.h"

#include <QtTest>

using namespace cairn;
using namespace cairn::server;
using cairn::test::ParsedMail;

namespace {

QDateTime utc(int y, int mo, int d, int h, int mi, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
}

FailureMailInput failedRun()
{
    FailureMailInput in;
    in.tenantName = QStringLiteral("ACME");
    in.serverName = QStringLiteral("web-01");
    in.hostname = QStringLiteral("web-01.acme.example");
    in.jobId = 4711;
    in.kind = FailureMailInput::Kind::Failed;
    in.scheduled = utc(2026, 11, 26, 17, 0); // 02:00 in Seoul
    in.started = utc(2026, 11, 26, 17, 12, 5);
    in.finished = utc(2026, 11, 26, 18, 14, 8); // 1 h 2 min 3 s later
    in.error = QStringLiteral("upload failed: connection reset by peer\nafter 3 retries");
    in.warnings
        = {QStringLiteral("/var/log/syslog changed while being read"), QStringLiteral("/srv/a: permission denied")};
    in.warningCount = 2;
    in.timeZone = "Asia/Seoul";
    return in;
}

ReportRun run(ReportRunStatus status, qint64 seed)
{
    ReportRun r;
    r.status = status;
    r.scheduled = utc(2026, 11, 26, 17, 0);
    r.started = utc(2026, 11, 26, 17, 30);
    r.finished = utc(2026, 11, 26, 17, 30).addSecs(600 + seed);
    r.files = 123000 + seed;
    r.bytesScanned = 1234567890 + seed;
    r.newBytes = 45678901 + seed;
    r.storedBytes = 23456789 + seed;
    r.dedupRatio = 27.03;
    return r;
}

// Six servers: five succeeded (one with warnings), one failed.
DailyReportInput sixServers()
{
    DailyReportInput in;
    in.tenantName = QStringLiteral("ACME");
    in.from = utc(2026, 11, 26, 0, 0); // 09:00 in Seoul
    in.to = utc(2026, 11, 27, 0, 0);
    in.timeZone = "Asia/Seoul";
    for (int i = 1; i <= 6; ++i) {
        ReportServer s;
        s.name = QStringLiteral("web-0%1").arg(i);
        s.hostname = QStringLiteral("web-0%1.acme.example").arg(i);
        ReportRun r = run(i == 6 ? ReportRunStatus::Failed
                : i == 2         ? ReportRunStatus::Warning
                                 : ReportRunStatus::Succeeded,
            i);
        if (i == 2) {
            r.warnings = {QStringLiteral("/etc/shadow: permission denied")};
            r.warningCount = 40;
        }
        if (i == 6)
            r.error = QStringLiteral("disk full on /var/tmp");
        s.runs.append(r);
        in.servers.append(s);
    }
    return in;
}

ParsedMail parsed(const Result<MailMessage> &m)
{
    ParsedMail p;
    QString error;
    if (!m.ok())
        qWarning("%s", qPrintable(m.error().message));
    else if (!cairn::test::parseMail(m->bytes(), &p, &error))
        qWarning("%s", qPrintable(error));
    return p;
}

MailDraft addressing()
{
    MailDraft d;
    d.from = MailAddress(QStringLiteral("backup@cairn.example"), QStringLiteral("Cairn"));
    d.to = {MailAddress(QStringLiteral("ops@acme.example"))};
    d.host = QStringLiteral("backup.cairn.example");
    return d;
}

#define VERIFY_CONTAINS(haystack, needle)                                                                              \
    QVERIFY2((haystack).contains(needle), qPrintable(QStringLiteral("missing \"%1\"").arg(needle)))

} // namespace

class TestReportMail : public QObject {
    Q_OBJECT

private slots:
    void failureMailKorean()
    {
        const MailText m = renderFailureMail(failedRun(), MailLanguage::Korean);
        QCOMPARE(m.subject, QStringLiteral("[Cairn] 백업 실패: web-01 (ACME)"));
        for (const QString *part : {&m.text, &m.html}) {
            VERIFY_CONTAINS(*part, QStringLiteral("ACME의 서버 web-01 백업이 실패했습니다."));
            VERIFY_CONTAINS(*part, QStringLiteral("web-01.acme.example"));
            VERIFY_CONTAINS(*part, QStringLiteral("4711"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 02:00:00 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 02:12:05 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 03:14:08 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("1시간 2분 3초"));
            VERIFY_CONTAINS(*part, QStringLiteral("upload failed: connection reset by peer"));
            VERIFY_CONTAINS(*part, QStringLiteral("after 3 retries"));
            VERIFY_CONTAINS(*part, QStringLiteral("/var/log/syslog changed while being read"));
            VERIFY_CONTAINS(*part, QStringLiteral("/srv/a: permission denied"));
            VERIFY_CONTAINS(*part, QStringLiteral("경고 (2건)"));
            VERIFY_CONTAINS(*part, QStringLiteral("Asia/Seoul"));
        }
        VERIFY_CONTAINS(m.text, QStringLiteral("작업 번호: 4711"));
        VERIFY_CONTAINS(m.text, QStringLiteral("예정 시각: 2026-11-27 02:00:00 +09:00"));
        VERIFY_CONTAINS(m.html, QStringLiteral("<html lang=\"ko\">"));
    }

    void failureMailEnglish()
    {
        const MailText m = renderFailureMail(failedRun(), MailLanguage::English);
        QCOMPARE(m.subject, QStringLiteral("[Cairn] Backup failed: web-01 (ACME)"));
        for (const QString *part : {&m.text, &m.html}) {
            VERIFY_CONTAINS(*part, QStringLiteral("The backup of server web-01 of ACME failed."));
            VERIFY_CONTAINS(*part, QStringLiteral("4711"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 02:00:00 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 03:14:08 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("1 h 2 min 3 s"));
            VERIFY_CONTAINS(*part, QStringLiteral("Warnings (2)"));
        }
        VERIFY_CONTAINS(m.text, QStringLiteral("Job ID: 4711"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Started: 2026-11-27 02:12:05 +09:00"));
        QVERIFY(!m.text.contains(QStringLiteral("백업")));
    }

    void missedRun()
    {
        FailureMailInput in = failedRun();
        in.kind = FailureMailInput::Kind::Missed;
        in.started.reset();
        in.finished.reset();
        in.error.clear();
        in.warnings.clear();
        in.warningCount = 0;
        const MailText ko = renderFailureMail(in, MailLanguage::Korean);
        QCOMPARE(ko.subject, QStringLiteral("[Cairn] 백업 실패(미실행): web-01 (ACME)"));
        VERIFY_CONTAINS(ko.text, QStringLiteral("3시간 안에 시작되지 않아 실패로 기록되었습니다"));
        VERIFY_CONTAINS(ko.text, QStringLiteral("시작 시각: 시작되지 않음"));
        QVERIFY(!ko.text.contains(QStringLiteral("경고")));
        const MailText en = renderFailureMail(in, MailLanguage::English);
        QCOMPARE(en.subject, QStringLiteral("[Cairn] Backup failed (missed): web-01 (ACME)"));
        VERIFY_CONTAINS(en.text, QStringLiteral("did not start within 3 hours"));
        VERIFY_CONTAINS(en.text, QStringLiteral("Started: not started"));
    }

    void dailyReportKorean()
    {
        const MailText m = renderDailyReport(sixServers(), MailLanguage::Korean);
        QCOMPARE(m.subject, QStringLiteral("[Cairn] 일일 백업 보고서 2026-11-27 (ACME): 성공 5, 실패 1"));
        for (const QString *part : {&m.text, &m.html}) {
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-26 09:00:00 +09:00 ~ 2026-11-27 09:00:00 +09:00"));
            for (int i = 1; i <= 6; ++i) {
                VERIFY_CONTAINS(*part, QStringLiteral("web-0%1 (web-0%1.acme.example)").arg(i));
                VERIFY_CONTAINS(*part, QStringLiteral("123,00%1").arg(i));
            }
            VERIFY_CONTAINS(*part, QStringLiteral("1.23 GB"));
            VERIFY_CONTAINS(*part, QStringLiteral("45.68 MB"));
            VERIFY_CONTAINS(*part, QStringLiteral("23.46 MB"));
            VERIFY_CONTAINS(*part, QStringLiteral("1,234,567,891바이트"));
            VERIFY_CONTAINS(*part, QStringLiteral("45,678,906바이트"));
            VERIFY_CONTAINS(*part, QStringLiteral("23,456,795바이트"));
            VERIFY_CONTAINS(*part, QStringLiteral("27.03:1"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 02:30:00 +09:00"));
            VERIFY_CONTAINS(*part, QStringLiteral("2026-11-27 02:40:06 +09:00")); // server 6 finished
            VERIFY_CONTAINS(*part, QStringLiteral("10분 6초"));
            VERIFY_CONTAINS(*part, QStringLiteral("성공(경고 있음)"));
            VERIFY_CONTAINS(*part, QStringLiteral("/etc/shadow: permission denied"));
            VERIFY_CONTAINS(*part, QStringLiteral("경고 (40건)"));
            VERIFY_CONTAINS(*part, QStringLiteral("외 39건"));
            VERIFY_CONTAINS(*part, QStringLiteral("disk full on /var/tmp"));
            VERIFY_CONTAINS(*part, QStringLiteral("1 GB = 1,000,000,000바이트"));
        }
        // Exact bytes of the human-readable sizes in the HTML title attribute, and next to them in the text.
        VERIFY_CONTAINS(m.html, QStringLiteral("<span title=\"1,234,567,891바이트\">1.23 GB</span>"));
        VERIFY_CONTAINS(m.text, QStringLiteral("검사한 데이터: 1.23 GB (1,234,567,891바이트)"));
        VERIFY_CONTAINS(m.text, QStringLiteral("성공: 5"));
        VERIFY_CONTAINS(m.text, QStringLiteral("실패: 1"));
        VERIFY_CONTAINS(m.text, QStringLiteral("서버 수: 6"));
    }

    void dailyReportEnglish()
    {
        const MailText m = renderDailyReport(sixServers(), MailLanguage::English);
        QCOMPARE(m.subject, QStringLiteral("[Cairn] Daily backup report 2026-11-27 (ACME): 5 succeeded, 1 failed"));
        for (const QString *part : {&m.text, &m.html}) {
            VERIFY_CONTAINS(*part, QStringLiteral("1,234,567,896 bytes"));
            VERIFY_CONTAINS(*part, QStringLiteral("123,006"));
            VERIFY_CONTAINS(*part, QStringLiteral("Succeeded with warnings"));
            VERIFY_CONTAINS(*part, QStringLiteral("10 min 1 s"));
            VERIFY_CONTAINS(*part, QStringLiteral("Warnings (40)"));
            VERIFY_CONTAINS(*part, QStringLiteral("and 39 more"));
            VERIFY_CONTAINS(*part, QStringLiteral("1 GB = 1,000,000,000 bytes"));
        }
        VERIFY_CONTAINS(m.html, QStringLiteral("<span title=\"45,678,902 bytes\">45.68 MB</span>"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Stored: 23.46 MB (23,456,790 bytes)"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Dedup ratio: 27.03:1"));
    }

    void serversWithoutRunsAreListed()
    {
        DailyReportInput in = sixServers();
        ReportServer idle;
        idle.name = QStringLiteral("db-01");
        in.servers.append(idle);
        const MailText ko = renderDailyReport(in, MailLanguage::Korean);
        QCOMPARE(ko.subject, QStringLiteral("[Cairn] 일일 백업 보고서 2026-11-27 (ACME): 성공 5, 실패 1, 백업 없음 1"));
        VERIFY_CONTAINS(ko.text, QStringLiteral("== 서버: db-01 ==\n이 기간에 실행된 백업이 없습니다."));
        VERIFY_CONTAINS(ko.text, QStringLiteral("백업이 없는 서버: 1"));
        const MailText en = renderDailyReport(in, MailLanguage::English);
        QCOMPARE(en.subject,
            QStringLiteral("[Cairn] Daily backup report 2026-11-27 (ACME): 5 succeeded, 1 failed, 1 with no run"));
        VERIFY_CONTAINS(en.html, QStringLiteral("No backup ran in this period."));
    }

    void missedRunShowsNoFigures()
    {
        DailyReportInput in = sixServers();
        in.servers = {in.servers[0]};
        ReportRun missed = run(ReportRunStatus::Missed, 0);
        missed.started.reset();
        missed.finished.reset();
        in.servers[0].runs = {missed};
        const MailText m = renderDailyReport(in, MailLanguage::English);
        QCOMPARE(m.subject, QStringLiteral("[Cairn] Daily backup report 2026-11-27 (ACME): 0 succeeded, 1 failed"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Status: Failed (missed)"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Started: not started"));
        VERIFY_CONTAINS(m.text, QStringLiteral("Files: \u2014"));
        QVERIFY(!m.text.contains(QStringLiteral("123,000")));
    }

    void timesFollowTheTenantsZone()
    {
        FailureMailInput in = failedRun();
        in.timeZone = "Asia/Kolkata";
        VERIFY_CONTAINS(
            renderFailureMail(in, MailLanguage::English).text, QStringLiteral("2026-11-26 22:30:00 +05:30"));
        in.timeZone = "America/New_York";
        VERIFY_CONTAINS(
            renderFailureMail(in, MailLanguage::English).text, QStringLiteral("2026-11-26 12:00:00 -05:00"));
        in.timeZone = "Not/AZone";
        const MailText m = renderFailureMail(in, MailLanguage::English);
        VERIFY_CONTAINS(m.text, QStringLiteral("2026-11-26 17:00:00 +00:00"));
        VERIFY_CONTAINS(m.text, QStringLiteral("in the UTC time zone"));
    }

    void sizesAreDecimal_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("shown");
        QTest::newRow("bytes") << qint64(999) << QStringLiteral("999 B (999 bytes)");
        QTest::newRow("kilo") << qint64(1000) << QStringLiteral("1.00 KB (1,000 bytes)");
        QTest::newRow("mega") << qint64(1500000) << QStringLiteral("1.50 MB (1,500,000 bytes)");
        QTest::newRow("round up") << qint64(999999) << QStringLiteral("1.00 MB (999,999 bytes)");
        QTest::newRow("tera") << qint64(2500000000000) << QStringLiteral("2.50 TB (2,500,000,000,000 bytes)");
    }

    void sizesAreDecimal()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, shown);
        DailyReportInput in = sixServers();
        in.servers = {in.servers[0]};
        in.servers[0].runs[0].storedBytes = bytes;
        VERIFY_CONTAINS(
            renderDailyReport(in, MailLanguage::English).text, QStringLiteral("Stored: ") + shown + QLatin1Char('\n'));
    }

    void htmlIsEscaped()
    {
        FailureMailInput in = failedRun();
        in.serverName = QStringLiteral("<b>x</b>");
        in.tenantName = QStringLiteral("A&B \"Co\"");
        in.error = QStringLiteral("<script>alert(1)</script>");
        const MailText m = renderFailureMail(in, MailLanguage::English);
        QVERIFY(!m.html.contains(QStringLiteral("<b>x</b>")));
        QVERIFY(!m.html.contains(QStringLiteral("<script>")));
        VERIFY_CONTAINS(m.html, QStringLiteral("&lt;b&gt;x&lt;/b&gt;"));
        VERIFY_CONTAINS(m.html, QStringLiteral("A&amp;B &quot;Co&quot;"));
        VERIFY_CONTAINS(m.html, QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;"));
        VERIFY_CONTAINS(m.text, QStringLiteral("<b>x</b>")); // the plain text shows it as written
        QCOMPARE(m.subject, QStringLiteral("[Cairn] Backup failed: <b>x</b> (A&B \"Co\")"));

        DailyReportInput daily = sixServers();
        daily.servers[0].name = QStringLiteral("<i>db</i>");
        daily.servers[0].runs[0].warnings = {QStringLiteral("<img src=x>")};
        const MailText d = renderDailyReport(daily, MailLanguage::Korean);
        QVERIFY(!d.html.contains(QStringLiteral("<i>db</i>")));
        QVERIFY(!d.html.contains(QStringLiteral("<img")));
        VERIFY_CONTAINS(d.html, QStringLiteral("&lt;i&gt;db&lt;/i&gt;"));
        VERIFY_CONTAINS(d.html, QStringLiteral("&lt;img src=x&gt;"));
    }

    void lineBreakInANameStaysOutOfTheHeaders()
    {
        FailureMailInput in = failedRun();
        in.serverName = QStringLiteral("web\r\nBcc: victim@evil.example");
        const auto m = failureMail(in, MailLanguage::English, addressing());
        QVERIFY(m.ok());
        const ParsedMail p = parsed(m);
        QVERIFY(p.header(QStringLiteral("Bcc")).isEmpty());
        QCOMPARE(p.subject, QStringLiteral("[Cairn] Backup failed: web Bcc: victim@evil.example (ACME)"));
    }

    void builtMailsReadBack()
    {
        for (const MailLanguage language : {MailLanguage::Korean, MailLanguage::English}) {
            const MailText failure = renderFailureMail(failedRun(), language);
            const ParsedMail f = parsed(failureMail(failedRun(), language, addressing()));
            QCOMPARE(f.subject, failure.subject);
            QCOMPARE(f.header(QStringLiteral("X-Cairn-Report")), QStringList({QStringLiteral("failure")}));
            QCOMPARE(f.header(QStringLiteral("X-Cairn-Tenant")), QStringList({QStringLiteral("ACME")}));
            QCOMPARE(f.parts.size(), 2);
            QCOMPARE(f.parts[0].text, failure.text);
            QCOMPARE(f.parts[1].text, failure.html);
            QCOMPARE(f.defects, QStringList());

            const MailText daily = renderDailyReport(sixServers(), language);
            const ParsedMail d = parsed(dailyReportMail(sixServers(), language, addressing()));
            QCOMPARE(d.subject, daily.subject);
            QCOMPARE(d.header(QStringLiteral("X-Cairn-Report")), QStringList({QStringLiteral("daily")}));
            QCOMPARE(d.parts.size(), 2);
            QCOMPARE(d.parts[0].contentType, QStringLiteral("text/plain"));
            QCOMPARE(d.parts[0].text, daily.text);
            QCOMPARE(d.parts[1].contentType, QStringLiteral("text/html"));
            QCOMPARE(d.parts[1].text, daily.html);
        }
    }

    void languageCodes()
    {
        QCOMPARE(mailLanguageFromCode(QStringLiteral("ko")), MailLanguage::Korean);
        QCOMPARE(mailLanguageFromCode(QStringLiteral("ko-KR")), MailLanguage::Korean);
        QCOMPARE(mailLanguageFromCode(QStringLiteral("ko_KR")), MailLanguage::Korean);
        QCOMPARE(mailLanguageFromCode(QStringLiteral("en")), MailLanguage::English);
        QCOMPARE(mailLanguageFromCode(QStringLiteral("fr")), MailLanguage::English);
        QCOMPARE(mailLanguageFromCode(QString()), MailLanguage::English);
    }
};

QTEST_GUILESS_MAIN(TestReportMail)
#include "TestReportMail.moc"
