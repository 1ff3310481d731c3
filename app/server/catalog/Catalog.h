// The catalog: everything the server knows besides pack bytes — tenants, users, sessions,
// agents, policies, jobs, snapshots, each tenant's chunk index and packs, restore tickets and the
// audit log. This is the narrow interface the API consumes; SqlCatalog implements it on QtSql
// (SQLite by default; the SQL is kept portable so PostgreSQL can follow). Every call is
// self-contained (its own transaction where it writes more than one row) and may be made from any
// thread: implementations keep one database connection per thread.
//
// Tenant isolation: every read or write of a tenant's object takes the tenant id and filters by
// it, so a caller that passes the authenticated principal's tenant cannot reach another tenant's
// rows. A row of another tenant is reported exactly like a missing row (NotFound).
#pragma once

#include "catalog/CatalogTypes.h"

#include "base/Id.h"
#include "base/Result.h"
#include "repository/Pack.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace cairn::server {

class Catalog {
public:
    virtual ~Catalog() = default;

    virtual int schemaVersion() = 0;

    // --- tenants
    // InvalidArgument if the name is taken.
    virtual Result<Tenant> addTenant(const Tenant &tenant) = 0;
    virtual Result<Tenant> tenant(qint64 id) = 0;
    virtual Result<Tenant> tenantByName(const QString &name) = 0;
    virtual Result<QList<Tenant>> tenants() = 0;
    virtual Status updateTenantSettings(const Tenant &tenant) = 0; // time zone, language, recipients, activation

    // --- users (operators have no tenant)
    virtual Result<User> addUser(const User &user) = 0; // InvalidArgument if the login is taken
    virtual Result<User> user(qint64 id) = 0;
    virtual Result<User> userByLogin(const QString &login) = 0;
    virtual Result<QList<User>> users(std::optional<qint64> tenantId) = 0; // nullopt: all users

    // --- sessions (tokens are stored as SHA-256 hashes only)
    virtual Status addSession(const Session &session) = 0;
    // NotFound for an unknown or expired token; a found session has its lastSeen updated (at most
    // once a minute, so that a lookup is normally a read).
    virtual Result<Session> sessionByTokenHash(const QByteArray &tokenHash, const QDateTime &now) = 0;
    virtual Status removeSession(const QByteArray &tokenHash) = 0;
    virtual Status removeExpiredSessions(const QDateTime &now) = 0;

    // --- enrollment codes (single use; stored hashed)
    virtual Status addEnrollmentCode(const EnrollmentCode &code) = 0;
    // Consumes the code and creates the agent in one transaction. NotFound if the code is unknown,
    // used or expired.
    virtual Result<Agent> enrollAgent(const QByteArray &codeHash, const Agent &agent, const QDateTime &now) = 0;

    // --- agents (protected servers)
    virtual Result<Agent> agentByTokenHash(const QByteArray &tokenHash) = 0; // removed agents: NotFound
    virtual Result<Agent> agent(qint64 tenantId, qint64 agentId) = 0;
    virtual Result<QList<Agent>> agents(qint64 tenantId) = 0; // registered (not removed), by name
    virtual Status renameAgent(qint64 tenantId, qint64 agentId, const QString &name) = 0;
    // Marks the agent removed (its token stops working); its snapshots stay until retention.
    virtual Status removeAgent(qint64 tenantId, qint64 agentId, const QDateTime &when) = 0;
    virtual Status touchAgent(qint64 agentId, const QDateTime &when, const QString &version) = 0;

    // --- policies (one per agent; NotFound until one is set)
    virtual Result<Policy> policy(qint64 tenantId, qint64 agentId) = 0;
    virtual Status setPolicy(qint64 tenantId, qint64 agentId, const Policy &policy) = 0;

