// SqlCatalog: bulk loads of history rows (jobs and snapshots as given, in one transaction each
// call) for imports and benchmarks such as bench/console's seeding. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

#include <QPair>
#include <QSet>

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

Result<QList<qint64>> SqlCatalog::importJobs(const QList<Job> &jobs)
{
    const QString what = QStringLiteral("import %1 jobs").arg(jobs.size());
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    QSet<QPair<qint64, qint64>> agents;
    auto st = Statement::prepare(*d,
        QStringLiteral("INSERT INTO jobs (tenant_id, agent_id, kind, state, scheduled_at, started_at, finished_at, "
                       "progress, stats, spec, snapshot_id, error, requested_by, cancel_requested, late, notified) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id"),
        what);
    if (!st)
        return st.error();
    QList<qint64> ids;
    ids.reserve(jobs.size());
    for (const Job &j : jobs) {
        if (!agents.contains({j.tenantId, j.agentId})) {
            CAIRN_TRY(requireAgent(*d, j.tenantId, j.agentId, what));
            agents.insert({j.tenantId, j.agentId});
        }
        CAIRN_TRY(st->exec({j.tenantId, j.agentId, QString::fromLatin1(jobKindName(j.kind)),
            QString::fromLatin1(jobStateName(j.state)),
            sql::timeValue(j.scheduledAt.isValid() ? j.scheduledAt : QDateTime::currentDateTimeUtc()),
            sql::timeValue(j.startedAt), sql::timeValue(j.finishedAt), sql::jsonText(j.progress),
            sql::jsonText(j.stats), sql::jsonText(j.spec), sql::text(j.snapshotId), sql::text(j.error),
            sql::text(j.requestedBy), j.cancelRequested ? 1 : 0, j.late ? 1 : 0}));
        if (!st->next())
            return st->error();
        ids.append(st->value(0).toLongLong());
        st->finish();
    }
    CAIRN_TRY(tx.commit());
    return ids;
}

Result<QList<qint64>> SqlCatalog::importSnapshots(const QList<SnapshotRecord> &snapshots)
{
    const QString what = QStringLiteral("import %1 snapshots").arg(snapshots.size());
    for (const SnapshotRecord &s : snapshots) {
        if (s.id.isNull() || !s.time.isValid())
            return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": a snapshot needs an id and a time"));
    }
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    QSet<QPair<qint64, qint64>> agents;
    auto st = Statement::prepare(*d,
        QStringLiteral(
            "INSERT INTO snapshots (tenant_id, snapshot_id, agent_id, job_id, taken_at, finished_at, hostname, "
            "paths, root_tree, stats, record_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        what);
    if (!st)
        return st.error();
    QList<qint64> ids;
    ids.reserve(snapshots.size());
    for (const SnapshotRecord &s : snapshots) {
        if (!agents.contains({s.tenantId, s.agentId})) {
            CAIRN_TRY(requireAgent(*d, s.tenantId, s.agentId, what));
            agents.insert({s.tenantId, s.agentId});
        }
        CAIRN_TRY(st->exec({s.tenantId, sql::idValue(s.id), s.agentId, sql::optInt(s.jobId), sql::timeValue(s.time),
            sql::timeValue(s.endTime), sql::text(s.hostname), sql::pathsJson(s.paths), sql::idValue(s.rootTree),
            sql::jsonText(s.stats), s.recordSize}));
        if (!st->next())
            return st->error();
        ids.append(st->value(0).toLongLong());
        st->finish();
    }
    CAIRN_TRY(tx.commit());
    return ids;
}

} // namespace cairn::server
