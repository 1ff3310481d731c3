// SqlCatalog: verify runs (verify_runs) — operators' requests to re-read packs and check them
// against their SHA-256 ids, with the verifier's progress and findings — and the packs a run
// reads. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

#include <QJsonDocument>

namespace cairn::server {

using sql::Statement;

namespace {

const QString kColumns
    = QStringLiteral("id, tenant_id, started_at, finished_at, packs, bytes, problems, findings, requested_by");

Result<VerifyRun> runFrom(const Statement &st)
{
    VerifyRun r;
    r.id = st.value(0).toLongLong();
    r.tenantId = sql::optIntFrom(st.value(1));
    r.startedAt = sql::timeFrom(st.value(2));
    r.finishedAt = sql::optTimeFrom(st.value(3));
    r.packs = st.value(4).toLongLong();
    r.bytes = st.value(5).toLongLong();
    r.problems = st.value(6).toLongLong();
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(st.value(7).toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return Error(ErrorCode::Corrupt, QStringLiteral("the findings of verify run %1 are not a JSON list").arg(r.id));
    r.findings = doc.array();
    r.requestedBy = st.value(8).toString();
    return r;
}

QString findingsText(const QJsonArray &findings)
{
    return QString::fromUtf8(QJsonDocument(findings).toJson(QJsonDocument::Compact));
}

} // namespace

Result<VerifyRun> SqlCatalog::addVerifyRun(const VerifyRun &run)
{
    const QString what = QStringLiteral("add verify run");
    auto d = db();
    if (!d)
        return d.error();
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<VerifyRun> {
        if (run.tenantId) {
            auto t = Statement::run(*d, QStringLiteral("SELECT 1 FROM tenants WHERE id = ?"), what, {*run.tenantId});
            if (!t)
                return t.error();
            if (!t->next())
                return Error(
                    ErrorCode::NotFound, QStringLiteral("%1: tenant %2 not found").arg(what).arg(*run.tenantId));
            t->finish();
        }
        return sql::selectOne<VerifyRun>(*d,
            QStringLiteral("INSERT INTO verify_runs (tenant_id, started_at, requested_by) VALUES (?, ?, ?) RETURNING ")
                + kColumns,
            what,
            {sql::optInt(run.tenantId),
                sql::timeValue(run.startedAt.isValid() ? run.startedAt : QDateTime::currentDateTimeUtc()),
                sql::text(run.requestedBy)},
            runFrom);
    });
}

Result<VerifyRun> SqlCatalog::verifyRun(qint64 runId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<VerifyRun>(*d, QStringLiteral("SELECT %1 FROM verify_runs WHERE id = ?").arg(kColumns),
        QStringLiteral("verify run %1").arg(runId), {runId}, runFrom);
}

Result<Page<VerifyRun>> SqlCatalog::verifyRuns(const PageRequest &page)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectPage<VerifyRun>(*d, kColumns, QStringLiteral("verify_runs"), {}, {}, page,
        QStringLiteral("verify runs"), runFrom, [](const VerifyRun &r) { return r.id; });
}

Result<QList<VerifyRun>> SqlCatalog::unfinishedVerifyRuns()
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<VerifyRun>(*d,
        QStringLiteral("SELECT %1 FROM verify_runs WHERE finished_at IS NULL ORDER BY id").arg(kColumns),
        QStringLiteral("unfinished verify runs"), {}, runFrom);
}

Status SqlCatalog::updateVerifyRun(const VerifyRun &run)
{
    const QString what = QStringLiteral("update verify run %1").arg(run.id);
    auto d = db();
    if (!d)
        return d.error();
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        return sql::updateOne(*d,
            QStringLiteral("UPDATE verify_runs SET finished_at = ?, packs = ?, bytes = ?, problems = ?, findings = ? "
                           "WHERE id = ?"),
            what,
            {sql::timeValue(run.finishedAt), run.packs, run.bytes, run.problems, findingsText(run.findings), run.id});
    });
}

Result<QList<PackRecord>> SqlCatalog::packsToVerify(qint64 tenantId, const PackId &after, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    QString text = QStringLiteral("SELECT pack_id, size, seq, created_at, condemned_at, deleted_at FROM packs "
                                  "WHERE tenant_id = ? AND deleted_at IS NULL");
    QVariantList values {tenantId};
    if (!after.isNull()) {
        text += QStringLiteral(" AND pack_id > ?");
        values << sql::idValue(after);
    }
    text += QStringLiteral(" ORDER BY pack_id LIMIT ?");
    values << sql::clampLimit(limit);
    auto st = Statement::prepare(*d, text, QStringLiteral("list packs to verify of tenant %1").arg(tenantId));
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    QList<PackRecord> out;
    while (st->next()) {
        PackRecord p;
        p.id = sql::idFrom<PackId>(st->value(0));
        p.size = st->value(1).toLongLong();
        p.seq = st->value(2).toLongLong();
        p.createdAt = sql::timeFrom(st->value(3));
        p.condemnedAt = sql::optTimeFrom(st->value(4));
        p.deletedAt = sql::optTimeFrom(st->value(5));
        out.append(p);
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

} // namespace cairn::server
