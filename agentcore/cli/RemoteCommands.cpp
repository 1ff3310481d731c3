// `cairn-agent enroll` and `cairn-agent remote …`: argument parsing, opening the tenant's
// repository on the server (credentials, RemoteBackend, synced index cache) and the same engine
// runs and output as the local commands. Main thread.
#include "cli/RemoteCommands.h"

#include "archiver/Archiver.h"
#include "checker/Checker.h"
#include "cli/RepositoryCommands.h"
#include "cli/ServiceCommands.h"
#include "cli/Terminal.h"
#include "platform/Platform.h"
#include "remote/Enrollment.h"
#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"
#include "restorer/Restorer.h"
#include "service/RemoteRepository.h"
#include "service/StateFolder.h"

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

// The state folder by --state, --config or the default (see ServiceCommands.h); the config
// file was checked already when the command parsed its arguments.
QString stateDir(const Args &a)
{
    auto settings = commandSettings(a);
    return settings ? settings->stateDir : AgentSettings::defaults().stateDir;
}

// A command's settings or the exit code of a config file that cannot be used.
std::optional<int> checkSettings(const Args &a)
{
    auto settings = commandSettings(a);
    if (!settings)
        return failure(settings.error());
    return std::nullopt;
}

// The tenant's repository on the server, with the local index cache synced first (for commands
// that look blobs up: backup, restore, check).
Result<std::unique_ptr<Repository>> openRemote(const Args &a, bool syncIndex)
{
    ProgressLine line;
    RemoteRepositoryOptions options;
    options.syncIndex = syncIndex;
    options.retryObserver = [](const Error &e, qint64 waitMs) {
        err(QStringLiteral("warning: %1; retrying in %2").arg(e.message, formatDuration(double(waitMs) / 1000)));
    };
    options.syncProgress = [&](const IndexSyncStats &s) {
        line.update(QStringLiteral("updating the index cache: %1 packs, %2 blobs").arg(s.packs).arg(s.blobs));
    };
    options.warning = [](const QString &m) { err(QStringLiteral("cairn-agent: ") + m); };
    auto remote = openRemoteRepository(stateDir(a), options);
    line.clear();
    if (!remote)
        return remote.error();
    return std::move(remote->repository);
}

OpenRepository remoteOpener(const Args &a)
{
    return [&a](Purpose purpose) { return openRemote(a, purpose != Purpose::List); };
}

} // namespace

QString remoteUsage()
{
    return QStringLiteral("Usage:\n"
                          "  cairn-agent enroll URL --code CODE --fingerprint FP [--state DIR] [--config FILE]\n"
                          "                     [--hostname NAME] [--force]\n"
                          "  cairn-agent snapshots [--json]          (= remote snapshots)\n"
                          "  cairn-agent restore --snapshot ID|latest --target DIR [--existing POLICY] [PATH...]\n"
                          "                                          (= remote restore)\n"
                          "  cairn-agent remote backup    [--state DIR] [--exclude GLOB]... [--cross-file-systems]\n"
                          "                               [--no-parent] [--host NAME] PATH...\n"
                          "  cairn-agent remote snapshots [--state DIR] [--json]\n"
                          "  cairn-agent remote restore   [--state DIR] --snapshot ID|latest --target DIR\n"
                          "                               [--existing skip|overwrite|keep-both] [PATH...]\n"
                          "  cairn-agent remote check     [--state DIR] [--read-data]\n"
                          "\n"
                          "enroll   joins this machine to a tenant on the Cairn server at URL (https://HOST:PORT; also\n"
                          "         accepted as --server URL) with the one-time CODE and the\n"
                          "         certificate fingerprint FP the administrator gave out (the server's certificate\n"
                          "         must match it; from then on only that certificate is trusted). The credentials\n"
                          "         go to DIR/agent.json (mode 0600); DIR defaults to /var/lib/cairn. --force\n"
                          "         replaces an existing enrollment.\n"
                          "         The machine's host name, OS, kernel and agent version are registered.\n"
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
            QStringLiteral("hostname"), QStringLiteral("config")},
        {QStringLiteral("force")});
    if (!a.error.isEmpty())
        return usageError(a.error, "enroll");
    if (a.positional.size() > 1 || (a.positional.size() == 1 && a.values.contains(QStringLiteral("server"))))
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.last()), "enroll");
    const QString serverUrl = a.positional.isEmpty() ? a.value(QStringLiteral("server")) : a.positional.first();
    if (serverUrl.isEmpty())
        return usageError(QStringLiteral("enroll needs the server's URL (https://HOST:PORT)"), "enroll");
    for (const char *required : {"code", "fingerprint"})
        if (a.value(QLatin1String(required)).isEmpty())
            return usageError(QStringLiteral("enroll needs --%1").arg(QLatin1String(required)), "enroll");
    if (auto bad = checkSettings(a))
        return *bad;
    const QString path = credentialsPath(stateDir(a));
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
    const platform::HostInfo host = platform::hostInfo();
    const QString hostname = a.has(QStringLiteral("hostname")) ? a.value(QStringLiteral("hostname")) : host.hostname;
    EnrollmentOptions options;
    options.kernel = host.kernel;
    options.architecture = host.architecture;
    auto credentials = enroll(serverUrl, a.value(QStringLiteral("code")), a.value(QStringLiteral("fingerprint")),
        hostname, host.os, QStringLiteral(CAIRN_VERSION), options);
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
    QStringList valueOptions {QStringLiteral("state"), QStringLiteral("config")};
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
    if (auto bad = checkSettings(a))
        return *bad;
    // Backups and restores take turns with the service's jobs (one engine run per state folder).
    // (Without a state folder there is nothing to lock: opening the repository says "enroll".)
    std::unique_ptr<FileLock> jobLock;
    const StateFolder state(stateDir(a));
    if ((cmd == u"backup" || cmd == u"restore") && QFileInfo(state.dir()).isDir()) {
        auto lock = state.tryLock(QStringLiteral("job.lock"));
        if (!lock)
            return failure(lock.error());
        if (!*lock) {
            err(QStringLiteral("cairn-agent: a backup or restore is already running on this machine; try again when it "
                               "has finished ('cairn-agent status' shows it)"));
            return ExitFailure;
        }
        jobLock = std::move(*lock);
    }
    if (cmd == u"backup")
        return backupCommand(a, remoteOpener(a), "remote");
    if (cmd == u"snapshots")
        return snapshotsCommand(a, remoteOpener(a), "remote");
    if (cmd == u"restore")
        return restoreCommand(a, remoteOpener(a), "remote", kRemoteRestoreWorkers);
    return checkCommand(a, remoteOpener(a), "remote");
}

} // namespace cairn::cli
