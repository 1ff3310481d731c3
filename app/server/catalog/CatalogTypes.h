// Value types stored in the catalog (see Catalog.h). Plain structs, thread-agnostic. Ids are the
// catalog's integer row ids; times are UTC QDateTimes (stored as milliseconds since the epoch).
#pragma once

#include "base/Id.h"
#include "repository/Blob.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

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
    qint64 seq = 0;         // the tenant's index sequence number for this pack
    QDateTime createdAt;
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

// --- usage samples and statements (billing)

// --- restore ticket workflow (tickets)

// --- garbage collection (gc)

// --- verify runs (verify)

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
