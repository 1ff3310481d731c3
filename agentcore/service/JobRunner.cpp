#include "service/JobRunner.h"

#include "archiver/Archiver.h"
#include "platform/Platform.h"
#include "service/RemoteRepository.h"

#include <QJsonArray>

#include <mutex>

namespace cairn {

namespace {

constexpr int kMaxProblems = 50;       // per-item warnings/errors kept in a result
constexpr int kCommandOutputChars = 2000;

QString showPath(const QByteArray &p)
{
    return QString::fromUtf8(p);
}

// Per-item problems of a run, the first kMaxProblems of them, for the result.
class ProblemList {
public:
    void add(const char *kind, const QByteArray &path, const QString &message)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_total;
        if (m_items.size() < kMaxProblems)
            m_items.append(QJsonObject {{QStringLiteral("kind"), QLatin1String(kind)},
                {QStringLiteral("path"), showPath(path)}, {QStringLiteral("message"), message}});
    }
    QJsonArray items() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_items;
    }
    qint64 total() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_total;
    }

private:
    mutable std::mutex m_mutex;
    QJsonArray m_items;
    qint64 m_total = 0;
};

bool flag(const std::atomic<bool> *f)
{
    return f && f->load();
}

QJsonObject commandJson(const platform::CommandResult &r)
{
    QString output = QString::fromUtf8(r.output);
    if (output.size() > kCommandOutputChars)
        output = output.right(kCommandOutputChars);
    return QJsonObject {{QStringLiteral("exit_code"), r.exitCode}, {QStringLiteral("signal"), r.signal},
        {QStringLiteral("timed_out"), r.timedOut}, {QStringLiteral("seconds"), r.seconds},
        {QStringLiteral("output"), output}};
}

QString commandFailure(const char *which, const platform::CommandResult &r)
{
    QString how;
    if (r.timedOut)
        how = QStringLiteral("timed out after %1 s and was stopped").arg(r.seconds, 0, 'f', 0);
    else if (r.cancelled)
        how = QStringLiteral("was stopped");
    else if (r.signal)
        how = QStringLiteral("was killed by signal %1").arg(r.signal);
    else
        how = QStringLiteral("exited with status %1").arg(r.exitCode);
    QString tail = QString::fromUtf8(r.output).trimmed();
    if (tail.size() > 300)
        tail = QStringLiteral("…") + tail.right(300);
    return QStringLiteral("the %1 %2%3").arg(QLatin1String(which), how, tail.isEmpty() ? QString() : QStringLiteral(": ") + tail);
}

bool commandFailed(const platform::CommandResult &r)
{
    return r.exitCode != 0 || r.timedOut || r.cancelled || r.signal;
}

JobOutcome failed(const QString &message, QJsonObject stats = {})
{
    JobOutcome o;
    o.state = QStringLiteral("failed");
    o.error = message;
    o.stats = std::move(stats);
    return o;
}

JobOutcome interrupted()
{
    JobOutcome o;
    o.interrupted = true;
    return o;
}

// Whether the job is to stop: the user cancelled it or the service is stopping. Safe to call
// from any thread while the job runs.
std::function<bool()> stopCondition(const JobContext &ctx)
{
    return [cancel = ctx.cancelRequested, stopping = ctx.stopping] { return flag(cancel) || flag(stopping); };
}

// The outcome of a run that ended early with `error`: interrupted when the service is stopping
// (the job runs again at its next start), cancelled when the user cancelled it, failed otherwise.
JobOutcome endedWith(const Error &error, const JobContext &ctx, QJsonObject stats = {})
{
    if (flag(ctx.stopping))
        return interrupted();
    if (flag(ctx.cancelRequested) || error.code == ErrorCode::Cancelled) {
        JobOutcome o;
        o.state = QStringLiteral("cancelled");
        o.stats = std::move(stats);
        return o;
    }
    return failed(error.message, std::move(stats));
}

} // namespace

QJsonObject JobOutcome::resultJson() const
{
    QJsonObject r {{QStringLiteral("state"), state}, {QStringLiteral("stats"), stats}};
    if (!snapshot.isEmpty())
        r.insert(QStringLiteral("snapshot"), snapshot);
    if (!error.isEmpty())
        r.insert(QStringLiteral("error"), error.left(4000));
    return r;
}

