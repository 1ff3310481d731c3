// Tree records: every node type and field survives encode/decode, and decodeTree refuses every
// malformed or unsafe record (bad names, order, sizes, unknown keys, trailing bytes, versions,
// truncation at every length, random bytes) with an error instead of crashing.
#include "repository/Tree.h"

#include <QCborStreamWriter>
#include <QRandomGenerator>
#include <QtTest>

#include <cstring>
#include <functional>

using namespace cairn;

Q_DECLARE_METATYPE(cairn::Tree)

namespace {

ChunkId idFrom(uint8_t seed)
{
    ChunkId id;
    for (int i = 0; i < ChunkId::Size; ++i)
        id.bytes[size_t(i)] = uint8_t(seed + i * 7);
    return id;
}

Node fileNode(const QByteArray &name, std::vector<ContentRef> content = {})
{
    Node n;
    n.name = name;
    n.type = NodeType::File;
    n.mode = 0644;
    for (const ContentRef &c : content)
        n.size += c.length;
    n.content = std::move(content);
    return n;
}

Tree fullTree()
{
    Tree t;
    Node f = fileNode(QByteArray("caf\xe9-latin1", 10), {{idFrom(1), 1000}, {zeroChunkId(), 4096}, {idFrom(2), 0xffffffffu}});
    f.mode = 07777;
    f.uid = 0xffffffffu;
    f.gid = 12345;
    f.user = "alice";
    f.group = QByteArray("gr\x00oup", 6);
    f.mtimeNs = -1234567890123456789LL;
    f.atimeNs = std::numeric_limits<int64_t>::min();
    f.ctimeNs = std::numeric_limits<int64_t>::max();
    f.device = std::numeric_limits<uint64_t>::max();
    f.inode = 1;
    f.links = 3;
    f.xattrs = {{QByteArray("user.a\0" "b", 8), QByteArray("\x00\x01\x00", 3)}, {"user.empty", QByteArray()}};
    t.nodes.push_back(f);

    Node d;
    d.name = "dir";
    d.type = NodeType::Dir;
    d.mode = 0755;
    d.subtree = idFrom(9);
    d.mtimeNs = 1;
    t.nodes.push_back(d);

    t.nodes.push_back(fileNode("empty"));

    Node big = fileNode("huge");
    // Content refs do not have to exist to encode: a big size made of max-length refs.
    for (int i = 0; i < 4; ++i)
        big.content.push_back({idFrom(uint8_t(20 + i)), 0xffffffffu});
    big.size = 4ull * 0xffffffffu;
    t.nodes.push_back(big);

    Node s;
    s.name = "link";
    s.type = NodeType::Symlink;
    s.mode = 0777;
    s.linkTarget = QByteArray("../../etc/\xff\xfe", 12);
    t.nodes.push_back(s);

    for (auto [name, type] : {std::pair<const char *, NodeType>{"pipe", NodeType::Fifo},
                              {"sock", NodeType::Socket}}) {
        Node o;
        o.name = name;
        o.type = type;
        o.mode = 0600;
        t.nodes.push_back(o);
    }
    Node c;
    c.name = "tty";
    c.type = NodeType::CharDevice;
    c.rdev = (uint64_t(136) << 8) | 3;
    t.nodes.push_back(c);
    Node b;
    b.name = "zblock";
    b.type = NodeType::BlockDevice;
    b.rdev = std::numeric_limits<uint64_t>::max();
    t.nodes.push_back(b);
    std::sort(t.nodes.begin(), t.nodes.end(), [](const Node &x, const Node &y) { return x.name < y.name; });
    return t;
}

void compareNodes(const Node &a, const Node &b)
{
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.type, b.type);
    QCOMPARE(a.mode, b.mode);
    QCOMPARE(a.uid, b.uid);
    QCOMPARE(a.gid, b.gid);
    QCOMPARE(a.user, b.user);
    QCOMPARE(a.group, b.group);
    QCOMPARE(a.mtimeNs, b.mtimeNs);
    QCOMPARE(a.atimeNs, b.atimeNs);
    QCOMPARE(a.ctimeNs, b.ctimeNs);
    QCOMPARE(a.size, b.size);
    QCOMPARE(a.device, b.device);
    QCOMPARE(a.inode, b.inode);
    QCOMPARE(a.links, b.links);
    QCOMPARE(a.rdev, b.rdev);
    QCOMPARE(a.linkTarget, b.linkTarget);
    QVERIFY(a.xattrs == b.xattrs);
    QCOMPARE(a.content.size(), b.content.size());
    for (size_t i = 0; i < a.content.size(); ++i) {
        QVERIFY(a.content[i].id == b.content[i].id);
        QCOMPARE(a.content[i].length, b.content[i].length);
    }
    QVERIFY(a.subtree == b.subtree);
}

