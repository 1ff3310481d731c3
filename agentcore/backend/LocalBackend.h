// A repository in a directory on a local (or mounted) file system:
//   DIR/config, DIR/keys/<name>, DIR/snapshots/<name>, DIR/data/<first two chars>/<name>,
//   DIR/tmp/ for files being written.
// save() writes a temporary in DIR/tmp, fsyncs it, renames it into place and fsyncs the target
// directory, so a crash never leaves a partial file under its final name. Uses POSIX calls
// directly to control flags, modes and syncing.
// Thread-safe: it holds no mutable state; every call works on the file system only.
#pragma once

#include "backend/Backend.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace cairn {

class LocalBackend final : public Backend {
public:
    // Creates the layout in `dir` (created if missing). The directory may exist but must be
    // empty or contain only the layout's empty directories; InvalidArgument otherwise.
    static Result<std::unique_ptr<LocalBackend>> create(const QString &dir);
    // Opens an existing layout; NotFound when a layout directory is missing.
    static Result<std::unique_ptr<LocalBackend>> open(const QString &dir);

    QString path() const { return m_path; }

    QString location() const override;
    Status save(const Handle &h, const QByteArray &data) override;
    Result<QByteArray> load(const Handle &h, qint64 offset = 0, qint64 length = -1) override;
    Result<FileInfo> stat(const Handle &h) override;
    Status list(FileType type, const std::function<void(const FileInfo &)> &visit) override;
    Status remove(const Handle &h) override;

    // Deletes files in DIR/tmp not modified for minAgeSeconds: leftovers of saves interrupted by
    // a crash. A save in progress rewrites its file continuously, so another process's running
    // backup is not disturbed with the default age.
    Status removeStaleTemporaries(int minAgeSeconds = 15 * 60);

private:
    explicit LocalBackend(const QString &path);

    QByteArray filePath(const Handle &h) const;
    QByteArray dirPath(const char *sub) const;
    Status listDirectory(const QByteArray &dir, const QString &requiredPrefix,
                         const std::function<void(const FileInfo &)> &visit) const;

    QString m_path;     // absolute, clean
    QByteArray m_root;  // m_path in the local 8-bit encoding
};

} // namespace cairn
