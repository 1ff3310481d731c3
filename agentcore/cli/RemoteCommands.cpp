// `cairn-agent enroll` and `cairn-agent remote …`: argument parsing, opening the tenant's
// repository on the server (credentials, RemoteBackend, synced index cache) and the same engine
// runs and output as the local commands. Main thread.
#include "cli/RemoteCommands.h"

#include "archiver/Archiver.h"
#include "checker/Checker.h"
#include "cli/RepositoryCommands.h"
#include "cli/Terminal.h"
#include "remote/Enrollment.h"
#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"
#include "restorer/Restorer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace cairn::cli {

namespace {

const QString kDefaultStateDir = QStringLiteral("/var/lib/cairn");

QString stateDir(const Args &a)
{
    return a.values.contains(QStringLiteral("state")) ? a.value(QStringLiteral("state")) : kDefaultStateDir;
}

QString credentialsPath(const Args &a)
{
    return QDir(stateDir(a)).filePath(QStringLiteral("agent.json"));
}

// The tenant's repository on the server, with the local index cache synced first (for commands
// that look blobs up: backup, restore, check).
Result<std::unique_ptr<Repository>> openRemote(const Args &a, bool syncIndex)
{
    auto credentials = AgentCredentials::load(credentialsPath(a));
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
    connection->setRetryObserver([](const Error &e, qint64 waitMs) {
        err(QStringLiteral("warning: %1; retrying in %2").arg(e.message, formatDuration(double(waitMs) / 1000)));
    });
    const QString indexPath = QDir(stateDir(a)).filePath(QStringLiteral("index.sqlite"));
    auto index = SqliteIndex::open(indexPath);
    if (!index && index.error().code == ErrorCode::Corrupt) {
        err(QStringLiteral("cairn-agent: the index cache is damaged (%1); fetching it again from the server")
                .arg(index.error().message));
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::rename(
                indexPath + QLatin1String(suffix), indexPath + QLatin1String(suffix) + QStringLiteral(".damaged"));
        index = SqliteIndex::open(indexPath);
    }
    if (!index)
        return index.error();
    if (syncIndex) {
        ProgressLine line;
        RemoteIndexSync sync(*connection, **index, indexPath, config->id);
        auto synced = sync.sync([&](const IndexSyncStats &s) {
            line.update(QStringLiteral("updating the index cache: %1 packs, %2 blobs").arg(s.packs).arg(s.blobs));
        });
        line.clear();
        if (!synced) {
            keys->wipe();
            return synced.error().wrapped(QStringLiteral("updating the index cache"));
        }
    }
    auto repo
        = Repository::openWithKeys(std::make_unique<RemoteBackend>(connection), std::move(*index), *keys, *config);
    keys->wipe();
    return repo;
}

OpenRepository remoteOpener(const Args &a)
{
    return [&a](Purpose purpose) { return openRemote(a, purpose != Purpose::List); };
}

} // namespace

QString remoteUsage()
{
    return QStringLiteral("Usage:\n"
                          "  cairn-agent enroll --server URL --code CODE --fingerprint FP [--state DIR]\n"
                          "                     [--hostname NAME] [--force]\n"
                          "  cairn-agent remote backup    [--state DIR] [--exclude GLOB]... [--cross-file-systems]\n"
                          "                               [--no-parent] [--host NAME] PATH...\n"
                          "  cairn-agent remote snapshots [--state DIR] [--json]\n"
                          "  cairn-agent remote restore   [--state DIR] --snapshot ID|latest --target DIR\n"
                          "                               [--existing skip|overwrite|keep-both] [PATH...]\n"
                          "  cairn-agent remote check     [--state DIR] [--read-data]\n"
                          "\n"
                          "enroll   joins this machine to a tenant on a Cairn server with the one-time CODE and the\n"
                          "         certificate fingerprint FP the administrator gave out (the server's certificate\n"
                          "         must match it; from then on only that certificate is trusted). The credentials\n"
                          "         go to DIR/agent.json (mode 0600); DIR defaults to /var/lib/cairn. --force\n"
                          "         replaces an existing enrollment.\n"
                          "remote   runs backup, snapshots, restore and check like the local commands, against the\n"
                          "         tenant's repository on the server. Data already stored by any agent of the\n"
                          "         tenant is not uploaded again. Agents can add data but never delete it.\n"
                          "\n"
                          "Exit status: 0 success, 1 failure, 2 usage error, 3 finished but items failed or damage\n"
                          "was found.\n");
}

