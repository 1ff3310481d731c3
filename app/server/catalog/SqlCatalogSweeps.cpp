// SqlCatalog: the server's schedule sweeps over jobs of every tenant — pending backups past the
// 3-hour limit become missed, running ones get the late flag — and the newest slot an agent's
// schedule has a job for. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlJobRows.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

// Backup jobs in `state` due at or before `cutoff`, oldest first (the caller's transaction).
Result<QList<Job>> dueBackups(const QSqlDatabase &db, JobState state, const QDateTime &cutoff, const QString &extra,
    const QString &what)
{
    auto st = Statement::run(db,
        QStringLiteral("SELECT %1 FROM jobs WHERE state = ? AND scheduled_at <= ? AND kind = ?%2 ORDER BY scheduled_at, id")
            .arg(kJobColumns, extra),
        what,
        {QString::fromLatin1(jobStateName(state)), sql::timeValue(cutoff), QString::fromLatin1(jobKindName(JobKind::Backup))});
    if (!st)
        return st.error();
    return jobsFrom(*st);
}

} // namespace

Result<QList<Job>> SqlCatalog::markMissedJobs(const QDateTime &cutoff, const QDateTime &now)
{
    const QString what = QStringLiteral("mark missed jobs");
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto due = dueBackups(*d, JobState::Pending, cutoff, QString(), what);
    if (!due)
        return due.error();
    const QString error = QStringLiteral("not started within 3 hours of its scheduled time");
    QList<Job> changed;
    for (Job &j : *due) {
        // Guarded by the state: a job an agent started meanwhile (possible where the database
        // does not serialise writers as SQLite does) is left alone and not reported.
        auto st = Statement::run(*d,
            QStringLiteral("UPDATE jobs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state = ?"), what,
            {QString::fromLatin1(jobStateName(JobState::Missed)), sql::timeValue(now), error, j.id,
                QString::fromLatin1(jobStateName(JobState::Pending))});
        if (!st)
            return st.error();
        if (st->rowsAffected() != 1)
            continue;
        j.state = JobState::Missed;
        j.finishedAt = now;
        j.error = error;
        changed.append(j);
    }
    CAIRN_TRY(tx.commit());
    return changed;
}

Result<QList<Job>> SqlCatalog::markLateJobs(const QDateTime &cutoff)
{
    const QString what = QStringLiteral("mark late jobs");
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto due = dueBackups(*d, JobState::Running, cutoff, QStringLiteral(" AND late = 0"), what);
    if (!due)
        return due.error();
    QList<Job> changed;
    for (Job &j : *due) {
        auto st = Statement::run(*d, QStringLiteral("UPDATE jobs SET late = 1 WHERE id = ? AND state = ? AND late = 0"),
            what, {j.id, QString::fromLatin1(jobStateName(JobState::Running))});
        if (!st)
            return st.error();
        if (st->rowsAffected() != 1)
            continue;
        j.late = true;
        changed.append(j);
    }
    CAIRN_TRY(tx.commit());
    return changed;
}

Status SqlCatalog::removeSnapshot(qint64 tenantId, const SnapshotId &id)
{
    const QString what = QStringLiteral("remove snapshot %1").arg(id.shortHex());
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto st = Statement::run(*d, QStringLiteral("DELETE FROM snapshots WHERE tenant_id = ? AND snapshot_id = ?"), what,
        {tenantId, sql::idValue(id)});
    if (!st)
        return st.error();
    if (st->rowsAffected() == 0)
        return sql::notFound(QStringLiteral("snapshot %1").arg(id.shortHex()));
    return tx.commit();
}

Result<std::optional<QDateTime>> SqlCatalog::lastScheduledSlot(qint64 tenantId, qint64 agentId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT MAX(scheduled_at) FROM jobs WHERE agent_id = ? AND requested_by = ? AND tenant_id = ?"),
        QStringLiteral("last scheduled slot of agent %1").arg(agentId), {agentId, QStringLiteral("schedule"), tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return std::optional<QDateTime>();
    }
    return sql::optTimeFrom(st->value(0));
}

} // namespace cairn::server
