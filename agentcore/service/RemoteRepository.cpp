#include "service/RemoteRepository.h"

#include "repository/SqliteIndex.h"

#include <QDir>
#include <QFile>

#include <algorithm>

#include <sys/statvfs.h>

namespace cairn {

QString credentialsPath(const QString &stateDir)
{
    return QDir(stateDir).filePath(QStringLiteral("agent.json"));
}

Result<AgentCredentials> loadCredentials(const QString &stateDir)
{
    auto credentials = AgentCredentials::load(credentialsPath(stateDir));
    if (!credentials && credentials.error().code == ErrorCode::NotFound)
        return Error(ErrorCode::NotFound,
            QStringLiteral("this machine is not enrolled (no %1); run 'cairn-agent enroll URL --code CODE "
                           "--fingerprint FP' first")
                .arg(credentialsPath(stateDir)));
    return credentials;
}

Result<RemoteRepository> openRemoteRepository(const QString &stateDir, const RemoteRepositoryOptions &options)
{
    auto credentials = loadCredentials(stateDir);
    if (!credentials)
        return credentials.error();
    auto keys = credentials->keySet();
    if (!keys)
        return keys.error();
    auto config = credentials->config();
    if (!config)
        return config.error();
    auto connection = std::make_shared<ServerConnection>(credentials->connectionSettings());
    credentials->wipe();
    if (options.retryObserver)
        connection->setRetryObserver(options.retryObserver);
    if (options.stopRequested)
        connection->setStopCondition(options.stopRequested);
    connection->setSendRateLimit(options.sendRateLimit);
    const QString indexPath = QDir(stateDir).filePath(QStringLiteral("index.sqlite"));
    auto index = SqliteIndex::open(indexPath);
    if (!index && index.error().code == ErrorCode::Corrupt) {
        if (options.warning)
            options.warning(QStringLiteral("the index cache is damaged (%1); fetching it again from the server")
                                .arg(index.error().message));
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::rename(
                indexPath + QLatin1String(suffix), indexPath + QLatin1String(suffix) + QStringLiteral(".damaged"));
        index = SqliteIndex::open(indexPath);
    }
    if (!index) {
        keys->wipe();
        return index.error();
    }
    if (options.syncIndex) {
        RemoteIndexSync sync(*connection, **index, indexPath, config->id);
        auto synced = sync.sync(options.syncProgress);
        if (!synced) {
            keys->wipe();
            return synced.error().wrapped(QStringLiteral("updating the index cache"));
        }
    }
    auto backend = std::make_unique<RemoteBackend>(connection);
    RemoteBackend *raw = backend.get();
    qint64 spoolBytes = options.packSpoolBytes;
    if (spoolBytes < 0) {
        struct statvfs fs;
        const qint64 freeBytes = ::statvfs(QFile::encodeName(stateDir).constData(), &fs) == 0
            ? qint64(fs.f_bavail) * qint64(fs.f_frsize)
            : 0;
        spoolBytes = std::clamp(freeBytes / 4, qint64(256) << 20, qint64(4) << 30);
    }
    if (spoolBytes > 0)
        backend->enablePackSpool(QDir(stateDir).filePath(QStringLiteral("cache")), spoolBytes);
    auto repo = Repository::openWithKeys(std::move(backend), std::move(*index), *keys, *config);
    keys->wipe();
    if (!repo)
        return repo.error();
    RemoteRepository out;
    out.repository = std::move(*repo);
    out.backend = raw;
    out.connection = std::move(connection);
    return out;
}

} // namespace cairn