int runEnroll(const QStringList &args)
{
    if (wantsHelp(args)) {
        out(remoteUsage());
        return ExitOk;
    }
    const Args a = Args::parse(args,
        {QStringLiteral("server"), QStringLiteral("code"), QStringLiteral("fingerprint"), QStringLiteral("state"),
            QStringLiteral("hostname")},
        {QStringLiteral("force")});
    if (!a.error.isEmpty())
        return usageError(a.error, "enroll");
    if (!a.positional.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.first()), "enroll");
    for (const char *required : {"server", "code", "fingerprint"})
        if (a.value(QLatin1String(required)).isEmpty())
            return usageError(QStringLiteral("enroll needs --%1").arg(QLatin1String(required)), "enroll");
    const QString path = credentialsPath(a);
    if (QFileInfo::exists(path) && !a.has(QStringLiteral("force"))) {
        err(QStringLiteral("cairn-agent: this agent is already enrolled (%1); use --force to enroll again").arg(path));
        return ExitFailure;
    }
    const QString dir = stateDir(a);
    if (!QFileInfo(dir).isDir()) {
        if (!QDir().mkpath(dir))
            return failure(Error(ErrorCode::Io, QStringLiteral("cannot create the state folder %1").arg(dir)));
        ::chmod(QFile::encodeName(dir).constData(), 0700);
    }
    const QString hostname
        = a.has(QStringLiteral("hostname")) ? a.value(QStringLiteral("hostname")) : QSysInfo::machineHostName();
    auto credentials = enroll(a.value(QStringLiteral("server")), a.value(QStringLiteral("code")),
        a.value(QStringLiteral("fingerprint")), hostname, QSysInfo::prettyProductName(), QStringLiteral(CAIRN_VERSION));
    if (!credentials)
        return failure(credentials.error());
    const Status saved = credentials->save(path);
    if (!saved.ok()) {
        credentials->wipe();
        return failure(saved.error());
    }
    out(QStringLiteral("enrolled as agent %1 of tenant %2 at %3")
            .arg(credentials->agentId)
            .arg(credentials->tenantId)
            .arg(credentials->serverUrl));
    out(QStringLiteral("credentials saved to %1").arg(path));
    credentials->wipe();
    return ExitOk;
}

int runRemote(const QStringList &args)
{
    if (args.isEmpty() || wantsHelp(args)) {
        out(remoteUsage());
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    const QString cmd = args.first();
    QStringList valueOptions {QStringLiteral("state")};
    QStringList flagOptions;
    if (cmd == u"backup") {
        valueOptions << QStringLiteral("exclude") << QStringLiteral("host");
        flagOptions << QStringLiteral("cross-file-systems") << QStringLiteral("no-parent");
    } else if (cmd == u"restore") {
        valueOptions << QStringLiteral("snapshot") << QStringLiteral("target") << QStringLiteral("existing");
    } else if (cmd == u"check") {
        flagOptions << QStringLiteral("read-data");
    } else if (cmd == u"snapshots") {
        flagOptions << QStringLiteral("json");
    } else {
        return usageError(QStringLiteral("unknown command '%1'").arg(cmd), "remote");
    }
    const Args a = Args::parse(args.mid(1), valueOptions, flagOptions);
    if (!a.error.isEmpty())
        return usageError(a.error, "remote");
    if (cmd != u"backup" && cmd != u"restore" && !a.positional.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.first()), "remote");
    if (cmd == u"backup")
        return backupCommand(a, remoteOpener(a), "remote");
    if (cmd == u"snapshots")
        return snapshotsCommand(a, remoteOpener(a), "remote");
    if (cmd == u"restore")
        return restoreCommand(a, remoteOpener(a), "remote");
    return checkCommand(a, remoteOpener(a), "remote");
}

} // namespace cairn::cli
