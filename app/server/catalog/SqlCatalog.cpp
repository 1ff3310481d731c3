// SqlCatalog: opening, tenants, users and sessions. Enrollment, agents and policies are in
// SqlCatalogAgents.cpp; jobs, snapshots, tickets and the audit log in SqlCatalogJobs.cpp; packs
// and the chunk index in SqlCatalogPacks.cpp. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/Schema.h"
#include "catalog/SqlConnections.h"
#include "catalog/SqlSupport.h"

#include <QFile>
#include <QFileInfo>

namespace cairn::server {

namespace {
constexpr qint64 kSessionTouchIntervalMs = 60 * 1000;
}


using sql::Statement;

namespace {

QDateTime orNow(const QDateTime &t)
{
    return t.isValid() ? t : QDateTime::currentDateTimeUtc();
}

const QString kTenantColumns = QStringLiteral(
    "id, name, time_zone, language, report_recipients, activated_at, created_at, wrapped_keys, repository_config, "
    "report_time, recipient_languages");

Tenant tenantFrom(const Statement &st)
{
    Tenant t;
    t.id = st.value(0).toLongLong();
    t.name = st.value(1).toString();
    t.timeZone = st.value(2).toString();
    t.language = st.value(3).toString();
    t.reportRecipients = sql::stringsFrom(st.value(4));
    t.activatedAt = sql::optTimeFrom(st.value(5));
    t.createdAt = sql::timeFrom(st.value(6));
    t.wrappedKeys = st.value(7).toByteArray();
    t.repositoryConfig = st.value(8).toString().toUtf8();
    t.reportTime = st.value(9).toString();
    t.recipientLanguages = sql::jsonObjectFrom(st.value(10));
    return t;
}

const QString kUserColumns
    = QStringLiteral("id, tenant_id, login, display_name, email, role, password_hash, created_at, disabled");

Result<User> userFrom(const Statement &st)
{
    User u;
    u.id = st.value(0).toLongLong();
    u.tenantId = sql::optIntFrom(st.value(1));
    u.login = st.value(2).toString();
    u.displayName = st.value(3).toString();
    u.email = st.value(4).toString();
    const auto role = roleFromName(st.value(5).toString());
    if (!role)
        return Error(ErrorCode::Corrupt,
            QStringLiteral("user %1 has an unknown role '%2'").arg(u.id).arg(st.value(5).toString()));
    u.role = *role;
    u.passwordHash = st.value(6).toByteArray();
    u.createdAt = sql::timeFrom(st.value(7));
    u.disabled = st.value(8).toInt() != 0;
    return u;
}

// Runs an INSERT ... RETURNING id; a unique or foreign key violation becomes `taken` / `missing`.
Result<qint64> insertReturningId(const QSqlDatabase &db, const QString &sqlText, const QString &what,
    std::initializer_list<QVariant> values, const Error &taken, const Error &missing)
{
    auto st = Statement::prepare(db, sqlText, what);
    if (!st)
        return st.error();
    if (Status s = st->exec(values); !s.ok()) {
        if (sql::isUniqueViolation(st->lastError()))
            return taken;
        if (sql::isForeignKeyViolation(st->lastError()))
            return missing;
        return s.error();
    }
    if (!st->next())
        return st->error();
    return qint64(st->value(0).toLongLong());
}

} // namespace

// --- opening

SqlCatalog::SqlCatalog(const QString &path, std::shared_ptr<SqlConnections> connections)
    : m_path(path), m_connections(std::move(connections))
{
}

SqlCatalog::~SqlCatalog()
{
    m_connections->closeAll();
}

Result<std::unique_ptr<SqlCatalog>> SqlCatalog::open(const QString &path, OpenMode mode)
{
    if (path.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no catalog path given"));
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return Error(ErrorCode::Unsupported, QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed"));
    schema::Start start = schema::Start::Existing;
    if (mode == OpenMode::CreateNew) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            if (QFileInfo::exists(path))
                return Error(ErrorCode::InvalidArgument, QStringLiteral("catalog %1 already exists").arg(path));
            return Error(ErrorCode::Io, QStringLiteral("cannot create catalog %1: %2").arg(path, file.errorString()));
        }
        start = schema::Start::Empty;
    } else if (!QFileInfo(path).isFile()) {
        return Error(ErrorCode::NotFound, QStringLiteral("catalog %1 does not exist").arg(path));
    }

    std::unique_ptr<SqlCatalog> catalog(new SqlCatalog(path, SqlConnections::create(path)));
    Status status;
    if (auto conn = catalog->db(); !conn)
        status = conn.error();
    else
        status = schema::migrate(*conn, schema::catalogMigrations(), start);
    if (!status.ok()) {
        catalog.reset();
        if (mode == OpenMode::CreateNew) // leave nothing half-made behind
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(path + QLatin1String(suffix));
        return status.error();
    }
    return catalog;
}

Result<QSqlDatabase> SqlCatalog::db()
{
    return m_connections->connection();
}

std::mutex &SqlCatalog::writeMutex()
{
    return m_connections->writeMutex();
}

int SqlCatalog::openConnectionCount() const
{
    return m_connections->openCount();
}

int SqlCatalog::schemaVersion()
{
    auto d = db();
    if (!d)
        return -1;
    auto v = schema::currentVersion(*d, schema::Start::Existing);
    return v ? *v : -1;
}

Status SqlCatalog::requireAgent(const QSqlDatabase &d, qint64 tenantId, qint64 agentId, const QString &what)
{
    auto st = Statement::run(
        d, QStringLiteral("SELECT 1 FROM agents WHERE id = ? AND tenant_id = ?"), what, {agentId, tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return Error(ErrorCode::NotFound, QStringLiteral("%1: agent %2 not found").arg(what).arg(agentId));
    }
    st->finish();
    return {};
}

// --- tenants

Result<Tenant> SqlCatalog::addTenant(const Tenant &tenant)
{
    if (tenant.name.trimmed().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a tenant needs a name"));
    if (QString::fromUtf8(tenant.repositoryConfig).toUtf8() != tenant.repositoryConfig)
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("the repository config of a tenant must be UTF-8 text"));
    auto d = db();
    if (!d)
        return d.error();
    Tenant t = tenant;
    t.createdAt = orNow(tenant.createdAt);
    const QString what = QStringLiteral("add tenant '%1'").arg(t.name);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<Tenant> {
        auto id = insertReturningId(*d,
            QStringLiteral(
                "INSERT INTO tenants (name, time_zone, language, report_recipients, activated_at, created_at, "
                "wrapped_keys, repository_config, report_time, recipient_languages) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            what,
            {t.name, sql::text(t.timeZone), sql::text(t.language), sql::stringsJson(t.reportRecipients),
                sql::timeValue(t.activatedAt), sql::timeValue(t.createdAt), sql::bytes(t.wrappedKeys),
                sql::text(QString::fromUtf8(t.repositoryConfig)), sql::text(t.reportTime),
                sql::jsonText(t.recipientLanguages)},
            Error(ErrorCode::InvalidArgument, QStringLiteral("the tenant name '%1' is taken").arg(t.name)), Error());
        if (!id)
            return id.error();
        t.id = *id;
        return t;
    });
}

Result<Tenant> SqlCatalog::tenant(qint64 id)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<Tenant>(*d, QStringLiteral("SELECT %1 FROM tenants WHERE id = ?").arg(kTenantColumns),
        QStringLiteral("tenant %1").arg(id), {id}, tenantFrom);
}

Result<Tenant> SqlCatalog::tenantByName(const QString &name)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<Tenant>(*d, QStringLiteral("SELECT %1 FROM tenants WHERE name = ?").arg(kTenantColumns),
        QStringLiteral("tenant '%1'").arg(name), {name}, tenantFrom);
}

