// Trees: one CBOR record per directory listing its entries with full metadata. A tree is stored
// as a blob (BlobType::Tree) and deduplicated like data, so an unchanged directory costs nothing.
// Names are byte strings (any byte but '/' and NUL; never "." or ".."), so non-UTF-8 names
// survive. Decoding is strict: anything malformed is ErrorCode::Corrupt. Value types.
#pragma once

#include "base/Id.h"
#include "base/Result.h"

#include <QByteArray>

#include <cstdint>
#include <utility>
#include <vector>

namespace cairn {

enum class NodeType : uint8_t { File = 0, Dir = 1, Symlink = 2, Fifo = 3, CharDevice = 4, BlockDevice = 5, Socket = 6 };

// The type's name in the API and the command line: "file", "dir", "symlink", "fifo", "chardev",
// "blockdev", "socket".
const char *nodeTypeName(NodeType t);

struct ContentRef {
    ChunkId id;      // zeroChunkId() for a hole / zero run, never stored
    uint32_t length = 0;
};

struct Node {
    QByteArray name;
    NodeType type = NodeType::File;
    uint32_t mode = 0;     // permission bits incl. setuid/setgid/sticky (st_mode & 07777)
    uint32_t uid = 0, gid = 0;
    QByteArray user, group; // names when resolvable
    int64_t mtimeNs = 0, atimeNs = 0, ctimeNs = 0;
    uint64_t size = 0;
    uint64_t device = 0, inode = 0; // st_dev / st_ino: files cache and hardlink identity
    uint32_t links = 1;
    uint64_t rdev = 0;              // devices
    QByteArray linkTarget;          // symlinks
    std::vector<std::pair<QByteArray, QByteArray>> xattrs;
    std::vector<ContentRef> content; // files
    ChunkId subtree;                 // dirs

    bool isHardlinked() const { return type != NodeType::Dir && links > 1; }
};

struct Tree {
    std::vector<Node> nodes; // sorted by name, unique
};

// A name is safe to create inside a directory: not empty, not "." or "..", no '/' and no NUL.
bool isSafeName(const QByteArray &name);

QByteArray encodeTree(const Tree &tree);
Result<Tree> decodeTree(const QByteArray &cbor);

} // namespace cairn
