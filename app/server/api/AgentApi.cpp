// Routes for enrolled agents (bearer agent token): the tenant's chunk index, packs and snapshot
// records (configuration and jobs are in AgentJobApi.cpp). An agent can add data and read its
// tenant's data, never delete or overwrite it: packs and snapshots are content-addressed and
// verified on upload.
#include "api/Api.h"
#include "api/KeepReferenced.h"
#include "api/JsonInput.h"
#include "api/JsonViews.h"
#include "store/StoreCapacity.h"

#include "crypto/Crypto.h"
#include "repository/Pack.h"
#include "repository/Snapshot.h"

#include <QJsonArray>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;
constexpr qint64 kPackLimit = 64 << 20;
constexpr qint64 kSnapshotLimit = 1 << 20;
constexpr int kMaxIdsPerQuery = 10000;
constexpr qint64 kFeedBlobsPerPage = 20000;

qint64 tenantOf(const ApiCall &call) { return *call.principal.tenantId; }

std::optional<std::vector<ChunkId>> chunkIds(JsonInput &in, const QString &field)
{
    const auto list = in.stringList(field, P::Required, kMaxIdsPerQuery, 64);
    if (!list)
        return std::nullopt;
    std::vector<ChunkId> ids;
    ids.reserve(size_t(list->size()));
    for (qsizetype i = 0; i < list->size(); ++i) {
        auto id = ChunkId::fromHex(list->at(i));
        if (!id) {
            in.fail(field, QStringLiteral("item %1 is not a 64-digit lower-case hex id").arg(i));
            return std::nullopt;
        }
        ids.push_back(*id);
    }
    return ids;
}

HttpResponse missingChunks(ApiCall &call)
{
    JsonInput in(call.request.body);
    const auto ids = chunkIds(in, QStringLiteral("ids"));
    if (auto bad = in.finish())
        return *bad;
    auto missing = call.server.catalog.missingChunks(tenantOf(call), *ids);
    if (!missing)
        return errorResponse(missing.error());
    QJsonArray out;
    for (const ChunkId &id : *missing)
        out.append(id.toHex());
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("missing"), out}});
}

std::variant<std::pair<qint64, int>, HttpResponse> afterAndLimit(const QUrlQuery &q, int maxLimit)
{
    qint64 after = 0;
    int limit = maxLimit;
    if (q.hasQueryItem(QStringLiteral("after"))) {
        bool ok = false;
        after = q.queryItemValue(QStringLiteral("after")).toLongLong(&ok);
        if (!ok || after < 0)
            return badRequest(QStringLiteral("after must be a non-negative integer"), QStringLiteral("after"));
    }
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > maxLimit)
            return badRequest(QStringLiteral("limit must be between 1 and %1").arg(maxLimit), QStringLiteral("limit"));
    }
    return std::make_pair(after, limit);
}

// The tenant's index as a change feed: packs added after sequence number `after`, with their blobs;
// packs garbage collection took out of the index appear (again, with a new number) as removed.
HttpResponse indexFeed(ApiCall &call)
{
    auto al = afterAndLimit(call.request.query, 200);
    if (auto *bad = std::get_if<HttpResponse>(&al))
        return *bad;
    const auto [after, limit] = std::get<std::pair<qint64, int>>(al);
    auto packs = call.server.catalog.packsAfter(tenantOf(call), after, limit);
    if (!packs)
        return errorResponse(packs.error());
    QJsonArray items;
    qint64 last = after;
    qint64 blobCount = 0;
    bool cut = false;
    for (const PackRecord &p : *packs) {
        if (blobCount >= kFeedBlobsPerPage) { // pages are bounded by blobs, not only by packs
            cut = true;
            break;
        }
        if (!p.live()) { // condemned or deleted by GC: agents drop it from their caches
            items.append(QJsonObject{{QStringLiteral("seq"), p.seq},
                                     {QStringLiteral("id"), p.id.toHex()},
                                     {QStringLiteral("removed"), true}});
            last = p.seq;
            continue;
        }
        QJsonArray blobs;
        Status s = call.server.catalog.forEachBlobInPack(tenantOf(call), p.id, [&](const PackEntry &e) {
            blobs.append(QJsonArray{int(e.type), e.id.toHex(), qint64(e.offset), qint64(e.length), qint64(e.rawLength)});
        });
        blobCount += blobs.size();
        if (!s.ok())
            return errorResponse(s.error());
        items.append(QJsonObject{{QStringLiteral("seq"), p.seq},
                                 {QStringLiteral("id"), p.id.toHex()},
                                 {QStringLiteral("size"), p.size},
                                 {QStringLiteral("blobs"), blobs}});
        last = p.seq;
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("packs"), items},
                                               {QStringLiteral("last"), last},
                                               {QStringLiteral("more"), cut || packs->size() == limit}});
}