Result<QList<Tenant>> SqlCatalog::tenants()
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectAll<Tenant>(*d, QStringLiteral("SELECT %1 FROM tenants ORDER BY name").arg(kTenantColumns),
        QStringLiteral("tenants"), {}, tenantFrom);
}

Status SqlCatalog::updateTenantSettings(const Tenant &tenant)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("update settings of tenant %1").arg(tenant.id);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&] {
        return sql::updateOne(*d,
            QStringLiteral("UPDATE tenants SET time_zone = ?, language = ?, report_recipients = ?, "
                           "activated_at = ?, report_time = ?, recipient_languages = ? WHERE id = ?"),
            what,
            {sql::text(tenant.timeZone), sql::text(tenant.language), sql::stringsJson(tenant.reportRecipients),
                sql::timeValue(tenant.activatedAt), sql::text(tenant.reportTime),
                sql::jsonText(tenant.recipientLanguages), tenant.id});
    });
}

// --- users

Result<User> SqlCatalog::addUser(const User &user)
{
    if (user.login.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a user needs a login"));
    auto d = db();
    if (!d)
        return d.error();
    User u = user;
    u.createdAt = orNow(user.createdAt);
    const QString what = QStringLiteral("add user '%1'").arg(u.login);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<User> {
        auto id = insertReturningId(*d,
            QStringLiteral("INSERT INTO users (tenant_id, login, display_name, email, role, password_hash, created_at, "
                           "disabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
            what,
            {sql::optInt(u.tenantId), u.login, sql::text(u.displayName), sql::text(u.email),
                QString::fromLatin1(roleName(u.role)), sql::bytes(u.passwordHash), sql::timeValue(u.createdAt),
                u.disabled ? 1 : 0},
            Error(ErrorCode::InvalidArgument, QStringLiteral("the login '%1' is taken").arg(u.login)),
            Error(
                ErrorCode::NotFound, QStringLiteral("%1: tenant %2 not found").arg(what).arg(u.tenantId.value_or(0))));
        if (!id)
            return id.error();
        u.id = *id;
        return u;
    });
}

Result<User> SqlCatalog::user(qint64 id)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<User>(*d, QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(kUserColumns),
        QStringLiteral("user %1").arg(id), {id}, userFrom);
}

