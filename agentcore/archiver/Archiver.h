// Archiver: one backup run. Walks the given absolute paths (excludes, one-file-system), reuses the
// content of files unchanged since the parent snapshot (device, inode, size, mtime_ns, ctime_ns:
// such files are not read), reads the others extent by extent (holes and zero runs become the zero
// chunk), chunks them with FastCDC, and stores new chunks. Directories become tree blobs; the run
// ends with a snapshot record.
//
// Threads: `walkers` threads list directories (the caller's thread is one of them); `readers`
// threads read and chunk files; `sealers` threads hash chunks and compress and encrypt the new
// ones; the repository's saver writes packs. Every queue between them is bounded, so memory does
// not grow with file count or repository size.
// The archiver prints nothing: progress, warnings and errors reach the caller by callbacks
// (called from any thread, serialised by the archiver).
#pragma once

#include "base/Result.h"
#include "repository/Repository.h"
#include "repository/Snapshot.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <optional>

namespace cairn {

struct BackupOptions {
    QList<QByteArray> paths; // absolute
    QStringList excludes;    // globs: with a '/', matched against the whole path; else against the name
    bool oneFileSystem = true;
    int walkers = 3;          // threads listing directories (metadata I/O on a cold cache)
    int readers = 4;          // more than cores: small files are read with one disk round trip each
    int sealers = 2;
    bool useParent = true;   // files cache from the latest snapshot of the same host and paths
    std::optional<SnapshotId> parent;
    QString hostname;        // default: this machine's
};

struct BackupProgress {
    qint64 filesDone = 0, dirsDone = 0, bytesDone = 0, bytesRead = 0, bytesNew = 0, bytesStored = 0;
    qint64 filesUnchanged = 0, errors = 0, warnings = 0;
    double seconds = 0;
};

struct BackupCallbacks {
    std::function<void(const BackupProgress &)> progress; // about 10 times a second
    std::function<void(const QByteArray &path, const QString &message)> warning;
    std::function<void(const QByteArray &path, const Error &error)> error; // the item is skipped
    std::function<bool()> cancelled;                       // polled; true stops the run
};

class Archiver {
public:
    Archiver(Repository &repo, BackupCallbacks callbacks);
    ~Archiver();

    // Runs the backup and saves the snapshot. Items that fail are reported and left out; a
    // failure of the repository (or cancellation) fails the run and saves no snapshot.
    Result<Snapshot> run(const BackupOptions &options);

private:
    struct Run;
    Repository &m_repo;
    BackupCallbacks m_cb;
};

} // namespace cairn