// Writes a tree record by hand, so that tests can produce what encodeTree would not.
// `nodes` are lists of (key, writer) pairs.
using FieldWriter = std::function<void(QCborStreamWriter &)>;
using RawNode = std::vector<std::pair<qint64, FieldWriter>>;

FieldWriter bytesField(const QByteArray &b)
{
    return [b](QCborStreamWriter &w) { w.appendByteString(b.constData(), b.size()); };
}
FieldWriter uintField(quint64 v)
{
    return [v](QCborStreamWriter &w) { w.append(v); };
}

RawNode rawFile(const QByteArray &name, quint64 size = 0, const QByteArray &refs = QByteArray())
{
    return {{0, bytesField(name)}, {1, uintField(0)}, {2, uintField(0644)}, {10, uintField(size)},
            {17, bytesField(refs)}};
}

QByteArray rawTree(const std::vector<RawNode> &nodes, quint64 version = 1)
{
    QByteArray out;
    QCborStreamWriter w(&out);
    w.startMap(2);
    w.append(0);
    w.append(version);
    w.append(1);
    w.startArray(quint64(nodes.size()));
    for (const RawNode &n : nodes) {
        w.startMap(quint64(n.size()));
        for (const auto &[key, write] : n) {
            w.append(key);
            write(w);
        }
        w.endMap();
    }
    w.endArray();
    w.endMap();
    return out;
}

QByteArray refsOf(const std::vector<ContentRef> &refs)
{
    QByteArray b;
    for (const ContentRef &c : refs) {
        b.append(reinterpret_cast<const char *>(c.id.data()), 32);
        const uint32_t l = c.length;
        char le[4] = {char(l & 0xff), char((l >> 8) & 0xff), char((l >> 16) & 0xff), char(l >> 24)};
        b.append(le, 4);
    }
    return b;
}

} // namespace

class TestTree : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void rawWriterMatchesDecoder();
    void encodeDoesNotValidate();
    void isSafeName_data();
    void isSafeName();
    void rejects_data();
    void rejects();
    void unsupportedVersion();
    void everyPrefixFails();
    void randomBytesFail();
    void mutatedEncodingNeverCrashes();
};

void TestTree::roundTrip_data()
{
    QTest::addColumn<Tree>("tree");
    QTest::newRow("empty") << Tree{};
    QTest::newRow("one-empty-file") << Tree{{fileNode("a")}};
    QTest::newRow("all-types-all-fields") << fullTree();
    Tree many;
    for (int i = 0; i < 1000; ++i)
        many.nodes.push_back(fileNode(QByteArray::number(100000 + i), {{idFrom(uint8_t(i)), uint32_t(i)}}));
    QTest::newRow("thousand") << many;
    Node anyBytes = fileNode(QByteArray("\x01\x7f\x80\xff\\ \t\n", 8));
    QTest::newRow("binary-name") << Tree{{anyBytes}};
    QTest::newRow("long-name") << Tree{{fileNode(QByteArray(4096, 'n'))}};
}

