// SqlCatalog: what billing keeps — operator settings (settings), the daily usage samples of each
// tenant (usage_samples, one per tenant and local day, the last sample of a day wins), kept monthly
// statements (statements, written once) and the servers' registration periods. Any thread (see
// SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

#include <QJsonDocument>

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

QString dayText(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

Result<QJsonObject> objectFromText(const QVariant &v, const QString &what)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(v.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("%1 is not a JSON object").arg(what));
    return doc.object();
}

Result<StoredStatement> statementFrom(const Statement &st)
{
    StoredStatement s;
    s.tenantId = st.value(0).toLongLong();
    s.month = st.value(1).toString();
    auto body = objectFromText(st.value(2), QStringLiteral("statement %1 of tenant %2").arg(s.month).arg(s.tenantId));
    if (!body)
        return body.error();
    s.body = *body;
    s.createdAt = sql::timeFrom(st.value(3));
    return s;
}

Status requireTenant(const QSqlDatabase &db, qint64 tenantId, const QString &what)
{
    auto st = Statement::run(db, QStringLiteral("SELECT 1 FROM tenants WHERE id = ?"), what, {tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return Error(ErrorCode::NotFound, QStringLiteral("%1: tenant %2 not found").arg(what).arg(tenantId));
    }
    return Status::success();
}

} // namespace

Result<OperatorSetting> SqlCatalog::setting(const QString &name)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<OperatorSetting>(*d,
        QStringLiteral("SELECT name, value, changed_by, changed_at FROM settings WHERE name = ?"),
        QStringLiteral("setting %1").arg(name), {name}, [](const Statement &st) -> Result<OperatorSetting> {
            OperatorSetting s;
            s.name = st.value(0).toString();
            auto value = objectFromText(st.value(1), QStringLiteral("setting %1").arg(s.name));
            if (!value)
                return value.error();
            s.value = *value;
            s.changedBy = st.value(2).toString();
            s.changedAt = sql::timeFrom(st.value(3));
            return s;
        });
}

Status SqlCatalog::setSetting(const OperatorSetting &setting)
{
    const QString what = QStringLiteral("set setting %1").arg(setting.name);
    if (setting.name.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("set setting: the name is empty"));
    auto d = db();
    if (!d)
        return d.error();
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO settings (name, value, changed_by, changed_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                           "changed_by = excluded.changed_by, changed_at = excluded.changed_at"),
            what,
            {setting.name, sql::jsonText(setting.value), sql::text(setting.changedBy),
                sql::timeValue(setting.changedAt.isValid() ? setting.changedAt : QDateTime::currentDateTimeUtc())});
        if (!st)
            return st.error();
        return Status::success();
    });
}

Status SqlCatalog::addUsageSample(const UsageSample &sample)
{
    const QString what
        = QStringLiteral("add usage sample of tenant %1 for %2").arg(sample.tenantId).arg(dayText(sample.day));
    if (!sample.day.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: not a day").arg(what));
    if (sample.storedBytes < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: negative bytes").arg(what));
    auto d = db();
    if (!d)
        return d.error();
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        CAIRN_TRY(requireTenant(*d, sample.tenantId, what));
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO usage_samples (tenant_id, day, stored_bytes, sampled_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (tenant_id, day) DO UPDATE SET stored_bytes = excluded.stored_bytes, "
                           "sampled_at = excluded.sampled_at"),
            what,
            {sample.tenantId, dayText(sample.day), sample.storedBytes,
                sql::timeValue(sample.sampledAt.isValid() ? sample.sampledAt : QDateTime::currentDateTimeUtc())});
        if (!st)
            return st.error();
        return Status::success();
    });
}

