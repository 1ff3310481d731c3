#include "cli/LocalCommands.h"

#include "cli/RepositoryCommands.h"

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
            return usageError(QStringLiteral("--chunk-sizes takes MIN/AVG/MAX in KiB, e.g. 32/128/512"), "local");
        options.chunker = {v[0], v[1], v[2]};
    }
    if (a.values.contains(QStringLiteral("compression-level"))) {
        bool ok = false;
        options.compressionLevel = a.value(QStringLiteral("compression-level")).toInt(&ok);
        if (!ok)
            return usageError(QStringLiteral("--compression-level takes a number from 1 to 19"), "local");
    }
    if (Status s = Repository::init(**backend, *pass, options); !s.ok())
        return failure(s.error());
    out(QStringLiteral("created repository at %1").arg(a.value(QStringLiteral("repo"))));
    return ExitOk;
}

OpenRepository localOpener(const Args &a)
{
    return [&a](Purpose purpose) { return openLocal(a, purpose == Purpose::Backup); };
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
        return usageError(QStringLiteral("unknown command '%1'").arg(cmd), "local");
    }
    const Args a = Args::parse(rest, valueOptions, flagOptions);
    if (!a.error.isEmpty())
        return usageError(a.error, "local");
    if (a.value(QStringLiteral("repo")).isEmpty())
        return usageError(QStringLiteral("%1 needs --repo DIR").arg(cmd), "local");
    if (cmd != u"backup" && cmd != u"restore" && !a.positional.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.first()), "local");
    if (cmd == u"init")
        return cmdInit(a);
    if (cmd == u"backup")
        return backupCommand(a, localOpener(a), "local");
    if (cmd == u"snapshots")
        return snapshotsCommand(a, localOpener(a), "local");
    if (cmd == u"restore")
        return restoreCommand(a, localOpener(a), "local");
    return checkCommand(a, localOpener(a), "local");
}

} // namespace cairn::cli
