// SqlCatalog: enrollment codes, agents (the protected servers) and their backup policies. Any
// thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"
#include "catalog/SqlAgentRows.h"

#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

QDateTime orNow(const QDateTime &t)
{
    return t.isValid() ? t : QDateTime::currentDateTimeUtc();
}

} // namespace

QString agentColumnsOf(const QString &alias)
{
    static const QStringList columns {QStringLiteral("id"), QStringLiteral("tenant_id"), QStringLiteral("name"),
        QStringLiteral("hostname"), QStringLiteral("os"), QStringLiteral("version"), QStringLiteral("token_hash"),
        QStringLiteral("enrolled_at"), QStringLiteral("last_seen"), QStringLiteral("removed_at"),
        QStringLiteral("kernel"), QStringLiteral("architecture")};
    static_assert(kAgentColumnCount == 12, "agentColumnsOf() and agentFrom() must agree");
    if (alias.isEmpty())
        return columns.join(QStringLiteral(", "));
    QStringList qualified;
    for (const QString &c : columns)
        qualified.append(alias + QLatin1Char('.') + c);
    return qualified.join(QStringLiteral(", "));
}

Agent agentFrom(const Statement &st)
{
    Agent a;
    a.id = st.value(0).toLongLong();
    a.tenantId = st.value(1).toLongLong();
    a.name = st.value(2).toString();
    a.hostname = st.value(3).toString();
    a.os = st.value(4).toString();
    a.version = st.value(5).toString();
    a.tokenHash = st.value(6).toByteArray();
    a.enrolledAt = sql::timeFrom(st.value(7));
    a.lastSeen = sql::optTimeFrom(st.value(8));
    a.removedAt = sql::optTimeFrom(st.value(9));
    a.kernel = st.value(10).toString();
    a.architecture = st.value(11).toString();
    return a;
}

const QString kPolicyColumns = QStringLiteral(
    "paths, excludes, one_file_system, interval_days, weekday, hour, retention_days, updated_at, "
    "pre_command, post_command, command_timeout_s, continue_on_pre_failure, bandwidth_limit_kib");

Policy policyFrom(const Statement &st, int first)
{
    Policy p;
    p.paths = sql::pathsFrom(st.value(first + 0));
    p.excludes = sql::stringsFrom(st.value(first + 1));
    p.oneFileSystem = st.value(first + 2).toInt() != 0;
    p.intervalDays = st.value(first + 3).toInt();
    p.weekday = st.value(first + 4).toInt();
    p.hour = st.value(first + 5).toInt();
    p.retentionDays = st.value(first + 6).toInt();
    p.updatedAt = sql::timeFrom(st.value(first + 7));
    p.preCommand = st.value(first + 8).toString();
    p.postCommand = st.value(first + 9).toString();
    p.commandTimeoutSeconds = st.value(first + 10).toInt();
    p.continueOnPreFailure = st.value(first + 11).toInt() != 0;
    p.bandwidthLimitKib = st.value(first + 12).toLongLong();
    return p;
}

// --- enrollment

Status SqlCatalog::addEnrollmentCode(const EnrollmentCode &code)
{
    if (code.codeHash.isEmpty() || !code.expiresAt.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("an enrollment code needs a hash and an expiry time"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("add enrollment code for tenant %1").arg(code.tenantId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::prepare(*d,
            QStringLiteral("INSERT INTO enrollment_codes (code_hash, tenant_id, created_at, "
                           "expires_at) VALUES (?, ?, ?, ?)"),
            what);
        if (!st)
            return st.error();
        if (Status s = st->exec(
                {code.codeHash, code.tenantId, sql::timeValue(orNow(code.createdAt)), sql::timeValue(code.expiresAt)});
            !s.ok()) {
            if (sql::isUniqueViolation(st->lastError()))
                return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": the code already exists"));
            if (sql::isForeignKeyViolation(st->lastError()))
                return Error(ErrorCode::NotFound, what + QStringLiteral(": tenant not found"));
            return s.error();
        }
        return {};
    });
}

