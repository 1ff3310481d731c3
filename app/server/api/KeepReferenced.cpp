// keepReferencedData (see KeepReferenced.h). Caller's thread.
#include "api/KeepReferenced.h"

#include <unordered_map>
#include <unordered_set>

namespace cairn::server {

Result<Tree> loadTreeIncludingCondemned(Catalog &catalog, Backend &backend, const BlobCodec &codec, qint64 tenantId,
    const ChunkId &id)
{
    auto loc = catalog.locateChunkIncludingCondemned(tenantId, id);
    if (!loc)
        return loc.error();
    if (!*loc || (*loc)->type != BlobType::Tree)
        return Error(ErrorCode::Corrupt, QStringLiteral("tree %1 is not in the store").arg(id.shortHex()));
    auto sealed = backend.load({FileType::Pack, (*loc)->pack.toHex()}, (*loc)->offset, (*loc)->length);
    if (!sealed)
        return sealed.error().wrapped(QStringLiteral("read tree %1").arg(id.shortHex()));
    auto plain = codec.open(id, sealed->constData(), size_t(sealed->size()), (*loc)->rawLength);
    if (!plain)
        return plain.error().wrapped(QStringLiteral("open tree %1").arg(id.shortHex()));
    return decodeTree(*plain);
}

Result<int> keepReferencedData(Catalog &catalog, Backend &backend, const BlobCodec &codec, qint64 tenantId,
    const ChunkId &rootTree)
{
    auto condemned = catalog.condemnedPacks(tenantId);
    if (!condemned)
        return condemned.error();
    if (condemned->isEmpty())
        return 0;
    std::unordered_map<ChunkId, PackId, IdHash> where;
    for (const GcPackBlobs &p : *condemned)
        for (const PackEntry &e : p.blobs)
            where.emplace(e.id, p.pack.id);
    std::unordered_set<PackId, IdHash> kept;
    const auto keep = [&](const ChunkId &id) -> Status {
        auto it = where.find(id);
        if (it == where.end() || kept.count(it->second))
            return {};
        CAIRN_TRY(catalog.resurrectPack(tenantId, it->second));
        kept.insert(it->second);
        return {};
    };

    std::unordered_set<ChunkId, IdHash> seen{rootTree};
    std::vector<ChunkId> stack{rootTree};
    while (!stack.empty()) {
        const ChunkId id = stack.back();
        stack.pop_back();
        CAIRN_TRY(keep(id));
        auto tree = loadTreeIncludingCondemned(catalog, backend, codec, tenantId, id);
        if (!tree)
            return tree.error();
        for (const Node &n : tree->nodes) {
            if (n.type == NodeType::Dir) {
                if (!n.subtree.isNull() && seen.insert(n.subtree).second)
                    stack.push_back(n.subtree);
            } else {
                for (const ContentRef &c : n.content)
                    if (c.id != zeroChunkId())
                        CAIRN_TRY(keep(c.id));
            }
        }
    }
    return int(kept.size());
}

} // namespace cairn::server
