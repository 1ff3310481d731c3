// The agent's reading of the server's answers (GET /api/v1/agent/config, job objects) and the
// job specifications inside them, checked field by field: a server answer is input like any
// other, and a malformed one is an error naming the field, never a crash or a guess.
// Value types and free functions; any thread.
#pragma once

#include "base/Result.h"
#include "restorer/Restorer.h"
#include "schedule/Schedule.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace cairn {

// A server's backup policy as the agent uses it (see docs/API.md, "Policy fields").
struct BackupPolicy {
    QList<QByteArray> paths;
    QStringList excludes;
    bool oneFileSystem = true;
    int intervalDays = 1;
    int weekday = 1;
    int hour = 2;
    int retentionDays = 30;
    QByteArray preCommand, postCommand; // empty: none
    int commandTimeoutSeconds = 3600;
    bool continueOnPreCommandFailure = false;
    qint64 bandwidthLimitKib = 0; // 0: unlimited
    QDateTime updatedAt;
};

struct AgentConfigView {
    qint64 agentId = 0;
    QString agentName;
    QByteArray timeZone; // the tenant's IANA zone
    std::optional<BackupPolicy> policy;
    qint64 offsetSeconds = 0; // this server's deterministic schedule offset
    QDateTime nextRun;        // as the server computes it (invalid: none)

    // The policy's schedule (requires a policy).
    ScheduleRule scheduleRule() const;
};

struct JobView {
    qint64 id = 0;
    QString kind;  // "backup" or "restore"
    QString state; // pending, running, succeeded, ...
    QDateTime scheduledAt;
    QString requestedBy;
    QJsonObject spec;
    bool cancelRequested = false;
};

struct RestoreSpec {
    QString snapshot;           // 64 hex digits
    QList<QByteArray> paths;    // absolute, inside the snapshot; empty = everything
    QByteArray target;          // absolute; "/" restores to the original location
    ExistingPolicy existing = ExistingPolicy::Skip;
};

Result<AgentConfigView> parseAgentConfig(const QJsonObject &answer);
Result<JobView> parseJob(const QJsonObject &job);
// The id of a job that parseJob() refuses, so that the refusal can be reported against it; 0 when
// it has no usable one (not a whole number from 1 to 2^62 - 1, the range parseJob() accepts).
qint64 jobIdOf(const QJsonObject &job);
Result<RestoreSpec> parseRestoreSpec(const QJsonObject &spec);

// "skip", "overwrite", "keep-both".
std::optional<ExistingPolicy> existingPolicyFromName(const QString &name);

} // namespace cairn
