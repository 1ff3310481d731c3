// SqlCatalog: the Catalog on QtSql with the QSQLITE driver (the SQL is kept portable so that a
// PostgreSQL catalog can follow; see Schema.h for what differs).
//
// Threads: every method may be called from any thread, concurrently. Each calling thread gets its
// own named connection (SqlConnections), opened on first use; SQLite in WAL mode lets readers run
// beside the one writer, and writers queue on BEGIN IMMEDIATE through a 15 s busy timeout. The
// catalog must be destroyed on the thread that created it, after every thread that used it has
// stopped calling it; destruction closes and removes every connection.
//
// Writes that touch more than one row run in one transaction and roll back on any error. Errors:
// SQL failures → Io (Transient when the database stayed busy), a value that breaks a unique login
// or name → InvalidArgument, another tenant's row → NotFound exactly like a missing one.
#pragma once

#include "catalog/Catalog.h"

#include <QSqlDatabase>

#include <memory>
#include <mutex>

namespace cairn::server {

class SqlConnections;

class SqlCatalog final : public Catalog {
public:
    enum class OpenMode {
        CreateNew, // create the file (refused if it exists) and its schema
        OpenExisting, // open an existing catalog (NotFound if the file is missing)
    };
    // Both modes apply pending migrations. Corrupt for a file that is not a SQLite database or has
    // no schema_version table; Unsupported for a catalog written by a newer cairn-server.
    static Result<std::unique_ptr<SqlCatalog>> open(const QString &path, OpenMode mode);
    ~SqlCatalog() override;

    const QString &path() const { return m_path; }
    // Connections currently open, one per thread that has used the catalog (diagnostics, tests).
    int openConnectionCount() const;

    int schemaVersion() override; // -1 if it cannot be read

    Result<Tenant> addTenant(const Tenant &tenant) override;
    Result<Tenant> tenant(qint64 id) override;
    Result<Tenant> tenantByName(const QString &name) override;
    Result<QList<Tenant>> tenants() override;
    Status updateTenantSettings(const Tenant &tenant) override;

    Result<User> addUser(const User &user) override;
    Result<User> user(qint64 id) override;
    Result<User> userByLogin(const QString &login) override;
    Result<QList<User>> users(std::optional<qint64> tenantId) override;

    Status addSession(const Session &session) override;
    Result<Session> sessionByTokenHash(const QByteArray &tokenHash, const QDateTime &now) override;
    Status removeSession(const QByteArray &tokenHash) override;
    Status removeExpiredSessions(const QDateTime &now) override;

    Status addEnrollmentCode(const EnrollmentCode &code) override;
    Result<Agent> enrollAgent(const QByteArray &codeHash, const Agent &agent, const QDateTime &now) override;

    Result<Agent> agentByTokenHash(const QByteArray &tokenHash) override;
    Result<Agent> agent(qint64 tenantId, qint64 agentId) override;
    Result<QList<Agent>> agents(qint64 tenantId) override;
    Status renameAgent(qint64 tenantId, qint64 agentId, const QString &name) override;
    Status removeAgent(qint64 tenantId, qint64 agentId, const QDateTime &when) override;
    Status touchAgent(qint64 agentId, const QDateTime &when, const QString &version) override;

    Result<Policy> policy(qint64 tenantId, qint64 agentId) override;
    Status setPolicy(qint64 tenantId, qint64 agentId, const Policy &policy) override;

    Result<Job> addJob(const Job &job) override;
    Result<Job> job(qint64 tenantId, qint64 jobId) override;
    Result<Page<Job>> jobs(const JobFilter &filter) override;
    Result<QList<Job>> pendingJobs(qint64 tenantId, qint64 agentId) override;
    Result<Job> updateJob(qint64 tenantId, qint64 agentId, const JobUpdate &update) override;
    Result<AddedJob> addScheduledJob(const Job &job) override;
    Result<QList<Job>> markMissedJobs(const QDateTime &cutoff, const QDateTime &now) override;
    Result<QList<Job>> markLateJobs(const QDateTime &cutoff) override;
    Result<std::optional<QDateTime>> lastScheduledSlot(qint64 tenantId, qint64 agentId) override;
    Status removeSnapshot(qint64 tenantId, const SnapshotId &id) override;
    Result<QList<CalendarDay>> calendarDays() override;
    Status setCalendarDay(const CalendarDay &day) override;
    Status removeCalendarDay(const QDate &day) override;
    Result<Job> requestCancel(
        qint64 tenantId, qint64 jobId, const QString &requestedBy, const QDateTime &when) override;

