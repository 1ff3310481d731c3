// StateFolder: the agent's state folder (/var/lib/cairn, mode 0700) and the service's files in
// it. Everything the service must not forget across a crash or reboot is a small JSON file
// replaced atomically (base/FileIo.h writeFileAtomically):
//   agent.json            credentials (written by enrollment; see remote/Enrollment.h)
//   index.sqlite          the local index cache
//   service/config.json   the last configuration the server sent (policy, time zone, offset)
//   service/job.json      the job being run; present from its start until its result is queued
//   service/schedule.json the last scheduled slot the service handled
//   service/last-run.json the last finished job (for `cairn-agent status`)
//   service/outbox/N.json results of job N not yet accepted by the server, oldest first
//   service.lock, job.lock  flock()s: one service per folder; one job at a time (service or an
//                          administrator's `backup --now`)
// Any thread; the files themselves are each owned by one writer (the service loop).
#pragma once

#include "base/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace cairn {

// An flock() held until destruction.
class FileLock {
public:
    explicit FileLock(int fd) : m_fd(fd) {}
    ~FileLock();
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

private:
    int m_fd;
};

struct OutboxItem {
    qint64 jobId = 0;
    QJsonObject result;
};

class StateFolder {
public:
    explicit StateFolder(QString dir);

    const QString &dir() const { return m_dir; }
    QString path(const QString &name) const; // a file directly in the folder

    // Creates the folder (0700) and its service/ and service/outbox/ subfolders if missing.
    Status ensure() const;

    // The named lock if it is free now; nullptr if someone holds it.
    Result<std::unique_ptr<FileLock>> tryLock(const QString &name) const;
    // Whether some process holds the named lock (false if the file does not exist).
    bool isLocked(const QString &name) const;

    // A service/ JSON document: nullopt if absent; Corrupt if it is not a JSON object.
    Result<std::optional<QJsonObject>> read(const QString &name) const;
    Status write(const QString &name, const QJsonObject &doc) const;
    Status remove(const QString &name) const;

    // The results outbox.
    Status enqueueResult(qint64 jobId, const QJsonObject &result) const;
    // Queued results, oldest job first; unreadable files are renamed *.damaged,
    // reported in `problems` and skipped.
    QList<OutboxItem> queuedResults(QStringList *problems = nullptr) const;
    Status dropResult(qint64 jobId) const;

private:
    QString servicePath(const QString &name) const;
    QString outboxPath(qint64 jobId) const;

    QString m_dir;
};

} // namespace cairn
