#include "cli/LocalCommands.h"

#include "archiver/Archiver.h"
#include "backend/LocalBackend.h"
#include "checker/Checker.h"
#include "cli/Terminal.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"
#include "restorer/Restorer.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <termios.h>
#include <unistd.h>

#include <cstdio>

namespace cairn::cli {

namespace {

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

// A minimal option parser: --name VALUE, --name=VALUE, --flag, and positionals.
struct Args {
    QHash<QString, QStringList> values;
    QStringList flags;
    QStringList positional;
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
            const bool hasInline = eq >= 0;
            if (hasInline) {
                value = name.mid(eq + 1);
                name = name.left(eq);
            }
            if (valueOptions.contains(name)) {
                if (!hasInline) {
                    if (i + 1 >= in.size()) {
                        a.error = QStringLiteral("option --%1 needs a value").arg(name);
                        return a;
                    }
                    value = in[++i];
                }
                a.values[name] << value;
            } else if (flagOptions.contains(name) && !hasInline) {
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
};

int usageError(const QString &message)
{
    err(QStringLiteral("cairn-agent: %1").arg(message));
    err(QStringLiteral("Try 'cairn-agent local --help'."));
    return ExitUsage;
}

int failure(const Error &e)
{
    err(QStringLiteral("cairn-agent: error: %1").arg(e.message));
    return e.code == ErrorCode::WrongPassphrase ? ExitWrongPassphrase : ExitFailure;
}

Result<QByteArray> passphrase(const Args &a, bool confirm)
{
    if (a.values.contains(QStringLiteral("passphrase-file"))) {
        QFile f(a.value(QStringLiteral("passphrase-file")));
        if (!f.open(QIODevice::ReadOnly))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("cannot read passphrase file %1: %2").arg(f.fileName(), f.errorString()));
        QByteArray p = f.readLine();
        while (p.endsWith('\n') || p.endsWith('\r'))
            p.chop(1);
        if (p.isEmpty())
            return Error(ErrorCode::InvalidArgument, QStringLiteral("passphrase file %1 is empty").arg(f.fileName()));
        return p;
    }
    const QByteArray env = qgetenv("CAIRN_PASSPHRASE");
    if (!env.isEmpty())
        return env;
    if (!isatty(STDIN_FILENO))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("no passphrase: set CAIRN_PASSPHRASE or use --passphrase-file FILE"));
    auto ask = [](const char *prompt) {
        std::fputs(prompt, stderr);
        termios old, quiet;
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        char buf[1024] = {};
        const bool ok = std::fgets(buf, sizeof buf, stdin) != nullptr;
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fputc('\n', stderr);
        QByteArray p = ok ? QByteArray(buf) : QByteArray();
        while (p.endsWith('\n') || p.endsWith('\r'))
            p.chop(1);
        return p;
    };
    const QByteArray p = ask("Repository passphrase: ");
    if (p.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("empty passphrase"));
    if (confirm && ask("Repeat passphrase: ") != p)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the passphrases differ"));
    return p;
}

// Opens a local repository: the backend folder plus its index cache (rebuilt when missing or
// unreadable, from the pack headers).
Result<std::unique_ptr<Repository>> openLocal(const Args &a, bool reconcile)
{
    const QString dir = a.value(QStringLiteral("repo"));
    auto pass = passphrase(a, false);
    if (!pass)
        return pass.error();
    auto backend = LocalBackend::open(dir);
    if (!backend)
        return backend.error();
    (*backend)->removeStaleTemporaries().ok();
    const QString indexPath = QDir(dir).filePath(QStringLiteral("index.sqlite"));
    auto index = SqliteIndex::open(indexPath);
    if (!index && index.error().code == ErrorCode::Corrupt) {
        err(QStringLiteral("cairn-agent: the index cache is damaged (%1); rebuilding it from the packs").arg(index.error().message));
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::rename(indexPath + QLatin1String(suffix), indexPath + QLatin1String(suffix) + QStringLiteral(".damaged"));
        index = SqliteIndex::open(indexPath);
    }
    if (!index)
        return index.error();
    auto repo = Repository::open(std::move(*backend), std::move(*index), *pass);
    if (!repo)
        return repo.error();
    if (reconcile) {
        auto added = (*repo)->indexUnknownPacks();
        if (!added)
            return added.error();
    }
    return repo;
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
    // Lexical clean-up: collapse "//", ".", "..".
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

int cmdInit(const Args &a)
{
    auto pass = passphrase(a, true);
    if (!pass)
        return failure(pass.error());
    auto backend = LocalBackend::create(a.value(QStringLiteral("repo")));
    if (!backend)
        return failure(backend.error());
    RepositoryOptions options;
    if (a.values.contains(QStringLiteral("chunk-sizes"))) {
        const QStringList parts = a.value(QStringLiteral("chunk-sizes")).split(QLatin1Char('/'));
        bool ok = parts.size() == 3;
        uint32_t v[3] = {};
        for (int i = 0; ok && i < 3; ++i)
            v[i] = parts[i].toUInt(&ok) * 1024;
        if (!ok)
            return usageError(QStringLiteral("--chunk-sizes takes MIN/AVG/MAX in KiB, e.g. 32/128/512"));
        options.chunker = {v[0], v[1], v[2]};
    }
    if (a.values.contains(QStringLiteral("compression-level"))) {
        bool ok = false;
        options.compressionLevel = a.value(QStringLiteral("compression-level")).toInt(&ok);
        if (!ok)
            return usageError(QStringLiteral("--compression-level takes a number from 1 to 19"));
    }
    if (Status s = Repository::init(**backend, *pass, options); !s.ok())
        return failure(s.error());
    out(QStringLiteral("created repository at %1").arg(a.value(QStringLiteral("repo"))));
    return ExitOk;
}

int cmdBackup(const Args &a)
{
    if (a.positional.isEmpty())
        return usageError(QStringLiteral("backup needs at least one PATH"));
    auto repo = openLocal(a, true);
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
        line.update(QStringLiteral("[%1] %2 files, %3 scanned, %4 new, %5 stored, %6/s%7")
                        .arg(formatDuration(p.seconds)).arg(p.filesDone)
                        .arg(formatBytes(p.bytesDone), formatBytes(p.bytesNew), formatBytes(p.bytesStored), formatBytes(rate))
                        .arg(p.errors ? QStringLiteral(", %1 errors").arg(p.errors) : QString()));
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
            .arg(s.files).arg(s.filesNew).arg(s.filesChanged).arg(s.filesUnchanged).arg(s.dirs).arg(s.others));
    out(QStringLiteral("scanned %1, read %2, new %3, stored %4 in %5")
            .arg(formatBytes(s.bytesScanned), formatBytes(s.bytesRead), formatBytes(s.bytesNew), formatBytes(s.bytesStored),
                 formatDuration(s.seconds)));
    if (s.warnings || s.errors)
        out(QStringLiteral("%1 warnings, %2 errors").arg(s.warnings).arg(s.errors));
    return s.errors ? ExitPartial : ExitOk;
}

int cmdSnapshots(const Args &a)
{
    auto repo = openLocal(a, false);
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
            QJsonObject o;
            o.insert(QStringLiteral("id"), s.id.toHex());
            o.insert(QStringLiteral("time"), s.time.toString(Qt::ISODateWithMs));
            o.insert(QStringLiteral("hostname"), s.hostname);
            QJsonArray paths;
            for (const QByteArray &p : s.paths)
                paths.append(showPath(p));
            o.insert(QStringLiteral("paths"), paths);
            o.insert(QStringLiteral("files"), s.stats.files);
            o.insert(QStringLiteral("bytes_scanned"), s.stats.bytesScanned);
            o.insert(QStringLiteral("bytes_stored"), s.stats.bytesStored);
            arr.append(o);
        }
        out(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        out(QStringLiteral("%1  %2  %3  %4  %5").arg(QStringLiteral("ID"), -8).arg(QStringLiteral("Time (UTC)"), -19)
                .arg(QStringLiteral("Host"), -16).arg(QStringLiteral("Size"), 10).arg(QStringLiteral("Paths")));
        for (const Snapshot &s : *list) {
            QStringList paths;
            for (const QByteArray &p : s.paths)
                paths << showPath(p);
            out(QStringLiteral("%1  %2  %3  %4  %5").arg(s.id.shortHex(), -8)
                    .arg(s.time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), -19).arg(s.hostname.left(16), -16)
                    .arg(formatBytes(double(s.stats.bytesScanned)), 10).arg(paths.join(QStringLiteral(", "))));
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
        return usageError(QStringLiteral("restore needs --snapshot ID|latest and --target DIR"));
    RestoreOptions options;
    options.target = absolutePath(target);
    const QString existing = a.values.contains(QStringLiteral("existing")) ? a.value(QStringLiteral("existing")) : QStringLiteral("overwrite");
    if (existing == u"skip")
        options.existing = ExistingPolicy::Skip;
    else if (existing == u"overwrite")
        options.existing = ExistingPolicy::Overwrite;
    else if (existing == u"keep-both")
        options.existing = ExistingPolicy::KeepBoth;
    else
        return usageError(QStringLiteral("--existing takes skip, overwrite or keep-both"));
    for (const QString &p : a.positional)
        options.include << absolutePath(p);
    auto repo = openLocal(a, false);
    if (!repo)
        return failure(repo.error());
    auto snap = (*repo)->findSnapshot(spec);
    if (!snap)
        return failure(snap.error());
    ProgressLine line;
    RestoreCallbacks cb;
    cb.progress = [&](const RestoreProgress &p) {
        const double rate = p.seconds > 0 ? p.bytesDone / p.seconds : 0;
        line.update(QStringLiteral("[%1] %2 files, %3 of %4, %5/s").arg(formatDuration(p.seconds)).arg(p.filesDone)
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
    Restorer restorer(**repo, cb);
    auto stats = restorer.run(*snap, options);
    line.clear();
    if (!stats)
        return failure(stats.error());
    out(QStringLiteral("restored snapshot %1 to %2: %3 files, %4 directories, %5 other, %6")
            .arg(snap->id.shortHex(), target).arg(stats->files).arg(stats->dirs).arg(stats->others).arg(formatBytes(stats->bytes)));
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
    auto repo = openLocal(a, false);
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
    out(QStringLiteral("checked %1 snapshots, %2 trees, %3 chunks, %4 packs").arg(stats->snapshots).arg(stats->trees)
            .arg(stats->dataRefs).arg(stats->packs));
    if (options.readData)
        out(QStringLiteral("read %1 packs, %2 blobs, %3").arg(stats->packsRead).arg(stats->blobsRead).arg(formatBytes(double(stats->bytesRead))));
    if (stats->problems) {
        out(QStringLiteral("%1 problems found: the repository is damaged").arg(stats->problems));
        return ExitPartial;
    }
    out(QStringLiteral("no problems found"));
    return ExitOk;
}

} // namespace

QString localUsage()
{
    return QStringLiteral(
        "Usage:\n"
        "  cairn-agent local init      --repo DIR [--chunk-sizes MIN/AVG/MAX] [--compression-level N]\n"
        "  cairn-agent local backup    --repo DIR [--exclude GLOB]... [--cross-file-systems] [--no-parent] PATH...\n"
        "  cairn-agent local snapshots --repo DIR [--json]\n"
        "  cairn-agent local restore   --repo DIR --snapshot ID|latest --target DIR\n"
        "                              [--existing skip|overwrite|keep-both] [PATH...]\n"
        "  cairn-agent local check     --repo DIR [--read-data]\n"
        "\n"
        "Every command takes --passphrase-file FILE; otherwise the passphrase comes from\n"
        "CAIRN_PASSPHRASE, or is asked for on a terminal.\n"
        "\n"
        "init     creates an encrypted repository. Chunk sizes (KiB, default 32/128/512; AVG a\n"
        "         power of two) and the zstd level (default 2) are fixed for its lifetime.\n"
        "backup   stores PATHs (files unchanged since the last snapshot of the same host and\n"
        "         paths are not read again). --exclude GLOB (repeatable) skips matching entries:\n"
        "         a GLOB with '/' matches the whole path, else the name. The walk stays on the\n"
        "         file system of each PATH unless --cross-file-systems is given.\n"
        "restore  recreates the snapshot's absolute paths below DIR (use --target / for the\n"
        "         original location); PATHs restrict it to those paths. Existing entries are\n"
        "         overwritten (default), skipped, or kept with the restored copy beside them as\n"
        "         NAME.restored.\n"
        "check    verifies the structure; --read-data also reads and verifies every blob.\n"
        "\n"
        "Exit status: 0 success, 1 failure, 2 usage error, 3 finished but items failed or damage\n"
        "was found, 4 wrong passphrase.\n");
}

int runLocal(const QStringList &args)
{
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        out(localUsage());
        return args.isEmpty() ? ExitUsage : ExitOk;
    }
    const QString cmd = args.first();
    const QStringList rest = args.mid(1);
    if (rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"))) {
        out(localUsage());
        return ExitOk;
    }
    QStringList valueOptions{QStringLiteral("repo"), QStringLiteral("passphrase-file")};
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
    } else if (cmd == u"init") {
        valueOptions << QStringLiteral("chunk-sizes") << QStringLiteral("compression-level");
    } else {
        return usageError(QStringLiteral("unknown command '%1'").arg(cmd));
    }
    const Args a = Args::parse(rest, valueOptions, flagOptions);
    if (!a.error.isEmpty())
        return usageError(a.error);
    if (a.value(QStringLiteral("repo")).isEmpty())
        return usageError(QStringLiteral("%1 needs --repo DIR").arg(cmd));
    if (cmd != u"backup" && cmd != u"restore" && !a.positional.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.first()));
    if (cmd == u"init")
        return cmdInit(a);
    if (cmd == u"backup")
        return cmdBackup(a);
    if (cmd == u"snapshots")
        return cmdSnapshots(a);
    if (cmd == u"restore")
        return cmdRestore(a);
    return cmdCheck(a);
}

} // namespace cairn::cli
