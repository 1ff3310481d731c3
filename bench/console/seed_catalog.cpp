// cairn-bench-seed: fills the catalog of an initialized cairn-server data folder with a large,
// realistic history for timing the console's views (issue 6: 500 servers, 100,000 history rows).
// It writes through the catalog library (SqlCatalog), batched in transactions: servers (agents)
// with policies, their backup runs over the last days at their schedule slots (mostly succeeded,
// some warnings, failures and missed runs, a few running now, restores), statistics shaped like
// cairn-agent's (docs/FORMAT.md "Agent state"), snapshot rows for the runs retention keeps, daily
// usage samples and pack rows whose sizes add up to the stored bytes of today.
//
// Only catalog rows are made: no pack or snapshot files exist, so browsing a seeded snapshot,
// verify runs and garbage collection report missing data. Single-threaded (the main thread).
//
//   cairn-server init --data DIR --name localhost && cairn-server tenant add demo --data DIR
//   cairn-bench-seed --data DIR [--tenant demo] [--servers 500] [--jobs 100000] [--days 90] [--seed 1] [--busy-server-jobs N]
//   cairn-bench-seed --data DIR --timings-only     (time the catalog statements of the views again)
// After seeding it prints the time the views' catalog statements take (GET /servers before and
// after its bulk statements, the dashboard's, pages of the job history).
#include "DataDir.h"
#include "catalog/SqlCatalog.h"
#include "crypto/Crypto.h"
#include "schedule/Schedule.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QMap>
#include <QRandomGenerator>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

using namespace cairn;
using namespace cairn::server;

namespace {

struct Options {
    QString data, tenant = QStringLiteral("demo");
    int servers = 500, days = 90;
    qint64 jobs = 100000;
    qint64 busyJobs = 0; // --busy-server-jobs: the first server's share of --jobs (0: an even share)
    quint32 seed = 1;
    bool timingsOnly = false; // time the catalog of an already seeded folder, add nothing
};

void say(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fputs(qPrintable(QStringLiteral("cairn-bench-seed: %1\n").arg(message)), stderr);
    return 1;
}

std::optional<Options> parse(const QStringList &args, QString *error)
{
    Options o;
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--timings-only")) {
            o.timingsOnly = true;
            continue;
        }
        if (i + 1 >= args.size()) {
            *error = QStringLiteral("%1 needs a value").arg(a);
            return std::nullopt;
        }
        const QString v = args[++i];
        bool ok = true;
        if (a == QLatin1String("--data"))
            o.data = v;
        else if (a == QLatin1String("--tenant"))
            o.tenant = v;
        else if (a == QLatin1String("--servers"))
            o.servers = v.toInt(&ok);
        else if (a == QLatin1String("--jobs"))
            o.jobs = v.toLongLong(&ok);
        else if (a == QLatin1String("--busy-server-jobs"))
            o.busyJobs = v.toLongLong(&ok);
        else if (a == QLatin1String("--days"))
            o.days = v.toInt(&ok);
        else if (a == QLatin1String("--seed"))
            o.seed = v.toUInt(&ok);
        else {
            *error = QStringLiteral("unknown option %1").arg(a);
            return std::nullopt;
        }
        if (!ok) {
            *error = QStringLiteral("%1: not a number: %2").arg(a, v);
            return std::nullopt;
        }
    }
    if (o.data.isEmpty())
        *error = QStringLiteral("--data DIR is required");
    else if (o.servers < 1 || o.servers > 100000 || o.jobs < 0 || o.jobs > 10000000 || o.days < 1 || o.days > 3650
        || o.busyJobs < 0 || o.busyJobs > o.jobs || (o.busyJobs > 0 && o.servers < 2))
        *error = QStringLiteral("--servers 1-100000, --jobs 0-10000000, --days 1-3650, --busy-server-jobs 0-jobs (2+ servers)");
    if (!error->isEmpty())
        return std::nullopt;
    return o;
}

QByteArray randomBytes(QRandomGenerator &rng, int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(rng.bounded(256));
    return b;
}

// A random 32-byte hash, as the catalog stores token and code hashes.
QByteArray randomHash(QRandomGenerator &rng)
{
    const crypto::Digest d = crypto::sha256(randomBytes(rng, 32));
    return QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size()));
}

