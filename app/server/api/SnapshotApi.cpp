// Console routes for snapshots: the history of a tenant's snapshots and browsing a snapshot's
// directory trees. Trees are encrypted; the server opens them with the tenant key.
#include "api/Api.h"
#include "api/JsonViews.h"

#include "repository/Tree.h"

#include <QJsonArray>

namespace cairn::server {

namespace {

std::variant<SnapshotRecord, HttpResponse> pathSnapshot(ApiCall &call, qint64 tenant)
{
    const auto id = SnapshotId::fromHex(call.params.value(QStringLiteral("snapshot")));
    if (!id)
        return notFound(QStringLiteral("no such snapshot"));
    auto snap = call.server.catalog.snapshot(tenant, *id);
    if (!snap)
        return snap.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such snapshot")) : errorResponse(snap.error());
    return *snap;
}

Result<Tree> loadTree(ServerContext &server, qint64 tenant, const ChunkId &id)
{
    auto loc = server.catalog.locateChunk(tenant, id);
    if (!loc)
        return loc.error();
    if (!*loc || (*loc)->type != BlobType::Tree)
        return Error(ErrorCode::Corrupt, QStringLiteral("tree %1 is not in the store").arg(id.shortHex()));
    auto keys = server.keyring.keys(tenant);
    if (!keys)
        return keys.error();
    auto backend = server.store.tenant(tenant);
    if (!backend)
        return backend.error();
    auto sealed = (*backend)->load({FileType::Pack, (*loc)->pack.toHex()}, (*loc)->offset, (*loc)->length);
    if (!sealed)
        return sealed.error().wrapped(QStringLiteral("tree %1").arg(id.shortHex()));
    auto plain = (*keys)->codec->open(id, sealed->constData(), size_t(sealed->size()), (*loc)->rawLength);
    if (!plain)
        return plain.error().wrapped(QStringLiteral("tree %1").arg(id.shortHex()));
    return decodeTree(*plain);
}

HttpResponse listSnapshots(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    std::optional<qint64> agentId;
    if (call.request.query.hasQueryItem(QStringLiteral("server"))) {
        bool ok = false;
        const qint64 id = call.request.query.queryItemValue(QStringLiteral("server")).toLongLong(&ok);
        if (!ok || id < 1)
            return badRequest(QStringLiteral("server must be a server id"), QStringLiteral("server"));
        auto agent = call.server.catalog.agent(tenant, id);
        if (!agent)
            return agent.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such server")) : errorResponse(agent.error());
        agentId = id;
    }
    auto snaps = call.server.catalog.snapshots(tenant, agentId, std::get<PageRequest>(page));
    if (!snaps)
        return errorResponse(snaps.error());
    return HttpResponse::json(200, pageJson<SnapshotRecord>(*snaps, snapshotJson));
}

HttpResponse getSnapshot(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto snap = pathSnapshot(call, tenant);
    if (auto *bad = std::get_if<HttpResponse>(&snap))
        return *bad;
    return HttpResponse::json(200, snapshotJson(std::get<SnapshotRecord>(snap)));
}

// GET …/tree?path=/etc/ssh (or path_b64= for names that are not UTF-8): one directory's entries.
HttpResponse browseTree(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    auto found = pathSnapshot(call, tenant);
    if (auto *bad = std::get_if<HttpResponse>(&found))
        return *bad;
    const SnapshotRecord &snap = std::get<SnapshotRecord>(found);
    const QUrlQuery &q = call.request.query;
    QByteArray path = "/";
    if (q.hasQueryItem(QStringLiteral("path_b64"))) {
        path = QByteArray::fromBase64(q.queryItemValue(QStringLiteral("path_b64")).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (path.isEmpty())
            return badRequest(QStringLiteral("path_b64 must be base64"), QStringLiteral("path_b64"));
    } else if (q.hasQueryItem(QStringLiteral("path"))) {
        path = q.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded).toUtf8();
    }
    if (!path.startsWith('/'))
        return badRequest(QStringLiteral("path must be absolute"), QStringLiteral("path"));
    int start = 0, limit = 1000;
    if (q.hasQueryItem(QStringLiteral("start"))) {
        bool ok = false;
        start = q.queryItemValue(QStringLiteral("start")).toInt(&ok);
        if (!ok || start < 0)
            return badRequest(QStringLiteral("start must be a non-negative integer"), QStringLiteral("start"));
    }
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 10000)
            return badRequest(QStringLiteral("limit must be between 1 and 10000"), QStringLiteral("limit"));
    }
    ChunkId dir = snap.rootTree;
    for (const QByteArray &name : path.split('/')) {
        if (name.isEmpty())
            continue;
        auto tree = loadTree(call.server, tenant, dir);
        if (!tree)
            return errorResponse(tree.error());
        const auto it = std::lower_bound(tree->nodes.begin(), tree->nodes.end(), name,
                                         [](const Node &n, const QByteArray &key) { return n.name < key; });
        if (it == tree->nodes.end() || it->name != name)
            return notFound(QStringLiteral("no such path in this snapshot"));
        if (it->type != NodeType::Dir)
            return badRequest(QStringLiteral("path is not a directory"), QStringLiteral("path"));
        dir = it->subtree;
    }
    auto tree = loadTree(call.server, tenant, dir);
    if (!tree)
        return errorResponse(tree.error());
    QJsonArray entries;
    const int total = int(tree->nodes.size());
    for (int i = start; i < total && i < start + limit; ++i) {
        const Node &n = tree->nodes[size_t(i)];
        QJsonObject e{{QStringLiteral("type"), QLatin1String(nodeTypeName(n.type))},
                      {QStringLiteral("size"), qint64(n.size)},
                      {QStringLiteral("mode"), qint64(n.mode)},
                      {QStringLiteral("uid"), qint64(n.uid)},
                      {QStringLiteral("gid"), qint64(n.gid)},
                      {QStringLiteral("user"), QString::fromUtf8(n.user)},
                      {QStringLiteral("group"), QString::fromUtf8(n.group)},
                      {QStringLiteral("mtime"), isoTime(QDateTime::fromMSecsSinceEpoch(n.mtimeNs / 1000000, Qt::UTC))}};
        putBytes(e, QStringLiteral("name"), n.name);
        if (n.type == NodeType::Symlink)
            putBytes(e, QStringLiteral("link_target"), n.linkTarget);
        entries.append(e);
    }
    QJsonObject out{{QStringLiteral("snapshot"), snap.id.toHex()}, {QStringLiteral("entries"), entries},
                    {QStringLiteral("total"), total}, {QStringLiteral("start"), start}};
    putBytes(out, QStringLiteral("path"), path);
    return HttpResponse::json(200, out);
}

} // namespace

void addSnapshotRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/snapshots"), Access::User, 0, listSnapshots});
    r.push_back({"GET", QStringLiteral("/api/v1/snapshots/{snapshot}"), Access::User, 0, getSnapshot});
    r.push_back({"GET", QStringLiteral("/api/v1/snapshots/{snapshot}/tree"), Access::User, 0, browseTree});
}

} // namespace cairn::server
