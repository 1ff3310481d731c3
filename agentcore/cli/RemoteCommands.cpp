// `cairn-agent enroll` and `cairn-agent remote …`: argument parsing, opening the tenant's
// repository on the server (credentials, RemoteBackend, synced index cache) and the same engine
// runs and output as the local commands. Main thread.
#include "cli/RemoteCommands.h"

#include "archiver/Archiver.h"
#include "checker/Checker.h"
#include "cli/LocalCommands.h"
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

void out(const QString &s)
{
    std::fputs(s.toLocal8Bit().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void err(const QString &s)
{
    std::fputs(s.toLocal8Bit().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

QString showPath(const QByteArray &p)
{
    return QString::fromLocal8Bit(p);
}

// --name VALUE, --name=VALUE, --flag and positionals (the same rules as the local commands).
struct Args {
    QHash<QString, QStringList> values;
    QStringList flags, positional;
    QString error;

    static Args parse(const QStringList &in, const QStringList &valueOptions, const QStringList &flagOptions)
    {
        Args a;
        bool onlyPositional = false;
        for (int i = 0; i < in.size(); ++i) {
            const QString &s = in[i];
            if (onlyPositional || !s.startsWith(QLatin1String("--"))) {
                a.positional << s;
                continue;
            }
            if (s == u"--") {
                onlyPositional = true;
                continue;
            }
            QString name = s.mid(2), value;
            const int eq = name.indexOf(QLatin1Char('='));
            if (eq >= 0) {
                value = name.mid(eq + 1);
                name = name.left(eq);
            }
            if (valueOptions.contains(name)) {
                if (eq < 0) {
                    if (i + 1 >= in.size()) {
                        a.error = QStringLiteral("option --%1 needs a value").arg(name);
                        return a;
                    }
                    value = in[++i];
                }
                a.values[name] << value;
            } else if (flagOptions.contains(name) && eq < 0) {
                a.flags << name;
            } else {
                a.error = QStringLiteral("unknown option --%1").arg(name);
                return a;
            }
        }
        return a;
    }
    QString value(const QString &name) const { return values.value(name).value(0); }
    bool has(const QString &name) const { return flags.contains(name) || values.contains(name); }
    QString stateDir() const
    {
        return values.contains(QStringLiteral("state")) ? value(QStringLiteral("state")) : kDefaultStateDir;
    }
};

int usageError(const QString &message, const char *command)
{
    err(QStringLiteral("cairn-agent: %1").arg(message));
    err(QStringLiteral("Try 'cairn-agent %1 --help'.").arg(QLatin1String(command)));
    return ExitUsage;
}

int failure(const Error &e)
{
    err(QStringLiteral("cairn-agent: error: %1").arg(e.message));
    return ExitFailure;
}

QByteArray absolutePath(const QString &arg)
{
    QByteArray p = QFile::encodeName(arg);
    if (!p.startsWith('/')) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return p;
        p = QByteArray(cwd) + '/' + p;
    }
    QList<QByteArray> parts;
    for (const QByteArray &c : p.split('/')) {
        if (c.isEmpty() || c == ".")
            continue;
        if (c == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
            continue;
        }
        parts << c;
    }
    QByteArray clean;
    for (const QByteArray &c : parts)
        clean += '/' + c;
    return clean.isEmpty() ? QByteArray("/") : clean;
}

QString credentialsPath(const Args &a)
{
    return QDir(a.stateDir()).filePath(QStringLiteral("agent.json"));
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
    const QString indexPath = QDir(a.stateDir()).filePath(QStringLiteral("index.sqlite"));
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

int cmdBackup(const Args &a)
{
    if (a.positional.isEmpty())
        return usageError(QStringLiteral("backup needs at least one PATH"), "remote");
    auto repo = openRemote(a, true);
    if (!repo)
        return failure(repo.error());
    BackupOptions options;
    for (const QString &p : a.positional)
        options.paths << absolutePath(p);
    options.excludes = a.values.value(QStringLiteral("exclude"));
    options.oneFileSystem = !a.has(QStringLiteral("cross-file-systems"));
    options.useParent = !a.has(QStringLiteral("no-parent"));
    if (a.values.contains(QStringLiteral("host")))
        options.hostname = a.value(QStringLiteral("host"));
    ProgressLine line;
    BackupCallbacks cb;
    cb.progress = [&](const BackupProgress &p) {
        const double rate = p.seconds > 0 ? p.bytesDone / p.seconds : 0;
        line.update(
            QStringLiteral("[%1] %2 files, %3 scanned, %4 new, %5 uploaded, %6/s")
                .arg(formatDuration(p.seconds))
                .arg(p.filesDone)
                .arg(formatBytes(p.bytesDone), formatBytes(p.bytesNew), formatBytes(p.bytesStored), formatBytes(rate)));
    };
    cb.warning = [&](const QByteArray &path, const QString &m) {
        line.clear();
        err(QStringLiteral("warning: %1: %2").arg(showPath(path), m));
    };
    cb.error = [&](const QByteArray &path, const Error &e) {
        line.clear();
        err(QStringLiteral("error: %1: %2").arg(showPath(path), e.message));
    };
    Archiver archiver(**repo, cb);
    auto snap = archiver.run(options);
    line.clear();
    if (!snap)
        return failure(snap.error());
    const BackupStats &s = snap->stats;
    out(QStringLiteral("snapshot %1 saved").arg(snap->id.toHex()));
    out(QStringLiteral("files: %1 (new %2, changed %3, unchanged %4), directories: %5, other: %6")
            .arg(s.files)
            .arg(s.filesNew)
            .arg(s.filesChanged)
            .arg(s.filesUnchanged)
            .arg(s.dirs)
            .arg(s.others));
    out(QStringLiteral("scanned %1, read %2, new %3, stored %4 in %5")
            .arg(formatBytes(s.bytesScanned), formatBytes(s.bytesRead), formatBytes(s.bytesNew),
                formatBytes(s.bytesStored), formatDuration(s.seconds)));
    if (s.warnings || s.errors)
        out(QStringLiteral("%1 warnings, %2 errors").arg(s.warnings).arg(s.errors));
    return s.errors ? ExitPartial : ExitOk;
}

int cmdSnapshots(const Args &a)
{
    auto repo = openRemote(a, false);
    if (!repo)
        return failure(repo.error());
    std::vector<Error> problems;
    auto list = (*repo)->listSnapshots(&problems);
    if (!list)
        return failure(list.error());
    for (const Error &e : problems)
        err(QStringLiteral("error: %1").arg(e.message));
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const Snapshot &s : *list) {
            QJsonArray paths;
            for (const QByteArray &p : s.paths)
                paths.append(showPath(p));
            arr.append(QJsonObject {{QStringLiteral("id"), s.id.toHex()},
                {QStringLiteral("time"), s.time.toString(Qt::ISODateWithMs)}, {QStringLiteral("hostname"), s.hostname},
                {QStringLiteral("paths"), paths}, {QStringLiteral("files"), s.stats.files},
                {QStringLiteral("files_unchanged"), s.stats.filesUnchanged},
                {QStringLiteral("bytes_scanned"), s.stats.bytesScanned},
                {QStringLiteral("bytes_read"), s.stats.bytesRead}, {QStringLiteral("bytes_new"), s.stats.bytesNew},
                {QStringLiteral("bytes_stored"), s.stats.bytesStored}});
        }
        out(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        out(QStringLiteral("%1  %2  %3  %4  %5")
                .arg(QStringLiteral("ID"), -8)
                .arg(QStringLiteral("Time (UTC)"), -19)
                .arg(QStringLiteral("Host"), -16)
                .arg(QStringLiteral("Size"), 10)
                .arg(QStringLiteral("Paths")));
        for (const Snapshot &s : *list) {
            QStringList paths;
            for (const QByteArray &p : s.paths)
                paths << showPath(p);
            out(QStringLiteral("%1  %2  %3  %4  %5")
                    .arg(s.id.shortHex(), -8)
                    .arg(s.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), -19)
                    .arg(s.hostname.left(16), -16)
                    .arg(formatBytes(double(s.stats.bytesScanned)), 10)
                    .arg(paths.join(QStringLiteral(", "))));
        }
        out(QStringLiteral("%1 snapshots").arg(list->size()));
    }
    return problems.empty() ? ExitOk : ExitPartial;
}

int cmdRestore(const Args &a)
{
    const QString spec = a.value(QStringLiteral("snapshot"));
    const QString target = a.value(QStringLiteral("target"));
    if (spec.isEmpty() || target.isEmpty())
        return usageError(QStringLiteral("restore needs --snapshot ID|latest and --target DIR"), "remote");
    RestoreOptions options;
    options.target = absolutePath(target);
    const QString existing = a.values.contains(QStringLiteral("existing")) ? a.value(QStringLiteral("existing"))
                                                                           : QStringLiteral("overwrite");
    if (existing == u"skip")
        options.existing = ExistingPolicy::Skip;
    else if (existing == u"overwrite")
        options.existing = ExistingPolicy::Overwrite;
    else if (existing == u"keep-both")
        options.existing = ExistingPolicy::KeepBoth;
    else
        return usageError(QStringLiteral("--existing takes skip, overwrite or keep-both"), "remote");
    for (const QString &p : a.positional)
        options.include << absolutePath(p);
    auto repo = openRemote(a, true);
    if (!repo)
        return failure(repo.error());
    auto snap = (*repo)->findSnapshot(spec);
    if (!snap)
        return failure(snap.error());
    ProgressLine line;
    RestoreCallbacks cb;
    cb.progress = [&](const RestoreProgress &p) {
        const double rate = p.seconds > 0 ? p.bytesDone / p.seconds : 0;
        line.update(QStringLiteral("[%1] %2 files, %3 of %4, %5/s")
                        .arg(formatDuration(p.seconds))
                        .arg(p.filesDone)
                        .arg(formatBytes(p.bytesDone), formatBytes(p.bytesTotal), formatBytes(rate)));
    };
    cb.error = [&](const QByteArray &path, const Error &e) {
        line.clear();
        err(QStringLiteral("error: %1: %2").arg(showPath(path), e.message));
    };
    cb.warning = [&](const QByteArray &path, const QString &m) {
        line.clear();
        err(QStringLiteral("warning: %1: %2").arg(showPath(path), m));
    };
    auto stats = Restorer(**repo, cb).run(*snap, options);
    line.clear();
    if (!stats)
        return failure(stats.error());
    out(QStringLiteral("restored snapshot %1 to %2: %3 files, %4 directories, %5 other, %6")
            .arg(snap->id.shortHex(), target)
            .arg(stats->files)
            .arg(stats->dirs)
            .arg(stats->others)
            .arg(formatBytes(stats->bytes)));
    if (stats->skipped)
        out(QStringLiteral("%1 existing entries skipped").arg(stats->skipped));
    if (stats->errors) {
        out(QStringLiteral("%1 errors, %2 damaged files").arg(stats->errors).arg(stats->damagedFiles));
        return ExitPartial;
    }
    return ExitOk;
}

int cmdCheck(const Args &a)
{
    auto repo = openRemote(a, true);
    if (!repo)
        return failure(repo.error());
    ProgressLine line;
    CheckCallbacks cb;
    cb.progress = [&](const QString &phase, qint64 done, qint64 total) {
        line.update(QStringLiteral("checking %1: %2 of %3").arg(phase).arg(done).arg(total));
    };
    cb.problem = [&](const QString &p) {
        line.clear();
        err(QStringLiteral("damage: %1").arg(p));
    };
    cb.note = [&](const QString &n) {
        line.clear();
        err(QStringLiteral("note: %1").arg(n));
    };
    CheckOptions options;
    options.readData = a.has(QStringLiteral("read-data"));
    auto stats = Checker(**repo, cb).run(options);
    line.clear();
    if (!stats)
        return failure(stats.error());
    out(QStringLiteral("checked %1 snapshots, %2 trees, %3 chunks, %4 packs")
            .arg(stats->snapshots)
            .arg(stats->trees)
            .arg(stats->dataRefs)
            .arg(stats->packs));
    if (options.readData)
        out(QStringLiteral("read %1 packs, %2 blobs, %3")
                .arg(stats->packsRead)
                .arg(stats->blobsRead)
                .arg(formatBytes(double(stats->bytesRead))));
    if (stats->problems) {
        out(QStringLiteral("%1 problems found: the repository is damaged").arg(stats->problems));
        return ExitPartial;
    }
    out(QStringLiteral("no problems found"));
    return ExitOk;
}

bool wantsHelp(const QStringList &args)
{
    return args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h")) || args.value(0) == u"help";
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
    const QString dir = a.stateDir();
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
        return cmdBackup(a);
    if (cmd == u"snapshots")
        return cmdSnapshots(a);
    if (cmd == u"restore")
        return cmdRestore(a);
    return cmdCheck(a);
}

} // namespace cairn::cli
