// cairn-fuzz-make-seeds: writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<name>/)
// with the real encoders: packs from PackWriter, trees from encodeTree, sealed snapshot records,
// the agent's configuration, job and credential records, JSON bodies of the API, request heads,
// restore scenarios, and index feed pages and Content-Range headers; plus a few hand-made edge
// cases per target. Usage:
//   cairn-fuzz-make-seeds <corpus root>
// Files are named seed-NN; existing files of other names (inputs merged from fuzzing runs) are
// left alone. Single-threaded command-line tool.
#include "FuzzSupport.h"

#include "base/ByteIo.h"
#include "crypto/Crypto.h"
#include "remote/Enrollment.h"
#include "repository/Pack.h"
#include "repository/Repository.h"
#include "repository/Snapshot.h"
#include "repository/Tree.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <cstring>

using namespace cairn;

namespace {

class Corpus {
public:
    Corpus(const QString &root, const QString &name) : m_dir(QDir(root).filePath(name)) { QDir().mkpath(m_dir); }
    void add(const QByteArray &bytes)
    {
        QFile f(QDir(m_dir).filePath(QStringLiteral("seed-%1").arg(m_n++, 2, 10, QLatin1Char('0'))));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(f.fileName()));
            std::exit(1);
        }
    }
    void add(char selector, const QByteArray &bytes) { add(QByteArray(1, selector) + bytes); }
    int count() const { return m_n; }

private:
    QString m_dir;
    int m_n = 0;
};

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

ChunkId idOf(const QByteArray &data)
{
    return fuzz::testCodec().chunkId(data.constData(), size_t(data.size()));
}

QByteArray pattern(int n, int seed)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char((i * 31 + seed * 7) % 251);
    return b;
}

// --- packs
PackWriter::Finished pack(const QList<QByteArray> &blobs, BlobType type = BlobType::Data)
{
    PackWriter w(fuzz::testCodec());
    for (const QByteArray &b : blobs)
        w.add(type, idOf(b), b.constData(), size_t(b.size()));
    return w.finish();
}

// The same pack with its header in plaintext (form 1 of fuzz_pack).
QByteArray plainHeaderForm(const PackWriter::Finished &p)
{
    QByteArray header(4 + int(p.entries.size()) * kPackEntrySize, Qt::Uninitialized);
    auto *h = reinterpret_cast<uint8_t *>(header.data());
    putLe32(h, uint32_t(p.entries.size()));
    h += 4;
    for (const PackEntry &e : p.entries) {
        h[0] = uint8_t(e.type);
        std::memcpy(h + 1, e.id.data(), 32);
        putLe32(h + 33, e.offset);
        putLe32(h + 37, e.length);
        putLe32(h + 41, e.rawLength);
        h += kPackEntrySize;
    }
    const qint64 blobEnd = p.entries.empty() ? 0 : p.entries.back().offset + p.entries.back().length;
    QByteArray out = p.bytes.left(blobEnd) + header;
    uint8_t trailer[kPackTrailerSize];
    putLe32(trailer, uint32_t(header.size()));
    std::memcpy(trailer + 4, kPackMagic, sizeof kPackMagic);
    out.append(reinterpret_cast<const char *>(trailer), sizeof trailer);
    return out;
}

void packs(const QString &root)
{
    Corpus c(root, QStringLiteral("pack"));
    const QList<QList<QByteArray>> sets = {{}, {QByteArray("a")}, {pattern(100, 1), pattern(1000, 2)},
        {QByteArray(4000, 'z'), pattern(10, 3), pattern(300, 4)}};
    for (const auto &set : sets) {
        const auto p = pack(set);
        c.add(0, p.bytes);
        c.add(1, plainHeaderForm(p));
    }
    const auto trees = pack({encodeTree(Tree {})}, BlobType::Tree);
    c.add(0, trees.bytes);
    const auto two = pack({pattern(50, 5), pattern(60, 6)});
    c.add(0, two.bytes.left(two.bytes.size() - 1)); // truncated
    c.add(0, QByteArray(kPackMagic, 8));
    QByteArray duplicated = plainHeaderForm(pack({pattern(20, 7)}));
    c.add(1, duplicated);
    c.add(0, QByteArray());
    std::printf("pack: %d seeds\n", c.count());
}

