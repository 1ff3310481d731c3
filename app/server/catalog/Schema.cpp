// The catalog's migrations and the code that applies them (see Schema.h). Runs on the thread that
// opens the catalog, with that thread's connection.
//
// Conventions: ids are 64-bit row ids; times are BIGINT milliseconds since the epoch (UTC); JSON
// objects and lists are TEXT; hashes and ids are byte strings. Migrations are never edited once
// released: a change is a new migration appended to the list.
#include "catalog/Schema.h"

#include "catalog/SqlSupport.h"

#include <QDateTime>
#include <QSqlQuery>

namespace cairn::server::schema {

namespace {

Migration version1()
{
    Migration m;
    m.version = 1;
    m.statements = {
        QStringLiteral("CREATE TABLE schema_version ("
                       " version INTEGER PRIMARY KEY,"
                       " applied_at BIGINT NOT NULL)"),

        // pack_seq: the last pack sequence number handed out (addPack increments it in the same
        // transaction); chunk_count: rows of this tenant in chunks, kept by every write to chunks
        // so that usage() need not count millions of rows.
        QStringLiteral("CREATE TABLE tenants ("
                       " id {id},"
                       " name TEXT NOT NULL UNIQUE,"
                       " time_zone TEXT NOT NULL,"
                       " language TEXT NOT NULL,"
                       " report_recipients TEXT NOT NULL,"
                       " activated_at BIGINT,"
                       " created_at BIGINT NOT NULL,"
                       " wrapped_keys {bytes} NOT NULL,"
                       " repository_config TEXT NOT NULL,"
                       " pack_seq BIGINT NOT NULL DEFAULT 0,"
                       " chunk_count BIGINT NOT NULL DEFAULT 0)"),

        QStringLiteral("CREATE TABLE users ("
                       " id {id},"
                       " tenant_id BIGINT REFERENCES tenants(id),"
                       " login TEXT NOT NULL UNIQUE,"
                       " display_name TEXT NOT NULL,"
                       " email TEXT NOT NULL,"
                       " role TEXT NOT NULL,"
                       " password_hash {bytes} NOT NULL,"
                       " created_at BIGINT NOT NULL,"
                       " disabled INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX users_by_tenant ON users (tenant_id, login)"),

        QStringLiteral("CREATE TABLE sessions ("
                       " token_hash {bytes} PRIMARY KEY,"
                       " user_id BIGINT NOT NULL REFERENCES users(id),"
                       " created_at BIGINT NOT NULL,"
                       " expires_at BIGINT NOT NULL,"
                       " last_seen BIGINT NOT NULL,"
                       " peer TEXT NOT NULL) {norowid}"),
        QStringLiteral("CREATE INDEX sessions_by_expiry ON sessions (expires_at)"),

        QStringLiteral("CREATE TABLE agents ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " name TEXT NOT NULL,"
                       " hostname TEXT NOT NULL,"
                       " os TEXT NOT NULL,"
                       " version TEXT NOT NULL,"
                       " token_hash {bytes} NOT NULL UNIQUE,"
                       " enrolled_at BIGINT NOT NULL,"
                       " last_seen BIGINT,"
                       " removed_at BIGINT)"),
        QStringLiteral("CREATE INDEX agents_by_tenant ON agents (tenant_id, name)"),

        // A code is single use: used_at and agent_id are set when it enrolls an agent.
        QStringLiteral("CREATE TABLE enrollment_codes ("
                       " code_hash {bytes} PRIMARY KEY,"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " created_at BIGINT NOT NULL,"
                       " expires_at BIGINT NOT NULL,"
                       " used_at BIGINT,"
                       " agent_id BIGINT REFERENCES agents(id)) {norowid}"),

        // paths: JSON array of base64 byte strings; excludes: JSON array of globs.
        QStringLiteral("CREATE TABLE policies ("
                       " agent_id BIGINT PRIMARY KEY REFERENCES agents(id),"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " paths TEXT NOT NULL,"
                       " excludes TEXT NOT NULL,"
                       " one_file_system INTEGER NOT NULL,"
                       " interval_days INTEGER NOT NULL,"
                       " weekday INTEGER NOT NULL,"
                       " hour INTEGER NOT NULL,"
                       " retention_days INTEGER NOT NULL,"
                       " updated_at BIGINT NOT NULL)"),

        QStringLiteral("CREATE TABLE jobs ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " agent_id BIGINT NOT NULL REFERENCES agents(id),"
                       " kind TEXT NOT NULL,"
                       " state TEXT NOT NULL,"
                       " scheduled_at BIGINT NOT NULL,"
                       " started_at BIGINT,"
                       " finished_at BIGINT,"
                       " progress TEXT NOT NULL,"
                       " stats TEXT NOT NULL,"
                       " spec TEXT NOT NULL,"
                       " snapshot_id TEXT NOT NULL,"
                       " error TEXT NOT NULL,"
                       " requested_by TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX jobs_by_tenant ON jobs (tenant_id, id)"),
        QStringLiteral("CREATE INDEX jobs_by_agent ON jobs (tenant_id, agent_id, id DESC)"),
        QStringLiteral("CREATE INDEX jobs_by_state ON jobs (tenant_id, state, id)"),
        QStringLiteral("CREATE INDEX jobs_by_agent_state ON jobs (agent_id, state, scheduled_at)"),
        QStringLiteral("CREATE INDEX jobs_by_schedule ON jobs (scheduled_at)"),
        QStringLiteral("CREATE INDEX jobs_by_tenant_schedule ON jobs (tenant_id, scheduled_at)"),

        QStringLiteral("CREATE TABLE snapshots ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " snapshot_id {bytes} NOT NULL,"
                       " agent_id BIGINT NOT NULL REFERENCES agents(id),"
                       " job_id BIGINT REFERENCES jobs(id),"
                       " taken_at BIGINT NOT NULL,"
                       " finished_at BIGINT,"
                       " hostname TEXT NOT NULL,"
                       " paths TEXT NOT NULL,"
                       " root_tree {bytes} NOT NULL,"
                       " stats TEXT NOT NULL,"
                       " record_size BIGINT NOT NULL,"
                       " UNIQUE (tenant_id, snapshot_id))"),
        QStringLiteral("CREATE INDEX snapshots_by_tenant ON snapshots (tenant_id, id)"),
        QStringLiteral("CREATE INDEX snapshots_by_agent ON snapshots (tenant_id, agent_id, id)"),

        // UNIQUE (tenant_id, seq) is also the index packsAfter() walks.
        QStringLiteral("CREATE TABLE packs ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " pack_id {bytes} NOT NULL,"
                       " size BIGINT NOT NULL,"
                       " seq BIGINT NOT NULL,"
                       " created_at BIGINT NOT NULL,"
                       " UNIQUE (tenant_id, pack_id),"
                       " UNIQUE (tenant_id, seq))"),

        // Each tenant's chunk index: the first location of every blob. pack is packs.id.
        QStringLiteral("CREATE TABLE chunks ("
                       " tenant_id BIGINT NOT NULL,"
                       " chunk_id {bytes} NOT NULL,"
                       " pack BIGINT NOT NULL REFERENCES packs(id),"
                       " blob_type INTEGER NOT NULL,"
                       " blob_offset BIGINT NOT NULL,"
                       " blob_length BIGINT NOT NULL,"
                       " raw_length BIGINT NOT NULL,"
                       " PRIMARY KEY (tenant_id, chunk_id)) {norowid}"),
        QStringLiteral("CREATE INDEX chunks_by_pack ON chunks (pack, blob_offset)"),

        QStringLiteral("CREATE TABLE restore_tickets ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " agent_id BIGINT NOT NULL REFERENCES agents(id),"
                       " requested_by BIGINT NOT NULL REFERENCES users(id),"
                       " state TEXT NOT NULL,"
                       " request TEXT NOT NULL,"
                       " created_at BIGINT NOT NULL,"
                       " due_at BIGINT)"),
        QStringLiteral("CREATE INDEX restore_tickets_by_tenant ON restore_tickets (tenant_id, id)"),

        // No foreign keys: the audit log outlives what it mentions.
        QStringLiteral("CREATE TABLE audit_log ("
                       " id {id},"
                       " occurred_at BIGINT NOT NULL,"
                       " tenant_id BIGINT,"
                       " user_id BIGINT,"
                       " agent_id BIGINT,"
                       " action TEXT NOT NULL,"
                       " object TEXT NOT NULL,"
                       " detail TEXT NOT NULL,"
                       " peer TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX audit_by_tenant ON audit_log (tenant_id, id)"),
    };
    return m;
}

// Agent-run schedules and jobs the agent creates itself (issue 4): commands around a backup and
// an upload limit in the policy, cancelling running jobs, what the agent reports of its system,
// and the lookup of a schedule slot's job (addScheduledJob).
Migration version2()
{
    Migration m;
    m.version = 2;
    m.statements = {
        QStringLiteral("ALTER TABLE policies ADD COLUMN pre_command TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE policies ADD COLUMN post_command TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE policies ADD COLUMN command_timeout_s INTEGER NOT NULL DEFAULT 3600"),
        QStringLiteral("ALTER TABLE policies ADD COLUMN continue_on_pre_failure INTEGER NOT NULL DEFAULT 0"),
        // KiB/s; 0 = unlimited
        QStringLiteral("ALTER TABLE policies ADD COLUMN bandwidth_limit_kib INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE agents ADD COLUMN kernel TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("ALTER TABLE agents ADD COLUMN architecture TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE INDEX jobs_by_agent_request ON jobs (agent_id, requested_by, scheduled_at)"),
    };
    return m;
}

// The server's own schedule bookkeeping (issue 5): a run still going 3 hours after its slot is
// flagged late; the sweeps look jobs up by state and time across tenants.
Migration version3()
{
    Migration m;
    m.version = 3;
    m.statements = {
        QStringLiteral("ALTER TABLE jobs ADD COLUMN late INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("CREATE INDEX jobs_by_state_schedule ON jobs (state, scheduled_at)"),
    };
    return m;
}

// Operators' changes to the business calendar of restore tickets (issue 5): a day off added (an
// election day) or a shipped holiday worked. day: YYYY-MM-DD in Asia/Seoul.
Migration version4()
{
    Migration m;
    m.version = 4;
    m.statements = {
        QStringLiteral("CREATE TABLE calendar_days ("
                       " day TEXT PRIMARY KEY,"
                       " closed INTEGER NOT NULL,"
                       " note TEXT NOT NULL,"
                       " changed_by TEXT NOT NULL,"
                       " changed_at BIGINT NOT NULL) {norowid}"),
    };
    return m;
}

// Service operations (issue 5): the mail outbox and what feeds it, usage samples and monthly
// statements, operator settings, the restore ticket workflow with its message thread, garbage
// collection's pack states, and verify runs.
Migration version5()
{
    Migration m;
    m.version = 5;
    m.statements = {
        // One row per message and recipient; kept after sending (sent_at) as the record of what
        // went out. dedup_key makes queueing idempotent (e.g. "job-failed:<job>:<address>").
        // state: queued | sent | failed (a permanent refusal, or attempts exhausted).
        QStringLiteral("CREATE TABLE mail_outbox ("
                       " id {id},"
                       " tenant_id BIGINT,"
                       " kind TEXT NOT NULL,"
                       " dedup_key TEXT NOT NULL UNIQUE,"
                       " recipient TEXT NOT NULL,"
                       " subject TEXT NOT NULL,"
                       " message {bytes} NOT NULL,"
                       " state TEXT NOT NULL,"
                       " created_at BIGINT NOT NULL,"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " next_attempt_at BIGINT NOT NULL,"
                       " sent_at BIGINT,"
                       " last_error TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at)"),
        // A finished job's failure mail is queued once: notified 0 → 1. Jobs finished before this
        // migration are not mailed about.
        QStringLiteral("ALTER TABLE jobs ADD COLUMN notified INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("UPDATE jobs SET notified = 1"),
        QStringLiteral("CREATE INDEX jobs_to_notify ON jobs (notified, state)"),
        // Daily report: local time HH:MM in the tenant's zone; the last local day reported.
        QStringLiteral("ALTER TABLE tenants ADD COLUMN report_time TEXT NOT NULL DEFAULT '09:00'"),
        QStringLiteral("ALTER TABLE tenants ADD COLUMN last_report_day TEXT NOT NULL DEFAULT ''"),
        // JSON object: recipient address → "ko" | "en" (absent: the tenant's language).
        QStringLiteral("ALTER TABLE tenants ADD COLUMN recipient_languages TEXT NOT NULL DEFAULT '{}'"),

        // Operator settings (prices, ...): key → JSON value.
        QStringLiteral("CREATE TABLE settings ("
                       " name TEXT PRIMARY KEY,"
                       " value TEXT NOT NULL,"
                       " changed_by TEXT NOT NULL,"
                       " changed_at BIGINT NOT NULL) {norowid}"),
        // One sample per tenant and local day: the tenant's stored bytes that day.
        QStringLiteral("CREATE TABLE usage_samples ("
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " day TEXT NOT NULL,"
                       " stored_bytes BIGINT NOT NULL,"
                       " sampled_at BIGINT NOT NULL,"
                       " PRIMARY KEY (tenant_id, day)) {norowid}"),
        // month: YYYY-MM; body: the statement's JSON (billing/Billing.h Statement::toJson).
        QStringLiteral("CREATE TABLE statements ("
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " month TEXT NOT NULL,"
                       " body TEXT NOT NULL,"
                       " created_at BIGINT NOT NULL,"
                       " PRIMARY KEY (tenant_id, month)) {norowid}"),

        QStringLiteral("ALTER TABLE restore_tickets ADD COLUMN assigned_to BIGINT"),
        QStringLiteral("ALTER TABLE restore_tickets ADD COLUMN job_id BIGINT"),
        QStringLiteral("ALTER TABLE restore_tickets ADD COLUMN updated_at BIGINT"),
        QStringLiteral("ALTER TABLE restore_tickets ADD COLUMN finished_at BIGINT"),
        QStringLiteral("ALTER TABLE restore_tickets ADD COLUMN resolution TEXT NOT NULL DEFAULT ''"),
        QStringLiteral("CREATE INDEX restore_tickets_by_state ON restore_tickets (state, id)"),
        QStringLiteral("CREATE TABLE ticket_messages ("
                       " id {id},"
                       " tenant_id BIGINT NOT NULL REFERENCES tenants(id),"
                       " ticket_id BIGINT NOT NULL REFERENCES restore_tickets(id),"
                       " user_id BIGINT REFERENCES users(id),"
                       " body TEXT NOT NULL,"
                       " created_at BIGINT NOT NULL)"),
        QStringLiteral("CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, id)"),

        // Garbage collection: a condemned pack is out of the index (its chunk rows moved to
        // condemned_chunks, agents told through the feed) but its file stays until it is safe to
        // delete; a deleted pack keeps its row as a tombstone the feed reports.
        QStringLiteral("ALTER TABLE packs ADD COLUMN condemned_at BIGINT"),
        QStringLiteral("ALTER TABLE packs ADD COLUMN deleted_at BIGINT"),
        QStringLiteral("CREATE TABLE condemned_chunks ("
                       " tenant_id BIGINT NOT NULL,"
                       " chunk_id {bytes} NOT NULL,"
                       " pack BIGINT NOT NULL REFERENCES packs(id),"
                       " blob_type INTEGER NOT NULL,"
                       " blob_offset BIGINT NOT NULL,"
                       " blob_length BIGINT NOT NULL,"
                       " raw_length BIGINT NOT NULL,"
                       " PRIMARY KEY (pack, chunk_id)) {norowid}"),
        QStringLiteral("CREATE INDEX condemned_chunks_by_chunk ON condemned_chunks (tenant_id, chunk_id)"),
        QStringLiteral("CREATE INDEX packs_condemned ON packs (tenant_id, condemned_at)"),

        // Verify runs: packs re-read and checked against their SHA-256 ids. findings: JSON list.
        QStringLiteral("CREATE TABLE verify_runs ("
                       " id {id},"
                       " tenant_id BIGINT,"
                       " started_at BIGINT NOT NULL,"
                       " finished_at BIGINT,"
                       " packs INTEGER NOT NULL DEFAULT 0,"
                       " bytes BIGINT NOT NULL DEFAULT 0,"
                       " problems INTEGER NOT NULL DEFAULT 0,"
                       " findings TEXT NOT NULL DEFAULT '[]',"
                       " requested_by TEXT NOT NULL)"),
    };
    return m;
}

// The console's views (issue 6): the bytes a run stored (stats.bytes_stored) as a column of jobs
// and snapshots, computed from the JSON (never written by hand), so that the dashboard sums them
// from indexes alone; and indexes for sorting the history by each of its columns with keyset
// pages, for the operators' health view (failed runs by finish time) and for reading a tenant's
// policies at once.
Migration version6()
{
    Migration m;
    m.version = 6;
    m.statements = {
        QStringLiteral("ALTER TABLE jobs ADD COLUMN bytes_stored BIGINT {stored_bytes_of_stats}"),
        QStringLiteral("ALTER TABLE snapshots ADD COLUMN bytes_stored BIGINT {stored_bytes_of_stats}"),
        // Sorting by finish time and summing what finished in a period (covering: id and bytes).
        QStringLiteral("CREATE INDEX jobs_by_tenant_finish ON jobs (tenant_id, finished_at, id, bytes_stored)"),
        QStringLiteral("CREATE INDEX jobs_by_tenant_start ON jobs (tenant_id, started_at, id)"),
        QStringLiteral("CREATE INDEX jobs_by_tenant_kind ON jobs (tenant_id, kind, id)"),
        QStringLiteral("CREATE INDEX jobs_by_state_finish ON jobs (state, finished_at)"),
        QStringLiteral("CREATE INDEX snapshots_stored_by_agent ON snapshots (tenant_id, agent_id, bytes_stored)"),
        QStringLiteral("CREATE INDEX policies_by_tenant ON policies (tenant_id)"),
    };
    return m;
}

} // namespace

const std::vector<Migration> &catalogMigrations()
{
    static const std::vector<Migration> migrations
        = {version1(), version2(), version3(), version4(), version5(), version6()};
    return migrations;
}

int latestVersion()
{
    return catalogMigrations().back().version;
}

QString dialectSql(const QSqlDatabase &db, const QString &sql)
{
    QString out = sql;
    if (db.driverName() == QLatin1String("QPSQL")) {
        out.replace(QLatin1String("{id}"), QLatin1String("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
        out.replace(QLatin1String("{bytes}"), QLatin1String("BYTEA"));
        out.replace(QLatin1String(" {norowid}"), QString());
        // (PostgreSQL keeps generated columns stored; stats is JSON text.)
        out.replace(QLatin1String("{stored_bytes_of_stats}"),
            QLatin1String("GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(NULLIF(stats, '')::jsonb -> 'bytes_stored') = 'number' "
                          "THEN (NULLIF(stats, '')::jsonb ->> 'bytes_stored')::numeric::bigint END) STORED"));
    } else {
        out.replace(QLatin1String("{id}"), QLatin1String("INTEGER PRIMARY KEY"));
        out.replace(QLatin1String("{bytes}"), QLatin1String("BLOB"));
        out.replace(QLatin1String("{norowid}"), QLatin1String("WITHOUT ROWID"));
        // A virtual column (SQLite cannot add a stored one); indexes keep its value. Text that is not
        // JSON, or a value that is not a number, gives NULL or 0 instead of failing the write.
        out.replace(QLatin1String("{stored_bytes_of_stats}"),
            QLatin1String("GENERATED ALWAYS AS (CASE WHEN json_valid(stats) "
                          "THEN CAST(json_extract(stats, '$.bytes_stored') AS INTEGER) END) VIRTUAL"));
    }
    return out;
}

Result<int> currentVersion(const QSqlDatabase &db, Start start)
{
    const QString what = QStringLiteral("read catalog schema version");
    if (!db.tables().contains(QLatin1String("schema_version"))) {
        if (start == Start::Empty)
            return 0;
        return Error(ErrorCode::Corrupt,
            QStringLiteral("%1 is not a Cairn catalog: it has no schema_version table").arg(db.databaseName()));
    }
    auto st = sql::Statement::run(db, QStringLiteral("SELECT MAX(version) FROM schema_version"), what);
    if (!st)
        return st.error();
    if (!st->next() || st->value(0).isNull())
        return Error(ErrorCode::Corrupt,
            QStringLiteral("catalog %1 is damaged: schema_version is empty").arg(db.databaseName()));
    return st->value(0).toInt();
}

Status migrate(const QSqlDatabase &db, const std::vector<Migration> &migrations, Start start)
{
    auto version = currentVersion(db, start);
    if (!version)
        return version.error();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (*version > latest)
        return Error(ErrorCode::Unsupported,
            QStringLiteral("catalog %1 has schema version %2, newer than this cairn-server supports (%3); "
                           "run a newer cairn-server")
                .arg(db.databaseName())
                .arg(*version)
                .arg(latest));
    for (const Migration &m : migrations) {
        if (m.version <= *version)
            continue;
        const QString what
            = QStringLiteral("migrate catalog %1 to schema version %2").arg(db.databaseName()).arg(m.version);
        sql::Transaction tx(db, sql::Transaction::Kind::Write, what);
        CAIRN_TRY(tx.begin());
        // Another process may have migrated while this one waited for the write lock.
        auto now = currentVersion(db, start);
        if (!now)
            return now.error();
        if (*now >= m.version)
            continue;
        for (const QString &statement : m.statements) {
            QSqlQuery q(db);
            if (!q.exec(dialectSql(db, statement)))
                return sql::errorFrom(q.lastError(), what);
        }
        auto mark
            = sql::Statement::run(db, QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"),
                what, {m.version, QDateTime::currentMSecsSinceEpoch()});
        if (!mark)
            return mark.error();
        mark->finish();
        CAIRN_TRY(tx.commit());
        *version = m.version;
    }
    return {};
}

} // namespace cairn::server::schema
