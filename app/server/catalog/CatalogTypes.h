// Value types stored in the catalog (see Catalog.h). Plain structs, thread-agnostic. Ids are the
// catalog's integer row ids; times are UTC QDateTimes (stored as milliseconds since the epoch).
#pragma once

#include "base/Id.h"
#include "repository/Blob.h"
#include "repository/Pack.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace cairn::server {

struct Tenant {
    qint64 id = 0;
    QString name;
    QString timeZone = QStringLiteral("Asia/Seoul"); // IANA name
    QString language = QStringLiteral("ko");         // "ko" or "en": reports and mail
    QStringList reportRecipients;                    // e-mail addresses
    QJsonObject recipientLanguages;                  // address → "ko" | "en"; absent: `language`
    QString reportTime = QStringLiteral("09:00");    // daily report, HH:MM local time
    std::optional<QDateTime> activatedAt;            // start of billing
    QDateTime createdAt;
    QByteArray wrappedKeys;    // KeySet wrapped by the server master key (wrapKeySet)
    QByteArray repositoryConfig; // the tenant repository's config JSON (chunker, compression, pack size)
};

enum class Role { Member, Admin, Operator };
const char *roleName(Role role);               // "member", "admin", "operator"
std::optional<Role> roleFromName(const QString &name);

struct User {
    qint64 id = 0;
    std::optional<qint64> tenantId; // none for operators
    QString login;                  // unique, case-sensitive
    QString displayName;
    QString email;
    Role role = Role::Member;
    QByteArray passwordHash;        // Argon2id encoded string
    QDateTime createdAt;
    bool disabled = false;
};

struct Session {
    QByteArray tokenHash; // SHA-256 of the bearer token
    qint64 userId = 0;
    QDateTime createdAt, expiresAt, lastSeen;
    QString peer;
};

struct EnrollmentCode {
    QByteArray codeHash; // SHA-256 of the code
    qint64 tenantId = 0;
    QDateTime createdAt, expiresAt;
};

struct Agent {
    qint64 id = 0;
    qint64 tenantId = 0;
    QString name;       // display name, renameable; defaults to the hostname
    QString hostname, os, version;
    QString kernel, architecture; // as the agent reported them at enrollment (e.g. "6.1.0-13-amd64", "x86_64")
    QByteArray tokenHash; // SHA-256 of the agent's bearer token
    QDateTime enrolledAt;
    std::optional<QDateTime> lastSeen;
    std::optional<QDateTime> removedAt;
};

struct Policy {
    QList<QByteArray> paths;  // absolute
    QStringList excludes;     // globs
    bool oneFileSystem = true;
    int intervalDays = 1;     // 1 or 7
    int weekday = 1;          // 1 = Monday … 7 = Sunday; used when intervalDays == 7
    int hour = 2;             // 0–23 in the tenant's time zone
    int retentionDays = 30;   // 7, 14, 21 or 30
    // Commands the agent runs as root around each scheduled or manual backup (empty: none).
    QString preCommand, postCommand;
    int commandTimeoutSeconds = 3600; // 1–86400, for each command
    bool continueOnPreFailure = false; // back up even when the pre-command fails
    qint64 bandwidthLimitKib = 0;     // upload limit in KiB/s; 0 = unlimited
    QDateTime updatedAt;
};

enum class JobKind { Backup, Restore };
enum class JobState { Pending, Running, Succeeded, Warning, Failed, Missed, Cancelled };
const char *jobKindName(JobKind kind);
std::optional<JobKind> jobKindFromName(const QString &name);
const char *jobStateName(JobState state);
std::optional<JobState> jobStateFromName(const QString &name);
bool isFinished(JobState state);

struct Job {
    qint64 id = 0;
    qint64 tenantId = 0;
    qint64 agentId = 0;
    JobKind kind = JobKind::Backup;
    JobState state = JobState::Pending;
    QDateTime scheduledAt;    // when it was due
    std::optional<QDateTime> startedAt, finishedAt;
    QJsonObject progress;     // last reported progress (files, bytes, rate, ...)
    QJsonObject stats;        // result statistics (BackupStats fields)
    QJsonObject spec;         // what to do (restore: snapshot, paths, target ...)
    QString snapshotId;       // hex, for a finished backup
    QString error;            // message of a failed job
    QString requestedBy;      // "schedule", "agent", "user:<id>", "operator:<id>"
    bool cancelRequested = false; // a user asked to cancel the running job; the agent stops it
    bool late = false;            // still running 3 hours after it was due (a warning; it completes normally)
};

// What addScheduledJob found or made.
struct AddedJob {
    Job job;
    bool created = false; // false: the job of that slot already existed (in whatever state)
};

struct JobUpdate {
    qint64 jobId = 0;
    JobState state = JobState::Running;
    std::optional<QDateTime> startedAt, finishedAt;
    std::optional<QJsonObject> progress, stats;
    std::optional<QString> snapshotId, error;
};