// --- trees
Node node(const char *name, NodeType type)
{
    Node n;
    n.name = name;
    n.type = type;
    n.mode = type == NodeType::Dir ? 0755 : 0644;
    n.uid = n.gid = 1000;
    n.user = n.group = "user";
    n.mtimeNs = 1700000000123456789LL;
    n.atimeNs = n.ctimeNs = n.mtimeNs;
    n.device = 2049;
    n.inode = 12345;
    return n;
}

QList<Tree> sampleTrees()
{
    Tree empty;
    Tree files;
    Node f = node("file.txt", NodeType::File);
    f.content = {{idOf("x"), 10}, {ChunkId(), 6}};
    f.size = 16;
    files.nodes.push_back(f);
    Node g = node("hard", NodeType::File);
    g.links = 2;
    g.xattrs = {{"user.a", "1"}, {"user.b", QByteArray(3, '\0')}};
    files.nodes.push_back(g);
    Tree mixed;
    Node b = node("blk", NodeType::BlockDevice);
    b.rdev = 0x801;
    mixed.nodes.push_back(b);
    Node d = node("dir", NodeType::Dir);
    d.subtree = idOf("subtree");
    mixed.nodes.push_back(d);
    mixed.nodes.push_back(node("fifo", NodeType::Fifo));
    Node l = node("link", NodeType::Symlink);
    l.linkTarget = "../../etc/passwd";
    mixed.nodes.push_back(l);
    Node u = node("\xff\xfe non-utf8", NodeType::Socket);
    u.user.clear();
    u.device = u.inode = 0;
    mixed.nodes.push_back(u);
    return {empty, files, mixed};
}

void trees(const QString &root)
{
    Corpus c(root, QStringLiteral("tree"));
    for (const Tree &t : sampleTrees())
        c.add(encodeTree(t));
    Tree unsorted;
    unsorted.nodes = {node("b", NodeType::Fifo), node("a", NodeType::Fifo)};
    c.add(encodeTree(unsorted));
    Tree unsafe;
    unsafe.nodes = {node("..", NodeType::Dir)};
    c.add(encodeTree(unsafe));
    const QByteArray good = encodeTree(sampleTrees().at(2));
    c.add(good.left(good.size() / 2));
    c.add(good + '\0');
    QByteArray v2 = encodeTree(Tree {});
    v2[2] = 2; // version 2
    c.add(v2);
    std::printf("tree: %d seeds\n", c.count());
}

// --- records
Snapshot sampleSnapshot()
{
    Snapshot s;
    s.time = QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC);
    s.endTime = s.time.addSecs(60);
    s.hostname = QStringLiteral("host");
    s.username = QStringLiteral("root");
    s.paths = {"/etc", "/home/\xff"};
    s.excludes = {QStringLiteral("*.tmp")};
    s.tree = idOf("root");
    SnapshotId parent;
    parent.bytes.fill(7);
    s.parent = parent;
    s.stats.files = 10;
    s.stats.seconds = 1.5;
    s.programVersion = QStringLiteral("0.1.0");
    return s;
}

QJsonObject policyJson()
{
    return {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc"), QStringLiteral("/home")}},
        {QStringLiteral("excludes"), QJsonArray {QStringLiteral("*.tmp")}}, {QStringLiteral("one_file_system"), true},
        {QStringLiteral("interval_days"), 7}, {QStringLiteral("weekday"), 3}, {QStringLiteral("hour"), 2},
        {QStringLiteral("retention_days"), 30},
        {QStringLiteral("pre_command"), QStringLiteral("/usr/local/bin/dump-db")},
        {QStringLiteral("command_timeout_seconds"), 600},
        {QStringLiteral("on_pre_command_failure"), QStringLiteral("continue")},
        {QStringLiteral("bandwidth_limit_kib"), 1024}};
}