HttpResponse listPacks(ApiCall &call)
{
    auto al = afterAndLimit(call.request.query, 1000);
    if (auto *bad = std::get_if<HttpResponse>(&al))
        return *bad;
    const auto [after, limit] = std::get<std::pair<qint64, int>>(al);
    auto packs = call.server.catalog.packsAfter(tenantOf(call), after, limit);
    if (!packs)
        return errorResponse(packs.error());
    QJsonArray items;
    for (const PackRecord &p : *packs)
        if (p.live()) // what GC condemned is no longer the agents' to use
            items.append(QJsonObject{{QStringLiteral("id"), p.id.toHex()},
                                 {QStringLiteral("size"), p.size},
                                 {QStringLiteral("seq"), p.seq}});
    QJsonObject out{{QStringLiteral("items"), items}};
    out.insert(QStringLiteral("next"), packs->size() == limit ? QJsonValue(packs->last().seq) : QJsonValue());
    return HttpResponse::json(200, out);
}

// Serves a stored file, honouring a single "Range: bytes=a-b" (206) as RFC 9110 describes.
HttpResponse serveFile(ApiCall &call, Backend &backend, const Handle &h)
{
    auto info = backend.stat(h);
    if (!info)
        return info.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such %1").arg(QLatin1String(fileTypeName(h.type))))
                                                        : errorResponse(info.error());
    const qint64 size = info->size;
    const QByteArray range = call.request.header("Range").trimmed();
    qint64 first = 0, last = size - 1;
    bool partial = false;
    if (!range.isEmpty()) {
        bool ok1 = true, ok2 = true;
        const int dash = range.indexOf('-');
        if (!range.startsWith("bytes=") || dash < 0 || range.contains(','))
            return HttpResponse::error(416, QStringLiteral("bad_range"), QStringLiteral("only one bytes=first-last range is supported"))
                .withHeader("Content-Range", "bytes */" + QByteArray::number(size));
        const QByteArray a = range.mid(6, dash - 6), b = range.mid(dash + 1);
        if (a.isEmpty()) { // suffix: the last b bytes
            const qint64 n = b.toLongLong(&ok2);
            first = std::max<qint64>(0, size - n);
            ok1 = n > 0;
        } else {
            first = a.toLongLong(&ok1);
            if (!b.isEmpty())
                last = std::min(b.toLongLong(&ok2), size - 1);
        }
        if (!ok1 || !ok2 || first < 0 || first >= size || last < first)
            return HttpResponse::error(416, QStringLiteral("bad_range"), QStringLiteral("the range is not satisfiable"))
                .withHeader("Content-Range", "bytes */" + QByteArray::number(size));
        partial = true;
    }
    auto data = backend.load(h, first, last - first + 1);
    if (!data)
        return errorResponse(data.error());
    HttpResponse r = HttpResponse::bytes(partial ? 206 : 200, *data, "application/octet-stream");
    r.withHeader("Accept-Ranges", "bytes");
    if (partial)
        r.withHeader("Content-Range", "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + '/'
                                          + QByteArray::number(size));
    return r;
}