Result<User> SqlCatalog::userByLogin(const QString &login)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::selectOne<User>(*d, QStringLiteral("SELECT %1 FROM users WHERE login = ?").arg(kUserColumns),
        QStringLiteral("user '%1'").arg(login), {login}, userFrom);
}

Result<QList<User>> SqlCatalog::users(std::optional<qint64> tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    if (tenantId)
        return sql::selectAll<User>(*d,
            QStringLiteral("SELECT %1 FROM users WHERE tenant_id = ? ORDER BY login").arg(kUserColumns),
            QStringLiteral("users"), {*tenantId}, userFrom);
    return sql::selectAll<User>(*d, QStringLiteral("SELECT %1 FROM users ORDER BY login").arg(kUserColumns),
        QStringLiteral("users"), {}, userFrom);
}

// --- sessions

Status SqlCatalog::addSession(const Session &session)
{
    if (session.tokenHash.isEmpty() || !session.expiresAt.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a session needs a token hash and an expiry time"));
    auto d = db();
    if (!d)
        return d.error();
    const QDateTime created = orNow(session.createdAt);
    const QString what = QStringLiteral("add session of user %1").arg(session.userId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::prepare(*d,
            QStringLiteral("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, "
                           "last_seen, peer) VALUES (?, ?, ?, ?, ?, ?)"),
            what);
        if (!st)
            return st.error();
        if (Status s
            = st->exec({session.tokenHash, session.userId, sql::timeValue(created), sql::timeValue(session.expiresAt),
                sql::timeValue(session.lastSeen.isValid() ? session.lastSeen : created), sql::text(session.peer)});
            !s.ok()) {
            if (sql::isUniqueViolation(st->lastError()))
                return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": the token is already in use"));
            if (sql::isForeignKeyViolation(st->lastError()))
                return Error(ErrorCode::NotFound, what + QStringLiteral(": user not found"));
            return s.error();
        }
        return {};
    });
}

Result<Session> SqlCatalog::sessionByTokenHash(const QByteArray &tokenHash, const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    const auto mapper = [&](const Statement &st) {
        Session s;
        s.tokenHash = tokenHash;
        s.userId = st.value(0).toLongLong();
        s.createdAt = sql::timeFrom(st.value(1));
        s.expiresAt = sql::timeFrom(st.value(2));
        s.lastSeen = sql::timeFrom(st.value(3));
        s.peer = st.value(4).toString();
        return s;
    };
    // A read first: every authenticated request looks its session up, and a write each time would
    // queue every console request behind uploads. last_seen is refreshed at most once a minute.
    auto found = sql::selectOne<Session>(*d,
        QStringLiteral("SELECT user_id, created_at, expires_at, last_seen, peer FROM sessions "
                       "WHERE token_hash = ? AND expires_at > ?"),
        QStringLiteral("session"), {sql::bytes(tokenHash), sql::timeValue(now)}, mapper);
    if (!found || found->lastSeen.msecsTo(now) < kSessionTouchIntervalMs)
        return found;
    return sql::inWriteTransaction(*d, writeMutex(), QStringLiteral("find session"), [&] {
        return sql::selectOne<Session>(*d,
            QStringLiteral("UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND expires_at > ? "
                           "RETURNING user_id, created_at, expires_at, last_seen, peer"),
            QStringLiteral("session"), {sql::timeValue(now), sql::bytes(tokenHash), sql::timeValue(now)}, mapper);
    });
}

Status SqlCatalog::removeSession(const QByteArray &tokenHash)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("remove session");
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::run(
            *d, QStringLiteral("DELETE FROM sessions WHERE token_hash = ?"), what, {sql::bytes(tokenHash)});
        return st ? Status() : Status(st.error());
    });
}

Status SqlCatalog::removeExpiredSessions(const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("remove expired sessions");
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto st = Statement::run(
            *d, QStringLiteral("DELETE FROM sessions WHERE expires_at <= ?"), what, {sql::timeValue(now)});
        return st ? Status() : Status(st.error());
    });
}

} // namespace cairn::server
