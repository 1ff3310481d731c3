// Mailer (see Mailer.h). Runs on its own thread; the settings are read on the thread that starts it.
#include "ops/Mailer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QSysInfo>
#include <QTimeZone>

#include <algorithm>
#include <map>

namespace cairn::server {

namespace {

constexpr int kNotifyBatch = 100;

Error badSetting(const QString &key, const QString &what)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("mail/%1 %2").arg(key, what));
}

// An integer setting in [min, max] into `value` (which holds the default for when it is absent).
Status readInt(const QSettings &conf, const QString &key, int &value, int min, int max)
{
    const QString name = QStringLiteral("mail/") + key;
    if (!conf.contains(name))
        return Status();
    bool ok = false;
    const int v = conf.value(name).toString().trimmed().toInt(&ok);
    if (!ok || v < min || v > max)
        return badSetting(key, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
    value = v;
    return Status();
}

QString domainOf(const QString &address)
{
    return address.mid(address.lastIndexOf(QLatin1Char('@')) + 1);
}

ReportRunStatus runStatus(JobState s)
{
    switch (s) {
    case JobState::Pending: return ReportRunStatus::Pending;
    case JobState::Running: return ReportRunStatus::Running;
    case JobState::Succeeded: return ReportRunStatus::Succeeded;
    case JobState::Warning: return ReportRunStatus::Warning;
    case JobState::Failed: return ReportRunStatus::Failed;
    case JobState::Missed: return ReportRunStatus::Missed;
    case JobState::Cancelled: return ReportRunStatus::Cancelled;
    }
    return ReportRunStatus::Pending;
}

// The per-item problems a job's result lists ("path: message"), and how many there were in all.
std::pair<QStringList, qint64> warningsOf(const Job &job)
{
    QStringList out;
    for (const QJsonValue &v : job.stats.value(QStringLiteral("problems")).toArray()) {
        const QJsonObject p = v.toObject();
        const QString path = p.value(QStringLiteral("path")).toString();
        const QString message = p.value(QStringLiteral("message")).toString();
        out << (path.isEmpty() ? message : path + QStringLiteral(": ") + message);
    }
    const qint64 counted = job.stats.value(QStringLiteral("warnings")).toInteger()
        + job.stats.value(QStringLiteral("errors")).toInteger();
    if (job.state == JobState::Warning && out.isEmpty() && !job.error.isEmpty())
        out << job.error; // the agent's summary ("3 warnings") when it listed none
    return {out, std::max<qint64>(counted, out.size())};
}

ReportRun reportRun(const Job &job)
{
    ReportRun r;
    r.status = runStatus(job.state);
    r.scheduled = job.scheduledAt;
    r.started = job.startedAt;
    r.finished = job.finishedAt;
    const QJsonObject &s = job.stats;
    r.files = s.value(QStringLiteral("files")).toInteger();
    r.bytesScanned = s.value(QStringLiteral("bytes_scanned")).toInteger();
    r.newBytes = s.value(QStringLiteral("bytes_new")).toInteger();
    r.storedBytes = s.value(QStringLiteral("bytes_stored")).toInteger();
    // Scanned / stored: how many bytes of the servers' files each stored byte stands for (the
    // figure the agent reports as dedup_ratio).
    r.dedupRatio = r.storedBytes > 0 ? double(r.bytesScanned) / double(r.storedBytes)
                                     : s.value(QStringLiteral("dedup_ratio")).toDouble();
    auto [warnings, count] = warningsOf(job);
    r.warnings = warnings;
    r.warningCount = count;
    if (job.state != JobState::Warning)
        r.error = job.error;
    return r;
}

} // namespace