HttpResponse getPack(ApiCall &call)
{
    const auto id = PackId::fromHex(call.params.value(QStringLiteral("pack")));
    if (!id)
        return notFound(QStringLiteral("no such pack"));
    auto known = call.server.catalog.pack(tenantOf(call), *id);
    if (!known)
        return errorResponse(known.error());
    if (!*known || (*known)->deletedAt)
        return notFound(QStringLiteral("no such pack"));
    auto backend = call.server.store.tenant(tenantOf(call));
    if (!backend)
        return errorResponse(backend.error());
    return serveFile(call, **backend, {FileType::Pack, id->toHex()});
}

// A full store takes packs only from an agent with a backup running (it started before the store
// filled up and may finish); a new backup's packs are refused (store/StoreCapacity.h).
Status refuseWhenFull(ApiCall &call)
{
    auto full = newBackupRefusal(call.server.store, call.server.catalog, call.server.now());
    if (!full)
        return Status::success();
    JobFilter running;
    running.tenantId = tenantOf(call);
    running.agentId = call.principal.agentId;
    running.state = JobState::Running;
    auto jobs = call.server.catalog.jobs(running);
    if (jobs) {
        for (const Job &j : jobs->items)
            if (j.kind == JobKind::Backup)
                return Status::success();
    }
    return Error(ErrorCode::PermissionDenied, *full);
}

// A store write that failed. When the store has no room left for `bytes` (a full disk or quota:
// ENOSPC, EDQUOT) the answer is 507 store_full, which agents do not retry and report as such; a
// 500 would have them retry the same upload for minutes against a full disk.
HttpResponse saveFailure(ApiCall &call, const Error &error, qint64 bytes)
{
    auto room = call.server.store.capacity();
    if (room && room->first < bytes + (1 << 20))
        return HttpResponse::error(507, QStringLiteral("store_full"),
                                   QStringLiteral("the backup store has no room left (%1 bytes free); new data is refused until space is freed")
                                       .arg(room->first));
    return errorResponse(error);
}

HttpResponse putPack(ApiCall &call)
{
    const auto id = PackId::fromHex(call.params.value(QStringLiteral("pack")));
    if (!id)
        return badRequest(QStringLiteral("the pack name must be its 64-digit lower-case hex SHA-256"), QStringLiteral("pack"));
    const QByteArray &bytes = call.request.body;
    if (packIdOf(bytes) != *id)
        return HttpResponse::error(400, QStringLiteral("id_mismatch"),
                                   QStringLiteral("the pack's SHA-256 is not %1: it was damaged in transit or misnamed").arg(id->toHex()));
    const qint64 tenant = tenantOf(call);
    auto keys = call.server.keyring.keys(tenant);
    if (!keys)
        return errorResponse(keys.error());
    auto headerLength = parsePackTrailer(bytes, bytes.size());
    if (!headerLength)
        return HttpResponse::error(400, QStringLiteral("bad_pack"), headerLength.error().message);
    const qint64 headerStart = bytes.size() - kPackTrailerSize - qint64(*headerLength);
    auto entries = parsePackHeader(*(*keys)->codec, bytes.mid(headerStart, *headerLength), bytes.size());
    if (!entries)
        return HttpResponse::error(400, QStringLiteral("bad_pack"),
                                   QStringLiteral("the pack header does not open with this tenant's key: %1").arg(entries.error().message));
    // Same bytes as an indexed pack (the id is their SHA-256): already verified and stored. A pack
    // garbage collection condemned or deleted is stored again and revived (addPack), so that the
    // agent, which indexes what it uploaded, never keeps a pack the server will delete.
    auto known = call.server.catalog.pack(tenant, *id);
    if (!known)
        return errorResponse(known.error());
    if (*known && (*known)->live())
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("id"), id->toHex()}, {QStringLiteral("seq"), (*known)->seq},
                                                   {QStringLiteral("existed"), true}});
    if (Status s = refuseWhenFull(call); !s.ok())
        return HttpResponse::error(507, QStringLiteral("store_full"), s.error().message);
    // Every blob must open with the tenant's key and match its id: a pack cannot claim chunk ids
    // it does not hold (which would poison later backups that deduplicate against them).
    if (Status s = verifyPackBlobs(*(*keys)->codec, bytes, headerStart, *entries); !s.ok())
        return HttpResponse::error(400, QStringLiteral("bad_pack"), s.error().message);
    auto backend = call.server.store.tenant(tenant);
    if (!backend)
        return errorResponse(backend.error());
    // Durable file first, index second: an indexed blob is always readable. A crash in between
    // leaves an unindexed file that the agent's retry re-sends (same bytes, same name).
    if (Status s = (*backend)->save({FileType::Pack, id->toHex()}, bytes); !s.ok())
        return saveFailure(call, s.error(), bytes.size());
    auto record = call.server.catalog.addPack(tenant, *id, bytes.size(), *entries, call.server.now());
    if (!record)
        return errorResponse(record.error());
    return HttpResponse::json(201, QJsonObject{{QStringLiteral("id"), id->toHex()}, {QStringLiteral("seq"), record->seq},
                                               {QStringLiteral("existed"), false}});
}