    Result<PackRecord> addPack(qint64 tenantId, const PackId &pack, qint64 size, const std::vector<PackEntry> &entries,
        const QDateTime &now = QDateTime()) override;
    Result<std::optional<PackRecord>> pack(qint64 tenantId, const PackId &pack) override;
    Result<QList<PackRecord>> packsAfter(qint64 tenantId, qint64 afterSeq, int limit) override;
    Status forEachBlobInPack(
        qint64 tenantId, const PackId &pack, const std::function<void(const PackEntry &)> &visit) override;
    Result<std::vector<ChunkId>> missingChunks(qint64 tenantId, const std::vector<ChunkId> &ids) override;
    Result<std::optional<ChunkLocation>> locateChunk(qint64 tenantId, const ChunkId &id) override;
    Result<qint64> chunkCount(qint64 tenantId) override;
    Result<TenantUsage> usage(qint64 tenantId) override;

    Result<SnapshotRecord> addSnapshot(const SnapshotRecord &snapshot) override;
    Result<SnapshotRecord> snapshot(qint64 tenantId, const SnapshotId &id) override;
    Result<Page<SnapshotRecord>> snapshots(
        qint64 tenantId, std::optional<qint64> agentId, const PageRequest &page) override;

    Result<RestoreTicket> addRestoreTicket(const RestoreTicket &ticket) override;

    Status addAudit(const AuditEntry &entry) override;
    Result<Page<AuditEntry>> audit(std::optional<qint64> tenantId, const PageRequest &page) override;

    // mail
    Result<bool> enqueueMail(const OutboxMail &mail) override;
    Result<QList<OutboxMail>> dueMail(const QDateTime &now, int limit) override;
    Status markMailSent(qint64 mailId, const QDateTime &when) override;
    Status markMailRetry(qint64 mailId, const QDateTime &next, const QString &error) override;
    Status markMailFailed(qint64 mailId, const QString &error) override;
    Result<QList<Job>> jobsToNotify(int limit) override;
    Result<int> markJobNotified(qint64 tenantId, qint64 jobId, const QList<OutboxMail> &mails) override;
    Result<QString> lastReportDay(qint64 tenantId) override;
    Result<bool> claimReportDay(qint64 tenantId, const QString &day, const QList<OutboxMail> &mails) override;
    Result<Page<OutboxMail>> outbox(
        std::optional<qint64> tenantId, std::optional<MailState> state, const PageRequest &page) override;

    // billing
    Result<OperatorSetting> setting(const QString &name) override;
    Status setSetting(const OperatorSetting &setting) override;
    Status addUsageSample(const UsageSample &sample) override;
    Result<QList<UsageSample>> usageSamples(qint64 tenantId, const QDate &from, const QDate &to) override;
    Result<std::optional<QDate>> lastUsageSampleDay(qint64 tenantId) override;
    Result<QList<AgentPeriod>> agentPeriods(qint64 tenantId) override;
    Result<StoredStatement> statement(qint64 tenantId, const QString &month) override;
    Result<StoredStatement> putStatement(const StoredStatement &statement) override;
    Result<QList<StoredStatement>> statements(std::optional<qint64> tenantId, const std::optional<QString> &month) override;

    // tickets
    Result<TicketRecord> ticketRecord(qint64 tenantId, qint64 ticketId) override;
    Result<Page<TicketRecord>> ticketRecords(const TicketFilter &filter) override;
    Result<QList<TicketRecord>> ticketsDue(
        std::optional<qint64> tenantId, const QDateTime &from, const QDateTime &to) override;
    Result<TicketTransitionResult> transitionTicket(const TicketTransition &t) override;
    Result<QList<TicketRecord>> settleTicketJobs(std::optional<qint64> tenantId, const QDateTime &now) override;
    Result<TicketMessage> addTicketMessage(const TicketMessage &message) override;
    Result<QList<TicketMessage>> ticketMessages(qint64 tenantId, qint64 ticketId) override;

