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
#include <QHash>
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
    // already indexed in another pack keeps its first location. `now` (the server's clock; invalid:
    // the system clock) is its creation time, which garbage collection compares with job times.
    virtual Result<PackRecord> addPack(qint64 tenantId, const PackId &pack, qint64 size,
                                       const std::vector<PackEntry> &entries, const QDateTime &now = QDateTime()) = 0;
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

    // --- mail outbox and report bookkeeping (mail)
    // Queues a message (state queued, attempts 0) unless one with its dedup key exists; true if it
    // was added. InvalidArgument without a dedup key, recipient or message.
    virtual Result<bool> enqueueMail(const OutboxMail &mail) = 0;
    // Queued messages due at `now` (next_attempt_at <= now), soonest first (then oldest), at most
    // `limit` (1..500), with their message bytes.
    virtual Result<QList<OutboxMail>> dueMail(const QDateTime &now, int limit) = 0;
    // The SMTP server accepted a queued message: state sent, sent_at `when`, attempts + 1.
    // NotFound unless the message is queued.
    virtual Status markMailSent(qint64 mailId, const QDateTime &when) = 0;
    // A queued message could not be sent for now: attempts + 1, next_attempt_at `next`,
    // last_error `error`. NotFound unless the message is queued.
    virtual Status markMailRetry(qint64 mailId, const QDateTime &next, const QString &error) = 0;
    // A queued message is given up (permanent refusal): state failed, attempts + 1, last_error.
    // NotFound unless the message is queued.
    virtual Status markMailFailed(qint64 mailId, const QString &error) = 0;
    // Finished backup jobs that failed or were missed and whose failure mail is not queued yet
    // (notified 0), across tenants, oldest first, at most `limit`.
    virtual Result<QList<Job>> jobsToNotify(int limit) = 0;
    // Queues `mails` (idempotent on their dedup keys) and sets the job's notified flag in one
    // transaction, so a crash leaves either both or neither. Returns how many mails were new.
    // NotFound if the job is not the tenant's.
    virtual Result<int> markJobNotified(qint64 tenantId, qint64 jobId, const QList<OutboxMail> &mails) = 0;
    // The last local day (YYYY-MM-DD) whose daily report was queued for the tenant; "" if none.
    virtual Result<QString> lastReportDay(qint64 tenantId) = 0;
    // Claims the tenant's report for `day` (YYYY-MM-DD) if no report of that day or a later one
    // was queued, and queues `mails` in the same transaction. False (nothing queued) if already
    // claimed. NotFound for an unknown tenant.
    virtual Result<bool> claimReportDay(qint64 tenantId, const QString &day, const QList<OutboxMail> &mails) = 0;
    // The outbox for operators, newest first (without message bytes); nullopt tenant/state: all.
    virtual Result<Page<OutboxMail>> outbox(
        std::optional<qint64> tenantId, std::optional<MailState> state, const PageRequest &page) = 0;

    // --- usage samples, statements, operator settings (billing)
    // The operator setting `name`; NotFound if it was never set.
    virtual Result<OperatorSetting> setting(const QString &name) = 0;
    // Sets (or replaces) an operator setting. InvalidArgument without a name.
    virtual Status setSetting(const OperatorSetting &setting) = 0;
    // Records the tenant's stored bytes for a local day. One sample per tenant and day: a later
    // sample of the same day replaces the earlier one (the last sample of the day counts).
    // InvalidArgument for an invalid day or negative bytes; NotFound for an unknown tenant.
    virtual Status addUsageSample(const UsageSample &sample) = 0;
    // The tenant's samples of the days from..to (inclusive), by day.
    virtual Result<QList<UsageSample>> usageSamples(qint64 tenantId, const QDate &from, const QDate &to) = 0;
    // The tenant's latest sampled day, if any.
    virtual Result<std::optional<QDate>> lastUsageSampleDay(qint64 tenantId) = 0;
    // Every server the tenant ever enrolled, removed ones included (billing periods), by id.
    virtual Result<QList<AgentPeriod>> agentPeriods(qint64 tenantId) = 0;
    // The tenant's kept statement of `month` ("YYYY-MM"); NotFound if none is kept.
    virtual Result<StoredStatement> statement(qint64 tenantId, const QString &month) = 0;
    // Keeps a statement once: if the tenant already has one for that month, it stays unchanged and
    // is returned instead (a kept statement is never rewritten). NotFound for an unknown tenant.
    virtual Result<StoredStatement> putStatement(const StoredStatement &statement) = 0;
    // Kept statements, by tenant then month: of one tenant (nullopt: all) and one month
    // (nullopt: all months).
    virtual Result<QList<StoredStatement>> statements(std::optional<qint64> tenantId, const std::optional<QString> &month) = 0;

    // --- restore ticket workflow and messages (tickets)
    // The ticket with its workflow columns. NotFound if the tenant has no such ticket.
    virtual Result<TicketRecord> ticketRecord(qint64 tenantId, qint64 ticketId) = 0;
    // Tickets newest first, of one tenant or of all, optionally in one state.
    virtual Result<Page<TicketRecord>> ticketRecords(const TicketFilter &filter) = 0;
    // The operators' queue: open tickets (submitted, accepted, running) of every tenant, soonest
    // due first (tickets without a due time last), at most `limit` (1–500).
    virtual Result<QList<TicketRecord>> ticketQueue(int limit) = 0;
    // Tickets (of one tenant or all) whose due time lies in [from, to), for the SLA report.
    virtual Result<QList<TicketRecord>> ticketsDue(std::optional<qint64> tenantId, const QDateTime &from,
                                                   const QDateTime &to) = 0;
    // Moves a ticket from one of `t.from` to `t.to` in one write transaction, with the assignment,
    // resolution, job and message it names, so that two operators cannot both make the same
    // move: the loser gets applied == false and the ticket as it is. NotFound if the tenant has
    // no such ticket (or the job's agent is not the tenant's).
    virtual Result<TicketTransitionResult> transitionTicket(const TicketTransition &t) = 0;
    // Running tickets (of one tenant or all) whose restore job has finished follow it, each in a
    // guarded UPDATE: succeeded or warning → completed (finished_at the job's end, resolution
    // from its result); failed, cancelled or missed → accepted, with a message from the system
    // quoting the job's error so that an operator retries or rejects. Returns the tickets moved.
    virtual Result<QList<TicketRecord>> settleTicketJobs(std::optional<qint64> tenantId, const QDateTime &now) = 0;
    // Adds a message to the thread (id and created_at set). NotFound if the tenant has no such ticket.
    virtual Result<TicketMessage> addTicketMessage(const TicketMessage &message) = 0;
    // The thread, oldest first. NotFound if the tenant has no such ticket.
    virtual Result<QList<TicketMessage>> ticketMessages(qint64 tenantId, qint64 ticketId) = 0;

    // --- garbage collection (gc; ops/GarbageCollector.h). packsAfter() lists condemned packs and
    // tombstones too (the index feed reports them as removed); pack() finds them as well.
    // Live packs GC may condemn or repack: created before `createdBefore`, sequence > afterSeq,
    // ascending, at most `limit` (≤ 1000), each with its rows in the index.
    virtual Result<QList<GcPackBlobs>> gcCandidatePacks(qint64 tenantId, const QDateTime &createdBefore,
                                                        qint64 afterSeq, int limit) = 0;
    // Condemned packs not yet deleted, with their kept rows.
    virtual Result<QList<GcPackBlobs>> condemnedPacks(qint64 tenantId) = 0;
    // Takes a live pack out of the index: its rows move to the condemned rows and it gets the
    // tenant's next sequence number and condemned_at. InvalidArgument unless the pack is live.
    virtual Status condemnPack(qint64 tenantId, const PackId &pack, const QDateTime &now) = 0;
    // Repacking: `newPack` (already durable in the store) takes over the index rows of `entries`
    // (at their new offsets) and every source is condemned with the rows left, in one transaction;
    // the sources' new sequence numbers come before the new pack's. InvalidArgument if a source is
    // not live, the new pack is known, or an entry is not located in a source.
    virtual Result<PackRecord> replacePacks(qint64 tenantId, const std::vector<PackId> &sources, const PackId &newPack,
                                            qint64 size, const std::vector<PackEntry> &entries, const QDateTime &now) = 0;
    // Puts a condemned pack back into the index (a snapshot needs one of its blobs after all): its
    // rows return where the chunk has no other location; it gets a new sequence number.
    virtual Status resurrectPack(qint64 tenantId, const PackId &pack) = 0;
    // A condemned pack whose file was removed becomes a tombstone (its kept rows go).
    virtual Status markPackDeleted(qint64 tenantId, const PackId &pack, const QDateTime &now) = 0;
    // A chunk's location in the index, else among the rows of condemned (not deleted) packs.
    virtual Result<std::optional<ChunkLocation>> locateChunkIncludingCondemned(qint64 tenantId, const ChunkId &id) = 0;
    // The earliest start of the tenant's running jobs (backups, and restores: both work from an
    // index cache synced when they started), if any runs.
    virtual Result<std::optional<QDateTime>> earliestRunningJob(qint64 tenantId) = 0;

    // --- verify runs (verify)
    // Records a requested run (packs, bytes, problems 0, no findings); returns it with its id.
    // NotFound for an unknown tenant.
    virtual Result<VerifyRun> addVerifyRun(const VerifyRun &run) = 0;
    // NotFound for an unknown run.
    virtual Result<VerifyRun> verifyRun(qint64 runId) = 0;
    // Runs, newest first.
    virtual Result<Page<VerifyRun>> verifyRuns(const PageRequest &page) = 0;
    // Runs not finished yet (queued, or interrupted by a restart), oldest first.
    virtual Result<QList<VerifyRun>> unfinishedVerifyRuns() = 0;
    // Stores a run's progress, findings and finish time. NotFound for an unknown run.
    virtual Status updateVerifyRun(const VerifyRun &run) = 0;
    // The tenant's packs that should have a file (garbage collection's deleted ones are
    // skipped; condemned ones are included) with ids after `after` (a null id: from the first),
    // ordered by id (stable while garbage collection renumbers packs), at most `limit`.
    virtual Result<QList<PackRecord>> packsToVerify(qint64 tenantId, const PackId &after, int limit) = 0;

    // --- console views and bulk loads (SqlCatalogConsole.cpp): each answers with a constant number
    // of statements, whatever the number of servers, so that the console's views stay fast.
    // Jobs in the query's order, keyset-paged (see JobSortKey); at most filter.page.limit (1–500).
    virtual Result<JobList> sortedJobs(const JobQuery &query) = 0;
    // How many jobs match the query's filters (its order and cursor do not matter).
    virtual Result<qint64> countJobs(const JobQuery &query) = 0;
    // The policies of the tenant's servers, by agent id (servers without one are absent).
    virtual Result<QHash<qint64, Policy>> policies(qint64 tenantId) = 0;
    enum class LatestJob {
        Any,            // the newest job of any kind and state (GET /servers' last_job)
        FinishedBackup, // the newest finished backup: its last result (the dashboard)
    };
    // Per registered (not removed) server of the tenant that has such a job: that job, by agent id.
    virtual Result<QHash<qint64, Job>> latestJobs(qint64 tenantId, LatestJob which) = 0;
    // The tenant's running jobs, oldest first.
    virtual Result<QList<Job>> runningJobs(qint64 tenantId) = 0;
    // Per server (agent id, removed ones included): the sum of bytes_stored (stats) of its
    // snapshots still kept, i.e. the new data its backups with a snapshot that retention has not
    // removed yet stored after deduplication and compression.
    virtual Result<QHash<qint64, qint64>> keptSnapshotBytes(qint64 tenantId) = 0;
    // For each period [bounds[i], bounds[i+1]) (ascending instants, 2–367 of them): the sum of
    // bytes_stored (stats) of the tenant's jobs that finished in it (only backups report it).
    virtual Result<QList<qint64>> storedBytesFinishedIn(qint64 tenantId, const QList<QDateTime> &bounds) = 0;
    // Registered servers of every tenant last seen (or, never seen, enrolled) before `seenBefore`,
    // the most recently seen first, at most `limit`.
    virtual Result<QList<NamedAgent>> agentsSilentSince(const QDateTime &seenBefore, int limit) = 0;
    // Failed or missed jobs of every tenant that finished at or after `since`, newest first, at
    // most `limit`.
    virtual Result<QList<NamedJob>> failedJobsSince(const QDateTime &since, int limit) = 0;
    virtual Result<ServiceCounts> serviceCounts() = 0;
    // Bulk loads (history imports, benchmarks): inserts the rows as given in one transaction and
    // returns their ids in order. Imported jobs count as already mailed about (no failure mail).
    // NotFound (and nothing written) if a row's agent is not its tenant's.
    virtual Result<QList<qint64>> importJobs(const QList<Job> &jobs) = 0;
    virtual Result<QList<qint64>> importSnapshots(const QList<SnapshotRecord> &snapshots) = 0;

    // --- audit log
    virtual Status addAudit(const AuditEntry &entry) = 0;
    virtual Result<Page<AuditEntry>> audit(std::optional<qint64> tenantId, const PageRequest &page) = 0;
};

} // namespace cairn::server
