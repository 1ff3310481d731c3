#include "service/StateFolder.h"

#include "base/FileIo.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn {

namespace {

Status makeDir(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    if (::mkdir(p.constData(), 0700) != 0 && errno != EEXIST)
        return systemError(QStringLiteral("cannot create directory"), p, errno);
    return Status::success();
}

} // namespace

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

StateFolder::StateFolder(QString dir) : m_dir(std::move(dir)) {}

QString StateFolder::path(const QString &name) const
{
    return QDir(m_dir).filePath(name);
}

QString StateFolder::servicePath(const QString &name) const
{
    return QDir(m_dir).filePath(QStringLiteral("service/") + name);
}

QString StateFolder::outboxPath(qint64 jobId) const
{
    return QDir(m_dir).filePath(QStringLiteral("service/outbox/%1.json").arg(jobId));
}

Status StateFolder::ensure() const
{
    if (!QDir().mkpath(m_dir))
        return Error(ErrorCode::Io, QStringLiteral("cannot create the state folder %1").arg(m_dir));
    CAIRN_TRY(makeDir(path(QStringLiteral("service"))));
    return makeDir(path(QStringLiteral("service/outbox")));
}

Result<std::unique_ptr<FileLock>> StateFolder::tryLock(const QString &name) const
{
    const QByteArray p = QFile::encodeName(path(name));
    const int fd = ::open(p.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return systemError(QStringLiteral("cannot open lock file"), p, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        ::close(fd);
        if (e == EWOULDBLOCK)
            return std::unique_ptr<FileLock>();
        return systemError(QStringLiteral("cannot lock"), p, e);
    }
    return std::make_unique<FileLock>(fd);
}

bool StateFolder::isLocked(const QString &name) const
{
    const QByteArray p = QFile::encodeName(path(name));
    const int fd = ::open(p.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool locked = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

Result<std::optional<QJsonObject>> StateFolder::read(const QString &name) const
{
    QFile f(servicePath(name));
    if (!f.exists())
        return std::optional<QJsonObject>();
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.read(4 << 20), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("%1 is damaged (not a JSON object)").arg(f.fileName()));
    return std::optional<QJsonObject>(doc.object());
}

Status StateFolder::write(const QString &name, const QJsonObject &doc) const
{
    return writeFileAtomically(QFile::encodeName(servicePath(name)), QJsonDocument(doc).toJson(QJsonDocument::Compact));
}

Status StateFolder::remove(const QString &name) const
{
    const QByteArray p = QFile::encodeName(servicePath(name));
    if (::unlink(p.constData()) != 0 && errno != ENOENT)
        return systemError(QStringLiteral("cannot remove"), p, errno);
    return syncDirectory(QFile::encodeName(path(QStringLiteral("service"))));
}

Status StateFolder::enqueueResult(qint64 jobId, const QJsonObject &result) const
{
    return writeFileAtomically(QFile::encodeName(outboxPath(jobId)), QJsonDocument(result).toJson(QJsonDocument::Compact));
}

QList<OutboxItem> StateFolder::queuedResults(QStringList *problems) const
{
    QList<OutboxItem> out;
    const QDir dir(path(QStringLiteral("service/outbox")));
    for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        bool ok = false;
        const qint64 id = name.chopped(5).toLongLong(&ok);
        if (!ok || id <= 0)
            continue; // temporary files and strangers
        QFile f(dir.filePath(name));
        QJsonParseError pe;
        const QJsonDocument doc
            = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.read(4 << 20), &pe) : QJsonDocument();
        if (!doc.isObject()) {
            f.close();
            QFile::rename(f.fileName(), f.fileName() + QStringLiteral(".damaged"));
            if (problems)
                *problems << QStringLiteral("%1 is damaged; kept as %1.damaged").arg(f.fileName());
            continue;
        }
        out.append({id, doc.object()});
    }
    std::sort(out.begin(), out.end(), [](const OutboxItem &a, const OutboxItem &b) { return a.jobId < b.jobId; });
    return out;
}

Status StateFolder::dropResult(qint64 jobId) const
{
    const QByteArray p = QFile::encodeName(outboxPath(jobId));
    if (::unlink(p.constData()) != 0 && errno != ENOENT)
        return systemError(QStringLiteral("cannot remove"), p, errno);
    return Status::success();
}

} // namespace cairn