    // --- jobs
    virtual Result<Job> addJob(const Job &job) = 0;
    virtual Result<Job> job(qint64 tenantId, qint64 jobId) = 0;
    virtual Result<Page<Job>> jobs(const JobFilter &filter) = 0;
    // Jobs of this agent waiting to run (state Pending), oldest first.
    virtual Result<QList<Job>> pendingJobs(qint64 tenantId, qint64 agentId) = 0;
    // Moves a job of this agent to `state` (Running, Succeeded, Warning, Failed, Cancelled) and
    // records progress/result fields that are set. NotFound if the job is not this agent's;
    // InvalidArgument if the job is already finished.
    virtual Result<Job> updateJob(qint64 tenantId, qint64 agentId, const JobUpdate &update) = 0;
    // The job of this agent's schedule slot: the existing job with requested_by "schedule" and the
    // same scheduled_at (in whatever state), else a new one inserted as given (requested_by is set
    // to "schedule"). Lookup and insert are one transaction, so concurrent calls for one slot make
    // one job. NotFound if the agent is not the tenant's.
    virtual Result<AddedJob> addScheduledJob(const Job &job) = 0;
    // A user's request to cancel a job: a pending job becomes cancelled at once (finished_at
    // `when`, error "cancelled by <requestedBy>"); a running one gets cancel_requested (the agent
    // learns it from the answer to its next progress report and stops); asking again changes
    // nothing. NotFound if the job is not the tenant's; InvalidArgument (and nothing changes) if it
    // already finished.
    virtual Result<Job> requestCancel(qint64 tenantId, qint64 jobId, const QString &requestedBy,
                                      const QDateTime &when) = 0;
    // The server's sweeps, across tenants. Backup jobs still pending that were due at or before
    // `cutoff` become missed (finished_at `now`, error naming the 3-hour rule); the jobs changed are
    // returned. A job the agent starts in the meantime is not touched (one UPDATE per job, guarded
    // by its state).
    virtual Result<QList<Job>> markMissedJobs(const QDateTime &cutoff, const QDateTime &now) = 0;
    // Running backup jobs due at or before `cutoff` get the late flag; the newly flagged are returned.
    virtual Result<QList<Job>> markLateJobs(const QDateTime &cutoff) = 0;
    // The newest scheduled_at of this agent's schedule jobs ("schedule"), if it has any.
    virtual Result<std::optional<QDateTime>> lastScheduledSlot(qint64 tenantId, qint64 agentId) = 0;

    // --- the business calendar's operator changes (one per day, by date)
    virtual Result<QList<CalendarDay>> calendarDays() = 0;
    virtual Status setCalendarDay(const CalendarDay &day) = 0; // replaces that day's change
    virtual Status removeCalendarDay(const QDate &day) = 0;    // NotFound if the day has none

    // --- packs and the chunk index, per tenant
    // Records a pack and its blobs in one transaction and gives it the tenant's next index
    // sequence number. Re-adding a known pack is a no-op that returns the existing record. A blob
    // already indexed in another pack keeps its first location.
    virtual Result<PackRecord> addPack(qint64 tenantId, const PackId &pack, qint64 size,
                                       const std::vector<PackEntry> &entries) = 0;
    virtual Result<std::optional<PackRecord>> pack(qint64 tenantId, const PackId &pack) = 0;
    // Packs with sequence > afterSeq, ascending, at most `limit`.
    virtual Result<QList<PackRecord>> packsAfter(qint64 tenantId, qint64 afterSeq, int limit) = 0;
    virtual Status forEachBlobInPack(qint64 tenantId, const PackId &pack,
                                     const std::function<void(const PackEntry &)> &visit) = 0;
    // The ids among `ids` that the tenant's index does not hold.
    virtual Result<std::vector<ChunkId>> missingChunks(qint64 tenantId, const std::vector<ChunkId> &ids) = 0;
    virtual Result<std::optional<ChunkLocation>> locateChunk(qint64 tenantId, const ChunkId &id) = 0;
    virtual Result<qint64> chunkCount(qint64 tenantId) = 0;
    virtual Result<TenantUsage> usage(qint64 tenantId) = 0;

    // --- snapshots
    // InvalidArgument if a snapshot with this id already exists for the tenant with other fields.
    virtual Result<SnapshotRecord> addSnapshot(const SnapshotRecord &snapshot) = 0;
    virtual Result<SnapshotRecord> snapshot(qint64 tenantId, const SnapshotId &id) = 0;
    virtual Result<Page<SnapshotRecord>> snapshots(qint64 tenantId, std::optional<qint64> agentId, const PageRequest &page) = 0;
    // Removes a snapshot's row (retention). NotFound if the tenant has no such snapshot.
    virtual Status removeSnapshot(qint64 tenantId, const SnapshotId &id) = 0;

    // --- restore tickets (the workflow comes with the restore issue)
    virtual Result<RestoreTicket> addRestoreTicket(const RestoreTicket &ticket) = 0;
    virtual Result<RestoreTicket> restoreTicket(qint64 tenantId, qint64 ticketId) = 0;
    virtual Result<Page<RestoreTicket>> restoreTickets(std::optional<qint64> tenantId, const PageRequest &page) = 0;

    // --- mail outbox and report bookkeeping (mail)

    // --- usage samples, statements, operator settings (billing)

    // --- restore ticket workflow and messages (tickets)

    // --- garbage collection (gc)

    // --- verify runs (verify)

    // --- audit log
    virtual Status addAudit(const AuditEntry &entry) = 0;
    virtual Result<Page<AuditEntry>> audit(std::optional<qint64> tenantId, const PageRequest &page) = 0;
};

} // namespace cairn::server
