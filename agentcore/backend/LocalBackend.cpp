#include "backend/LocalBackend.h"

#include "base/FileIo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn {

namespace {

const char *const LayoutDirs[] = {"keys", "snapshots", "data", "tmp"};

class DirCloser {
public:
    explicit DirCloser(DIR *d) : m_d(d) {}
    ~DirCloser()
    {
        if (m_d)
            ::closedir(m_d);
    }
    DirCloser(const DirCloser &) = delete;
    DirCloser &operator=(const DirCloser &) = delete;
    DIR *get() const { return m_d; }

private:
    DIR *m_d;
};

bool isDirectory(const QByteArray &path)
{
    struct stat st;
    return ::stat(path.constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status makeDirectory(const QByteArray &path)
{
    if (::mkdir(path.constData(), 0700) != 0) {
        const int err = errno;
        if (err != EEXIST)
            return systemError(QStringLiteral("cannot create directory"), path, err);
        if (!isDirectory(path))
            return Error(ErrorCode::Io, QStringLiteral("cannot create directory %1: a file of that name exists")
                                            .arg(QFile::decodeName(path)));
    }
    return Status::success();
}

// The first entry below `dir` that create() must not find there (a relative path), or an empty
// array if there is none. Allowed are only the layout directories, themselves empty.
Result<QByteArray> foreignEntry(const QByteArray &dir, bool topLevel)
{
    DIR *d = ::opendir(dir.constData());
    if (!d)
        return systemError(QStringLiteral("cannot read directory"), dir, errno);
    DirCloser closer(d);
    while (const dirent *e = ::readdir(d)) {
        const QByteArray name(e->d_name);
        if (name == "." || name == "..")
            continue;
        if (!topLevel)
            return name;
        bool known = false;
        for (const char *sub : LayoutDirs)
            known = known || name == sub;
        if (!known || !isDirectory(dir + '/' + name))
            return name;
        const Result<QByteArray> inner = foreignEntry(dir + '/' + name, false);
        if (!inner || !inner->isEmpty())
            return inner ? name + '/' + *inner : inner;
    }
    return QByteArray();
}

QByteArray randomTempName()
{
    quint64 r[2];
    QRandomGenerator::system()->fillRange(r, 2); // system(): also unique across fork()
    return QByteArray::number(r[0], 16) + QByteArray::number(r[1], 16) + ".tmp";
}

} // namespace

LocalBackend::LocalBackend(const QString &path)
    : m_path(path), m_root(QFile::encodeName(path))
{
}

Result<std::unique_ptr<LocalBackend>> LocalBackend::create(const QString &dir)
{
    if (dir.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no repository directory given"));
    const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    if (!QDir().mkpath(path))
        return Error(ErrorCode::Io, QStringLiteral("cannot create directory %1").arg(path));
    const QByteArray root = QFile::encodeName(path);

    // Only an empty directory, or the empty layout of an earlier create(), may be used: never
    // write a repository over someone's files or over another repository.
    const Result<QByteArray> foreign = foreignEntry(root, true);
    if (!foreign)
        return foreign.error();
    if (!foreign->isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("cannot create a repository in %1: the directory is not empty (it contains \"%2\")")
                         .arg(path, QFile::decodeName(*foreign)));

    for (const char *sub : LayoutDirs)
        CAIRN_TRY(makeDirectory(root + '/' + sub));
    CAIRN_TRY(syncDirectory(root));
    return std::unique_ptr<LocalBackend>(new LocalBackend(path));
}

Result<std::unique_ptr<LocalBackend>> LocalBackend::open(const QString &dir)
{
    if (dir.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no repository directory given"));
    const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    const QByteArray root = QFile::encodeName(path);
    if (!isDirectory(root))
        return Error(ErrorCode::NotFound, QStringLiteral("no repository at %1: the directory does not exist").arg(path));
    for (const char *sub : LayoutDirs) {
        if (!isDirectory(root + '/' + sub))
            return Error(ErrorCode::NotFound, QStringLiteral("no repository at %1: the \"%2\" directory is missing")
                                                  .arg(path, QLatin1String(sub)));
    }
    return std::unique_ptr<LocalBackend>(new LocalBackend(path));
}

QString LocalBackend::location() const
{
    return m_path;
}

QByteArray LocalBackend::dirPath(const char *sub) const
{
    return m_root + '/' + sub;
}

QByteArray LocalBackend::filePath(const Handle &h) const
{
    const QByteArray name = h.name.toLatin1(); // valid names are ASCII
    switch (h.type) {
    case FileType::Pack: return m_root + "/data/" + name.left(2) + '/' + name;
    case FileType::Snapshot: return m_root + "/snapshots/" + name;
    case FileType::Key: return m_root + "/keys/" + name;
    case FileType::Config: return m_root + "/config";
    }
    return QByteArray();
}

namespace {

// Large files (packs) are written with O_DIRECT in aligned 4 MiB pieces through a reused buffer:
// this skips the page cache, which on the machines measured costs more CPU than everything else
// in writing a pack, and keeps a backup from evicting the page cache of the services it protects.
// The unaligned tail, and every file on a file system without O_DIRECT, is written normally; the
// caller fsyncs either way.
Status writeData(int fd, const QByteArray &data, const QByteArray &path)
{
    constexpr qint64 kAlign = 4096;
    constexpr qint64 kPiece = 4 << 20;
    const qint64 aligned = data.size() >= (1 << 20) ? data.size() / kAlign * kAlign : 0;
    qint64 done = 0;
    const int flags = ::fcntl(fd, F_GETFL);
    if (aligned > 0 && flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0) {
        thread_local std::unique_ptr<char, decltype(&std::free)> buffer(nullptr, &std::free);
        if (!buffer) {
            void *p = nullptr;
            if (::posix_memalign(&p, size_t(kAlign), size_t(kPiece)) == 0)
                buffer.reset(static_cast<char *>(p));
        }
        while (buffer && done < aligned) {
            const qint64 n = std::min(kPiece, aligned - done);
            std::memcpy(buffer.get(), data.constData() + done, size_t(n));
            const ssize_t w = ::pwrite(fd, buffer.get(), size_t(n), off_t(done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EINVAL)
                break; // the file system refuses direct I/O after all: write the rest normally
            if (w < 0)
                return systemError(QStringLiteral("cannot write"), path, errno);
            done += w;
            if (w % kAlign != 0)
                break; // a short unaligned write: continue buffered from here
        }
        ::fcntl(fd, F_SETFL, flags);
    }
    if (done > 0 && ::lseek(fd, off_t(done), SEEK_SET) < 0)
        return systemError(QStringLiteral("cannot seek"), path, errno);
    return writeAll(fd, data.constData() + done, data.size() - done, path);
}

} // namespace

Status LocalBackend::save(const Handle &h, const QByteArray &data)
{
    CAIRN_TRY(checkHandle(h));
    const QByteArray target = filePath(h);
    const QByteArray targetDir = target.left(target.lastIndexOf('/'));
    const mode_t mode = (h.type == FileType::Key || h.type == FileType::Config) ? 0600 : 0644;

    QByteArray temp;
    int fd = -1;
    for (int attempt = 0; attempt < 5 && fd < 0; ++attempt) {
        temp = dirPath("tmp") + '/' + randomTempName();
        do {
            fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
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
        if (Status s = writeData(fd, data, temp); !s)
            return fail(s.error());
        if (::fsync(fd) != 0)
            return fail(systemError(QStringLiteral("cannot sync"), temp, errno));
        if (::close(closer.release()) != 0)
            return fail(systemError(QStringLiteral("cannot close"), temp, errno));
    }

    if (h.type == FileType::Pack && !isDirectory(targetDir)) {
        if (Status s = makeDirectory(targetDir); !s)
            return fail(s.error());
        if (Status s = syncDirectory(dirPath("data")); !s)
            return fail(s.error());
    }
    if (::rename(temp.constData(), target.constData()) != 0)
        return fail(systemError(QStringLiteral("cannot rename %1 to").arg(QFile::decodeName(temp)), target, errno));
    return syncDirectory(targetDir);
}

Result<QByteArray> LocalBackend::load(const Handle &h, qint64 offset, qint64 length)
{
    CAIRN_TRY(checkHandle(h));
    if (offset < 0)
        return loadLength(offset, length, 0).error();
    const QByteArray path = filePath(h);
    int fd;
    do {
        fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return systemError(QStringLiteral("cannot open"), path, errno);
    FdCloser closer(fd);

    struct stat st;
    if (::fstat(fd, &st) != 0)
        return systemError(QStringLiteral("cannot stat"), path, errno);
    const Result<qint64> want = loadLength(offset, length, st.st_size);
    if (!want)
        return want.error().wrapped(QFile::decodeName(path));

    QByteArray out;
    out.resize(*want);
    qint64 done = 0;
    while (done < *want) {
        const size_t chunk = size_t(std::min<qint64>(*want - done, qint64(1) << 30));
        const ssize_t n = ::pread(fd, out.data() + done, chunk, off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return systemError(QStringLiteral("cannot read"), path, errno);
        }
        if (n == 0) // the file shrank under us
            return shortFileError(*want, offset, offset + done).wrapped(QFile::decodeName(path));
        done += n;
    }
    return out;
}

Result<FileInfo> LocalBackend::stat(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    const QByteArray path = filePath(h);
    struct stat st;
    if (::stat(path.constData(), &st) != 0)
        return systemError(QStringLiteral("cannot stat"), path, errno);
    if (!S_ISREG(st.st_mode))
        return Error(ErrorCode::Permanent, QStringLiteral("%1 is not a regular file").arg(QFile::decodeName(path)));
    return FileInfo{h.name, qint64(st.st_size)};
}

Status LocalBackend::listDirectory(const QByteArray &dir, const QString &requiredPrefix,
                                   const std::function<void(const FileInfo &)> &visit) const
{
    DIR *d = ::opendir(dir.constData());
    if (!d)
        return systemError(QStringLiteral("cannot read directory"), dir, errno);
    DirCloser closer(d);
    for (;;) {
        errno = 0;
        const dirent *e = ::readdir(d);
        if (!e) {
            if (errno != 0)
                return systemError(QStringLiteral("cannot read directory"), dir, errno);
            return Status::success();
        }
        const QString name = QFile::decodeName(e->d_name);
        if (!Handle::isValidName(name) || !name.startsWith(requiredPrefix))
            continue; // temporaries, editor leftovers, files misplaced by hand
        struct stat st;
        if (::fstatat(::dirfd(d), e->d_name, &st, 0) != 0) {
            if (errno == ENOENT)
                continue; // removed since readdir
            return systemError(QStringLiteral("cannot stat"), dir + '/' + e->d_name, errno);
        }
        if (!S_ISREG(st.st_mode))
            continue;
        visit(FileInfo{name, qint64(st.st_size)});
    }
}

Status LocalBackend::list(FileType type, const std::function<void(const FileInfo &)> &visit)
{
    switch (type) {
    case FileType::Config: {
        const Result<FileInfo> info = stat(Handle{FileType::Config, QStringLiteral("config")});
        if (info)
            visit(*info);
        else if (info.error().code != ErrorCode::NotFound)
            return info.error();
        return Status::success();
    }
    case FileType::Key: return listDirectory(dirPath("keys"), QString(), visit);
    case FileType::Snapshot: return listDirectory(dirPath("snapshots"), QString(), visit);
    case FileType::Pack: break;
    }

    // Packs are spread over data/<first two chars of the name>/.
    const QByteArray data = dirPath("data");
    QList<QByteArray> subdirs;
    {
        DIR *d = ::opendir(data.constData());
        if (!d)
            return systemError(QStringLiteral("cannot read directory"), data, errno);
        DirCloser closer(d);
        while (const dirent *e = ::readdir(d)) {
            const QByteArray name(e->d_name);
            if (name.size() <= 2 && Handle::isValidName(QString::fromLatin1(name)) && isDirectory(data + '/' + name))
                subdirs.append(name);
        }
    }
    for (const QByteArray &sub : std::as_const(subdirs)) {
        Status s = listDirectory(data + '/' + sub, QString::fromLatin1(sub), visit);
        if (!s && s.error().code != ErrorCode::NotFound)
            return s;
    }
    return Status::success();
}

Status LocalBackend::remove(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    const QByteArray path = filePath(h);
    if (::unlink(path.constData()) != 0)
        return systemError(QStringLiteral("cannot remove"), path, errno);
    return syncDirectory(path.left(path.lastIndexOf('/')));
}

Status LocalBackend::removeStaleTemporaries(int minAgeSeconds)
{
    const time_t cutoff = ::time(nullptr) - minAgeSeconds;
    const QByteArray tmp = dirPath("tmp");
    DIR *d = ::opendir(tmp.constData());
    if (!d)
        return systemError(QStringLiteral("cannot read directory"), tmp, errno);
    DirCloser closer(d);
    Status result;
    for (;;) {
        errno = 0;
        const dirent *e = ::readdir(d);
        if (!e) {
            if (errno != 0)
                return systemError(QStringLiteral("cannot read directory"), tmp, errno);
            break;
        }
        const QByteArray name(e->d_name);
        if (name == "." || name == "..")
            continue;
        struct stat st;
        if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_mtime > cutoff)
            continue; // gone, or possibly still being written by another process
        if (::unlinkat(::dirfd(d), e->d_name, 0) != 0 && errno != ENOENT && result.ok())
            result = systemError(QStringLiteral("cannot remove"), tmp + '/' + name, errno);
    }
    return result;
}

} // namespace cairn