JobOutcome runBackupJob(const JobView &job, const BackupPolicy &policy, const JobContext &ctx)
{
    QJsonObject stats {{QStringLiteral("attempt"), ctx.attempt}};
    QStringList notes; // why the run is "warning" rather than "succeeded"
    const std::function<bool()> stopped = stopCondition(ctx);
    auto phase = [&](const char *name) {
        if (ctx.progress)
            ctx.progress(QJsonObject {{QStringLiteral("phase"), QLatin1String(name)}});
    };

    const bool hasCommands = !policy.preCommand.isEmpty() || !policy.postCommand.isEmpty();
    if (hasCommands && !ctx.allowCommands)
        return failed(QStringLiteral("the policy has a pre/post command, but this agent does not run commands "
                                     "(allow_commands = false in its agent.conf)"),
            stats);

    platform::CommandOptions commandOptions;
    commandOptions.timeoutSeconds = policy.commandTimeoutSeconds;
    commandOptions.cancelled = stopped;
    auto runCommand = [&](const char *which, const QByteArray &command, const char *statsKey) -> bool {
        phase(statsKey);
        auto r = platform::runShellCommand(command, commandOptions);
        if (!r) {
            stats.insert(QLatin1String(statsKey),
                QJsonObject {{QStringLiteral("exit_code"), -1}, {QStringLiteral("error"), r.error().message}});
            notes << QStringLiteral("the %1 could not be started: %2").arg(QLatin1String(which), r.error().message);
            return false;
        }
        stats.insert(QLatin1String(statsKey), commandJson(*r));
        if (commandFailed(*r)) {
            notes << commandFailure(which, *r);
            return false;
        }
        return true;
    };

    bool preOk = true;
    if (!policy.preCommand.isEmpty())
        preOk = runCommand("pre-command", policy.preCommand, "pre_command");
    auto finishWithPost = [&](JobOutcome outcome) {
        if (!policy.postCommand.isEmpty()) {
            const int before = notes.size();
            commandOptions.cancelled = nullptr; // clean-up runs even when the run was stopped
            if (!runCommand("post-command", policy.postCommand, "post_command") && outcome.state == u"succeeded") {
                outcome.state = QStringLiteral("warning");
                outcome.error = notes.mid(before).join(QStringLiteral("; "));
            }
            outcome.stats.insert(QStringLiteral("post_command"), stats.value(QStringLiteral("post_command")));
        }
        return outcome;
    };
    if (!preOk && stopped())
        return finishWithPost(endedWith(Error(ErrorCode::Cancelled, QStringLiteral("stopped")), ctx, stats));
    if (!preOk && !policy.continueOnPreCommandFailure)
        return finishWithPost(failed(notes.join(QStringLiteral("; ")), stats));

    phase("index");
    RemoteRepositoryOptions ro;
    ro.sendRateLimit = policy.bandwidthLimitKib * 1024;
    ro.retryObserver = [&](const Error &e, qint64 waitMs) {
        if (ctx.log)
            ctx.log(QStringLiteral("job %1: %2; retrying in %3 s").arg(job.id).arg(e.message).arg(waitMs / 1000.0, 0, 'f', 1));
    };
    ro.warning = ctx.log;
    ro.stopRequested = stopped; // a stop also ends a call waiting to retry (catching up the index, saving the snapshot)
    auto remote = openRemoteRepository(ctx.stateDir, ro);
    if (!remote)
        return finishWithPost(endedWith(remote.error(), ctx, stats));
    remote->backend->setSnapshotJob(job.id);

    ProblemList problems;
    BackupCallbacks cb;
    ServerConnection &connection = *remote->connection;
    cb.progress = [&](const BackupProgress &p) {
        if (!ctx.progress)
            return;
        ctx.progress(QJsonObject {{QStringLiteral("phase"), QStringLiteral("backup")},
            {QStringLiteral("files"), p.filesDone}, {QStringLiteral("dirs"), p.dirsDone},
            {QStringLiteral("bytes"), p.bytesDone}, {QStringLiteral("bytes_read"), p.bytesRead},
            {QStringLiteral("bytes_new"), p.bytesNew}, {QStringLiteral("bytes_stored"), p.bytesStored},
            {QStringLiteral("bytes_uploaded"), ctx.uploadedBefore + connection.bytesSent()},
            {QStringLiteral("files_unchanged"), p.filesUnchanged},
            {QStringLiteral("rate"), p.seconds > 0 ? double(p.bytesDone) / p.seconds : 0.0},
            {QStringLiteral("seconds"), p.seconds}, {QStringLiteral("errors"), p.errors},
            {QStringLiteral("warnings"), p.warnings}});
    };
    cb.warning = [&](const QByteArray &path, const QString &m) { problems.add("warning", path, m); };
    cb.error = [&](const QByteArray &path, const Error &e) { problems.add("error", path, e.message); };
    cb.cancelled = stopped; // the connection asks the same and ends an upload under way

    BackupOptions options;
    options.paths = policy.paths;
    options.excludes = policy.excludes;
    options.oneFileSystem = policy.oneFileSystem;
    options.hostname = platform::hostInfo().hostname;
    Archiver archiver(*remote->repository, cb);
    auto snap = archiver.run(options);
    const auto uploaded = remote->backend->uploaded();
    stats.insert(QStringLiteral("bytes_uploaded"), ctx.uploadedBefore + connection.bytesSent());
    stats.insert(QStringLiteral("files_uploaded"), uploaded.files);
    stats.insert(QStringLiteral("problems"), problems.items());
    remote->repository.reset(); // closes the index cache before the post-command runs

    if (!snap)
        return finishWithPost(endedWith(snap.error(), ctx, stats));
    const BackupStats &s = snap->stats;
    const QJsonObject engine {{QStringLiteral("files"), s.files}, {QStringLiteral("dirs"), s.dirs},
        {QStringLiteral("others"), s.others}, {QStringLiteral("files_new"), s.filesNew},
        {QStringLiteral("files_changed"), s.filesChanged}, {QStringLiteral("files_unchanged"), s.filesUnchanged},
        {QStringLiteral("bytes_scanned"), s.bytesScanned}, {QStringLiteral("bytes_read"), s.bytesRead},
        {QStringLiteral("bytes_new"), s.bytesNew}, {QStringLiteral("bytes_stored"), s.bytesStored},
        {QStringLiteral("blobs_new"), s.blobsNew}, {QStringLiteral("warnings"), s.warnings},
        {QStringLiteral("errors"), s.errors}, {QStringLiteral("seconds"), s.seconds},
        {QStringLiteral("dedup_ratio"), s.bytesStored > 0 ? double(s.bytesScanned) / double(s.bytesStored) : 0.0}};
    for (auto it = engine.begin(); it != engine.end(); ++it)
        stats.insert(it.key(), it.value());

    JobOutcome o;
    o.snapshot = snap->id.toHex();
    o.stats = stats;
    if (s.errors)
        notes << QStringLiteral("%1 items could not be backed up").arg(s.errors);
    if (s.warnings)
        notes << QStringLiteral("%1 warnings").arg(s.warnings);
    o.state = notes.isEmpty() ? QStringLiteral("succeeded") : QStringLiteral("warning");
    o.error = notes.join(QStringLiteral("; "));
    return finishWithPost(o);
}

