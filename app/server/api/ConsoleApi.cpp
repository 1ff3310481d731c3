// Console views: routes that answer one screen of cairn-console in one request — the user's
// dashboard (every server with its last result, running job, next run and stored bytes, and the
// daily series of stored and new bytes), a search of a snapshot's file names, and the operators'
// service health (store capacity, silent agents, failed runs, counts). Each reads the catalog with
// a constant number of statements, whatever the number of servers. The holiday calendar routes
// are in CalendarApi.cpp. Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"
#include "api/JsonViews.h"
#include "api/KeepReferenced.h"
#include "api/ScheduleViews.h"
#include "store/StoreCapacity.h"

#include "repository/Tree.h"

#include <QJsonArray>
#include <QTimeZone>

#include <vector>

namespace cairn::server {

void addCalendarRoutes(std::vector<Route> &routes); // CalendarApi.cpp

namespace {

// A server is online when it was seen within this long (agents poll every few seconds).
constexpr qint64 kOnlineSeconds = 10 * 60;
constexpr int kDashboardDefaultDays = 30, kDashboardMaxDays = 366;
constexpr int kHealthListLimit = 500;
constexpr int kSearchDefaultLimit = 200, kSearchMaxLimit = 1000, kSearchMaxQuery = 200;
constexpr int kSearchMaxVisits = 200000, kSearchMaxTrees = 20000; // entries looked at, directories read

bool isOnline(const Agent &a, const QDateTime &now)
{
    return a.lastSeen && a.lastSeen->secsTo(now) < kOnlineSeconds;
}

// A job's result as the dashboard shows it: the job's times and the figures of its statistics
// (bytes: what a backup scanned or a restore wrote; bytes_stored: the new data a backup stored).
QJsonObject lastJobJson(const Job &j)
{
    const QJsonValue scanned = j.stats.value(QStringLiteral("bytes_scanned"));
    const auto number = [](const QJsonValue &v) { return v.isDouble() ? QJsonValue(v.toInteger()) : QJsonValue(); };
    return QJsonObject {{QStringLiteral("id"), j.id}, {QStringLiteral("kind"), QLatin1String(jobKindName(j.kind))},
        {QStringLiteral("state"), QLatin1String(jobStateName(j.state))},
        {QStringLiteral("scheduled_at"), isoTime(j.scheduledAt)}, {QStringLiteral("started_at"), isoTime(j.startedAt)},
        {QStringLiteral("finished_at"), isoTime(j.finishedAt)},
        {QStringLiteral("error"), j.error.isEmpty() ? QJsonValue() : QJsonValue(j.error)},
        {QStringLiteral("bytes"), number(scanned.isUndefined() ? j.stats.value(QStringLiteral("bytes")) : scanned)},
        {QStringLiteral("bytes_stored"), number(j.stats.value(QStringLiteral("bytes_stored")))},
        {QStringLiteral("files"), number(j.stats.value(QStringLiteral("files")))}};
}

QTimeZone zoneOf(const Tenant &t)
{
    QTimeZone zone(t.timeZone.toUtf8());
    return zone.isValid() ? zone : QTimeZone::utc();
}

// The first instant of a local day (the day's midnight, or the first valid time after a jump).
QDateTime dayStart(const QDate &day, const QTimeZone &zone)
{
    for (int hour = 0; hour < 24; ++hour) {
        const QDateTime t(day, QTime(hour, 0), zone);
        if (t.isValid() && t.date() == day)
            return t.toUTC();
    }
    return QDateTime(day, QTime(0, 0), Qt::UTC);
}

// GET /dashboard?days=N: nine statements, none per server.
HttpResponse dashboard(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenantId, call);
    const QUrlQuery &q = call.request.query;
    int days = kDashboardDefaultDays;
    if (q.hasQueryItem(QStringLiteral("days"))) {
        bool ok = false;
        days = q.queryItemValue(QStringLiteral("days")).toInt(&ok);
        if (!ok || days < 1 || days > kDashboardMaxDays)
            return badRequest(
                QStringLiteral("days must be between 1 and %1").arg(kDashboardMaxDays), QStringLiteral("days"));
    }
    Catalog &catalog = call.server.catalog;
    const QDateTime now = call.server.now();
    auto tenant = catalog.tenant(tenantId);
    if (!tenant)
        return errorResponse(tenant.error());
    auto agents = catalog.agents(tenantId);
    if (!agents)
        return errorResponse(agents.error());
    auto policies = catalog.policies(tenantId);
    if (!policies)
        return errorResponse(policies.error());
    auto last = catalog.latestJobs(tenantId, Catalog::LatestJob::FinishedBackup);
    if (!last)
        return errorResponse(last.error());
    auto running = catalog.runningJobs(tenantId);
    if (!running)
        return errorResponse(running.error());
    auto kept = catalog.keptSnapshotBytes(tenantId);
    if (!kept)
        return errorResponse(kept.error());
    auto usage = catalog.usage(tenantId);
    if (!usage)
        return errorResponse(usage.error());