void TestTree::roundTrip()
{
    QFETCH(Tree, tree);
    const QByteArray cbor = encodeTree(tree);
    auto back = decodeTree(cbor);
    QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->nodes.size(), tree.nodes.size());
    for (size_t i = 0; i < tree.nodes.size(); ++i) {
        compareNodes(back->nodes[i], tree.nodes[i]);
        if (QTest::currentTestFailed())
            return;
    }
    QCOMPARE(encodeTree(*back), cbor); // canonical: re-encoding gives the same bytes
}

void TestTree::rawWriterMatchesDecoder()
{
    // The hand-written records below are only meaningful if a correct one is accepted.
    const QByteArray refs = refsOf({{idFrom(3), 10}, {zeroChunkId(), 5}});
    auto t = decodeTree(rawTree({rawFile("a", 15, refs), rawFile("b")}));
    QVERIFY2(t.ok(), qPrintable(t ? QString() : t.error().message));
    QCOMPARE(t->nodes.size(), size_t(2));
    QCOMPARE(t->nodes[0].size, quint64(15));
    QVERIFY(t->nodes[0].content[1].id == zeroChunkId());
}

void TestTree::encodeDoesNotValidate()
{
    // encodeTree writes what it is given; the decoder is the gate (documents the split of duties).
    Tree t{{fileNode("..")}};
    auto r = decodeTree(encodeTree(t));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestTree::isSafeName_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("safe");
    QTest::newRow("plain") << QByteArray("file.txt") << true;
    QTest::newRow("dots3") << QByteArray("...") << true;
    QTest::newRow("dot-prefix") << QByteArray(".hidden") << true;
    QTest::newRow("latin1") << QByteArray("\xe9", 1) << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("dot") << QByteArray(".") << false;
    QTest::newRow("dotdot") << QByteArray("..") << false;
    QTest::newRow("slash") << QByteArray("a/b") << false;
    QTest::newRow("only-slash") << QByteArray("/") << false;
    QTest::newRow("nul") << QByteArray("a\0b", 3) << false;
}

void TestTree::isSafeName()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, safe);
    QCOMPARE(cairn::isSafeName(name), safe);
}

