// ReportMail: the Korean and English texts of the failure and daily report mails and their HTML
// and plain-text layout (see ReportMail.h). Pure functions; any thread.
#include "mail/ReportMail.h"

#include <QTimeZone>

namespace cairn::server {

namespace {

constexpr int kWarningsShown = 20; // per run; the rest are counted ("and N more")

// Every text of one language (UTF-8). %-placeholders are filled with QString::arg.
struct Words {
    const char *lang;
    const char *failSubject, *missSubject, *failHeading, *failIntro, *missIntro;
    const char *tenant, *server, *hostname, *jobId, *result, *scheduled, *started, *finished, *duration;
    const char *error, *warnings, *notStarted, *notFinished, *warningTotal, *moreWarnings;
    const char *dailySubject, *noRunSuffix, *dailyHeading, *dailyIntro, *period;
    const char *servers, *runs, *succeeded, *failed, *running, *pending, *cancelled, *noRunServers, *noRuns;
    const char *files, *scanned, *newData, *stored, *dedup, *status;
    const char *statusNames[7]; // in ReportRunStatus order
    const char *zoneNote, *unitsNote, *bytes, *footer, *hours, *minutes, *seconds;
};

const Words kKorean = {"ko", "[Cairn] 백업 실패: %1 (%2)", "[Cairn] 백업 실패(미실행): %1 (%2)", "백업 실패 알림",
    "%2의 서버 %1 백업이 실패했습니다. 아래 내용을 확인해 주십시오.",
    "%2의 서버 %1 백업이 예정 시각으로부터 3시간 안에 시작되지 않아 실패로 기록되었습니다. "
    "서버와 Cairn 에이전트가 정상적으로 동작하는지 확인해 주십시오.",
    "고객사", "서버", "호스트 이름", "작업 번호", "결과", "예정 시각", "시작 시각", "종료 시각", "소요 시간",
    "오류 내용", "경고", "시작되지 않음", "종료되지 않음", "%1건", "외 %1건",
    "[Cairn] 일일 백업 보고서 %1 (%2): 성공 %3, 실패 %4", ", 백업 없음 %1", "일일 백업 보고서",
    "%1의 백업 결과를 알려 드립니다.", "대상 기간", "서버 수", "백업 횟수", "성공", "실패", "실행 중", "대기 중",
    "취소", "백업이 없는 서버", "이 기간에 실행된 백업이 없습니다.", "파일 수", "검사한 데이터", "새 데이터",
    "저장된 데이터", "중복 제거 비율", "상태",
    {"대기 중", "실행 중", "성공", "성공(경고 있음)", "실패", "실패(미실행)", "취소됨"},
    "모든 시각은 %1 시간대 기준이며 UTC와의 차이를 함께 표시합니다.",
    "용량은 10진 단위로 표시합니다(1 KB = 1,000바이트, 1 MB = 1,000,000바이트, 1 GB = 1,000,000,000바이트). "
    "저장된 데이터는 압축과 암호화를 거쳐 백업 스토리지에 새로 저장된 용량입니다.",
    "%1바이트", "이 메일은 Cairn 백업 서비스에서 자동으로 발송된 발신 전용 메일입니다.", "%1시간", "%1분", "%1초"};

const Words kEnglish = {"en", "[Cairn] Backup failed: %1 (%2)", "[Cairn] Backup failed (missed): %1 (%2)",
    "Backup failed", "The backup of server %1 of %2 failed. Please review the details below.",
    "The backup of server %1 of %2 did not start within 3 hours of its scheduled time and was recorded as "
    "failed. Please check that the server and its Cairn agent are running.",
    "Tenant", "Server", "Hostname", "Job ID", "Result", "Scheduled", "Started", "Finished", "Duration", "Error",
    "Warnings", "not started", "not finished", "%1", "and %1 more",
    "[Cairn] Daily backup report %1 (%2): %3 succeeded, %4 failed", ", %1 with no run", "Daily backup report",
    "Backup results of %1.", "Period", "Servers", "Runs", "Succeeded", "Failed", "Running", "Pending", "Cancelled",
    "Servers with no run", "No backup ran in this period.", "Files", "Scanned", "New data", "Stored", "Dedup ratio",
    "Status", {"Pending", "Running", "Succeeded", "Succeeded with warnings", "Failed", "Failed (missed)", "Cancelled"},
    "All times are in the %1 time zone, shown with their offset from UTC.",
    "Sizes are in decimal units (1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes, 1 GB = 1,000,000,000 bytes). "
    "Stored is what was newly written to the backup storage after compression and encryption.",
    "%1 bytes", "This message was sent automatically by the Cairn backup service. Please do not reply.", "%1 h",
    "%1 min", "%1 s"};

const QString kNone = QStringLiteral("\u2014"); // em dash: no value

const Words &wordsFor(MailLanguage language)
{
    return language == MailLanguage::Korean ? kKorean : kEnglish;
}

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// Names in a subject: control characters (a line break above all) become spaces.
QString oneLine(const QString &s)
{
    QString out = s;
    for (QChar &c : out)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    return out.simplified();
}

QString grouped(qint64 n)
{
    QString digits = QString::number(n < 0 ? -n : n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return n < 0 ? QLatin1Char('-') + digits : digits;
}

QString humanSize(qint64 bytes)
{
    static const char *const units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    if (bytes < 1000)
        return QString::number(bytes) + QStringLiteral(" B");
    double v = double(bytes);
    int unit = -1;
    while (v >= 999.995 && unit < 5) {
        v /= 1000.0;
        ++unit;
    }
    return QString::number(v, 'f', 2) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

struct Size {
    QString text, html;
};

Size size(qint64 bytes, const Words &w)
{
    const QString exact = u(w.bytes).arg(grouped(bytes));
    return {humanSize(bytes) + QStringLiteral(" (") + exact + QLatin1Char(')'),
        QStringLiteral("<span title=\"%1\">%2</span>").arg(esc(exact), esc(humanSize(bytes)))};
}

QTimeZone zoneOf(const QByteArray &id)
{
    QTimeZone zone(id);
    return zone.isValid() ? zone : QTimeZone::utc();
}

QString zoneName(const QByteArray &id)
{
    return QTimeZone(id).isValid() ? QString::fromUtf8(id) : QStringLiteral("UTC");
}

QString timeText(const QDateTime &t, const QTimeZone &zone)
{
    if (!t.isValid())
        return kNone;
    const QDateTime local = t.toTimeZone(zone);
    const int offset = local.offsetFromUtc() / 60;
    const int a = offset < 0 ? -offset : offset;
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")) + (offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1:%2").arg(a / 60, 2, 10, QLatin1Char('0')).arg(a % 60, 2, 10, QLatin1Char('0'));
}

QString optionalTime(const std::optional<QDateTime> &t, const QTimeZone &zone, const char *missing)
{
    return t && t->isValid() ? timeText(*t, zone) : u(missing);
}

QString durationText(std::optional<qint64> seconds, const Words &w)
{
    if (!seconds || *seconds < 0)
        return kNone;
    const qint64 h = *seconds / 3600, m = *seconds % 3600 / 60, s = *seconds % 60;
    QStringList parts;
    if (h > 0)
        parts << u(w.hours).arg(h);
    if (h > 0 || m > 0)
        parts << u(w.minutes).arg(m);
    parts << u(w.seconds).arg(s);
    return parts.join(QLatin1Char(' '));
}

std::optional<qint64> durationOf(const std::optional<QDateTime> &started, const std::optional<QDateTime> &finished)
{
    if (started && finished && started->isValid() && finished->isValid())
        return started->secsTo(*finished);
    return std::nullopt;
}

// The plain-text and HTML parts, written side by side.
struct Document {
    QString text, html;

    void begin(const Words &w, const QString &subject, const QString &heading)
    {
        html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"%1\"><head><meta charset=\"utf-8\">"
                              "<title>%2</title></head>\n<body style=\"font-family:sans-serif;font-size:14px;"
                              "color:#222;line-height:1.5\">\n<h2 style=\"margin:0 0 12px\">%3</h2>\n")
                   .arg(QLatin1String(w.lang), esc(subject), esc(heading));
        text = heading + QStringLiteral("\n\n");
    }
    void paragraph(const QString &s)
    {
        text += s + QStringLiteral("\n\n");
        html += QStringLiteral("<p>%1</p>\n").arg(esc(s));
    }
    void beginFields() { html += QStringLiteral("<table style=\"border-collapse:collapse;margin:0 0 12px\">\n"); }
    void field(const QString &label, const QString &value, const QString &valueHtml = QString())
    {
        text += label + QStringLiteral(": ") + value + QLatin1Char('\n');
        html += QStringLiteral("<tr><th style=\"text-align:left;padding:2px 16px 2px 0;vertical-align:top\">%1</th>"
                               "<td>%2</td></tr>\n")
                    .arg(esc(label), valueHtml.isNull() ? esc(value) : valueHtml);
    }
    void endFields()
    {
        text += QLatin1Char('\n');
        html += QStringLiteral("</table>\n");
    }
    void end(const QStringList &notes)
    {
        html += QStringLiteral("<p style=\"color:#666;font-size:12px\">");
        for (const QString &n : notes) {
            text += n + QLatin1Char('\n');
            html += esc(n) + QStringLiteral("<br>\n");
        }
        html += QStringLiteral("</p>\n</body></html>\n");
    }
};

// Error text and warnings of a run: plain text indented by `indent`, and HTML.
struct Problems {
    QString text, html;
};

Problems problems(
    const QString &error, const QStringList &warnings, qint64 warningCount, const Words &w, const QString &indent)
{
    Problems p;
    if (!error.trimmed().isEmpty()) {
        QString e = error.trimmed();
        e.replace(QLatin1Char('\n'), QLatin1Char('\n') + indent + QStringLiteral("  "));
        p.text += indent + u(w.error) + QStringLiteral(": ") + e + QLatin1Char('\n');
        p.html += QStringLiteral("<div><b>%1</b></div><pre style=\"white-space:pre-wrap;margin:2px 0 8px;"
                                 "font-family:monospace;color:#a00\">%2</pre>\n")
                      .arg(esc(u(w.error)), esc(error.trimmed()));
    }
    const qint64 total = std::max<qint64>(warningCount, warnings.size());
    if (total > 0) {
        const QString head
            = u(w.warnings) + QStringLiteral(" (") + u(w.warningTotal).arg(grouped(total)) + QLatin1Char(')');
        p.text += indent + head + QStringLiteral(":\n");
        p.html += QStringLiteral("<div><b>%1</b></div><ul style=\"margin:2px 0 8px\">\n").arg(esc(head));
        const qsizetype shown = std::min<qsizetype>(warnings.size(), kWarningsShown);
        for (qsizetype i = 0; i < shown; ++i) {
            p.text += indent + QStringLiteral("  - ") + oneLine(warnings[i]) + QLatin1Char('\n');
            p.html += QStringLiteral("<li>%1</li>\n").arg(esc(oneLine(warnings[i])));
        }
        if (total > shown) {
            const QString more = u(w.moreWarnings).arg(grouped(total - shown));
            p.text += indent + QStringLiteral("  ") + more + QLatin1Char('\n');
            p.html += QStringLiteral("<li>%1</li>\n").arg(esc(more));
        }
        p.html += QStringLiteral("</ul>\n");
    }
    return p;
}

bool isSuccess(ReportRunStatus s)
{
    return s == ReportRunStatus::Succeeded || s == ReportRunStatus::Warning;
}

bool isFailure(ReportRunStatus s)
{
    return s == ReportRunStatus::Failed || s == ReportRunStatus::Missed;
}

bool hasFigures(ReportRunStatus s)
{
    return s != ReportRunStatus::Pending && s != ReportRunStatus::Missed;
}

const char *statusColor(ReportRunStatus s)
{
    if (isFailure(s))
        return "#b00020";
    if (s == ReportRunStatus::Warning)
        return "#a15c00";
    return isSuccess(s) ? "#1b7f3b" : "#444";
}

QString serverTitle(const QString &name, const QString &hostname)
{
    return hostname.isEmpty() || hostname == name ? name : name + QStringLiteral(" (") + hostname + QLatin1Char(')');
}

Result<MailMessage> buildMail(const MailText &t, MailDraft draft, const char *kind, const QString &tenant)
{
    draft.subject = t.subject;
    draft.text = t.text;
    draft.html = t.html;
    draft.extraHeaders.append({QByteArray("X-Cairn-Report"), QString::fromLatin1(kind)});
    draft.extraHeaders.append({QByteArray("X-Cairn-Tenant"), oneLine(tenant)});
    return MailMessage::build(draft);
}

} // namespace

MailLanguage mailLanguageFromCode(const QString &code)
{
    const QString c = code.trimmed().toLower();
    return c == QLatin1String("ko") || c.startsWith(QLatin1String("ko-")) || c.startsWith(QLatin1String("ko_"))
        ? MailLanguage::Korean
        : MailLanguage::English;
}

MailText renderFailureMail(const FailureMailInput &in, MailLanguage language)
{
    const Words &w = wordsFor(language);
    const QTimeZone zone = zoneOf(in.timeZone);
    const bool missed = in.kind == FailureMailInput::Kind::Missed;
    MailText mail;
    mail.subject = u(missed ? w.missSubject : w.failSubject).arg(oneLine(in.serverName), oneLine(in.tenantName));

    Document d;
    d.begin(w, mail.subject, u(w.failHeading));
    d.paragraph(u(missed ? w.missIntro : w.failIntro).arg(in.serverName, in.tenantName));
    d.beginFields();
    d.field(u(w.tenant), in.tenantName);
    d.field(u(w.server), in.serverName);
    d.field(u(w.hostname), in.hostname.isEmpty() ? kNone : in.hostname);
    d.field(u(w.jobId), QString::number(in.jobId));
    const QString result = u(w.statusNames[int(missed ? ReportRunStatus::Missed : ReportRunStatus::Failed)]);
    d.field(u(w.result), result, QStringLiteral("<b style=\"color:#b00020\">%1</b>").arg(esc(result)));
    d.field(u(w.scheduled), timeText(in.scheduled, zone));
    d.field(u(w.started), optionalTime(in.started, zone, w.notStarted));
    d.field(u(w.finished), in.started ? optionalTime(in.finished, zone, w.notFinished) : kNone);
    d.field(u(w.duration), durationText(durationOf(in.started, in.finished), w));
    d.endFields();
    const Problems p = problems(in.error, in.warnings, in.warningCount, w, QString());
    d.text += p.text + (p.text.isEmpty() ? QString() : QStringLiteral("\n"));
    d.html += p.html;
    d.end({u(w.zoneNote).arg(zoneName(in.timeZone)), u(w.footer)});
    mail.text = d.text;
    mail.html = d.html;
    return mail;
}

MailText renderDailyReport(const DailyReportInput &in, MailLanguage language)
{
    const Words &w = wordsFor(language);
    const QTimeZone zone = zoneOf(in.timeZone);
    qint64 runs = 0, succeeded = 0, failed = 0, running = 0, pending = 0, cancelled = 0, idle = 0;
    for (const ReportServer &s : in.servers) {
        idle += s.runs.isEmpty() ? 1 : 0;
        for (const ReportRun &r : s.runs) {
            ++runs;
            succeeded += isSuccess(r.status) ? 1 : 0;
            failed += isFailure(r.status) ? 1 : 0;
            running += r.status == ReportRunStatus::Running ? 1 : 0;
            pending += r.status == ReportRunStatus::Pending ? 1 : 0;
            cancelled += r.status == ReportRunStatus::Cancelled ? 1 : 0;
        }
    }
    // The report is dated by the last second of its period (a 09:00 report covers the day before).
    const QDateTime last = (in.to.isValid() ? in.to : QDateTime::currentDateTimeUtc()).addSecs(-1);
    const QString date = last.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd"));
    MailText mail;
    mail.subject
        = u(w.dailySubject).arg(date, oneLine(in.tenantName), QString::number(succeeded), QString::number(failed));
    if (idle > 0)
        mail.subject += u(w.noRunSuffix).arg(idle);

    Document d;
    d.begin(w, mail.subject, u(w.dailyHeading) + QLatin1Char(' ') + date);
    d.paragraph(u(w.dailyIntro).arg(in.tenantName));
    d.beginFields();
    d.field(u(w.tenant), in.tenantName);
    d.field(u(w.period), timeText(in.from, zone) + QStringLiteral(" ~ ") + timeText(in.to, zone));
    d.field(u(w.servers), QString::number(in.servers.size()));
    d.field(u(w.runs), QString::number(runs));
    d.field(u(w.succeeded), QString::number(succeeded));
    d.field(u(w.failed), QString::number(failed),
        QStringLiteral("<b style=\"color:%1\">%2</b>").arg(QLatin1String(failed ? "#b00020" : "#222")).arg(failed));
    const std::pair<const char *, qint64> others[]
        = {{w.running, running}, {w.pending, pending}, {w.cancelled, cancelled}, {w.noRunServers, idle}};
    for (const auto &[label, count] : others)
        if (count > 0)
            d.field(u(label), QString::number(count));
    d.endFields();

    const char *const columns[]
        = {w.status, w.scheduled, w.started, w.finished, w.duration, w.files, w.scanned, w.newData, w.stored, w.dedup};
    const QString th = QStringLiteral("<th style=\"text-align:left;padding:4px 8px;border-bottom:1px solid #ccc;"
                                      "white-space:nowrap\">%1</th>");
    const QString td = QStringLiteral("<td style=\"padding:4px 8px;white-space:nowrap\">%1</td>");
    for (const ReportServer &s : in.servers) {
        const QString title = serverTitle(s.name, s.hostname);
        d.text += QStringLiteral("== ") + u(w.server) + QStringLiteral(": ") + title + QStringLiteral(" ==\n");
        d.html += QStringLiteral("<h3 style=\"margin:20px 0 6px\">%1: %2</h3>\n").arg(esc(u(w.server)), esc(title));
        if (s.runs.isEmpty()) {
            d.text += u(w.noRuns) + QStringLiteral("\n\n");
            d.html += QStringLiteral("<p style=\"color:#a15c00\">%1</p>\n").arg(esc(u(w.noRuns)));
            continue;
        }
        d.html += QStringLiteral("<table style=\"border-collapse:collapse;font-size:13px\">\n<tr>");
        for (const char *c : columns)
            d.html += th.arg(esc(u(c)));
        d.html += QStringLiteral("</tr>\n");
        for (const ReportRun &r : s.runs) {
            const bool figures = hasFigures(r.status);
            const QString status = u(w.statusNames[int(r.status)]);
            const QString started = optionalTime(r.started, zone, w.notStarted);
            const QString finished = r.started ? optionalTime(r.finished, zone, w.notFinished) : kNone;
            const QString duration
                = durationText(r.durationSeconds ? r.durationSeconds : durationOf(r.started, r.finished), w);
            const QString files = figures ? grouped(r.files) : kNone;
            const Size scanned = figures ? size(r.bytesScanned, w) : Size {kNone, kNone};
            const Size fresh = figures ? size(r.newBytes, w) : Size {kNone, kNone};
            const Size stored = figures ? size(r.storedBytes, w) : Size {kNone, kNone};
            const QString ratio
                = figures && r.dedupRatio > 0 ? QString::number(r.dedupRatio, 'f', 2) + QStringLiteral(":1") : kNone;

            const QString values[] = {status, timeText(r.scheduled, zone), started, finished, duration, files,
                scanned.text, fresh.text, stored.text, ratio};
            d.text += QStringLiteral("- ") + u(w.status) + QStringLiteral(": ") + status + QLatin1Char('\n');
            for (int i = 1; i < 10; ++i)
                d.text += QStringLiteral("  ") + u(columns[i]) + QStringLiteral(": ") + values[i] + QLatin1Char('\n');
            const Problems p = problems(r.error, r.warnings, r.warningCount, w, QStringLiteral("  "));
            d.text += p.text + QLatin1Char('\n');

            d.html += QStringLiteral("<tr style=\"border-top:1px solid #eee\">")
                + td.arg(QStringLiteral("<b style=\"color:%1\">%2</b>")
                             .arg(QLatin1String(statusColor(r.status)), esc(status)));
            for (int i = 1; i < 5; ++i)
                d.html += td.arg(esc(values[i]));
            d.html += td.arg(esc(files)) + td.arg(scanned.html) + td.arg(fresh.html) + td.arg(stored.html)
                + td.arg(esc(ratio)) + QStringLiteral("</tr>\n");
            if (!p.html.isEmpty())
                d.html += QStringLiteral("<tr><td colspan=\"10\" style=\"padding:0 8px 8px 24px\">%1</td></tr>\n")
                              .arg(p.html);
        }
        d.html += QStringLiteral("</table>\n");
    }
    d.end({u(w.zoneNote).arg(zoneName(in.timeZone)), u(w.unitsNote), u(w.footer)});
    mail.text = d.text;
    mail.html = d.html;
    return mail;
}

Result<MailMessage> failureMail(const FailureMailInput &input, MailLanguage language, MailDraft addressing)
{
    return buildMail(renderFailureMail(input, language), std::move(addressing), "failure", input.tenantName);
}

Result<MailMessage> dailyReportMail(const DailyReportInput &input, MailLanguage language, MailDraft addressing)
{
    return buildMail(renderDailyReport(input, language), std::move(addressing), "daily", input.tenantName);
}

} // namespace cairn::server
