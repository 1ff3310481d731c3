// SqlCatalog: the mail outbox (mail_outbox, one row per message and recipient, idempotent on
// dedup_key), the failure-mail flag of jobs (jobs.notified) and the daily report's bookkeeping
// (tenants.last_report_day). Queueing a job's or a day's mails and setting its flag is one
// transaction, and every insert ignores a dedup key already present, so neither a crash nor a
// second pass loses or doubles a mail. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlJobRows.h"
#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

const char *mailStateName(MailState state)
{
    switch (state) {
    case MailState::Queued: return "queued";
    case MailState::Sent: return "sent";
    case MailState::Failed: return "failed";
    }
    return "queued";
}

std::optional<MailState> mailStateFromName(const QString &name)
{
    for (MailState s : {MailState::Queued, MailState::Sent, MailState::Failed}) {
        if (name == QLatin1String(mailStateName(s)))
            return s;
    }
    return std::nullopt;
}

namespace {

const QString kOutboxColumns = QStringLiteral("id, tenant_id, kind, dedup_key, recipient, subject, state, created_at, "
                                              "attempts, next_attempt_at, sent_at, last_error");

Result<OutboxMail> outboxFrom(const Statement &st, bool withMessage)
{
    OutboxMail m;
    m.id = st.value(0).toLongLong();
    m.tenantId = sql::optIntFrom(st.value(1));
    m.kind = st.value(2).toString();
    m.dedupKey = st.value(3).toString();
    m.recipient = st.value(4).toString();
    m.subject = st.value(5).toString();
    const auto state = mailStateFromName(st.value(6).toString());
    if (!state)
        return Error(ErrorCode::Corrupt,
            QStringLiteral("outbox message %1 has an unknown state '%2'").arg(m.id).arg(st.value(6).toString()));
    m.state = *state;
    m.createdAt = sql::timeFrom(st.value(7));
    m.attempts = st.value(8).toInt();
    m.nextAttemptAt = sql::timeFrom(st.value(9));
    m.sentAt = sql::optTimeFrom(st.value(10));
    m.lastError = st.value(11).toString();
    if (withMessage)
        m.message = st.value(12).toByteArray();
    return m;
}

Status checkMail(const OutboxMail &m)
{
    if (m.dedupKey.isEmpty() || m.recipient.isEmpty() || m.message.isEmpty())
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("queue mail: a message needs a dedup key, a recipient and its bytes"));
    return Status();
}

// Inserts `m` unless its dedup key is present (the caller's write transaction); true if added.
Result<bool> insertMail(const QSqlDatabase &db, const OutboxMail &m, const QString &what)
{
    CAIRN_TRY(checkMail(m));
    const QDateTime created = m.createdAt.isValid() ? m.createdAt : QDateTime::currentDateTimeUtc();
    auto st = Statement::run(db,
        QStringLiteral("INSERT INTO mail_outbox (tenant_id, kind, dedup_key, recipient, subject, message, state, "
                       "created_at, attempts, next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '') "
                       "ON CONFLICT (dedup_key) DO NOTHING"),
        what,
        {sql::optInt(m.tenantId), sql::text(m.kind), m.dedupKey, m.recipient, sql::text(m.subject),
            sql::bytes(m.message), QString::fromLatin1(mailStateName(MailState::Queued)), sql::timeValue(created),
            sql::timeValue(m.nextAttemptAt.isValid() ? m.nextAttemptAt : created)});
    if (!st)
        return st.error();
    return st->rowsAffected() == 1;
}

Result<int> insertMails(const QSqlDatabase &db, const QList<OutboxMail> &mails, const QString &what)
{
    int added = 0;
    for (const OutboxMail &m : mails) {
        auto one = insertMail(db, m, what);
        if (!one)
            return one.error();
        added += *one ? 1 : 0;
    }
    return added;
}

} // namespace

Result<bool> SqlCatalog::enqueueMail(const OutboxMail &mail)
{
    CAIRN_TRY(checkMail(mail));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("queue mail %1").arg(mail.dedupKey);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&] { return insertMail(*d, mail, what); });
}

Result<QList<OutboxMail>> SqlCatalog::dueMail(const QDateTime &now, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<OutboxMail>(*d,
        QStringLiteral("SELECT %1, message FROM mail_outbox WHERE state = ? AND next_attempt_at <= ? "
                       "ORDER BY next_attempt_at, id LIMIT ?")
            .arg(kOutboxColumns),
        QStringLiteral("due mail"),
        {QString::fromLatin1(mailStateName(MailState::Queued)), sql::timeValue(now), sql::clampLimit(limit)},
        [](const Statement &st) { return outboxFrom(st, true); });
}