// What one protected server looks like.
struct Machine {
    Agent agent;
    Policy policy;
    qint64 datasetBytes = 0; // what a backup scans
    qint64 files = 0;
    double changePerDay = 0.01; // share of the data new each day
    bool offline = false;
};

const char *const kRoles[] = {"web", "db", "app", "file", "mail", "cache", "build", "log"};
const char *const kOses[] = {"Ubuntu 22.04.4 LTS", "Debian GNU/Linux 12 (bookworm)", "Rocky Linux 9.3 (Blue Onyx)",
    "CentOS Linux 7 (Core)", "Red Hat Enterprise Linux 8.9 (Ootpa)", "Windows Server 2022 Standard"};
const char *const kFailures[] = {"pre-command failed with exit code 1: pg_dump: error: connection to server failed",
    "the server could not be reached for 30 minutes: Connection refused",
    "no space left on device while writing the index cache", "the backup store is 96% full; new backups are refused"};

Policy policyFor(QRandomGenerator &rng, const QString &role, const QDateTime &since)
{
    Policy p;
    p.paths = {"/etc", "/home"};
    if (role == QLatin1String("db"))
        p.paths << "/var/lib/postgresql"
                << "/var/backups";
    else if (role == QLatin1String("web"))
        p.paths << "/var/www";
    else
        p.paths << "/srv";
    p.excludes = {QStringLiteral("*.tmp"), QStringLiteral("/home/*/.cache")};
    p.intervalDays = rng.bounded(10) < 8 ? 1 : 7;
    p.weekday = 1 + int(rng.bounded(7));
    p.hour = rng.bounded(10) < 7 ? 1 + int(rng.bounded(4)) : int(rng.bounded(24));
    static const int retention[] = {7, 14, 21, 30};
    p.retentionDays = retention[rng.bounded(4)];
    if (role == QLatin1String("db")) {
        p.preCommand = QStringLiteral("pg_dumpall > /var/backups/all.sql");
        p.postCommand = QStringLiteral("rm -f /var/backups/all.sql");
    }
    p.updatedAt = since;
    return p;
}

// Statistics of a finished backup, shaped like cairn-agent's result (docs/FORMAT.md).
QJsonObject backupStats(QRandomGenerator &rng, const Machine &m, JobState state, double seconds)
{
    const qint64 scanned = qint64(double(m.datasetBytes) * (0.97 + rng.generateDouble() * 0.06));
    const qint64 fresh = qint64(double(scanned) * m.changePerDay * (0.3 + rng.generateDouble() * 1.4));
    const qint64 stored = qint64(double(fresh) * (0.35 + rng.generateDouble() * 0.25));
    const qint64 filesNew = qint64(double(m.files) * m.changePerDay * 0.2);
    const qint64 changed = qint64(double(m.files) * m.changePerDay * 0.5);
    QJsonArray problems;
    const int warnings = state == JobState::Warning ? 1 + int(rng.bounded(3)) : 0;
    for (int i = 0; i < warnings; ++i)
        problems.append(QJsonObject {{QStringLiteral("kind"), QStringLiteral("warning")},
            {QStringLiteral("path"), QStringLiteral("/var/log/app/current-%1.log").arg(i)},
            {QStringLiteral("message"), QStringLiteral("the file changed while it was read; kept the second read")}});
    return QJsonObject {{QStringLiteral("files"), m.files}, {QStringLiteral("dirs"), m.files / 12},
        {QStringLiteral("others"), 3}, {QStringLiteral("files_new"), filesNew},
        {QStringLiteral("files_changed"), changed}, {QStringLiteral("files_unchanged"), m.files - filesNew - changed},
        {QStringLiteral("bytes_scanned"), scanned}, {QStringLiteral("bytes_read"), fresh * 2},
        {QStringLiteral("bytes_new"), fresh}, {QStringLiteral("bytes_stored"), stored},
        {QStringLiteral("blobs_new"), fresh / 200000 + 1}, {QStringLiteral("warnings"), warnings},
        {QStringLiteral("errors"), 0}, {QStringLiteral("seconds"), seconds},
        {QStringLiteral("dedup_ratio"), stored > 0 ? double(scanned) / double(stored) : 0.0},
        {QStringLiteral("bytes_uploaded"), stored + stored / 50},
        {QStringLiteral("files_uploaded"), filesNew + changed}, {QStringLiteral("attempt"), 1},
        {QStringLiteral("problems"), problems}};
}

