// Exclusive atomic creation and bounded reading of small files (see NewFile.h). Any thread.
#include "tls/NewFile.h"

#include "base/FileIo.h"
#include "crypto/Crypto.h"

#include <QFile>

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn::server::detail {

namespace {

Error alreadyExists(const QString &path)
{
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("%1 already exists; refusing to overwrite it (move it away first)").arg(path));
}

// Moves `temp` to `target` unless `target` exists. renameat2(RENAME_NOREPLACE) where the file
// system supports it, else link + unlink, which is just as atomic.
int moveNoReplace(const QByteArray &temp, const QByteArray &target)
{
    if (::renameat2(AT_FDCWD, temp.constData(), AT_FDCWD, target.constData(), RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
    if (::link(temp.constData(), target.constData()) != 0)
        return errno;
    ::unlink(temp.constData());
    return 0;
}

} // namespace

Status writeNewFile(const QString &path, const QByteArray &data, unsigned mode)
{
    const QByteArray target = QFile::encodeName(path);
    const int slash = target.lastIndexOf('/');
    const QByteArray dir = slash < 0 ? QByteArray(".") : slash == 0 ? QByteArray("/") : target.left(slash);

    struct stat st;
    if (::lstat(target.constData(), &st) == 0)
        return alreadyExists(path);

    QByteArray temp;
    int fd = -1;
    for (int attempt = 0; attempt < 5 && fd < 0; ++attempt) {
        temp = target + ".tmp-" + crypto::randomBytes(6).toHex();
        do {
            fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 0600);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        return systemError(QStringLiteral("cannot create temporary file"), temp, errno);

    auto fail = [&temp](const Error &e) {
        ::unlink(temp.constData());
        return Status(e);
    };
    {
        FdCloser closer(fd);
        if (::fchmod(fd, mode_t(mode)) != 0)
            return fail(systemError(QStringLiteral("cannot set the mode of"), temp, errno));
        if (Status s = writeAll(fd, data, temp); !s)
            return fail(s.error());
        if (::fsync(fd) != 0)
            return fail(systemError(QStringLiteral("cannot sync"), temp, errno));
        if (::close(closer.release()) != 0)
            return fail(systemError(QStringLiteral("cannot close"), temp, errno));
    }
    if (const int err = moveNoReplace(temp, target); err != 0) {
        if (err == EEXIST)
            return fail(alreadyExists(path));
        return fail(systemError(QStringLiteral("cannot move %1 to").arg(QFile::decodeName(temp)), target, err));
    }
    return syncDirectory(dir);
}

Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes, unsigned *mode)
{
    const QByteArray name = QFile::encodeName(path);
    int fd;
    do {
        fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return systemError(QStringLiteral("cannot open"), name, errno);
    FdCloser closer(fd);

    struct stat st;
    if (::fstat(fd, &st) != 0)
        return systemError(QStringLiteral("cannot stat"), name, errno);
    if (!S_ISREG(st.st_mode))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a regular file").arg(path));
    if (st.st_size > maxBytes)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 is too large (%2 bytes; at most %3 expected)").arg(path).arg(st.st_size).arg(maxBytes));
    if (mode)
        *mode = unsigned(st.st_mode & 07777);

    // One buffer, sized once, so that a secret read here leaves no stray copies behind.
    QByteArray data(qsizetype(st.st_size), Qt::Uninitialized);
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            crypto::secureZero(data.data(), size_t(data.size()));
            return systemError(QStringLiteral("cannot read"), name, errno);
        }
        if (n == 0)
            break; // the file shrank while we read it
        done += n;
    }
    data.truncate(qsizetype(done));
    return data;
}

} // namespace cairn::server::detail