Result<Agent> SqlCatalog::enrollAgent(const QByteArray &codeHash, const Agent &agent, const QDateTime &now)
{
    if (agent.tokenHash.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("an agent needs a token hash"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("enroll agent '%1'").arg(agent.hostname);
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());

    Agent a = agent;
    {
        // Consumes the code: only an unused, unexpired one matches.
        auto code = Statement::run(*d,
            QStringLiteral("UPDATE enrollment_codes SET used_at = ? WHERE code_hash = ? "
                           "AND used_at IS NULL AND expires_at > ? RETURNING tenant_id"),
            what, {sql::timeValue(now), sql::bytes(codeHash), sql::timeValue(now)});
        if (!code)
            return code.error();
        if (!code->next()) {
            CAIRN_TRY(code->rowsDone());
            return Error(
                ErrorCode::NotFound, what + QStringLiteral(": the enrollment code is unknown, used or expired"));
        }
        a.tenantId = code->value(0).toLongLong();
    }
    a.name = a.name.isEmpty() ? a.hostname : a.name;
    a.enrolledAt = a.enrolledAt.isValid() ? a.enrolledAt : orNow(now);
    a.removedAt.reset();
    {
        auto st = Statement::prepare(*d,
            QStringLiteral("INSERT INTO agents (tenant_id, name, hostname, os, version, "
                           "token_hash, enrolled_at, last_seen, kernel, architecture) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            what);
        if (!st)
            return st.error();
        if (Status s = st->exec({a.tenantId, sql::text(a.name), sql::text(a.hostname), sql::text(a.os),
                sql::text(a.version), a.tokenHash, sql::timeValue(a.enrolledAt), sql::timeValue(a.lastSeen),
                sql::text(a.kernel), sql::text(a.architecture)});
            !s.ok()) {
            if (sql::isUniqueViolation(st->lastError()))
                return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": the agent token is already in use"));
            return s.error();
        }
        if (!st->next())
            return st->error();
        a.id = st->value(0).toLongLong();
    }
    {
        auto st = Statement::run(*d, QStringLiteral("UPDATE enrollment_codes SET agent_id = ? WHERE code_hash = ?"),
            what, {a.id, sql::bytes(codeHash)});
        if (!st)
            return st.error();
    }
    CAIRN_TRY(tx.commit());
    return a;
}

// --- agents

Result<Agent> SqlCatalog::agentByTokenHash(const QByteArray &tokenHash)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<Agent>(*d,
        QStringLiteral("SELECT %1 FROM agents WHERE token_hash = ? AND removed_at IS NULL").arg(agentColumnsOf()),
        QStringLiteral("agent"), {sql::bytes(tokenHash)}, agentFrom);
}

Result<Agent> SqlCatalog::agent(qint64 tenantId, qint64 agentId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<Agent>(*d,
        QStringLiteral("SELECT %1 FROM agents WHERE id = ? AND tenant_id = ?").arg(agentColumnsOf()),
        QStringLiteral("agent %1").arg(agentId), {agentId, tenantId}, agentFrom);
}

Result<QList<Agent>> SqlCatalog::agents(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<Agent>(*d,
        QStringLiteral("SELECT %1 FROM agents WHERE tenant_id = ? AND removed_at IS NULL ORDER BY name, id")
            .arg(agentColumnsOf()),
        QStringLiteral("agents"), {tenantId}, agentFrom);
}

Status SqlCatalog::renameAgent(qint64 tenantId, qint64 agentId, const QString &name)
{
    if (name.trimmed().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("an agent needs a name"));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("rename agent %1").arg(agentId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&] {
        return sql::updateOne(*d, QStringLiteral("UPDATE agents SET name = ? WHERE id = ? AND tenant_id = ?"), what,
            {name, agentId, tenantId});
    });
}