    Result<QList<TicketRecord>> ticketQueue(int limit) override;
    // gc
    Result<QList<GcPackBlobs>> gcCandidatePacks(qint64 tenantId, const QDateTime &createdBefore, qint64 afterSeq,
                                                int limit) override;
    Result<QList<GcPackBlobs>> condemnedPacks(qint64 tenantId) override;
    Status condemnPack(qint64 tenantId, const PackId &pack, const QDateTime &now) override;
    Result<PackRecord> replacePacks(qint64 tenantId, const std::vector<PackId> &sources, const PackId &newPack, qint64 size,
                                    const std::vector<PackEntry> &entries, const QDateTime &now) override;
    Status resurrectPack(qint64 tenantId, const PackId &pack) override;
    Status markPackDeleted(qint64 tenantId, const PackId &pack, const QDateTime &now) override;
    Result<std::optional<ChunkLocation>> locateChunkIncludingCondemned(qint64 tenantId, const ChunkId &id) override;
    Result<std::optional<QDateTime>> earliestRunningJob(qint64 tenantId) override;

    // verify
    Result<VerifyRun> addVerifyRun(const VerifyRun &run) override;
    Result<VerifyRun> verifyRun(qint64 runId) override;
    Result<Page<VerifyRun>> verifyRuns(const PageRequest &page) override;
    Result<QList<VerifyRun>> unfinishedVerifyRuns() override;
    Status updateVerifyRun(const VerifyRun &run) override;
    Result<QList<PackRecord>> packsToVerify(qint64 tenantId, const PackId &after, int limit) override;

    // console views and bulk loads
    Result<JobList> sortedJobs(const JobQuery &query) override;
    Result<qint64> countJobs(const JobQuery &query) override;
    Result<QHash<qint64, Policy>> policies(qint64 tenantId) override;
    Result<QHash<qint64, Job>> latestJobs(qint64 tenantId, LatestJob which) override;
    Result<QList<Job>> runningJobs(qint64 tenantId) override;
    Result<QHash<qint64, qint64>> keptSnapshotBytes(qint64 tenantId) override;
    Result<QList<qint64>> storedBytesFinishedIn(qint64 tenantId, const QList<QDateTime> &bounds) override;
    Result<QList<NamedAgent>> agentsSilentSince(const QDateTime &seenBefore, int limit) override;
    Result<QList<NamedJob>> failedJobsSince(const QDateTime &since, int limit) override;
    Result<ServiceCounts> serviceCounts() override;
    Result<QList<qint64>> importJobs(const QList<Job> &jobs) override;
    Result<QList<qint64>> importSnapshots(const QList<SnapshotRecord> &snapshots) override;

private:
    SqlCatalog(const QString &path, std::shared_ptr<SqlConnections> connections);
    // This thread's connection.
    Result<QSqlDatabase> db();
    // Held by every write transaction of this catalog (see sql::Transaction).
    std::mutex &writeMutex();
    // NotFound unless the agent exists and belongs to the tenant (run inside the caller's
    // transaction).
    Status requireAgent(const QSqlDatabase &db, qint64 tenantId, qint64 agentId, const QString &what);
    // markMailSent/Retry/Failed: one UPDATE of a message still queued (NotFound otherwise).
    Status updateQueuedMail(qint64 mailId, const QString &set, QVariantList values);
    // addPack of a condemned or deleted pack's bytes: the pack is live again (inside addPack's
    // transaction).
    Result<PackRecord> revivePack(const QSqlDatabase &db, qint64 tenantId, const PackId &pack,
                                  const std::vector<PackEntry> &entries, const QDateTime &now);

    QString m_path;
    std::shared_ptr<SqlConnections> m_connections;
};

} // namespace cairn::server