Result<MailerSettings> mailerSettings(const QSettings &conf)
{
    MailerSettings s;
    CAIRN_TRY(readInt(conf, QStringLiteral("poll_seconds"), s.pollSeconds, 1, 3600));
    CAIRN_TRY(readInt(conf, QStringLiteral("retry_initial_seconds"), s.retryInitialSeconds, 1, 3600));
    s.retryMaxSeconds = std::max(s.retryMaxSeconds, s.retryInitialSeconds);
    CAIRN_TRY(readInt(conf, QStringLiteral("retry_max_seconds"), s.retryMaxSeconds, s.retryInitialSeconds, 86400));
    CAIRN_TRY(readInt(conf, QStringLiteral("give_up_hours"), s.giveUpHours, 48, 720));
    int port = 0, timeout = 60;
    CAIRN_TRY(readInt(conf, QStringLiteral("port"), port, 0, 65535));
    CAIRN_TRY(readInt(conf, QStringLiteral("timeout"), timeout, 1, 600));
    s.smtp.host = conf.value(QStringLiteral("mail/host")).toString().trimmed();
    s.smtp.port = port;
    s.smtp.timeoutMs = timeout * 1000;
    const QString security
        = conf.value(QStringLiteral("mail/security"), QStringLiteral("starttls")).toString().trimmed();
    if (security == QLatin1String("none"))
        s.smtp.security = SmtpSecurity::None;
    else if (security == QLatin1String("starttls"))
        s.smtp.security = SmtpSecurity::StartTls;
    else if (security == QLatin1String("tls"))
        s.smtp.security = SmtpSecurity::Tls;
    else
        return badSetting(QStringLiteral("security"), QStringLiteral("must be none, starttls or tls"));
    s.smtp.username = conf.value(QStringLiteral("mail/username")).toString();
    s.smtp.password = conf.value(QStringLiteral("mail/password")).toString();
    s.smtp.caFile = conf.value(QStringLiteral("mail/ca_file"), QStringLiteral("system")).toString().trimmed();

    QString from = conf.value(QStringLiteral("mail/from")).toString().trimmed();
    if (from.isEmpty()) {
        const QString host = QSysInfo::machineHostName();
        from = QStringLiteral("cairn@")
            + (checkMailAddress(QStringLiteral("cairn@") + host).ok() ? host : QStringLiteral("localhost"));
    }
    static const QRegularExpression named(QStringLiteral("^(.*)<([^<>]+)>$"));
    if (const auto m = named.match(from); m.hasMatch())
        s.from = MailAddress(m.captured(2).trimmed(), m.captured(1).trimmed());
    else
        s.from = MailAddress(from, QStringLiteral("Cairn"));
    if (!checkMailAddress(s.from.address).ok())
        return badSetting(
            QStringLiteral("from"), QStringLiteral("must be an address (local@domain) or \"Name <local@domain>\""));
    s.smtp.fromAddress = s.from.address;
    return s;
}

std::optional<ReportPeriod> dueReport(const Tenant &tenant, const QString &lastReportDay, const QDateTime &now)
{
    QTimeZone zone(tenant.timeZone.toUtf8());
    if (!zone.isValid())
        zone = QTimeZone::utc();
    QTime at = QTime::fromString(tenant.reportTime, QStringLiteral("HH:mm"));
    if (!at.isValid())
        at = QTime(9, 0);
    const QDate today = now.toTimeZone(zone).date();
    QDateTime to(today, at, zone);
    if (to > now)
        to = QDateTime(today.addDays(-1), at, zone);
    const QString day = to.toTimeZone(zone).date().toString(Qt::ISODate);
    if (day <= lastReportDay || (tenant.createdAt.isValid() && to <= tenant.createdAt))
        return std::nullopt;
    // The day before at the same local time: 23 or 25 hours when daylight saving changes, so
    // consecutive reports neither overlap nor leave a gap.
    const QDateTime from(to.toTimeZone(zone).date().addDays(-1), at, zone);
    return ReportPeriod {day, from.toUTC(), to.toUTC()};
}

