// ReportMail: the words of the mails Cairn sends about backups, in the recipient's language
// (Korean or English) — the failure mail for a failed or missed run, and the daily report of a
// tenant's runs in a period, per server. Both come as HTML with a plain-text part carrying the
// same facts, with subjects a person can filter on:
//   "[Cairn] 백업 실패: web-01 (ACME)"            "[Cairn] Backup failed: web-01 (ACME)"
//   "[Cairn] 백업 실패(미실행): web-01 (ACME)"    "[Cairn] Backup failed (missed): web-01 (ACME)"
//   "[Cairn] 일일 백업 보고서 2026-11-27 (ACME): 성공 5, 실패 1"
//   "[Cairn] Daily backup report 2026-11-27 (ACME): 5 succeeded, 1 failed"
// (the daily subject adds ", 백업 없음 N" / ", N with no run" when servers had no run). Times
// are shown in the tenant's time zone with their UTC offset ("2026-11-27 09:00:00 +09:00"),
// sizes in decimal units (1 KB = 1000 bytes, said in the mail) with the exact byte count in the
// plain text and in the HTML title attribute. Every input text is HTML-escaped.
//
// Renders from plain structs only (no catalog access). The texts of both languages live here
// rather than in the process-wide translator because each mail picks its own language and is
// rendered on worker threads. Pure functions; any thread.
#pragma once

#include "mail/MailMessage.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cairn::server {

enum class MailLanguage { Korean, English };
// "ko", "ko-KR", "ko_KR" → Korean; anything else → English.
MailLanguage mailLanguageFromCode(const QString &code);

// A run's outcome (the catalog's job states, here without a catalog dependency).
enum class ReportRunStatus { Pending, Running, Succeeded, Warning, Failed, Missed, Cancelled };

struct FailureMailInput {
    enum class Kind { Failed, Missed }; // missed: did not start within 3 hours of its schedule
    QString tenantName;
    QString serverName;
    QString hostname;
    qint64 jobId = 0;
    Kind kind = Kind::Failed;
    QDateTime scheduled;
    std::optional<QDateTime> started, finished;
    QString error;
    QStringList warnings; // the messages to show (may be the first few of many)
    qint64 warningCount = 0; // how many there were in all; less than warnings.size(): that size
    QByteArray timeZone; // IANA id, e.g. "Asia/Seoul"; unknown: UTC
};

struct ReportRun {
    ReportRunStatus status = ReportRunStatus::Succeeded;
    QDateTime scheduled;
    std::optional<QDateTime> started, finished;
    std::optional<qint64> durationSeconds; // absent: finished - started when both are known
    qint64 files = 0;
    qint64 bytesScanned = 0;
    qint64 newBytes = 0; // plaintext bytes new to the repository
    qint64 storedBytes = 0; // bytes added to the store (compressed, encrypted)
    double dedupRatio = 0; // as the caller computes it (shown as "N.NN:1"); <= 0: not known
    QStringList warnings;
    qint64 warningCount = 0; // as in FailureMailInput
    QString error;
};

struct ReportServer {
    QString name;
    QString hostname;
    QList<ReportRun> runs; // empty: listed as a server with no run in the period
};

struct DailyReportInput {
    QString tenantName;
    QDateTime from, to; // the period [from, to); the subject's date is that of its last second
    QByteArray timeZone;
    QList<ReportServer> servers;
};

struct MailText {
    QString subject;
    QString text; // the plain-text part
    QString html; // the HTML part (a whole document)
};

MailText renderFailureMail(const FailureMailInput &input, MailLanguage language);
MailText renderDailyReport(const DailyReportInput &input, MailLanguage language);

// `addressing` gives From, To, the Message-ID host and optionally the date; its subject and parts
// are filled in here, with the headers X-Cairn-Report ("failure" or "daily") and X-Cairn-Tenant.
Result<MailMessage> failureMail(const FailureMailInput &input, MailLanguage language, MailDraft addressing);
Result<MailMessage> dailyReportMail(const DailyReportInput &input, MailLanguage language, MailDraft addressing);

} // namespace cairn::server
