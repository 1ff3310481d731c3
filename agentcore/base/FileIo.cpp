#include "base/FileIo.h"

#include <QFile>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace cairn {

FdCloser::~FdCloser()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status writeAll(int fd, const char *data, qint64 size, const QByteArray &path)
{
    qint64 done = 0;
    while (done < size) {
        const size_t chunk = size_t(std::min<qint64>(size - done, qint64(1) << 30));
        const ssize_t n = ::write(fd, data + done, chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return systemError(QStringLiteral("cannot write"), path, errno);
        }
        if (n == 0)
            return Error(ErrorCode::Io, QStringLiteral("cannot write %1: no progress").arg(QFile::decodeName(path)));
        done += n;
    }
    return Status::success();
}

Status syncDirectory(const QByteArray &dir)
{
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return systemError(QStringLiteral("cannot open directory"), dir, errno);
    FdCloser closer(fd);
    if (::fsync(fd) != 0 && errno != EINVAL) // EINVAL: the file system cannot sync directories
        return systemError(QStringLiteral("cannot sync directory"), dir, errno);
    return Status::success();
}

} // namespace cairn
