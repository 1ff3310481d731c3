// The storage-backend contract. A repository stores a few kinds of immutable, named files in a
// backend: packs, snapshot records, key files and the repository config. Every backend (local
// directory, in-memory, remote HTTP, later S3) implements exactly this and passes the one
// conformance suite in tests/unit/TestBackendConformance.cpp.
//
// Contract:
//  - save() is atomic: after a crash a file is either absent or complete under its final name.
//    Saving over an existing name replaces it atomically.
//  - load() with offset/length returns exactly `length` bytes (length < 0: to the end). A range
//    reaching past the end of the file is a Permanent error ("short file"), never a short read.
//  - A missing file is ErrorCode::NotFound; anything retrying cannot fix is ErrorCode::Permanent
//    (or Io / Corrupt); ErrorCode::Transient means "try again".
//  - list() visits each file of a type once, in no particular order.
//  - remove() of a missing file is NotFound.
// Implementations are safe to call from several threads at once.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace cairn {

enum class FileType { Pack, Snapshot, Key, Config };

const char *fileTypeName(FileType type);

struct Handle {
    FileType type = FileType::Pack;
    QString name; // [0-9a-z_-]+, at most 128 characters; "config" for FileType::Config

    static bool isValidName(const QString &name);
};

struct FileInfo {
    QString name;
    qint64 size = 0;
};

// Helpers every implementation uses so that they agree on the edge cases.
// InvalidArgument unless h.name is a valid name (and exactly "config" for FileType::Config).
Status checkHandle(const Handle &h);
// The number of bytes a load(offset, length) of a file of `fileSize` bytes returns, or
// InvalidArgument (negative offset) / Permanent ("short file: ...") when the range is unusable.
Result<qint64> loadLength(qint64 offset, qint64 length, qint64 fileSize);
// The Permanent error for a range reaching past the end of a file (wanted < 0: to the end).
Error shortFileError(qint64 wanted, qint64 offset, qint64 fileSize);

class Backend {
public:
    virtual ~Backend() = default;

    virtual QString location() const = 0;
    virtual Status save(const Handle &h, const QByteArray &data) = 0;
    virtual Result<QByteArray> load(const Handle &h, qint64 offset = 0, qint64 length = -1) = 0;
    virtual Result<FileInfo> stat(const Handle &h) = 0;
    virtual Status list(FileType type, const std::function<void(const FileInfo &)> &visit) = 0;
    virtual Status remove(const Handle &h) = 0;
    // A hint that `h` will be read soon (a restore announces the packs of the files it is about
    // to write). A backend that fetches from afar may start fetching now; the default ignores it.
    virtual void prefetch(const Handle &h) { (void)h; }
};

} // namespace cairn