QJsonObject statsJson(const BackupStats &s)
{
    return QJsonObject{{QStringLiteral("files"), s.files},
                       {QStringLiteral("dirs"), s.dirs},
                       {QStringLiteral("files_new"), s.filesNew},
                       {QStringLiteral("files_changed"), s.filesChanged},
                       {QStringLiteral("files_unchanged"), s.filesUnchanged},
                       {QStringLiteral("bytes_scanned"), s.bytesScanned},
                       {QStringLiteral("bytes_read"), s.bytesRead},
                       {QStringLiteral("bytes_new"), s.bytesNew},
                       {QStringLiteral("bytes_stored"), s.bytesStored},
                       {QStringLiteral("warnings"), s.warnings},
                       {QStringLiteral("errors"), s.errors},
                       {QStringLiteral("seconds"), s.seconds}};
}

HttpResponse putSnapshot(ApiCall &call)
{
    const auto id = SnapshotId::fromHex(call.params.value(QStringLiteral("snapshot")));
    if (!id)
        return badRequest(QStringLiteral("the snapshot name must be its 64-digit lower-case hex SHA-256"), QStringLiteral("snapshot"));
    const qint64 tenant = tenantOf(call);
    std::optional<qint64> jobId;
    if (call.request.query.hasQueryItem(QStringLiteral("job"))) {
        bool ok = false;
        const qint64 j = call.request.query.queryItemValue(QStringLiteral("job")).toLongLong(&ok);
        auto job = ok ? call.server.catalog.job(tenant, j) : Result<Job>(Error(ErrorCode::NotFound, QString()));
        if (!job || job->agentId != call.principal.agentId)
            return badRequest(QStringLiteral("job: no such job of this agent"), QStringLiteral("job"));
        jobId = j;
    }
    auto keys = call.server.keyring.keys(tenant);
    if (!keys)
        return errorResponse(keys.error());
    auto snap = openSnapshot(*(*keys)->codec, *id, call.request.body);
    if (!snap)
        return HttpResponse::error(400, QStringLiteral("bad_snapshot"), snap.error().message);
    auto root = call.server.catalog.locateChunk(tenant, snap->tree);
    if (!root)
        return errorResponse(root.error());
    if (!*root) {
        // A backup whose cache predates a garbage collection may reuse a tree GC condemned since:
        // its pack goes back into the index (the next collection's mark keeps what it needs).
        auto condemned = call.server.catalog.locateChunkIncludingCondemned(tenant, snap->tree);
        if (!condemned)
            return errorResponse(condemned.error());
        if (*condemned && call.server.catalog.resurrectPack(tenant, (*condemned)->pack).ok())
            root = call.server.catalog.locateChunk(tenant, snap->tree);
        if (!root)
            return errorResponse(root.error());
    }
    if (!*root)
        return HttpResponse::error(409, QStringLiteral("missing_data"),
                                   QStringLiteral("the snapshot's root tree %1 is not in the store; upload its packs first").arg(snap->tree.shortHex()));
    auto backend = call.server.store.tenant(tenant);
    if (!backend)
        return errorResponse(backend.error());
    // Whatever it refers to in packs garbage collection condemned goes back into the index before
    // the snapshot counts (see KeepReferenced.h).
    if (auto kept = keepReferencedData(call.server.catalog, **backend, *(*keys)->codec, tenant, snap->tree); !kept)
        return HttpResponse::error(409, QStringLiteral("missing_data"),
                                   QStringLiteral("the snapshot refers to data that is not in the store: %1").arg(kept.error().message));
    if (Status s = (*backend)->save({FileType::Snapshot, id->toHex()}, call.request.body); !s.ok())
        return saveFailure(call, s.error(), call.request.body.size());
    SnapshotRecord rec;
    rec.id = *id;
    rec.tenantId = tenant;
    rec.agentId = call.principal.agentId;
    rec.jobId = jobId;
    rec.time = snap->time;
    rec.endTime = snap->endTime;
    rec.hostname = snap->hostname;
    rec.paths = snap->paths;
    rec.rootTree = snap->tree;
    rec.stats = statsJson(snap->stats);
    rec.recordSize = call.request.body.size();
    auto added = call.server.catalog.addSnapshot(rec);
    if (!added && added.error().code == ErrorCode::InvalidArgument)
        return HttpResponse::error(409, QStringLiteral("conflict"), added.error().message);
    if (!added)
        return errorResponse(added.error());
    return HttpResponse::json(201, snapshotJson(*added));
}