Result<QList<UsageSample>> SqlCatalog::usageSamples(qint64 tenantId, const QDate &from, const QDate &to)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<UsageSample>(*d,
        QStringLiteral("SELECT tenant_id, day, stored_bytes, sampled_at FROM usage_samples "
                       "WHERE tenant_id = ? AND day >= ? AND day <= ? ORDER BY day"),
        QStringLiteral("usage samples of tenant %1").arg(tenantId), {tenantId, dayText(from), dayText(to)},
        [](const Statement &st) -> Result<UsageSample> {
            UsageSample s;
            s.tenantId = st.value(0).toLongLong();
            s.day = QDate::fromString(st.value(1).toString(), Qt::ISODate);
            if (!s.day.isValid())
                return Error(ErrorCode::Corrupt,
                    QStringLiteral("usage sample day \"%1\" is not a date").arg(st.value(1).toString()));
            s.storedBytes = st.value(2).toLongLong();
            s.sampledAt = sql::timeFrom(st.value(3));
            return s;
        });
}

Result<std::optional<QDate>> SqlCatalog::lastUsageSampleDay(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d, QStringLiteral("SELECT MAX(day) FROM usage_samples WHERE tenant_id = ?"),
        QStringLiteral("read the last usage sample of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    if (!st->next() || st->value(0).isNull()) {
        CAIRN_TRY(st->rowsDone());
        return std::optional<QDate>();
    }
    const QDate day = QDate::fromString(st->value(0).toString(), Qt::ISODate);
    if (!day.isValid())
        return Error(
            ErrorCode::Corrupt, QStringLiteral("usage sample day \"%1\" is not a date").arg(st->value(0).toString()));
    return std::optional<QDate>(day);
}

Result<QList<AgentPeriod>> SqlCatalog::agentPeriods(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<AgentPeriod>(*d,
        QStringLiteral("SELECT id, enrolled_at, removed_at FROM agents WHERE tenant_id = ? ORDER BY id"),
        QStringLiteral("server periods of tenant %1").arg(tenantId), {tenantId}, [](const Statement &st) {
            AgentPeriod p;
            p.agentId = st.value(0).toLongLong();
            p.enrolledAt = sql::timeFrom(st.value(1));
            p.removedAt = sql::optTimeFrom(st.value(2));
            return p;
        });
}

Result<StoredStatement> SqlCatalog::statement(qint64 tenantId, const QString &month)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<StoredStatement>(*d,
        QStringLiteral("SELECT tenant_id, month, body, created_at FROM statements WHERE tenant_id = ? AND month = ?"),
        QStringLiteral("statement %1 of tenant %2").arg(month).arg(tenantId), {tenantId, month}, statementFrom);
}

Result<StoredStatement> SqlCatalog::putStatement(const StoredStatement &statement)
{
    const QString what = QStringLiteral("keep statement %1 of tenant %2").arg(statement.month).arg(statement.tenantId);
    if (statement.month.size() != 7 || statement.body.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: no month or no body").arg(what));
    auto d = db();
    if (!d)
        return d.error();
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<StoredStatement> {
        CAIRN_TRY(requireTenant(*d, statement.tenantId, what));
        // Written once: a statement already kept for the month is the one that counts.
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO statements (tenant_id, month, body, created_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (tenant_id, month) DO NOTHING"),
            what,
            {statement.tenantId, statement.month, sql::jsonText(statement.body),
                sql::timeValue(statement.createdAt.isValid() ? statement.createdAt : QDateTime::currentDateTimeUtc())});
        if (!st)
            return st.error();
        st->finish();
        return sql::selectOne<StoredStatement>(*d,
            QStringLiteral(
                "SELECT tenant_id, month, body, created_at FROM statements WHERE tenant_id = ? AND month = ?"),
            what, {statement.tenantId, statement.month}, statementFrom);
    });
}

Result<QList<StoredStatement>> SqlCatalog::statements(
    std::optional<qint64> tenantId, const std::optional<QString> &month)
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
    if (month) {
        conditions << QStringLiteral("month = ?");
        values << *month;
    }
    QString text = QStringLiteral("SELECT tenant_id, month, body, created_at FROM statements");
    if (!conditions.isEmpty())
        text += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    text += QStringLiteral(" ORDER BY tenant_id, month");
    auto st = Statement::prepare(*d, text, QStringLiteral("list statements"));
    if (!st)
        return st.error();
    CAIRN_TRY(st->exec(values));
    QList<StoredStatement> out;
    while (st->next()) {
        auto s = statementFrom(*st);
        if (!s)
            return s.error();
        out.append(*s);
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

} // namespace cairn::server
