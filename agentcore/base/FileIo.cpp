#include "base/FileIo.h"

#include <QFile>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
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

Status writeFileAtomically(const QByteArray &path, const QByteArray &data, int mode)
{
    const int slash = path.lastIndexOf('/');
    const QByteArray dir = slash < 0 ? QByteArray(".") : slash == 0 ? QByteArray("/") : path.left(slash);
    QByteArray tmpl = path + ".tmp-XXXXXX";
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC); // mode 0600
    if (fd < 0)
        return systemError(QStringLiteral("cannot create"), tmpl, errno);
    Status s = writeAll(fd, data, tmpl);
    if (s.ok() && ::fchmod(fd, mode_t(mode)) != 0)
        s = systemError(QStringLiteral("cannot chmod"), tmpl, errno);
    if (s.ok() && ::fsync(fd) != 0)
        s = systemError(QStringLiteral("cannot sync"), tmpl, errno);
    if (::close(fd) != 0 && s.ok())
        s = systemError(QStringLiteral("cannot close"), tmpl, errno);
    if (s.ok() && ::rename(tmpl.constData(), path.constData()) != 0)
        s = systemError(QStringLiteral("cannot rename to"), path, errno);
    if (!s.ok()) {
        ::unlink(tmpl.constData());
        return s;
    }
    return syncDirectory(dir);
}

} // namespace cairn
