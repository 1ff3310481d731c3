#include "repository/Tree.h"

#include "base/ByteIo.h"

#include <QCborStreamReader>
#include <QCborStreamWriter>

#include <cstring>

namespace cairn {

namespace {

// Keys of a node map (short: a tree repeats them per entry). docs/FORMAT.md lists them.
enum Key : int {
    kName = 0, kType = 1, kMode = 2, kUid = 3, kGid = 4, kUser = 5, kGroup = 6, kMtime = 7, kAtime = 8,
    kCtime = 9, kSize = 10, kDevice = 11, kInode = 12, kLinks = 13, kRdev = 14, kTarget = 15, kXattrs = 16,
    kContent = 17, kSubtree = 18,
};
constexpr int kContentRefSize = 36;
constexpr int kTreeVersion = 1;

Error corrupt(const QString &what) { return Error(ErrorCode::Corrupt, QStringLiteral("tree: ") + what); }

struct Reader {
    QCborStreamReader r;
    explicit Reader(const QByteArray &b) : r(b) {}

    bool uint(uint64_t &out)
    {
        if (!r.isUnsignedInteger())
            return false;
        out = quint64(r.toUnsignedInteger());
        return r.next();
    }
    bool sint(int64_t &out)
    {
        if (!r.isInteger())
            return false;
        out = qint64(r.toInteger());
        return r.next();
    }
    bool bytes(QByteArray &out, qsizetype max = 1 << 24)
    {
        if (!r.isByteArray())
            return false;
        out.clear();
        auto chunk = r.readByteArray();
        while (chunk.status == QCborStreamReader::Ok) {
            out += chunk.data;
            if (out.size() > max)
                return false;
            chunk = r.readByteArray();
        }
        // After a decoding error Qt's reader answers EndOfString without moving on: without this
        // check a list of byte strings (xattrs) with a huge count would loop, growing, forever.
        return chunk.status == QCborStreamReader::EndOfString && r.lastError() == QCborError::NoError;
    }
    bool u32(uint32_t &out)
    {
        uint64_t v;
        if (!uint(v) || v > 0xffffffffu)
            return false;
        out = uint32_t(v);
        return true;
    }
};

bool readNode(Reader &rd, Node &n)
{
    QCborStreamReader &r = rd.r;
    if (!r.isMap() || !r.enterContainer())
        return false;
    int lastKey = -1;
    while (r.hasNext()) {
        uint64_t key;
        if (!rd.uint(key) || int64_t(key) <= lastKey || key > kSubtree)
            return false; // keys are canonical: ascending, each once, known
        lastKey = int(key);
        uint64_t u = 0;
        bool ok = true;
        switch (key) {
        case kName: ok = rd.bytes(n.name, 4096); break;
        case kType: ok = rd.uint(u) && u <= uint64_t(NodeType::Socket); n.type = NodeType(u); break;
        case kMode: ok = rd.u32(n.mode) && n.mode <= 07777; break;
        case kUid: ok = rd.u32(n.uid); break;
        case kGid: ok = rd.u32(n.gid); break;
        case kUser: ok = rd.bytes(n.user, 256); break;
        case kGroup: ok = rd.bytes(n.group, 256); break;
        case kMtime: ok = rd.sint(n.mtimeNs); break;
        case kAtime: ok = rd.sint(n.atimeNs); break;
        case kCtime: ok = rd.sint(n.ctimeNs); break;
        case kSize: ok = rd.uint(n.size); break;
        case kDevice: ok = rd.uint(n.device); break;
        case kInode: ok = rd.uint(n.inode); break;
        case kLinks: ok = rd.u32(n.links); break;
        case kRdev: ok = rd.uint(n.rdev); break;
        case kTarget: ok = rd.bytes(n.linkTarget, 65536); break;
        case kXattrs: {
            if (!r.isArray() || !r.enterContainer())
                return false;
            while (r.hasNext()) {
                QByteArray name, value;
                if (!rd.bytes(name, 256) || !rd.bytes(value, 1 << 20))
                    return false;
                n.xattrs.emplace_back(std::move(name), std::move(value));
            }
            ok = r.leaveContainer();
            break;
        }
        case kContent: {
            QByteArray refs;
            if (!rd.bytes(refs, 1 << 30) || refs.size() % kContentRefSize != 0)
                return false;
            const auto *p = reinterpret_cast<const uint8_t *>(refs.constData());
            n.content.resize(size_t(refs.size() / kContentRefSize));
            for (ContentRef &c : n.content) {
                std::memcpy(c.id.data(), p, 32);
                c.length = getLe32(p + 32);
                p += kContentRefSize;
            }
            break;
        }
        case kSubtree: {
            QByteArray id;
            if (!rd.bytes(id, 32) || id.size() != 32)
                return false;
            std::memcpy(n.subtree.data(), id.constData(), 32);
            break;
        }
        }
        if (!ok)
            return false;
    }
    return r.leaveContainer();
}

} // namespace

const char *nodeTypeName(NodeType t)
{
    switch (t) {
    case NodeType::File: return "file";
    case NodeType::Dir: return "dir";
    case NodeType::Symlink: return "symlink";
    case NodeType::Fifo: return "fifo";
    case NodeType::CharDevice: return "chardev";
    case NodeType::BlockDevice: return "blockdev";
    case NodeType::Socket: return "socket";
    }
    return "unknown";
}

bool isSafeName(const QByteArray &name)
{
    return !name.isEmpty() && name != "." && name != ".." && !name.contains('/') && !name.contains('\0');
}

QByteArray encodeTree(const Tree &tree)
{
    QByteArray out;
    QCborStreamWriter w(&out);
    w.startMap(2);
    w.append(0); // version
    w.append(kTreeVersion);
    w.append(1); // nodes
    w.startArray(quint64(tree.nodes.size()));
    for (const Node &n : tree.nodes) {
        const bool file = n.type == NodeType::File;
        const bool dev = n.type == NodeType::CharDevice || n.type == NodeType::BlockDevice;
        const int fields = 10 + !n.user.isEmpty() + !n.group.isEmpty() + (n.device || n.inode ? 2 : 0) + dev
            + (n.type == NodeType::Symlink) + !n.xattrs.empty() + file + (n.type == NodeType::Dir);
        w.startMap(quint64(fields));
        w.append(kName); w.appendByteString(n.name.constData(), n.name.size());
        w.append(kType); w.append(quint64(n.type));
        w.append(kMode); w.append(quint64(n.mode));
        w.append(kUid); w.append(quint64(n.uid));
        w.append(kGid); w.append(quint64(n.gid));
        if (!n.user.isEmpty()) { w.append(kUser); w.appendByteString(n.user.constData(), n.user.size()); }
        if (!n.group.isEmpty()) { w.append(kGroup); w.appendByteString(n.group.constData(), n.group.size()); }
        w.append(kMtime); w.append(qint64(n.mtimeNs));
        w.append(kAtime); w.append(qint64(n.atimeNs));
        w.append(kCtime); w.append(qint64(n.ctimeNs));
        w.append(kSize); w.append(quint64(n.size));
        if (n.device || n.inode) {
            w.append(kDevice); w.append(quint64(n.device));
            w.append(kInode); w.append(quint64(n.inode));
        }
        w.append(kLinks); w.append(quint64(n.links));
        if (dev) { w.append(kRdev); w.append(quint64(n.rdev)); }
        if (n.type == NodeType::Symlink) { w.append(kTarget); w.appendByteString(n.linkTarget.constData(), n.linkTarget.size()); }
        if (!n.xattrs.empty()) {
            w.append(kXattrs);
            w.startArray(quint64(n.xattrs.size()) * 2);
            for (const auto &x : n.xattrs) {
                w.appendByteString(x.first.constData(), x.first.size());
                w.appendByteString(x.second.constData(), x.second.size());
            }
            w.endArray();
        }
        if (file) {
            QByteArray refs(int(n.content.size()) * kContentRefSize, Qt::Uninitialized);
            auto *p = reinterpret_cast<uint8_t *>(refs.data());
            for (const ContentRef &c : n.content) {
                std::memcpy(p, c.id.data(), 32);
                putLe32(p + 32, c.length);
                p += kContentRefSize;
            }
            w.append(kContent); w.appendByteString(refs.constData(), refs.size());
        }
        if (n.type == NodeType::Dir) { w.append(kSubtree); w.appendByteString(reinterpret_cast<const char *>(n.subtree.data()), 32); }
        w.endMap();
    }
    w.endArray();
    w.endMap();
    return out;
}

Result<Tree> decodeTree(const QByteArray &cbor)
{
    Reader rd(cbor);
    QCborStreamReader &r = rd.r;
    uint64_t key, version;
    if (!r.isMap() || !r.enterContainer() || !rd.uint(key) || key != 0 || !rd.uint(version))
        return corrupt(QStringLiteral("not a tree record"));
    if (version != kTreeVersion)
        return Error(ErrorCode::Unsupported, QStringLiteral("tree version %1 is not supported").arg(version));
    if (!rd.uint(key) || key != 1 || !r.isArray() || !r.enterContainer())
        return corrupt(QStringLiteral("missing node list"));
    Tree tree;
    while (r.hasNext()) {
        Node n;
        if (!readNode(rd, n))
            return corrupt(QStringLiteral("malformed node %1").arg(tree.nodes.size()));
        if (!isSafeName(n.name))
            return corrupt(QStringLiteral("unsafe entry name \"%1\"").arg(QString::fromLatin1(n.name.toPercentEncoding())));
        if (!tree.nodes.empty() && !(tree.nodes.back().name < n.name))
            return corrupt(QStringLiteral("entries not sorted or duplicated at \"%1\"").arg(QString::fromLatin1(n.name.toPercentEncoding())));
        uint64_t total = 0;
        for (const ContentRef &c : n.content)
            total += c.length;
        if (n.type == NodeType::File && total != n.size)
            return corrupt(QStringLiteral("content of \"%1\" does not add up to its size").arg(QString::fromLatin1(n.name.toPercentEncoding())));
        tree.nodes.push_back(std::move(n));
    }
    if (!r.leaveContainer() || r.hasNext() || !r.leaveContainer() || r.lastError() != QCborError::NoError)
        return corrupt(QStringLiteral("trailing or malformed data"));
    if (r.currentOffset() != cbor.size())
        return corrupt(QStringLiteral("trailing bytes after the tree"));
    return tree;
}

} // namespace cairn