void TestTree::rejects_data()
{
    QTest::addColumn<QByteArray>("cbor");
    const QByteArray valid = encodeTree(Tree{{fileNode("a"), fileNode("b")}});
    auto named = [](const QByteArray &n) { return rawTree({rawFile(n)}); };
    QTest::newRow("name-empty") << named(QByteArray());
    QTest::newRow("name-dot") << named(".");
    QTest::newRow("name-dotdot") << named("..");
    QTest::newRow("name-slash") << named("a/b");
    QTest::newRow("name-nul") << named(QByteArray("a\0b", 3));
    QTest::newRow("name-too-long") << named(QByteArray(4097, 'n'));
    QTest::newRow("name-missing") << rawTree({{{1, uintField(0)}, {10, uintField(0)}, {17, bytesField({})}}});
    QTest::newRow("name-as-text") << rawTree({{{0, [](QCborStreamWriter &w) { w.append(QStringLiteral("a")); }},
                                              {1, uintField(0)}}});
    QTest::newRow("unsorted") << rawTree({rawFile("b"), rawFile("a")});
    QTest::newRow("duplicate") << rawTree({rawFile("a"), rawFile("a")});
    QTest::newRow("size-too-big") << rawTree({rawFile("a", 11, refsOf({{idFrom(1), 10}}))});
    QTest::newRow("size-too-small") << rawTree({rawFile("a", 9, refsOf({{idFrom(1), 10}}))});
    QTest::newRow("size-without-content") << rawTree({rawFile("a", 1)});
    QTest::newRow("refs-not-multiple-of-36") << rawTree({rawFile("a", 0, QByteArray(35, '\0'))});
    QTest::newRow("unknown-key") << rawTree({{{0, bytesField("a")}, {1, uintField(0)}, {19, uintField(1)}}});
    QTest::newRow("negative-key") << rawTree({{{-1, uintField(1)}, {0, bytesField("a")}}});
    QTest::newRow("keys-descending") << rawTree({{{1, uintField(0)}, {0, bytesField("a")}}});
    QTest::newRow("key-twice") << rawTree({{{0, bytesField("a")}, {0, bytesField("b")}}});
    QTest::newRow("unknown-type") << rawTree({{{0, bytesField("a")}, {1, uintField(7)}}});
    QTest::newRow("mode-too-big") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {2, uintField(010000)}}});
    QTest::newRow("uid-too-big") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {3, uintField(1ull << 32)}}});
    QTest::newRow("mtime-as-bytes") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {7, bytesField("x")}}});
    QTest::newRow("subtree-short") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {18, bytesField(QByteArray(31, 'x'))}}});
    QTest::newRow("subtree-long") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {18, bytesField(QByteArray(33, 'x'))}}});
    QTest::newRow("xattrs-odd") << rawTree({{{0, bytesField("a")}, {1, uintField(1)}, {16, [](QCborStreamWriter &w) {
                                              w.startArray(1);
                                              w.appendByteString("k", 1);
                                              w.endArray();
                                          }}}});
    QTest::newRow("node-not-map") << [] {
        QByteArray out;
        QCborStreamWriter w(&out);
        w.startMap(2);
        w.append(0);
        w.append(1);
        w.append(1);
        w.startArray(1);
        w.append(5);
        w.endArray();
        w.endMap();
        return out;
    }();
    QTest::newRow("trailing-byte") << valid + QByteArray(1, '\0');
    QTest::newRow("trailing-tree") << valid + valid;
    QTest::newRow("not-a-map") << QByteArray("\x80", 1);
    QTest::newRow("empty-input") << QByteArray();
    QTest::newRow("no-node-list") << QByteArray("\xa1\x00\x01", 3);
    QTest::newRow("extra-top-level-key") << [&] {
        QByteArray b = valid;
        b[0] = char(0xa3); // map of 3, but only 2 pairs follow
        return b + QByteArray("\x02\x00", 2);
    }();
}

void TestTree::rejects()
{
    QFETCH(QByteArray, cbor);
    auto r = decodeTree(cbor);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Corrupt);
}

void TestTree::unsupportedVersion()
{
    for (quint64 v : {0ull, 2ull, 1ull << 40}) {
        auto r = decodeTree(rawTree({rawFile("a")}, v));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unsupported);
    }
}

void TestTree::everyPrefixFails()
{
    const QByteArray cbor = encodeTree(fullTree());
    QVERIFY(decodeTree(cbor).ok());
    for (int n = 0; n < cbor.size(); ++n) {
        auto r = decodeTree(cbor.left(n));
        QVERIFY2(!r.ok(), qPrintable(QStringLiteral("prefix of %1 bytes accepted").arg(n)));
    }
}

void TestTree::randomBytesFail()
{
    QRandomGenerator rng(7);
    for (int i = 0; i < 2000; ++i) {
        QByteArray b(int(rng.bounded(200)), Qt::Uninitialized);
        for (char &c : b)
            c = char(rng.generate());
        auto r = decodeTree(b);
        QVERIFY2(!r.ok(), b.toHex().constData()); // a random accept is astronomically unlikely
    }
}

void TestTree::mutatedEncodingNeverCrashes()
{
    QRandomGenerator rng(11);
    const QByteArray cbor = encodeTree(fullTree());
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        QByteArray m = cbor;
        const int pos = int(rng.bounded(m.size()));
        m[pos] = char(m[pos] ^ char(1 + rng.bounded(255)));
        auto r = decodeTree(m);
        if (r) {
            ++accepted;
            for (const Node &n : r->nodes)
                QVERIFY(cairn::isSafeName(n.name)); // whatever is accepted is still safe
        }
    }
    QVERIFY(accepted < 3000);
}

QTEST_GUILESS_MAIN(TestTree)
#include "TestTree.moc"