QJsonObject restoreJson()
{
    return {{QStringLiteral("snapshot"), QString(64, QLatin1Char('a'))},
        {QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc/hosts")}},
        {QStringLiteral("paths_b64"), QJsonArray {QString::fromLatin1(QByteArray("/home/\xff").toBase64())}},
        {QStringLiteral("target"), QStringLiteral("/srv/restore")},
        {QStringLiteral("existing"), QStringLiteral("keep-both")}};
}

void records(const QString &root)
{
    Corpus c(root, QStringLiteral("records"));
    const Snapshot s = sampleSnapshot();
    c.add(0, s.serialize());
    c.add(0, Snapshot().serialize());
    c.add(1, sealSnapshot(fuzz::testCodec(), s));
    c.add(2, s.serialize());
    QJsonObject config {{QStringLiteral("agent"),
                            QJsonObject {{QStringLiteral("id"), 3}, {QStringLiteral("name"), QStringLiteral("db1")}}},
        {QStringLiteral("tenant"), QJsonObject {{QStringLiteral("time_zone"), QStringLiteral("Europe/Berlin")}}},
        {QStringLiteral("policy"), policyJson()},
        {QStringLiteral("schedule"),
            QJsonObject {{QStringLiteral("offset_seconds"), 1234},
                {QStringLiteral("next_run"), QStringLiteral("2024-03-31T02:20:34.000Z")}}}};
    c.add(3, json(config));
    config.insert(QStringLiteral("policy"), QJsonValue::Null);
    c.add(3, json(config));
    QJsonObject job {{QStringLiteral("id"), 42}, {QStringLiteral("kind"), QStringLiteral("restore")},
        {QStringLiteral("state"), QStringLiteral("pending")},
        {QStringLiteral("scheduled_at"), QStringLiteral("2024-01-01T00:00:00Z")},
        {QStringLiteral("requested_by"), QStringLiteral("admin@example.com")},
        {QStringLiteral("cancel_requested"), false}, {QStringLiteral("spec"), restoreJson()}};
    c.add(4, json(job));
    job.insert(QStringLiteral("kind"), QStringLiteral("backup"));
    job.insert(QStringLiteral("spec"), QJsonObject {});
    c.add(4, json(job));
    c.add(5, fuzz::testKeys().serialize());
    RepositoryConfig rc;
    rc.id = QStringLiteral("0123456789abcdef");
    c.add(6, rc.toJson());
    AgentCredentials cred;
    cred.serverUrl = QStringLiteral("https://backup.example.com:8443");
    cred.agentId = 3;
    cred.tenantId = 1;
    cred.token = "ca_0123456789";
    cred.keys = fuzz::testKeys().serialize();
    cred.repositoryConfig = rc.toJson();
    cred.caPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    c.add(7, cred.toJson());
    c.add(4, "{\"id\":1e300,\"kind\":\"restore\",\"spec\":{\"paths\":[\"\\u0000\"]}}");
    c.add(3, "{\"agent\":{\"id\":-1}}");
    c.add(3, "{\"agent\":{\"id\":1e300},\"schedule\":{\"offset_seconds\":-1e300}}");
    std::printf("records: %d seeds\n", c.count());
}

// --- JSON request bodies
void jsonBodies(const QString &root)
{
    Corpus c(root, QStringLiteral("json"));
    c.add(0, json(restoreJson()));
    c.add(0, json({{QStringLiteral("snapshot"), QString(64, QLatin1Char('0'))}}));
    c.add(0,
        json({{QStringLiteral("snapshot"), QString(64, QLatin1Char('0'))},
            {QStringLiteral("target"), QStringLiteral("C:\\restore")}}));
    QJsonObject ticket = restoreJson();
    ticket.insert(QStringLiteral("server"), 7);
    ticket.insert(QStringLiteral("target_server"), 8);
    ticket.insert(QStringLiteral("note"), QStringLiteral("please restore"));
    ticket.insert(QStringLiteral("contact"),
        QJsonObject {{QStringLiteral("name"), QStringLiteral("Kim")},
            {QStringLiteral("phone"), QStringLiteral("+49 30 123456")},
            {QStringLiteral("email"), QStringLiteral("kim@example.com")}});
    c.add(1, json(ticket));
    c.add(2, json(policyJson()));
    c.add(3,
        json({{QStringLiteral("state"), QStringLiteral("succeeded")},
            {QStringLiteral("snapshot"), QString(64, QLatin1Char('b'))},
            {QStringLiteral("stats"), QJsonObject {{QStringLiteral("files"), 3}}}}));
    c.add(3,
        json({{QStringLiteral("state"), QStringLiteral("failed")},
            {QStringLiteral("error"), QStringLiteral("disk full")}}));
    c.add(2, "{\"paths\":[\"/a\"],\"interval_days\":1.5,\"hour\":1e400,\"retention_days\":-0}");
    c.add(0, "{\"snapshot\":\"\xff\xfe\",\"unknown\":1}");
    // A target of 2100 characters but 4201 bytes of UTF-8: within the server's limit in characters,
    // over the agent's in bytes (the server accepted restores its agent then refused).
    c.add(0,
        json({{QStringLiteral("snapshot"), QString(64, QLatin1Char('c'))},
            {QStringLiteral("target"), QLatin1Char('/') + QString(2100, QChar(0xe9))}}));
    c.add(1, QByteArray(200, '[') + QByteArray(200, ']'));
    c.add(3, "");
    std::printf("json: %d seeds\n", c.count());
}

// --- HTTP request heads
void heads(const QString &root)
{
    Corpus c(root, QStringLiteral("http_head"));
    c.add(char(0), "GET /api/v1/agent/config?x=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ca_1\r\n\r\n");
    c.add(char(3),
        "PUT /api/v1/agent/packs/ab HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nExpect: "
        "100-continue\r\n\r\nbodybodybody");
    c.add(char(1), "\r\n\r\nPOST /p HTTP/1.0\nConnection: keep-alive\nContent-Length: 0\n\n");
    c.add(char(7), "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    c.add(char(2), "GET /%2e%2e/%00 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    c.add(char(5), "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");
    c.add(char(0), "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    QByteArray many = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 101; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    c.add(char(9), many + "\r\n");
    c.add(char(4), "GET / HTTP/2.0\r\n\r\n");
    std::printf("http_head: %d seeds\n", c.count());
}

// --- restore scenarios (the byte format fuzz_restore_path reads)
class Scenario {
public:
    Scenario &byte(int b)
    {
        m_b.append(char(b));
        return *this;
    }
    Scenario &bytes(const QByteArray &s)
    {
        m_b.append(char(s.size()));
        m_b.append(s);
        return *this;
    }
    Scenario &u32(uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            byte(int((v >> (8 * i)) & 0xff));
        return *this;
    }
    // A node: type, name, mode (default), flags; then the type's payload follows.
    Scenario &node(int type, const QByteArray &name, int flags = 0)
    {
        return byte(type).bytes(name).byte(0).byte(flags);
    }
    QByteArray data() const { return m_b; }

private:
    QByteArray m_b;
};

void restores(const QString &root)
{
    Corpus c(root, QStringLiteral("restore_path"));
    enum { File = 0, Dir = 1, Symlink = 2, Fifo = 3 };
    // Overwrite; planted: "d" -> outside (absolute); tree: dir d { file f }, file top, symlink s.
    c.add(Scenario()
              .byte(1)
              .byte(1)
              .byte(0)
              .bytes("d")
              .byte(3)
              .node(Dir, "d")
              .byte(1)
              .node(File, "f")
              .bytes("evil")
              .node(File, "top")
              .bytes("hello")
              .node(Symlink, "s")
              .bytes("/etc/shadow")
              .byte(0)
              .data());
    // Keep both; planted relative links; hardlinks into a planted name.
    c.add(Scenario()
              .byte(2)
              .byte(2)
              .byte(2)
              .bytes("a")
              .byte(3)
              .bytes("h")
              .byte(3)
              .node(File, "a", 1)
              .bytes("one")
              .node(File, "h", 1)
              .bytes("one")
              .node(Dir, "z")
              .byte(1)
              .node(File, "h2", 1)
              .bytes("one")
              .byte(0)
              .data());
    // Skip; include paths with "..", a planted directory with a link inside it.
    c.add(Scenario()
              .byte(0)
              .byte(2)
              .byte(4)
              .bytes("p")
              .byte(0)
              .bytes("p/q")
              .byte(1)
              .node(Dir, "p")
              .byte(1)
              .node(Dir, "q")
              .byte(1)
              .node(File, "x")
              .bytes("data")
              .byte(2)
              .bytes("/p/q/../../..")
              .bytes("/p/q")
              .data());
    // Unsafe names in the tree (refused by the decoder and the restorer).
    c.add(Scenario()
              .byte(1)
              .byte(0)
              .byte(3)
              .node(File, "..")
              .bytes("x")
              .node(Dir, "a/b")
              .byte(0)
              .node(Fifo, "ok")
              .byte(0)
              .data());
    // Symlink then a directory below a link name, xattrs, modes.
    c.add(Scenario()
              .byte(1)
              .byte(1)
              .byte(1)
              .bytes("k")
              .byte(2)
              .byte(File)
              .bytes("k")
              .byte(1)
              .u32(04777)
              .byte(0x20)
              .bytes("x")
              .bytes("v")
              .bytes("k data")
              .node(Symlink, "l")
              .bytes("../outside/keep")
              .byte(0)
              .data());
    c.add(QByteArray());
    std::printf("restore_path: %d seeds\n", c.count());
}

// --- index feed pages and Content-Range headers
void feeds(const QString &root)
{
    Corpus c(root, QStringLiteral("feed"));
    for (const char *range : {"bytes 0-0/1000", "bytes 990-999/1000", "bytes */0", "  bytes 5-9/10 ", "bytes 0-10/10",
             "bytes 9-5/10", "bytes 0-5/*", "bytes -5/10", "bytes 0-9223372036854775807/9223372036854775807",
             "bytes 1-2/99999999999999999999"})
        c.add(0, range);
    const auto pack = [](qint64 seq, int blobs) {
        PackId id;
        id.bytes = crypto::sha256(pattern(64, int(seq)));
        QJsonArray list;
        for (int i = 0; i < blobs; ++i)
            list.append(QJsonArray {i % 2, idOf(pattern(16, i)).toHex(), i * 100, 100, 120});
        return QJsonObject {{QStringLiteral("seq"), seq}, {QStringLiteral("id"), id.toHex()},
            {QStringLiteral("size"), qint64(blobs) * 100 + 48}, {QStringLiteral("blobs"), list}};
    };
    const auto page = [](const QJsonArray &packs, bool more) {
        return json({{QStringLiteral("packs"), packs}, {QStringLiteral("more"), more}});
    };
    const auto feedSeed = [&c](char after, const QByteArray &body) { c.add(1, QByteArray(1, after) + body); };
    QJsonObject removed = pack(3, 0);
    removed = {{QStringLiteral("seq"), 9}, {QStringLiteral("id"), removed.value(QStringLiteral("id"))},
        {QStringLiteral("removed"), true}};
    feedSeed(0, page({pack(1, 3), pack(2, 0), removed}, true));
    feedSeed(0, page({}, false));
    feedSeed(2, page({pack(3, 1)}, false));
    feedSeed(5, page({pack(3, 1)}, false)); // a sequence number not above `after`
    feedSeed(0, page({pack(2, 1), pack(2, 1)}, false)); // not increasing
    QJsonObject outside = pack(1, 2);
    outside.insert(QStringLiteral("size"), 150); // the second blob ends past the pack
    feedSeed(0, page({outside}, false));
    feedSeed(0, "{\"packs\":[{\"seq\":1e300,\"id\":\"00\",\"size\":-1e300,\"blobs\":[[7,\"zz\",1e300,-1,0.5]]}]}");
    feedSeed(0, "{\"packs\":[{\"seq\":1,\"removed\":true,\"id\":\"not hex\"}],\"more\":true}");
    std::printf("feed: %d seeds\n", c.count());
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus root>\n", argv[0]);
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    packs(root);
    trees(root);
    records(root);
    jsonBodies(root);
    heads(root);
    restores(root);
    feeds(root);
    return 0;
}