Status SqlCatalog::removeAgent(qint64 tenantId, qint64 agentId, const QDateTime &when)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("remove agent %1").arg(agentId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&] {
        // Removing twice keeps the first removal time.
        return sql::updateOne(*d,
            QStringLiteral("UPDATE agents SET removed_at = COALESCE(removed_at, ?) WHERE id = ? AND tenant_id = ?"),
            what, {sql::timeValue(orNow(when)), agentId, tenantId});
    });
}

Status SqlCatalog::touchAgent(qint64 agentId, const QDateTime &when, const QString &version)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("record contact of agent %1").arg(agentId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&] {
        if (version.isEmpty()) // keep the version last reported
            return sql::updateOne(*d,
                QStringLiteral("UPDATE agents SET last_seen = ? WHERE id = ? AND removed_at IS NULL"), what,
                {sql::timeValue(orNow(when)), agentId});
        return sql::updateOne(*d,
            QStringLiteral("UPDATE agents SET last_seen = ?, version = ? WHERE id = ? AND removed_at IS NULL"), what,
            {sql::timeValue(orNow(when)), version, agentId});
    });
}

// --- policies

Result<Policy> SqlCatalog::policy(qint64 tenantId, qint64 agentId)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<Policy>(*d,
        QStringLiteral("SELECT %1 FROM policies WHERE agent_id = ? AND tenant_id = ?").arg(kPolicyColumns),
        QStringLiteral("policy of agent %1").arg(agentId), {agentId, tenantId},
        [](const Statement &st) { return policyFrom(st, 0); });
}

Status SqlCatalog::setPolicy(qint64 tenantId, qint64 agentId, const Policy &policy)
{
    if ((policy.intervalDays != 1 && policy.intervalDays != 7) || policy.weekday < 1 || policy.weekday > 7
        || policy.hour < 0 || policy.hour > 23 || policy.retentionDays < 1 || policy.commandTimeoutSeconds < 1
        || policy.bandwidthLimitKib < 0)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("invalid policy (interval %1 days, weekday %2, hour %3, retention %4 days, command "
                           "timeout %5 s, bandwidth limit %6 KiB/s)")
                .arg(policy.intervalDays)
                .arg(policy.weekday)
                .arg(policy.hour)
                .arg(policy.retentionDays)
                .arg(policy.commandTimeoutSeconds)
                .arg(policy.bandwidthLimitKib));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("set policy of agent %1").arg(agentId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        CAIRN_TRY(requireAgent(*d, tenantId, agentId, what));
        auto st = Statement::run(*d,
            QStringLiteral(
                "INSERT INTO policies (agent_id, tenant_id, paths, excludes, one_file_system, interval_days, "
                "weekday, hour, retention_days, updated_at, pre_command, post_command, command_timeout_s, "
                "continue_on_pre_failure, bandwidth_limit_kib) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (agent_id) DO UPDATE SET paths = excluded.paths, excludes = excluded.excludes, "
                "one_file_system = excluded.one_file_system, interval_days = excluded.interval_days, "
                "weekday = excluded.weekday, hour = excluded.hour, retention_days = excluded.retention_days, "
                "updated_at = excluded.updated_at, pre_command = excluded.pre_command, "
                "post_command = excluded.post_command, command_timeout_s = excluded.command_timeout_s, "
                "continue_on_pre_failure = excluded.continue_on_pre_failure, "
                "bandwidth_limit_kib = excluded.bandwidth_limit_kib"),
            what,
            {agentId, tenantId, sql::pathsJson(policy.paths), sql::stringsJson(policy.excludes),
                policy.oneFileSystem ? 1 : 0, policy.intervalDays, policy.weekday, policy.hour, policy.retentionDays,
                sql::timeValue(orNow(policy.updatedAt)), sql::text(policy.preCommand), sql::text(policy.postCommand),
                policy.commandTimeoutSeconds, policy.continueOnPreFailure ? 1 : 0, policy.bandwidthLimitKib});
        return st ? Status() : Status(st.error());
    });
}

} // namespace cairn::server