HttpResponse getSnapshot(ApiCall &call)
{
    const auto id = SnapshotId::fromHex(call.params.value(QStringLiteral("snapshot")));
    if (!id)
        return notFound(QStringLiteral("no such snapshot"));
    auto rec = call.server.catalog.snapshot(tenantOf(call), *id);
    if (!rec)
        return errorResponse(rec.error());
    auto backend = call.server.store.tenant(tenantOf(call));
    if (!backend)
        return errorResponse(backend.error());
    return serveFile(call, **backend, {FileType::Snapshot, id->toHex()});
}

HttpResponse listSnapshots(ApiCall &call)
{
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    auto snaps = call.server.catalog.snapshots(tenantOf(call), std::nullopt, std::get<PageRequest>(page));
    if (!snaps)
        return errorResponse(snaps.error());
    return HttpResponse::json(200, pageJson<SnapshotRecord>(*snaps, [](const SnapshotRecord &s) {
        return QJsonObject{{QStringLiteral("id"), s.id.toHex()}, {QStringLiteral("size"), s.recordSize},
                           {QStringLiteral("server"), s.agentId}, {QStringLiteral("time"), isoTime(s.time)}};
    }));
}

HttpResponse repositoryConfig(ApiCall &call)
{
    auto tenant = call.server.catalog.tenant(tenantOf(call));
    if (!tenant)
        return errorResponse(tenant.error());
    return HttpResponse::bytes(200, tenant->repositoryConfig, "application/json");
}

} // namespace

void addAgentRoutes(std::vector<Route> &r)
{
    addAgentJobRoutes(r); // configuration and jobs
    r.push_back({"GET", QStringLiteral("/api/v1/agent/repository/config"), Access::Agent, 0, repositoryConfig});
    r.push_back({"POST", QStringLiteral("/api/v1/agent/chunks/missing"), Access::Agent, kJsonLimit, missingChunks});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/index"), Access::Agent, 0, indexFeed});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/packs"), Access::Agent, 0, listPacks});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/packs/{pack}"), Access::Agent, 0, getPack});
    r.push_back({"PUT", QStringLiteral("/api/v1/agent/packs/{pack}"), Access::Agent, kPackLimit, putPack});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/snapshots"), Access::Agent, 0, listSnapshots});
    r.push_back({"GET", QStringLiteral("/api/v1/agent/snapshots/{snapshot}"), Access::Agent, 0, getSnapshot});
    r.push_back({"PUT", QStringLiteral("/api/v1/agent/snapshots/{snapshot}"), Access::Agent, kSnapshotLimit, putSnapshot});
}

} // namespace cairn::server
