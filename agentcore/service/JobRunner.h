// JobRunner: runs one job of the server's — a backup by the policy or a restore by the job's
// spec — through the engine against the tenant's repository on the server, and says how it
// ended. It talks to the server only through the repository (RemoteBackend); progress and the
// result are the service's to send. Backups: the policy's pre-command (timeout; a failure fails
// the run unless the policy says continue), the archiver (files cache, changed-during-read
// warnings, bandwidth limit), the post-command (always, once the pre-command ran or if there was
// none). Restores: the snapshot, paths, target and existing-file policy of the job.
// Blocking; runs on the service's job thread. The callbacks are called from it; the flags are
// read from it and from the engine's and the connection's worker threads.
#pragma once

#include "service/Protocol.h"

#include <QJsonObject>
#include <QString>

#include <atomic>
#include <functional>

namespace cairn {

struct JobContext {
    QString stateDir;
    bool allowCommands = true;
    const std::atomic<bool> *cancelRequested = nullptr; // the user cancelled: end as "cancelled"
    const std::atomic<bool> *stopping = nullptr;        // the service stops: end as interrupted
    std::function<void(const QJsonObject &)> progress;  // about 10 times a second
    std::function<void(const QString &)> log;           // warnings for the service log
    int attempt = 1;                                    // 1 + interrupted earlier attempts
    qint64 uploadedBefore = 0;                          // bytes the interrupted attempts uploaded
};

struct JobOutcome {
    QString state;        // succeeded, warning, failed or cancelled ("" when interrupted)
    QString snapshot;     // hex id of the snapshot a backup committed
    QJsonObject stats;
    QString error;        // what went wrong (failed), or a summary of the warnings
    bool interrupted = false; // the service stopped: no result; the job runs again next start

    QJsonObject resultJson() const; // the body of POST /agent/jobs/{id}/result
};

JobOutcome runBackupJob(const JobView &job, const BackupPolicy &policy, const JobContext &context);
JobOutcome runRestoreJob(const JobView &job, const JobContext &context);

} // namespace cairn
