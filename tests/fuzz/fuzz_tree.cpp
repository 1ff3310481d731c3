// Fuzz target: the tree decoder (repository/Tree.h) on hostile CBOR, as the agent, the server's
// snapshot browser and its GC read trees. Properties, when decodeTree accepts the input:
//   - every name is safe to create (isSafeName), names are sorted and unique, a file's content
//     adds up to its size;
//   - encodeTree of the result decodes again, to an equal tree: equal in every field the format
//     keeps for the node's type (a field of another type, e.g. a symlink target on a file, is
//     accepted by the decoder but not written back; that is compared as absent);
//   - encoding is stable: encode(decode(encode(t))) == encode(t).
// Single-threaded.
#include "FuzzSupport.h"

#include "repository/Tree.h"

using namespace cairn;

namespace {

// The node as the format keeps it for its type (what encodeTree writes).
Node kept(const Node &n)
{
    Node k = n;
    if (n.type != NodeType::CharDevice && n.type != NodeType::BlockDevice)
        k.rdev = 0;
    if (n.type != NodeType::Symlink)
        k.linkTarget.clear();
    if (n.type != NodeType::File)
        k.content.clear();
    if (n.type != NodeType::Dir)
        k.subtree = ChunkId();
    return k;
}

bool sameNode(const Node &a, const Node &b)
{
    bool same = a.name == b.name && a.type == b.type && a.mode == b.mode && a.uid == b.uid && a.gid == b.gid
        && a.user == b.user && a.group == b.group && a.mtimeNs == b.mtimeNs && a.atimeNs == b.atimeNs
        && a.ctimeNs == b.ctimeNs && a.size == b.size && a.device == b.device && a.inode == b.inode
        && a.links == b.links && a.rdev == b.rdev && a.linkTarget == b.linkTarget && a.xattrs == b.xattrs
        && a.subtree == b.subtree && a.content.size() == b.content.size();
    for (size_t i = 0; same && i < a.content.size(); ++i)
        same = a.content[i].id == b.content[i].id && a.content[i].length == b.content[i].length;
    return same;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray cbor(reinterpret_cast<const char *>(data), qsizetype(size));
    auto tree = decodeTree(cbor);
    if (!tree)
        return 0;
    for (size_t i = 0; i < tree->nodes.size(); ++i) {
        const Node &n = tree->nodes[i];
        fuzz::check(isSafeName(n.name), "decoded names are safe");
        fuzz::check(i == 0 || tree->nodes[i - 1].name < n.name, "decoded names are sorted and unique");
        if (n.type == NodeType::File) {
            uint64_t total = 0;
            for (const ContentRef &c : n.content)
                total += c.length;
            fuzz::check(total == n.size, "a decoded file's content adds up to its size");
        }
    }
    const QByteArray encoded = encodeTree(*tree);
    auto again = decodeTree(encoded);
    fuzz::check(bool(again), "an encoded tree decodes");
    fuzz::check(again->nodes.size() == tree->nodes.size(), "round trip keeps the number of nodes");
    for (size_t i = 0; i < tree->nodes.size(); ++i)
        fuzz::check(sameNode(kept(tree->nodes[i]), again->nodes[i]), "round trip keeps every node");
    fuzz::check(encodeTree(*again) == encoded, "encoding is stable");
    return 0;
}
