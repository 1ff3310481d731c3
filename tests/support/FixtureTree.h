// FixtureTree: builds a directory tree holding every kind of entry the engine must back up and
// restore faithfully, and compares two trees entry by entry (lstat, never following links).
// Used by the integration tests from the test's own thread; everything here is plain POSIX on
// byte-string paths, because the fixture has file names that are not valid UTF-8.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <sys/types.h>

#include <cstdint>
#include <utility>

namespace cairn::test {

struct FixtureOptions {
    bool bigSparseFile = true; // the 2 GiB file with holes
    int smallFiles = 10000;    // spread over smallDirs directories
    int smallDirs = 100;
    quint32 seed = 1;
};

struct FixtureTree {
    QByteArray root;          // absolute path of the built tree
    bool hasXattrs = false;   // the file system took user.* xattrs
    bool hasDevice = false;   // a character device was created (root only)
    bool hasForeignOwner = false; // a file owned by 1234:5678 (root only)
    QByteArray sparseFile;    // relative path of the 2 GiB sparse file (empty if not built)
    QList<QByteArray> hardlinkNames; // relative paths of the three names of one file
    QString error;            // why build() failed

    // Creates `root` (must not exist) and fills it. Returns false with `error` set on failure.
    bool build(const QByteArray &rootPath, const FixtureOptions &options = {});

    static const QByteArray &xattrName();
    static const QByteArray &xattrValue();
};

struct CompareOptions {
    bool compareRootMetadata = true; // the two roots' own mode/owner/mtime/xattrs
};

// Every difference between `expected` (the source) and `actual` (the restored copy), each naming
// the relative path: type, full st_mode, uid, gid, size, mtime (ns), nlink, hardlink groups (names
// sharing an inode in `expected` share one in `actual`), symlink target, rdev, user.* xattrs,
// content, and for regular files that `actual`'s data extents lie within `expected`'s (holes may
// grow: runs of zeros become holes on restore, but data must never appear where there was a hole).
QStringList compareTrees(const QByteArray &expected, const QByteArray &actual, const CompareOptions &options = {});

// Data extents [begin, end) of a regular file via SEEK_DATA/SEEK_HOLE; empty list on error.
QList<std::pair<qint64, qint64>> dataExtents(const QByteArray &path);
// st_blocks * 512 of `path` (lstat), -1 on error.
qint64 allocatedBytes(const QByteArray &path);
// Removes a tree with POSIX calls (works with non-UTF-8 names and read-only directories).
bool removeTree(const QByteArray &path);
// Writes `data` to a new file (O_EXCL); false on error.
bool writeFile(const QByteArray &path, const QByteArray &data, mode_t mode = 0644);
// Whole file contents; a null QByteArray on error.
QByteArray readFile(const QByteArray &path);
// Deterministic pseudo-random bytes.
QByteArray randomBytes(qsizetype n, quint64 seed);
// Sum of st_blocks * 512 of all files below `path` (like du).
qint64 diskUsage(const QByteArray &path);

} // namespace cairn::test