struct PageRequest {
    int limit = 50;       // 1..500
    qint64 beforeId = 0;  // 0: the newest page; else rows with id < beforeId (keyset pagination)
};

template <typename T>
struct Page {
    QList<T> items;             // newest first
    std::optional<qint64> next; // pass as beforeId for the next (older) page
};

struct JobFilter {
    qint64 tenantId = 0;
    std::optional<qint64> agentId;
    std::optional<JobState> state;
    std::optional<QDateTime> from, to; // scheduledAt range [from, to)
    PageRequest page;
};

struct PackRecord {
    PackId id;
    qint64 size = 0;
    qint64 seq = 0;         // the tenant's index sequence number for this pack (changes when GC condemns it)
    QDateTime createdAt;
    std::optional<QDateTime> condemnedAt; // out of the index; the file stays until GC deletes it
    std::optional<QDateTime> deletedAt;   // a tombstone: the file is gone

    bool live() const { return !condemnedAt && !deletedAt; }
};

struct ChunkLocation {
    PackId pack;
    BlobType type = BlobType::Data;
    uint32_t offset = 0, length = 0, rawLength = 0;
};

struct TenantUsage {
    qint64 agents = 0;
    qint64 packs = 0;
    qint64 storedBytes = 0;  // sum of pack sizes
    qint64 chunks = 0;
    qint64 snapshots = 0;
};

struct SnapshotRecord {
    SnapshotId id;
    qint64 tenantId = 0;
    qint64 agentId = 0;
    std::optional<qint64> jobId;
    QDateTime time, endTime;
    QString hostname;
    QList<QByteArray> paths;
    ChunkId rootTree;
    QJsonObject stats;
    qint64 recordSize = 0;   // bytes of the sealed record file
    qint64 rowId = 0;        // catalog row id (pagination)
};

enum class TicketState { Submitted, Accepted, Running, Completed, Rejected, Cancelled };
const char *ticketStateName(TicketState state);
std::optional<TicketState> ticketStateFromName(const QString &name);

struct RestoreTicket {
    qint64 id = 0;
    qint64 tenantId = 0;
    qint64 agentId = 0;          // the server whose data is restored
    qint64 requestedBy = 0;      // user id
    TicketState state = TicketState::Submitted;
    QJsonObject request;         // snapshot, paths, target, existing policy, contact, note
    QDateTime createdAt;
    std::optional<QDateTime> dueAt;
};

// An operator's change to the business calendar of restore tickets (calendar/BusinessCalendar.h).
struct CalendarDay {
    QDate day;          // in Asia/Seoul
    bool closed = true; // true: an extra day off (e.g. an election day); false: a shipped holiday is worked
    QString note;       // the day's name, or why it is worked
    QString changedBy;  // "cli" or "operator:ID"
    QDateTime changedAt;
};

// --- mail outbox (mail)
enum class MailState { Queued, Sent, Failed };
const char *mailStateName(MailState state); // "queued", "sent", "failed"
std::optional<MailState> mailStateFromName(const QString &name);

// One message to one recipient in the outbox (mail_outbox), kept after sending as the record of
// what went out.
struct OutboxMail {
    qint64 id = 0;
    std::optional<qint64> tenantId;
    QString kind;       // "failure" (a failed or missed run), "daily" (the daily report)
    QString dedupKey;   // unique: queueing the same key again changes nothing
    QString recipient;  // the one envelope recipient
    QString subject;
    QByteArray message; // the complete RFC 5322 message (MailMessage::bytes); not read by listings
    MailState state = MailState::Queued;
    QDateTime createdAt;
    int attempts = 0;         // sending attempts so far
    QDateTime nextAttemptAt;  // queued: not before this
    std::optional<QDateTime> sentAt;
    QString lastError;        // the last refusal or failure
};

// --- usage samples and statements (billing)

// An operator setting (settings table): a name such as "billing.prices" and its JSON value.
struct OperatorSetting {
    QString name;
    QJsonObject value;
    QString changedBy; // "cli" or "operator:ID"
    QDateTime changedAt;
};

// The tenant's stored bytes on one local day (tenant time zone), as sampled by the server.
struct UsageSample {
    qint64 tenantId = 0;
    QDate day;
    qint64 storedBytes = 0;
    QDateTime sampledAt;
};

// A server's registration period for billing: enrolment and removal, removed servers included.
struct AgentPeriod {
    qint64 agentId = 0;
    QDateTime enrolledAt;
    std::optional<QDateTime> removedAt;
};

// A tenant's monthly statement as kept (billing/Billing.h Statement::toJson in `body`).
struct StoredStatement {
    qint64 tenantId = 0;
    QString month; // "YYYY-MM"
    QJsonObject body;
    QDateTime createdAt;
};

