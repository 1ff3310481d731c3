#include "cli/RepositoryCommands.h"

#include "archiver/Archiver.h"
#include "checker/Checker.h"
#include "cli/Terminal.h"
#include "restorer/Restorer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace cairn::cli {

int backupCommand(const Args &a, const OpenRepository &open, const char *command)
{
    if (a.positional.isEmpty())
        return usageError(QStringLiteral("backup needs at least one PATH"), command);
    auto repo = open(Purpose::Backup);
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
                        .arg(formatDuration(p.seconds))
                        .arg(p.filesDone)
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

int snapshotsCommand(const Args &a, const OpenRepository &open, const char * /*command*/)
{
    auto repo = open(Purpose::List);
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

int restoreCommand(const Args &a, const OpenRepository &open, const char *command, int workers)
{
    const QString spec = a.value(QStringLiteral("snapshot"));
    const QString target = a.value(QStringLiteral("target"));
    if (spec.isEmpty() || target.isEmpty())
        return usageError(QStringLiteral("restore needs --snapshot ID|latest and --target DIR"), command);
    RestoreOptions options;
    options.workers = workers;
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
        return usageError(QStringLiteral("--existing takes skip, overwrite or keep-both"), command);
    for (const QString &p : a.positional)
        options.include << absolutePath(p);
    auto repo = open(Purpose::Read);
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

int checkCommand(const Args &a, const OpenRepository &open, const char * /*command*/)
{
    auto repo = open(Purpose::Read);
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

} // namespace cairn::cli