Mailer::Mailer(Catalog &catalog, std::function<QDateTime()> now, MailerSettings settings, QObject *parent)
    : QObject(parent),
      m_catalog(catalog),
      m_now(std::move(now)),
      m_settings(std::move(settings)),
      m_smtp(m_settings.smtp)
{
    m_timer.setParent(this);
    m_timer.setInterval(std::clamp(m_settings.pollSeconds, 1, 3600) * 1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void Mailer::start()
{
    tick();
    m_timer.start();
}

void Mailer::stop()
{
    m_timer.stop();
}

qint64 Mailer::retryDelaySeconds(int attempts, const MailerSettings &settings)
{
    qint64 delay = std::max(1, settings.retryInitialSeconds);
    for (int i = 1; i < attempts && delay < settings.retryMaxSeconds; ++i)
        delay *= 2;
    return std::min<qint64>(delay, std::max(settings.retryMaxSeconds, settings.retryInitialSeconds));
}

Mailer::Pass Mailer::tick()
{
    Pass pass;
    const QDateTime now = m_now();
    queueFailureMails(now, pass);
    queueDailyReports(now, pass);
    sendDue(now, pass);
    for (const QString &p : pass.problems)
        qWarning("mail: %s", qPrintable(p));
    return pass;
}

QList<OutboxMail> Mailer::messagesFor(const Tenant &tenant, const QString &kind, const QString &keyPrefix,
    const QDateTime &now, const std::function<Result<MailMessage>(MailLanguage, MailDraft)> &render, Pass &pass)
{
    QList<OutboxMail> out;
    QStringList seen;
    for (const QString &raw : tenant.reportRecipients) {
        const QString address = raw.trimmed();
        if (address.isEmpty() || seen.contains(address, Qt::CaseInsensitive))
            continue;
        seen << address;
        const QString code = tenant.recipientLanguages.value(address).toString(tenant.language);
        MailDraft draft;
        draft.from = m_settings.from;
        draft.to = {MailAddress(address)};
        draft.date = now;
        draft.host = domainOf(m_settings.from.address);
        auto message = render(mailLanguageFromCode(code), draft);
        if (!message) {
            pass.problems << QStringLiteral("%1 mail to %2 (tenant %3) not queued: %4")
                                 .arg(kind, address, tenant.name, message.error().message);
            continue;
        }
        OutboxMail m;
        m.tenantId = tenant.id;
        m.kind = kind;
        m.dedupKey = keyPrefix + address.toLower();
        m.recipient = address;
        m.subject = message->subject();
        m.message = message->bytes();
        m.createdAt = now;
        m.nextAttemptAt = now;
        out << m;
    }
    return out;
}

void Mailer::queueFailureMails(const QDateTime &now, Pass &pass)
{
    auto jobs = m_catalog.jobsToNotify(kNotifyBatch);
    if (!jobs) {
        pass.problems << jobs.error().message;
        return;
    }
    std::map<qint64, Tenant> tenants;
    for (const Job &job : *jobs) {
        auto found = tenants.find(job.tenantId);
        if (found == tenants.end()) {
            auto t = m_catalog.tenant(job.tenantId);
            if (!t) {
                pass.problems << t.error().message;
                continue;
            }
            found = tenants.emplace(job.tenantId, *t).first;
        }
        const Tenant &tenant = found->second;
        FailureMailInput in;
        in.tenantName = tenant.name;
        in.jobId = job.id;
        in.kind = job.state == JobState::Missed ? FailureMailInput::Kind::Missed : FailureMailInput::Kind::Failed;
        in.scheduled = job.scheduledAt;
        in.started = job.startedAt;
        in.finished = job.finishedAt;
        in.error = job.error;
        std::tie(in.warnings, in.warningCount) = warningsOf(job);
        in.timeZone = tenant.timeZone.toUtf8();
        if (auto agent = m_catalog.agent(job.tenantId, job.agentId)) {
            in.serverName = agent->name;
            in.hostname = agent->hostname;
        } else {
            in.serverName = QStringLiteral("#%1").arg(job.agentId);
        }
        const QList<OutboxMail> mails = messagesFor(
            tenant, QStringLiteral("failure"), QStringLiteral("job-failed:%1:").arg(job.id), now,
            [&](MailLanguage language, MailDraft draft) { return failureMail(in, language, std::move(draft)); }, pass);
        auto added = m_catalog.markJobNotified(job.tenantId, job.id, mails);
        if (added)
            pass.failureMails += *added;
        else
            pass.problems << added.error().message;
    }
}

std::optional<DailyReportInput> Mailer::reportInput(const Tenant &tenant, const ReportPeriod &period, Pass &pass)
{
    auto agents = m_catalog.agents(tenant.id);
    if (!agents) {
        pass.problems << agents.error().message;
        return std::nullopt;
    }
    DailyReportInput in;
    in.tenantName = tenant.name;
    in.from = period.from;
    in.to = period.to;
    in.timeZone = tenant.timeZone.toUtf8();
    std::map<qint64, QList<Job>> runs;
    JobFilter filter;
    filter.tenantId = tenant.id;
    filter.from = period.from;
    filter.to = period.to;
    filter.page.limit = 500;
    for (;;) {
        auto page = m_catalog.jobs(filter);
        if (!page) {
            pass.problems << page.error().message;
            return std::nullopt;
        }
        for (const Job &j : page->items) {
            if (j.kind == JobKind::Backup)
                runs[j.agentId].append(j);
        }
        if (!page->next)
            break;
        filter.page.beforeId = *page->next;
    }
    for (const Agent &a : *agents) {
        ReportServer s;
        s.name = a.name;
        s.hostname = a.hostname;
        QList<Job> jobs = runs[a.id];
        std::sort(jobs.begin(), jobs.end(), [](const Job &x, const Job &y) {
            return x.scheduledAt != y.scheduledAt ? x.scheduledAt < y.scheduledAt : x.id < y.id;
        });
        for (const Job &j : jobs)
            s.runs.append(reportRun(j));
        in.servers.append(s);
    }
    return in;
}

void Mailer::queueDailyReports(const QDateTime &now, Pass &pass)
{
    auto tenants = m_catalog.tenants();
    if (!tenants) {
        pass.problems << tenants.error().message;
        return;
    }
    for (const Tenant &tenant : *tenants) {
        auto last = m_catalog.lastReportDay(tenant.id);
        if (!last) {
            pass.problems << last.error().message;
            continue;
        }
        const auto period = dueReport(tenant, *last, now);
        if (!period)
            continue;
        const auto in = reportInput(tenant, *period, pass);
        if (!in)
            continue;
        const QList<OutboxMail> mails = messagesFor(
            tenant, QStringLiteral("daily"), QStringLiteral("daily:%1:%2:").arg(tenant.id).arg(period->day), now,
            [&](MailLanguage language, MailDraft draft) { return dailyReportMail(*in, language, std::move(draft)); },
            pass);
        auto claimed = m_catalog.claimReportDay(tenant.id, period->day, mails);
        if (!claimed)
            pass.problems << claimed.error().message;
        else if (*claimed)
            pass.reportMails += int(mails.size());
    }
}

void Mailer::auditFailure(const OutboxMail &mail, const QString &reason, const QDateTime &now, Pass &pass)
{
    AuditEntry e;
    e.at = now;
    e.tenantId = mail.tenantId;
    e.action = QStringLiteral("mail.failed");
    e.object = QStringLiteral("mail:%1").arg(mail.id);
    e.detail = QJsonObject {{QStringLiteral("recipient"), mail.recipient}, {QStringLiteral("kind"), mail.kind},
        {QStringLiteral("subject"), mail.subject}, {QStringLiteral("attempts"), mail.attempts + 1},
        {QStringLiteral("reason"), reason}};
    e.peer = QStringLiteral("server");
    if (Status s = m_catalog.addAudit(e); !s.ok())
        pass.problems << s.error().message;
}

void Mailer::sendDue(const QDateTime &now, Pass &pass)
{
    if (m_settings.smtp.host.isEmpty()) {
        if (!m_saidNoHost)
            qInfo("mail: no SMTP server set (mail/host): mail is queued in the outbox but not sent");
        m_saidNoHost = true;
        return;
    }
    auto due = m_catalog.dueMail(now, m_settings.batch);
    if (!due) {
        pass.problems << due.error().message;
        return;
    }
    for (const OutboxMail &mail : *due) {
        const SmtpResult r = m_smtp.send(m_settings.from.address, {mail.recipient}, mail.message);
        const QString reply = r.replyCode ? QStringLiteral("%1 %2").arg(r.replyCode).arg(r.reply) : r.reply;
        const QDateTime at = m_now();
        Status s;
        // A refusal that concerns the relay or our settings, not this message (TLS, login, a 5xx
        // greeting or AUTH answer: no reply code from libcurl, or 530/535/554 before the
        // recipient), would fail every message alike: it is retried like an outage and the rest
        // of the pass waits.
        const bool relayProblem = r.verdict == SmtpVerdict::Permanent
            && (r.replyCode == 0 || r.replyCode == 530 || r.replyCode == 535 || r.replyCode == 534 || r.replyCode == 554);
        if (r.verdict == SmtpVerdict::Sent) {
            s = m_catalog.markMailSent(mail.id, at);
            ++pass.sent;
        } else if (relayProblem && mail.createdAt.secsTo(at) < qint64(m_settings.giveUpHours) * 3600) {
            s = m_catalog.markMailRetry(mail.id, at.addSecs(retryDelaySeconds(mail.attempts + 1, m_settings)), reply);
            ++pass.retried;
            qWarning("mail: the SMTP server refused the session (%s); messages wait", qPrintable(reply));
            if (!s.ok())
                pass.problems << s.error().message;
            break;
        } else if (r.verdict == SmtpVerdict::Permanent
            || mail.createdAt.secsTo(at) >= qint64(m_settings.giveUpHours) * 3600) {
            const QString reason = r.verdict == SmtpVerdict::Permanent
                ? reply
                : QStringLiteral("not accepted within %1 hours; last: %2").arg(m_settings.giveUpHours).arg(reply);
            s = m_catalog.markMailFailed(mail.id, reason);
            if (s.ok())
                auditFailure(mail, reason, at, pass);
            qWarning("mail: message %lld to %s failed: %s", static_cast<long long>(mail.id), qPrintable(mail.recipient),
                qPrintable(reason));
            ++pass.failed;
        } else {
            s = m_catalog.markMailRetry(mail.id, at.addSecs(retryDelaySeconds(mail.attempts + 1, m_settings)), reply);
            ++pass.retried;
        }
        if (!s.ok())
            pass.problems << s.error().message;
        // No answer at all (server down, unreachable, timed out): the rest waits for the next pass.
        if (r.verdict == SmtpVerdict::Transient && r.replyCode == 0)
            break;
    }
}

} // namespace cairn::server