QJsonObject progressOf(const QJsonObject &stats, double seconds)
{
    const qint64 bytes = stats.value(QStringLiteral("bytes_scanned")).toInteger();
    return QJsonObject {{QStringLiteral("phase"), QStringLiteral("backup")},
        {QStringLiteral("files"), stats.value(QStringLiteral("files"))}, {QStringLiteral("bytes"), bytes},
        {QStringLiteral("bytes_read"), stats.value(QStringLiteral("bytes_read"))},
        {QStringLiteral("bytes_new"), stats.value(QStringLiteral("bytes_new"))},
        {QStringLiteral("bytes_stored"), stats.value(QStringLiteral("bytes_stored"))},
        {QStringLiteral("bytes_uploaded"), stats.value(QStringLiteral("bytes_uploaded"))},
        {QStringLiteral("rate"), seconds > 0 ? qint64(double(bytes) / seconds) : 0},
        {QStringLiteral("seconds"), seconds}, {QStringLiteral("errors"), 0},
        {QStringLiteral("warnings"), stats.value(QStringLiteral("warnings"))}, {QStringLiteral("attempt"), 1}};
}

// The jobs of one server: its schedule slots in the period, newest first up to `budget`, and
// backups started by hand for the rest.
QList<Job> jobsOf(QRandomGenerator &rng, const Machine &m, const QString &timeZone, qint64 budget,
    const QDateTime &from, const QDateTime &now)
{
    ScheduleRule rule;
    rule.intervalDays = m.policy.intervalDays;
    rule.weekday = m.policy.weekday;
    rule.hour = m.policy.hour;
    rule.timeZone = timeZone.toUtf8();
    rule.offsetSeconds = scheduleOffsetSeconds(m.agent.tenantId, m.agent.id, 3600);
    QList<QPair<QDateTime, QString>> runs; // scheduled time, requested_by
    for (QDateTime t = nextSlot(rule, from); t.isValid() && t <= now; t = nextSlot(rule, t))
        runs.append({t, QStringLiteral("schedule")});
    while (runs.size() > budget)
        runs.removeFirst();
    const qint64 span = from.secsTo(now);
    while (runs.size() < budget) {
        const QDateTime t = from.addSecs(qint64(rng.bounded(quint64(span))));
        runs.append({t, rng.bounded(3) == 0 ? QStringLiteral("user:2") : QStringLiteral("agent")});
    }
    std::sort(runs.begin(), runs.end(), [](const auto &a, const auto &b) { return a.first < b.first; });

    QList<Job> jobs;
    for (const auto &[at, by] : runs) {
        Job j;
        j.tenantId = m.agent.tenantId;
        j.agentId = m.agent.id;
        j.scheduledAt = at;
        j.requestedBy = by;
        const qint64 age = at.secsTo(now);
        const bool restore = by != QLatin1String("schedule") && rng.bounded(100) < 2;
        if (restore) {
            j.kind = JobKind::Restore;
            j.requestedBy = QStringLiteral("operator:1");
            j.spec = QJsonObject {{QStringLiteral("snapshot"), QString::fromLatin1(randomBytes(rng, 32).toHex())},
                {QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc/nginx")}},
                {QStringLiteral("target"), QStringLiteral("/var/tmp/restore")},
                {QStringLiteral("existing"), QStringLiteral("keep-both")}};
        }
        const bool silent = m.offline && m.agent.lastSeen && at > *m.agent.lastSeen;
        const double seconds = std::min(7200.0, 20.0 + std::exp(3.0 + rng.generateDouble() * 4.5));
        const int dice = int(rng.bounded(1000));
        if (silent || (!restore && dice < 15)) { // not started within 3 hours (or not yet)
            if (age < 3 * 3600) {
                j.state = JobState::Pending;
            } else {
                j.state = JobState::Missed;
                j.finishedAt = at.addSecs(3 * 3600);
                j.error = QStringLiteral("not started within 3 hours of its scheduled time");
            }
        } else {
            j.startedAt = at.addSecs(qint64(rng.bounded(90)));
            const QDateTime end = j.startedAt->addMSecs(qint64(seconds * 1000));
            j.state = dice < 45 ? JobState::Failed : dice < 110 ? JobState::Warning : JobState::Succeeded;
            if (restore && j.state != JobState::Failed)
                j.state = JobState::Succeeded;
            if (end > now) {
                j.state = JobState::Running;
            } else {
                j.finishedAt = end;
            }
            if (restore) {
                j.stats = QJsonObject {{QStringLiteral("files"), 412}, {QStringLiteral("dirs"), 31},
                    {QStringLiteral("bytes"), 52428800}, {QStringLiteral("skipped"), 0}, {QStringLiteral("errors"), 0},
                    {QStringLiteral("target"), QStringLiteral("/var/tmp/restore")},
                    {QStringLiteral("failures"), QJsonArray {}}};
            } else {
                j.stats = backupStats(rng, m, j.state, seconds);
            }
            const double done = j.state == JobState::Running ? double(j.startedAt->secsTo(now)) : seconds;
            j.progress = progressOf(j.stats, done);
            if (j.state == JobState::Running)
                j.stats = QJsonObject {};
            if (j.state == JobState::Failed) {
                j.error = QString::fromUtf8(kFailures[rng.bounded(int(std::size(kFailures)))]);
                QJsonObject partial = j.stats;
                partial.insert(
                    QStringLiteral("bytes_stored"), j.stats.value(QStringLiteral("bytes_stored")).toInteger() / 3);
                j.stats = partial;
            }
            if (!restore && (j.state == JobState::Succeeded || j.state == JobState::Warning))
                j.snapshotId = QString::fromLatin1(randomBytes(rng, 32).toHex());
        }
        jobs.append(j);
    }
    // A few servers are backing up right now: their newest run started minutes ago.
    if (!jobs.isEmpty() && !m.offline && rng.bounded(100) < 4) {
        Job &j = jobs.last();
        j.kind = JobKind::Backup;
        j.spec = QJsonObject {};
        j.scheduledAt = now.addSecs(-qint64(60 + rng.bounded(1800)));
        j.startedAt = j.scheduledAt.addSecs(20);
        j.finishedAt.reset();
        j.state = JobState::Running;
        j.error.clear();
        j.snapshotId.clear();
        const QJsonObject planned = backupStats(rng, m, JobState::Succeeded, 3600);
        j.progress = progressOf(planned, double(j.startedAt->secsTo(now)));
        j.progress.insert(QStringLiteral("bytes"),
            qint64(double(planned.value(QStringLiteral("bytes_scanned")).toInteger())
                * (0.1 + rng.generateDouble() * 0.8)));
        j.stats = QJsonObject {};
    }
    return jobs;
}

// The median of five runs of `work`, in milliseconds (one run first to warm the page cache).
double medianMs(const std::function<bool()> &work)
{
    work();
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer t;
        t.start();
        if (!work())
            return -1;
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[2];
}

// What the console's views cost in the catalog, before and after the bulk statements.
bool reportCatalogTimings(Catalog &catalog, qint64 tenantId, const QString &timeZone, const QDateTime &now)
{
    say(QStringLiteral("catalog timings (median of 5):"));
    const auto row
        = [](const QString &what, double ms) { say(QStringLiteral("  %1 %2 ms").arg(what, -58).arg(ms, 7, 'f', 1)); };
    row(QStringLiteral("GET /servers as before: per server a policy and a job query"), medianMs([&] {
        auto agents = catalog.agents(tenantId);
        if (!agents)
            return false;
        for (const Agent &a : *agents) {
            (void)catalog.policy(tenantId, a.id);
            JobFilter f;
            f.tenantId = tenantId;
            f.agentId = a.id;
            f.page.limit = 1;
            if (!catalog.jobs(f))
                return false;
        }
        return true;
    }));
    row(QStringLiteral("GET /servers now: agents, policies, latest jobs"), medianMs([&] {
        return catalog.agents(tenantId).ok() && catalog.policies(tenantId).ok()
            && catalog.latestJobs(tenantId, Catalog::LatestJob::Any).ok();
    }));
    const QTimeZone zone(timeZone.toUtf8());
    const QDate today = now.toTimeZone(zone).date();
    for (int days : {30, 366}) {
        row(QStringLiteral("GET /dashboard?days=%1: its nine statements").arg(days), medianMs([&] {
            QList<QDateTime> bounds;
            for (QDate d = today.addDays(1 - days); d <= today.addDays(1); d = d.addDays(1))
                bounds.append(QDateTime(d, QTime(0, 0), zone).toUTC());
            return catalog.tenant(tenantId).ok() && catalog.agents(tenantId).ok() && catalog.policies(tenantId).ok()
                && catalog.latestJobs(tenantId, Catalog::LatestJob::FinishedBackup).ok()
                && catalog.runningJobs(tenantId).ok() && catalog.keptSnapshotBytes(tenantId).ok()
                && catalog.usage(tenantId).ok() && catalog.usageSamples(tenantId, today.addDays(1 - days), today).ok()
                && catalog.storedBytesFinishedIn(tenantId, bounds).ok();
        }));
    }
    row(QStringLiteral("  of which: latest finished backup of every server"),
        medianMs([&] { return catalog.latestJobs(tenantId, Catalog::LatestJob::FinishedBackup).ok(); }));
    row(QStringLiteral("  of which: stored bytes of kept snapshots per server"),
        medianMs([&] { return catalog.keptSnapshotBytes(tenantId).ok(); }));
    for (int days : {30, 366}) {
        QList<QDateTime> bounds;
        for (QDate d = today.addDays(1 - days); d <= today.addDays(1); d = d.addDays(1))
            bounds.append(QDateTime(d, QTime(0, 0), zone).toUTC());
        row(QStringLiteral("  of which: new bytes per day, %1 days").arg(days),
            medianMs([&] { return catalog.storedBytesFinishedIn(tenantId, bounds).ok(); }));
    }
    auto policies = catalog.policies(tenantId);
    if (!policies)
        return false;
    row(QStringLiteral("next run of every server (schedule calculation)"), medianMs([&] {
        for (auto it = policies->cbegin(); it != policies->cend(); ++it) {
            ScheduleRule rule {it->intervalDays, it->weekday, it->hour, timeZone.toUtf8(),
                scheduleOffsetSeconds(tenantId, it.key(), 3600)};
            if (!nextSlot(rule, now).isValid())
                return false;
        }
        return true;
    }));
    JobQuery first;
    first.filter.tenantId = tenantId;
    first.filter.page.limit = 500;
    row(QStringLiteral("jobs: first page of 500 + count"),
        medianMs([&] { return catalog.sortedJobs(first).ok() && catalog.countJobs(first).ok(); }));
    for (JobSortKey key : {JobSortKey::Id, JobSortKey::FinishedAt}) {
        JobQuery q = first;
        q.sort = key;
        for (int page = 0; page < 150; ++page) { // to rows 75,001-75,500
            auto p = catalog.sortedJobs(q);
            if (!p || !p->next)
                break;
            q.after = p->next;
        }
        row(QStringLiteral("jobs: page 151 by %1")
                .arg(key == JobSortKey::Id ? QStringLiteral("id") : QStringLiteral("finished_at")),
            medianMs([&] { return catalog.sortedJobs(q).ok(); }));
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString error;
    const auto options = parse(app.arguments(), &error);
    if (!options)
        return fail(error
            + QStringLiteral("\nusage: cairn-bench-seed --data DIR [--tenant demo] [--servers 500] [--jobs 100000] "
                             "[--days 90] [--seed 1] [--busy-server-jobs N] [--timings-only]"));
    const Options &o = *options;
    QElapsedTimer total;
    total.start();
    auto opened = SqlCatalog::open(DataDir {o.data}.catalog(), SqlCatalog::OpenMode::OpenExisting);
    if (!opened)
        return fail(opened.error().message);
    SqlCatalog &catalog = **opened;
    auto tenant = catalog.tenantByName(o.tenant);
    if (!tenant)
        return fail(QStringLiteral("tenant \"%1\": %2 (add it first: cairn-server tenant add %1 --data %3)")
                        .arg(o.tenant, tenant.error().message, o.data));
    QRandomGenerator rng(o.seed);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (o.timingsOnly)
        return reportCatalogTimings(catalog, tenant->id, tenant->timeZone, now) ? 0 : 1;
    const QDateTime from = now.addDays(-o.days);

    // Servers and their policies.
    QElapsedTimer step;
    step.start();
    QList<Machine> machines;
    for (int i = 0; i < o.servers; ++i) {
        const QString role = QLatin1String(kRoles[i % int(std::size(kRoles))]);
        EnrollmentCode code;
        code.codeHash = randomHash(rng);
        code.tenantId = tenant->id;
        code.createdAt = from.addDays(-1);
        code.expiresAt = now.addDays(1);
        if (Status s = catalog.addEnrollmentCode(code); !s.ok())
            return fail(s.error().message);
        Machine m;
        m.agent.tenantId = tenant->id;
        m.agent.hostname = QStringLiteral("%1-%2.demo.example").arg(role).arg(i + 1, 3, 10, QLatin1Char('0'));
        m.agent.name = QStringLiteral("%1-%2").arg(role).arg(i + 1, 3, 10, QLatin1Char('0'));
        m.agent.os = QLatin1String(kOses[rng.bounded(int(std::size(kOses)))]);
        m.agent.version = QStringLiteral(CAIRN_VERSION);
        m.agent.kernel = QStringLiteral("6.1.0-18-amd64");
        m.agent.architecture = QStringLiteral("x86_64");
        m.agent.tokenHash = randomHash(rng);
        m.agent.enrolledAt = from.addDays(-1);
        auto agent = catalog.enrollAgent(code.codeHash, m.agent, from.addDays(-1));
        if (!agent)
            return fail(agent.error().message);
        m.agent = *agent;
        m.offline = rng.bounded(100) < 4;
        m.agent.lastSeen
            = m.offline ? now.addSecs(-qint64(3600 + rng.bounded(5 * 86400))) : now.addSecs(-qint64(rng.bounded(90)));
        if (Status s = catalog.touchAgent(m.agent.id, *m.agent.lastSeen, m.agent.version); !s.ok())
            return fail(s.error().message);
        m.policy = policyFor(rng, role, from.addDays(-1));
        if (Status s = catalog.setPolicy(tenant->id, m.agent.id, m.policy); !s.ok())
            return fail(s.error().message);
        m.datasetBytes = qint64(std::exp(19.5 + rng.generateDouble() * 4.0)); // ~0.3 GB to ~16 GB
        m.files = m.datasetBytes / qint64(40000 + rng.bounded(400000)) + 500;
        m.changePerDay = 0.002 + rng.generateDouble() * 0.03;
        machines.append(m);
    }
    say(QStringLiteral("servers:   %1 with policies (%2 offline) in %3 ms")
            .arg(machines.size())
            .arg(std::count_if(machines.begin(), machines.end(), [](const Machine &m) { return m.offline; }))
            .arg(step.elapsed()));

    // Jobs and the snapshots retention keeps, a few servers per transaction.
    step.restart();
    qint64 jobCount = 0, snapshotCount = 0;
    QHash<JobState, qint64> byState;
    QMap<QDate, qint64> storedPerDay; // bytes stored by the runs finished on each (UTC) day
    const QTimeZone zone(tenant->timeZone.toUtf8());
    QList<Job> batch;
    QList<const Machine *> batchMachines;
    const auto flush = [&]() -> Status {
        if (batch.isEmpty())
            return {};
        auto ids = catalog.importJobs(batch);
        if (!ids)
            return ids.error();
        QList<SnapshotRecord> snaps;
        QHash<qint64, QDateTime> newestGood;
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const Job &j = batch[i];
            if (!j.snapshotId.isEmpty())
                newestGood[j.agentId] = std::max(newestGood.value(j.agentId), *j.finishedAt);
        }
        QHash<qint64, int> retention;
        for (const Machine *m : batchMachines)
            retention.insert(m->agent.id, m->policy.retentionDays);
        for (qsizetype i = 0; i < batch.size(); ++i) {
            const Job &j = batch[i];
            if (j.snapshotId.isEmpty())
                continue;
            const bool kept = j.startedAt->daysTo(now) < retention.value(j.agentId) - 1
                || *j.finishedAt == newestGood.value(j.agentId);
            if (!kept)
                continue;
            SnapshotRecord s;
            s.id = *SnapshotId::fromHex(j.snapshotId);
            s.tenantId = j.tenantId;
            s.agentId = j.agentId;
            s.jobId = (*ids)[i];
            s.time = *j.startedAt;
            s.endTime = *j.finishedAt;
            s.hostname = QStringLiteral("server-%1").arg(j.agentId);
            s.paths = {"/etc", "/home"};
            s.rootTree.bytes = crypto::sha256(j.snapshotId.toLatin1());
            QJsonObject stats = j.stats;
            stats.remove(QStringLiteral("problems"));
            s.stats = stats;
            s.recordSize = 600;
            snaps.append(s);
        }
        auto added = catalog.importSnapshots(snaps);
        if (!added)
            return added.error();
        snapshotCount += snaps.size();
        batch.clear();
        batchMachines.clear();
        return {};
    };
    for (int i = 0; i < machines.size(); ++i) {
        // An even share each, or the first server takes --busy-server-jobs and the others share the rest.
        const qint64 pool = o.busyJobs > 0 ? o.jobs - o.busyJobs : o.jobs;
        const qint64 sharing = o.busyJobs > 0 ? machines.size() - 1 : machines.size();
        const qint64 k = o.busyJobs > 0 ? i - 1 : i;
        const qint64 budget = (o.busyJobs > 0 && i == 0) ? o.busyJobs : pool / sharing + (k < pool % sharing ? 1 : 0);
        const QList<Job> jobs = jobsOf(rng, machines[i], tenant->timeZone, budget, from, now);
        for (const Job &j : jobs) {
            ++byState[j.state];
            if (j.finishedAt)
                storedPerDay[j.finishedAt->toTimeZone(zone).date()]
                    += j.stats.value(QStringLiteral("bytes_stored")).toInteger();
        }
        jobCount += jobs.size();
        batch.append(jobs);
        batchMachines.append(&machines[i]);
        if (batch.size() >= 5000)
            if (Status s = flush(); !s.ok())
                return fail(s.error().message);
    }
    if (Status s = flush(); !s.ok())
        return fail(s.error().message);
    QStringList states;
    for (JobState s : {JobState::Succeeded, JobState::Warning, JobState::Failed, JobState::Missed, JobState::Running,
             JobState::Pending})
        states << QStringLiteral("%1 %2").arg(byState.value(s)).arg(QLatin1String(jobStateName(s)));
    say(QStringLiteral("jobs:      %1 (%2), %3 snapshots kept, in %4 ms")
            .arg(jobCount)
            .arg(states.join(QStringLiteral(", ")))
            .arg(snapshotCount)
            .arg(step.elapsed()));

    // Daily samples of the stored bytes: the first full backups, then what each day added, less
    // what retention and garbage collection freed (a tenth of each day's growth).
    step.restart();
    qint64 stored = 0;
    for (const Machine &m : machines)
        stored += m.datasetBytes * 2 / 5;
    const QDate today = now.toTimeZone(zone).date();
    int samples = 0;
    for (QDate d = from.toTimeZone(zone).date(); d <= today; d = d.addDays(1)) {
        stored += storedPerDay.value(d) * 9 / 10;
        if (d == today)
            break; // today's figure is the packs' sum, below
        UsageSample s;
        s.tenantId = tenant->id;
        s.day = d;
        s.storedBytes = stored;
        s.sampledAt = QDateTime(d, QTime(0, 5), zone).toUTC();
        if (Status st = catalog.addUsageSample(s); !st.ok())
            return fail(st.error().message);
        ++samples;
    }
    // Pack rows (no files) whose sizes add up to today's stored bytes: 512 MiB each (fewer, larger
    // rows than a real store's 16-32 MiB packs keep seeding quick; nothing here reads them).
    constexpr qint64 kPackSize = 512LL << 20;
    const int packs = int(std::clamp<qint64>((stored + kPackSize - 1) / kPackSize, 1, 2000));
    for (int i = 0; i < packs; ++i) {
        PackId id;
        id.bytes = crypto::sha256(randomBytes(rng, 32));
        const qint64 size = std::min<qint64>(kMaxPackSize, stored / packs + (i == 0 ? stored % packs : 0));
        auto added = catalog.addPack(tenant->id, id, size, {}, now);
        if (!added)
            return fail(added.error().message);
    }
    auto usage = catalog.usage(tenant->id);
    say(QStringLiteral("usage:     %1 daily samples, %2 pack rows, %3 GB stored today, in %4 ms")
            .arg(samples)
            .arg(packs)
            .arg(usage ? double(usage->storedBytes) / 1e9 : 0.0, 0, 'f', 1)
            .arg(step.elapsed()));
    say(QStringLiteral("total:     %1 ms; catalog %2").arg(total.elapsed()).arg(DataDir {o.data}.catalog()));
    return reportCatalogTimings(catalog, tenant->id, tenant->timeZone, now) ? 0 : 1;
}