// --- restore ticket workflow (tickets)
// A restore ticket with its workflow columns: who handles it, the restore job it started, when it
// last changed and how it ended.
struct TicketRecord {
    RestoreTicket ticket;
    std::optional<qint64> assignedTo; // the operator (user id) who accepted it
    std::optional<qint64> jobId;      // the latest restore job started for it
    std::optional<QDateTime> updatedAt, finishedAt; // finishedAt: completed, rejected or cancelled
    QString resolution;               // how it ended (the operator's note, the job's result, ...)
};

struct TicketFilter {
    std::optional<qint64> tenantId; // nullopt: every tenant (operators)
    std::optional<TicketState> state;
    PageRequest page;
};

// One state change of a ticket, applied only if the ticket is in one of `from` (see
// Catalog::transitionTicket).
struct TicketTransition {
    qint64 tenantId = 0;
    qint64 ticketId = 0;
    QList<TicketState> from;
    TicketState to = TicketState::Accepted;
    QDateTime at;
    std::optional<qint64> assignTo;     // sets assigned_to
    std::optional<QString> resolution;  // sets resolution
    bool finishes = false;              // sets finished_at = at
    std::optional<Job> job;             // inserted in the same transaction; its id becomes job_id
    std::optional<QString> message;     // added to the thread in the same transaction
    std::optional<qint64> messageUser;  // its author (nullopt: the system)
};

struct TicketTransitionResult {
    bool applied = false;  // false: the ticket was not in one of `from` (nothing changed)
    TicketRecord ticket;   // as it is now
    std::optional<Job> job; // the job inserted
};

struct TicketMessage {
    qint64 id = 0;
    qint64 tenantId = 0;
    qint64 ticketId = 0;
    std::optional<qint64> userId; // nullopt: written by the server (e.g. a failed restore job)
    QString body;
    QDateTime createdAt;
};

// --- garbage collection (gc)

// A blob row of a pack: where its chunk lives (PackEntry) and whether the row came from the index
// or from the pack's condemned rows.
struct GcPackBlobs {
    PackRecord pack;
    std::vector<PackEntry> blobs; // the pack's rows in the index (or, condemned, its kept rows)
};

// --- verify runs (verify)

// One run of the pack verifier over a tenant's packs, or every tenant's (tenantId none).
// findings: [{"tenant","pack","problem":"missing"|"size"|"hash","expected_size","actual_size",
// "detail"}]; problems counts them. A run is queued or running while finishedAt is unset.
struct VerifyRun {
    qint64 id = 0;
    std::optional<qint64> tenantId;
    QDateTime startedAt; // when it was requested (the verifier starts on it at once)
    std::optional<QDateTime> finishedAt;
    qint64 packs = 0; // packs checked so far
    qint64 bytes = 0; // bytes read so far
    qint64 problems = 0;
    QJsonArray findings;
    QString requestedBy; // "operator:ID"
};

// --- console views (SqlCatalogConsole.cpp)

// GET /jobs orders: by id (the default), one of the job's times, its state or its kind (by name,
// alphabetically). Rows without a value for the key (a job not started or finished yet) come
// after every row with one, in either order, and among themselves by id in the same direction.
enum class JobSortKey { Id, ScheduledAt, StartedAt, FinishedAt, State, Kind };
enum class SortOrder { Descending, Ascending };

// Where a sorted job list goes on: after the row with this sort value and id.
struct JobCursor {
    bool unset = false; // the row had no value for the key (the part of rows without one)
    QVariant value;     // a QDateTime (time keys) or a QString (state, kind); unused for Id and `unset`
    qint64 id = 0;
};

struct JobQuery {
    JobFilter filter;              // tenant, server, state, scheduled range and page.limit (page.beforeId is ignored)
    std::optional<JobKind> kind;
    JobSortKey sort = JobSortKey::Id;
    SortOrder order = SortOrder::Descending;
    std::optional<JobCursor> after; // none: the first page
};

struct JobList {
    QList<Job> items;
    std::optional<JobCursor> next; // the cursor of the last item when more rows follow
    std::optional<qint64> total;   // how many rows match the filters, when the catalog counted them
};

// A job with the names an operator's cross-tenant view shows.
struct NamedJob {
    Job job;
    QString tenantName, serverName;
};

// A registered server with its tenant's name (the operators' health view).
struct NamedAgent {
    Agent agent;
    QString tenantName;
};

// Service-wide figures of the operators' health view.
struct ServiceCounts {
    qint64 runningJobs = 0;
    qint64 openTickets = 0; // submitted, accepted or running
    qint64 failedMail = 0;  // outbox messages given up
};

struct AuditEntry {
    qint64 id = 0;
    QDateTime at;
    std::optional<qint64> tenantId;
    std::optional<qint64> userId, agentId;
    QString action;   // e.g. "policy.set", "agent.remove", "login.failed"
    QString object;   // e.g. "agent:12"
    QJsonObject detail;
    QString peer;
};

} // namespace cairn::server
