// Reading file-system metadata into tree nodes (Linux/POSIX): lstat fields with nanosecond times,
// owner names, xattrs and symlink targets. Used by the walker thread of the archiver only (the
// owner-name cache is guarded: several walker threads share one reader).
#pragma once

#include "base/Result.h"
#include "repository/Tree.h"

#include <QByteArray>
#include <QHash>

#include <sys/stat.h>

#include <mutex>

namespace cairn {

class FsNodeReader {
public:
    // Fills everything but content/subtree from `st` (already lstat'ed) and the path.
    Result<Node> read(const QByteArray &path, const QByteArray &name, const struct stat &st);
    static void applyStat(Node &n, const struct stat &st);
    static Status readXattrs(const QByteArray &path, Node &n);

private:
    QByteArray userName(uint32_t uid);
    QByteArray groupName(uint32_t gid);
    std::mutex m_mutex;
    QHash<uint32_t, QByteArray> m_users, m_groups;
};

} // namespace cairn
