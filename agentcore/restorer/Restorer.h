// Restorer: writes a snapshot (or chosen paths of it) below a target directory. Every blob is
// verified (GCM tag and chunk id); a damaged blob is reported with the files it affects and the
// rest is still restored. Holes and zero runs are left as holes. Metadata (mode, owner when
// running as root, ns times, xattrs) is recreated, hardlinks are relinked.
//
// Safety: all creation is relative to directory file descriptors opened with O_NOFOLLOW, and a
// tree entry whose name is empty, ".", "..", or contains '/' or NUL is refused, so nothing is
// ever written outside the target, even when the target holds planted symlinks.
//
// Threads: the caller's thread walks the trees and creates entries; `workers` threads fetch,
// verify and write file contents through a bounded queue. Callbacks are serialised.
#pragma once

#include "base/Result.h"
#include "repository/Repository.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace cairn {

enum class ExistingPolicy { Skip, Overwrite, KeepBoth };

struct RestoreOptions {
    QByteArray target;        // created if missing; the snapshot's absolute paths are recreated below it
    QList<QByteArray> include; // absolute paths inside the snapshot; empty = everything
    ExistingPolicy existing = ExistingPolicy::Overwrite;
    int workers = 2;
};

struct RestoreProgress {
    qint64 filesDone = 0, filesTotal = 0, bytesDone = 0, bytesTotal = 0, skipped = 0, errors = 0;
    double seconds = 0;
};

struct RestoreStats {
    qint64 files = 0, dirs = 0, others = 0, bytes = 0, skipped = 0, errors = 0, damagedFiles = 0;
};

struct RestoreCallbacks {
    std::function<void(const RestoreProgress &)> progress;
    // An item that could not be restored (or was restored incompletely: damaged data).
    std::function<void(const QByteArray &path, const Error &error)> error;
    std::function<void(const QByteArray &path, const QString &message)> warning;
    std::function<bool()> cancelled;
};

class Restorer {
public:
    Restorer(Repository &repo, RestoreCallbacks callbacks);
    ~Restorer();

    // Fails only when nothing sensible can be done (target unusable, root tree unreadable,
    // cancelled); per-item failures are counted in the stats and reported by callback.
    Result<RestoreStats> run(const Snapshot &snapshot, const RestoreOptions &options);

private:
    struct Run;
    Repository &m_repo;
    RestoreCallbacks m_cb;
};

} // namespace cairn