// One UPDATE of a queued message: `set` assigns the columns (its values first, then the id).
Status SqlCatalog::updateQueuedMail(qint64 mailId, const QString &set, QVariantList values)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("outbox message %1 (queued)").arg(mailId);
    values << mailId << QString::fromLatin1(mailStateName(MailState::Queued));
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::prepare(*d,
            QStringLiteral("UPDATE mail_outbox SET %1, attempts = attempts + 1 WHERE id = ? AND state = ?").arg(set), what);
        if (!st)
            return st.error();
        CAIRN_TRY(st->exec(values));
        if (st->rowsAffected() == 0)
            return sql::notFound(what);
        return {};
    });
}

Status SqlCatalog::markMailSent(qint64 mailId, const QDateTime &when)
{
    return updateQueuedMail(mailId, QStringLiteral("state = ?, sent_at = ?, last_error = ''"),
        {QString::fromLatin1(mailStateName(MailState::Sent)), sql::timeValue(when)});
}

Status SqlCatalog::markMailRetry(qint64 mailId, const QDateTime &next, const QString &error)
{
    return updateQueuedMail(mailId, QStringLiteral("next_attempt_at = ?, last_error = ?"), {sql::timeValue(next), sql::text(error)});
}

Status SqlCatalog::markMailFailed(qint64 mailId, const QString &error)
{
    return updateQueuedMail(mailId, QStringLiteral("state = ?, last_error = ?"),
        {QString::fromLatin1(mailStateName(MailState::Failed)), sql::text(error)});
}

Result<QList<Job>> SqlCatalog::jobsToNotify(int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT %1 FROM jobs WHERE notified = 0 AND state IN (?, ?) AND kind = ? "
                       "AND finished_at IS NOT NULL ORDER BY finished_at, id LIMIT ?")
            .arg(kJobColumns),
        QStringLiteral("list jobs to notify"),
        {QString::fromLatin1(jobStateName(JobState::Failed)), QString::fromLatin1(jobStateName(JobState::Missed)),
            QString::fromLatin1(jobKindName(JobKind::Backup)), sql::clampLimit(limit)});
    if (!st)
        return st.error();
    return jobsFrom(*st);
}

Result<int> SqlCatalog::markJobNotified(qint64 tenantId, qint64 jobId, const QList<OutboxMail> &mails)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("job %1").arg(jobId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<int> {
        CAIRN_TRY(sql::updateOne(*d, QStringLiteral("UPDATE jobs SET notified = 1 WHERE id = ? AND tenant_id = ?"),
            what, {jobId, tenantId}));
        return insertMails(*d, mails, QStringLiteral("queue the failure mail of job %1").arg(jobId));
    });
}

Result<QString> SqlCatalog::lastReportDay(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<QString>(*d, QStringLiteral("SELECT last_report_day FROM tenants WHERE id = ?"),
        QStringLiteral("tenant %1").arg(tenantId), {tenantId},
        [](const Statement &st) { return st.value(0).toString(); });
}

Result<bool> SqlCatalog::claimReportDay(qint64 tenantId, const QString &day, const QList<OutboxMail> &mails)
{
    if (!QDate::fromString(day, Qt::ISODate).isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("claim report day: \"%1\" is not a date").arg(day));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("claim the %1 report of tenant %2").arg(day).arg(tenantId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<bool> {
        // ISO dates compare as text; '' (never reported) is before every day.
        auto st = Statement::run(*d,
            QStringLiteral("UPDATE tenants SET last_report_day = ? WHERE id = ? AND last_report_day < ?"), what,
            {day, tenantId, day});
        if (!st)
            return st.error();
        if (st->rowsAffected() != 1) {
            auto exists = lastReportDay(tenantId);
            if (!exists)
                return exists.error();
            return false;
        }
        auto added = insertMails(*d, mails, what);
        if (!added)
            return added.error();
        return true;
    });
}

Result<Page<OutboxMail>> SqlCatalog::outbox(
    std::optional<qint64> tenantId, std::optional<MailState> state, const PageRequest &page)
{
    auto d = db();
    if (!d)
        return d.error();
    QStringList conditions;
    QVariantList values;
    if (tenantId) {
        conditions << QStringLiteral("tenant_id = ?");
        values << qlonglong(*tenantId);
    }
    if (state) {
        conditions << QStringLiteral("state = ?");
        values << QString::fromLatin1(mailStateName(*state));
    }
    return sql::selectPage<OutboxMail>(
        *d, kOutboxColumns, QStringLiteral("mail_outbox"), conditions, values, page, QStringLiteral("outbox"),
        [](const Statement &st) { return outboxFrom(st, false); }, [](const OutboxMail &m) { return m.id; });
}

} // namespace cairn::server