JobOutcome runRestoreJob(const JobView &job, const JobContext &ctx)
{
    auto spec = parseRestoreSpec(job.spec);
    if (!spec)
        return failed(spec.error().message);
    const std::function<bool()> stopped = stopCondition(ctx);
    if (ctx.progress)
        ctx.progress(QJsonObject {{QStringLiteral("phase"), QStringLiteral("index")}});
    RemoteRepositoryOptions ro;
    ro.retryObserver = [&](const Error &e, qint64 waitMs) {
        if (ctx.log)
            ctx.log(QStringLiteral("job %1: %2; retrying in %3 s").arg(job.id).arg(e.message).arg(waitMs / 1000.0, 0, 'f', 1));
    };
    ro.warning = ctx.log;
    ro.stopRequested = stopped;
    auto remote = openRemoteRepository(ctx.stateDir, ro);
    if (!remote)
        return endedWith(remote.error(), ctx);
    auto snapshot = remote->repository->findSnapshot(spec->snapshot);
    if (!snapshot) {
        const Error e = snapshot.error().wrapped(QStringLiteral("snapshot %1").arg(spec->snapshot));
        return e.code == ErrorCode::Cancelled ? endedWith(e, ctx) : failed(e.message);
    }

    ProblemList problems;
    RestoreCallbacks cb;
    cb.progress = [&](const RestoreProgress &p) {
        if (!ctx.progress)
            return;
        ctx.progress(QJsonObject {{QStringLiteral("phase"), QStringLiteral("restore")},
            {QStringLiteral("files"), p.filesDone}, {QStringLiteral("files_total"), p.filesTotal},
            {QStringLiteral("bytes"), p.bytesDone}, {QStringLiteral("bytes_total"), p.bytesTotal},
            {QStringLiteral("rate"), p.seconds > 0 ? double(p.bytesDone) / p.seconds : 0.0},
            {QStringLiteral("seconds"), p.seconds}, {QStringLiteral("skipped"), p.skipped},
            {QStringLiteral("errors"), p.errors}});
    };
    cb.error = [&](const QByteArray &path, const Error &e) { problems.add("error", path, e.message); };
    cb.warning = [&](const QByteArray &path, const QString &m) { problems.add("warning", path, m); };
    cb.cancelled = stopped; // the connection asks the same and ends a download under way
    RestoreOptions options;
    options.workers = kRemoteRestoreWorkers;
    options.target = spec->target;
    options.include = spec->paths;
    options.existing = spec->existing;
    Restorer restorer(*remote->repository, cb);
    auto result = restorer.run(*snapshot, options);
    QJsonObject stats {{QStringLiteral("attempt"), ctx.attempt}, {QStringLiteral("snapshot"), spec->snapshot},
        {QStringLiteral("target"), showPath(spec->target)}, {QStringLiteral("failures"), problems.items()}};
    if (!result)
        return endedWith(result.error(), ctx, stats);
    const RestoreStats &r = *result;
    stats.insert(QStringLiteral("files"), r.files);
    stats.insert(QStringLiteral("dirs"), r.dirs);
    stats.insert(QStringLiteral("others"), r.others);
    stats.insert(QStringLiteral("bytes"), r.bytes);
    stats.insert(QStringLiteral("skipped"), r.skipped);
    stats.insert(QStringLiteral("errors"), r.errors);
    stats.insert(QStringLiteral("damaged_files"), r.damagedFiles);
    JobOutcome o;
    o.stats = stats;
    if (r.errors || r.damagedFiles) {
        o.state = QStringLiteral("warning");
        o.error = QStringLiteral("%1 items could not be restored").arg(r.errors + r.damagedFiles);
    } else {
        o.state = QStringLiteral("succeeded");
    }
    return o;
}

} // namespace cairn
