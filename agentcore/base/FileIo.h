// Small POSIX file helpers every durable write uses: closing a descriptor on scope exit, writing
// a whole buffer despite short writes and EINTR, and syncing a directory after a rename.
// Thread-agnostic.
#pragma once

#include "base/Result.h"

#include <QByteArray>

namespace cairn {

// Closes a file descriptor on scope exit unless released.
class FdCloser {
public:
    explicit FdCloser(int fd) : m_fd(fd) {}
    ~FdCloser();
    FdCloser(const FdCloser &) = delete;
    FdCloser &operator=(const FdCloser &) = delete;
    int get() const { return m_fd; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

// Writes all `size` bytes (in pieces of at most 1 GiB); `path` names the file in errors.
Status writeAll(int fd, const char *data, qint64 size, const QByteArray &path);
inline Status writeAll(int fd, const QByteArray &data, const QByteArray &path)
{
    return writeAll(fd, data.constData(), data.size(), path);
}
// Replaces `path` durably and atomically: a temporary file beside it (mode `mode`), written,
// fsynced, renamed over `path`, and the directory synced. Readers see the old or the new bytes,
// never a mix, even after a crash.
Status writeFileAtomically(const QByteArray &path, const QByteArray &data, int mode = 0600);
// fsync of a directory, so that a rename into it is durable (EINVAL, "cannot", is not an error).
Status syncDirectory(const QByteArray &dir);

} // namespace cairn
