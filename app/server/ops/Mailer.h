// Mailer: the server's outgoing mail. Each pass (tick) at the server's clock:
// - queues a failure mail for every backup that failed or was missed and has none yet (jobs
//   with notified 0), one message per report recipient of its tenant in that recipient's
//   language (Tenant::recipientLanguages, else the tenant's language); the mails and the job's
//   flag are written in one transaction;
// - queues each tenant's daily report once the tenant's local report time (Tenant::reportTime,
//   default 09:00) has passed for that local day, covering the 24 hours before it: per server,
//   every backup scheduled in that period with its status, times, duration, scanned, new and
//   stored bytes, dedup ratio (scanned / stored, as the agent reports it) and warnings, and
//   the servers without a run. A report the server slept through is sent once it wakes up, if
//   the next one is not due yet. The day is claimed and the mails queued in one transaction;
// - sends due messages from the outbox with SmtpClient: accepted → sent; a transient failure →
//   tried again after 30 s, doubling up to 10 min (settings), for at least 48 hours before it
//   is given up; a permanent refusal → failed. Failed messages are written to the audit log
//   (mail.failed). Without an SMTP host, mail is queued and kept but not sent.
// Every message is built once, when queued, and sent as those bytes, so a retry sends the same
// Message-ID.
//
// Thread: its own thread (serve starts it), driven by a QTimer; SMTP sends block that thread
// for up to the SMTP timeout. tick() is public for tests.
#pragma once

#include "catalog/Catalog.h"
#include "mail/MailMessage.h"
#include "mail/ReportMail.h"
#include "mail/SmtpClient.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

class QSettings;

namespace cairn::server {

struct MailerSettings {
    int pollSeconds = 5; // mail/poll_seconds (1–3600)
    SmtpSettings smtp; // [mail] host, port, security, username, password, ca_file, timeout; no host: queue only
    MailAddress from; // mail/from: "backup@example.com" or "Cairn <backup@example.com>"
    int retryInitialSeconds = 30; // mail/retry_initial_seconds (1–3600)
    int retryMaxSeconds = 600; // mail/retry_max_seconds (≥ retry_initial_seconds)
    int giveUpHours = 72; // mail/give_up_hours (48–720): transient failures for this long → failed
    int batch = 50; // messages sent per pass at most
};

// Reads the [mail] group of server.conf; InvalidArgument naming the setting that is wrong.
Result<MailerSettings> mailerSettings(const QSettings &conf);

// The daily report a tenant is due at `now`: the local day and its period [from, to).
struct ReportPeriod {
    QString day; // YYYY-MM-DD, local
    QDateTime from, to;
};
// The latest report time of the tenant (today's if it has passed, else yesterday's) if its day
// is after `lastReportDay` and the tenant existed at that time; nullopt otherwise.
std::optional<ReportPeriod> dueReport(const Tenant &tenant, const QString &lastReportDay, const QDateTime &now);

class Mailer : public QObject {
    Q_OBJECT
public:
    // `now` is the server's clock (ServerContext::now); the catalog must outlive the object.
    Mailer(Catalog &catalog, std::function<QDateTime()> now, MailerSettings settings, QObject *parent = nullptr);

    void start(); // the first pass at once, then every pollSeconds
    void stop(); // on the object's thread, before that thread ends

    struct Pass {
        int failureMails = 0, reportMails = 0; // newly queued messages
        int sent = 0, retried = 0, failed = 0;
        QStringList problems; // catalog or message errors; the pass goes on
    };
    Pass tick();

    // Seconds before the next attempt after `attempts` failed ones (1: the initial delay).
    static qint64 retryDelaySeconds(int attempts, const MailerSettings &settings);

private:
    void queueFailureMails(const QDateTime &now, Pass &pass);
    void queueDailyReports(const QDateTime &now, Pass &pass);
    void sendDue(const QDateTime &now, Pass &pass);
    // One outbox row per recipient of the tenant, each rendered by `render` in its language.
    QList<OutboxMail> messagesFor(const Tenant &tenant, const QString &kind, const QString &keyPrefix,
        const QDateTime &now, const std::function<Result<MailMessage>(MailLanguage, MailDraft)> &render, Pass &pass);
    std::optional<DailyReportInput> reportInput(const Tenant &tenant, const ReportPeriod &period, Pass &pass);
    void auditFailure(const OutboxMail &mail, const QString &reason, const QDateTime &now, Pass &pass);

    Catalog &m_catalog;
    std::function<QDateTime()> m_now;
    MailerSettings m_settings;
    SmtpClient m_smtp;
    QTimer m_timer;
    bool m_saidNoHost = false;
};

} // namespace cairn::server