    const QTimeZone zone = zoneOf(*tenant);
    const QDate today = now.toTimeZone(zone).date();
    const QDate first = today.addDays(1 - days);
    auto samples = catalog.usageSamples(tenantId, first, today);
    if (!samples)
        return errorResponse(samples.error());
    QList<QDateTime> bounds;
    for (QDate d = first; d <= today.addDays(1); d = d.addDays(1))
        bounds.append(dayStart(d, zone));
    auto fresh = catalog.storedBytesFinishedIn(tenantId, bounds);
    if (!fresh)
        return errorResponse(fresh.error());

    QHash<qint64, const Job *> runningBy;
    for (const Job &j : *running)
        runningBy.insert(j.agentId, &j); // the newest running job of a server wins
    QJsonArray servers;
    for (const Agent &a : *agents) {
        const auto policy = policies->constFind(a.id);
        const auto lastJob = last->constFind(a.id);
        const Job *run = runningBy.value(a.id);
        servers.append(QJsonObject {{QStringLiteral("id"), a.id}, {QStringLiteral("name"), a.name},
            {QStringLiteral("hostname"), a.hostname}, {QStringLiteral("os"), a.os},
            {QStringLiteral("last_seen"), isoTime(a.lastSeen)}, {QStringLiteral("online"), isOnline(a, now)},
            {QStringLiteral("next_run"),
                nextRunJson(call.server.settings,
                    policy == policies->constEnd() ? std::nullopt : std::optional<Policy>(*policy), tenant->timeZone,
                    tenantId, a.id, now)},
            {QStringLiteral("stored_bytes"), kept->value(a.id, 0)},
            {QStringLiteral("last_job"),
                lastJob == last->constEnd() ? QJsonValue() : QJsonValue(lastJobJson(*lastJob))},
            {QStringLiteral("running_job"),
                run ? QJsonValue(
                    QJsonObject {{QStringLiteral("id"), run->id}, {QStringLiteral("progress"), run->progress},
                        {QStringLiteral("started_at"), isoTime(run->startedAt)}})
                    : QJsonValue()}});
    }
    QHash<QDate, qint64> sampled;
    for (const UsageSample &s : *samples)
        sampled.insert(s.day, s.storedBytes);
    QJsonArray series;
    for (int i = 0; i < days; ++i) {
        const QDate d = first.addDays(i);
        QJsonValue stored;
        if (d == today)
            stored = usage->storedBytes;
        else if (sampled.contains(d))
            stored = sampled.value(d);
        series.append(QJsonObject {{QStringLiteral("day"), d.toString(Qt::ISODate)},
            {QStringLiteral("stored_bytes"), stored}, {QStringLiteral("new_bytes"), fresh->value(i)}});
    }
    return HttpResponse::json(200,
        QJsonObject {{QStringLiteral("tenant"), tenantId}, {QStringLiteral("generated_at"), isoTime(now)},
            {QStringLiteral("time_zone"), QString::fromUtf8(zone.id())}, {QStringLiteral("days"), days},
            {QStringLiteral("stored_bytes"), usage->storedBytes}, {QStringLiteral("servers"), servers},
            {QStringLiteral("series"), series}});
}

// --- the operators' health view

HttpResponse health(ApiCall &call)
{
    Catalog &catalog = call.server.catalog;
    const QDateTime now = call.server.now();
    auto capacity = checkStoreCapacity(call.server.store, catalog, now);
    if (!capacity)
        return errorResponse(capacity.error());
    auto silent = catalog.agentsSilentSince(now.addSecs(-kOnlineSeconds), kHealthListLimit);
    if (!silent)
        return errorResponse(silent.error());
    auto failed = catalog.failedJobsSince(now.addSecs(-24 * 3600), kHealthListLimit);
    if (!failed)
        return errorResponse(failed.error());
    auto counts = catalog.serviceCounts();
    if (!counts)
        return errorResponse(counts.error());
    QJsonArray offline;
    for (const NamedAgent &n : *silent)
        offline.append(QJsonObject {{QStringLiteral("id"), n.agent.id}, {QStringLiteral("tenant"), n.agent.tenantId},
            {QStringLiteral("tenant_name"), n.tenantName}, {QStringLiteral("name"), n.agent.name},
            {QStringLiteral("hostname"), n.agent.hostname}, {QStringLiteral("last_seen"), isoTime(n.agent.lastSeen)}});
    QJsonArray runs;
    for (const NamedJob &n : *failed) {
        QJsonObject o = jobJson(n.job);
        o.insert(QStringLiteral("tenant_name"), n.tenantName);
        o.insert(QStringLiteral("server_name"), n.serverName);
        runs.append(o);
    }
    return HttpResponse::json(200,
        QJsonObject {{QStringLiteral("generated_at"), isoTime(now)}, {QStringLiteral("store"), capacity->toJson()},
            {QStringLiteral("offline_agents"), offline}, {QStringLiteral("failed_runs"), runs},
            {QStringLiteral("running_jobs"), counts->runningJobs},
            {QStringLiteral("open_tickets"), counts->openTickets},
            {QStringLiteral("mail_failed"), counts->failedMail}});
}

// --- searching a snapshot's names

// GET /snapshots/{snapshot}/search?q=TEXT&limit=N: names containing TEXT (case-insensitive) in the
// whole tree: each directory's entries in name order, then its subdirectories depth first. Bounded
// work: it stops at N matches, after visiting kSearchMaxVisits entries or after reading
// kSearchMaxTrees directories (truncated: true).
HttpResponse searchSnapshot(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const QUrlQuery &q = call.request.query;
    const QString text = q.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded);
    if (text.isEmpty() || text.size() > kSearchMaxQuery)
        return badRequest(QStringLiteral("q must be 1 to %1 characters").arg(kSearchMaxQuery), QStringLiteral("q"));
    int limit = kSearchDefaultLimit;
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > kSearchMaxLimit)
            return badRequest(
                QStringLiteral("limit must be between 1 and %1").arg(kSearchMaxLimit), QStringLiteral("limit"));
    }
    const auto id = SnapshotId::fromHex(call.params.value(QStringLiteral("snapshot")));
    if (!id)
        return notFound(QStringLiteral("no such snapshot"));
    auto snap = call.server.catalog.snapshot(tenant, *id);
    if (!snap)
        return snap.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such snapshot"))
                                                        : errorResponse(snap.error());
    auto keys = call.server.keyring.keys(tenant);
    if (!keys)
        return errorResponse(keys.error());
    auto backend = call.server.store.tenant(tenant);
    if (!backend)
        return errorResponse(backend.error());

    struct Pending {
        QByteArray path; // of the directory, "" for the root
        ChunkId tree;
    };
    std::vector<Pending> stack {{QByteArray(), snap->rootTree}};
    QJsonArray items;
    int visited = 0, trees = 0;
    bool truncated = false;
    while (!stack.empty() && !truncated) {
        if (++trees > kSearchMaxTrees) {
            truncated = true;
            break;
        }
        const Pending dir = stack.back();
        stack.pop_back();
        auto tree = loadTreeIncludingCondemned(call.server.catalog, **backend, *(*keys)->codec, tenant, dir.tree);
        if (!tree)
            return errorResponse(tree.error());
        std::vector<Pending> below;
        for (const Node &n : tree->nodes) {
            if (++visited > kSearchMaxVisits || items.size() >= limit) {
                truncated = true;
                break;
            }
            const QByteArray path = dir.path + '/' + n.name;
            if (QString::fromUtf8(n.name).contains(text, Qt::CaseInsensitive)) {
                QJsonObject e {{QStringLiteral("type"), QLatin1String(nodeTypeName(n.type))},
                    {QStringLiteral("size"), qint64(n.size)},
                    {QStringLiteral("mtime"), isoTime(QDateTime::fromMSecsSinceEpoch(n.mtimeNs / 1000000, Qt::UTC))}};
                putBytes(e, QStringLiteral("path"), path);
                items.append(e);
            }
            if (n.type == NodeType::Dir && !n.subtree.isNull())
                below.push_back({path, n.subtree});
        }
        stack.insert(stack.end(), below.rbegin(), below.rend()); // the first directory is searched next
    }
    return HttpResponse::json(200,
        QJsonObject {{QStringLiteral("snapshot"), snap->id.toHex()}, {QStringLiteral("query"), text},
            {QStringLiteral("items"), items}, {QStringLiteral("truncated"), truncated},
            {QStringLiteral("visited"), std::min(visited, kSearchMaxVisits)}});
}

} // namespace

void addConsoleRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/dashboard"), Access::User, 0, dashboard});
    r.push_back({"GET", QStringLiteral("/api/v1/snapshots/{snapshot}/search"), Access::User, 0, searchSnapshot});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/health"), Access::Operator, 0, health});
    addCalendarRoutes(r);
}

} // namespace cairn::server
