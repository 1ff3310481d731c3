// A malicious server answer cannot make the agent write outside its restore target or crash it
// (issue 7, hostile input). The test builds, with the engine's own writer code and the tenant's
// key (a SimulatedAgent enrolled in the same tenant as the real agent), snapshots whose trees are
// hostile: names "..", "../x", "a/b", "/abs", "", ".", with NUL; a subtree that is a data blob;
// symlinks to outside (absolute and relative) followed by a second snapshot with directories of
// the same names holding files; hardlink tricks (a file hardlinked to a symlink, names replacing
// planted symlinks); lengths that do not match the data; huge sparse sizes; very deep nesting
// (restored and checked with a 1 MiB stack).
// Its packs are uploaded as an agent would; a snapshot the server's own checks refuse is planted
// in the server's store and catalog (as a compromised server would serve it). The real
// cairn-agent restores each into a target inside a temporary folder that has a sibling "outside"
// folder: it must not crash (exit code, sanitizer-clean output), must report the bad entries, and
// nothing outside the target may appear or change (a listing with hashes of the whole temporary
// folder before and after). Test main thread; server and agent are child processes.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "Reliability.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"
#include "TestSupport.h"

#include "crypto/Crypto.h"
#include "repository/Pack.h"
#include "repository/Snapshot.h"
#include "repository/Tree.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn;
using namespace cairn::test;

namespace {

// Every entry below `root` except below `skip` (relative): path → type, mode, owner, size, mtime
// and content hash or link target. lstat only, never following a link.
QMap<QByteArray, QByteArray> listing(const QByteArray &root, const QByteArray &skip)
{
    QMap<QByteArray, QByteArray> out;
    std::function<void(const QByteArray &)> walk = [&](const QByteArray &rel) {
        const QByteArray dir = rel.isEmpty() ? root : root + '/' + rel;
        DIR *d = ::opendir(dir.constData());
        if (!d)
            return;
        QList<QByteArray> names;
        while (const dirent *e = ::readdir(d)) {
            const QByteArray name(e->d_name);
            if (name != "." && name != "..")
                names << name;
        }
        ::closedir(d);
        for (const QByteArray &name : names) {
            const QByteArray childRel = rel.isEmpty() ? name : rel + '/' + name;
            if (childRel == skip)
                continue;
            const QByteArray path = root + '/' + childRel;
            struct stat st;
            if (::lstat(path.constData(), &st) != 0)
                continue;
            QByteArray what = QByteArray::number(st.st_mode, 8) + ' ' + QByteArray::number(st.st_uid) + ':'
                + QByteArray::number(st.st_gid) + ' ' + QByteArray::number(qint64(st.st_size)) + ' '
                + QByteArray::number(qint64(st.st_mtim.tv_sec)) + '.' + QByteArray::number(qint64(st.st_mtim.tv_nsec))
                + ' ' + QByteArray::number(qulonglong(st.st_nlink));
            if (S_ISREG(st.st_mode)) {
                what += ' ' + QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256).toHex();
            } else if (S_ISLNK(st.st_mode)) {
                char buf[4096];
                const ssize_t n = ::readlink(path.constData(), buf, sizeof buf);
                what += " -> " + QByteArray(buf, int(std::max<ssize_t>(n, 0)));
            }
            out.insert(childRel, what);
            if (S_ISDIR(st.st_mode))
                walk(childRel);
        }
    };
    walk(QByteArray());
    return out;
}

Node fileNode(const QByteArray &name, const std::vector<ContentRef> &content)
{
    Node n;
    n.name = name;
    n.type = NodeType::File;
    n.mode = 0644;
    for (const ContentRef &c : content)
        n.size += c.length;
    n.content = content;
    return n;
}

Node symlinkNode(const QByteArray &name, const QByteArray &target)
{
    Node n;
    n.name = name;
    n.type = NodeType::Symlink;
    n.mode = 0777;
    n.linkTarget = target;
    return n;
}

Node dirNode(const QByteArray &name, const ChunkId &subtree)
{
    Node n;
    n.name = name;
    n.type = NodeType::Dir;
    n.mode = 0755;
    n.subtree = subtree;
    return n;
}

} // namespace

class TestMaliciousRestore : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QByteArray m_work, m_outside, m_target;
    ServerProcess m_server;
    AgentProcess m_agent;
    std::unique_ptr<SimulatedAgent> m_sim;
    std::unique_ptr<PackWriter> m_writer;
    qint64 m_tenant = -1;
    int m_tried = 0, m_reported = 0, m_escapes = 0, m_crashes = 0, m_hangs = 0, m_planted = 0;
    QByteArray m_decoy; // a benign snapshot's id (hex), committed through the API
    QSet<QString> m_added; // blobs already written

    struct Hostile {
        QString name;
        SnapshotId id;
        QByteArray sealed;
        bool committed = false; // the server took it through the API
    };

    ChunkId addBlob(BlobType type, const QByteArray &plain)
    {
        const ChunkId id = m_sim->codec()->chunkId(plain.constData(), size_t(plain.size()));
        if (!m_added.contains(id.toHex())) {
            m_added.insert(id.toHex());
            m_writer->add(type, id, plain.constData(), size_t(plain.size()));
        }
        return id;
    }
    ChunkId addTree(std::vector<Node> nodes)
    {
        std::sort(nodes.begin(), nodes.end(), [](const Node &a, const Node &b) { return a.name < b.name; });
        Tree t;
        t.nodes = std::move(nodes);
        return addBlob(BlobType::Tree, encodeTree(t));
    }
    ContentRef data(const QByteArray &bytes) { return {addBlob(BlobType::Data, bytes), uint32_t(bytes.size())}; }

    bool flush()
    {
        if (!m_writer || m_writer->count() == 0)
            return true;
        PackWriter::Finished f = m_writer->finish();
        m_writer = std::make_unique<PackWriter>(*m_sim->codec());
        SimulatedAgent::BuiltPack p;
        p.id = f.id;
        p.bytes = f.bytes;
        const ApiReply r = m_sim->uploadPack(p);
        if (r.status != 201 && r.status != 200)
            qWarning("pack upload: %s", qPrintable(r.describe()));
        return r.status == 201 || r.status == 200;
    }

    // Seals a snapshot of `root` and offers it to the server; the record is kept for planting.
    Hostile snapshot(const QString &name, const ChunkId &root)
    {
        Hostile h;
        h.name = name;
        if (!flush())
            return h;
        Snapshot s;
        s.time = QDateTime::currentDateTimeUtc();
        s.endTime = s.time.addSecs(1);
        s.hostname = QStringLiteral("hostile");
        s.username = QStringLiteral("root");
        s.paths = {"/data"};
        s.tree = root;
        s.programVersion = QStringLiteral("test");
        h.sealed = sealSnapshot(*m_sim->codec(), s);
        h.id.bytes = crypto::sha256(h.sealed);
        const ApiReply r = m_sim->client().put(QStringLiteral("/api/v1/agent/snapshots/") + h.id.toHex(), h.sealed);
        h.committed = r.status == 201;
        qInfo("%s: the server %s it (%d)", qPrintable(name), h.committed ? "took" : "refused", r.status);
        return h;
    }

    // Puts the snapshots the server refused into its store and catalog, as a compromised server
    // would serve them.
    void plant(const QList<Hostile> &all)
    {
        QVERIFY(m_server.stop());
        const QString records = QStringLiteral("%1/packs/tenant-%2/snapshots").arg(m_server.dataDir()).arg(m_tenant);
        QDir().mkpath(records);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("plant"));
            db.setDatabaseName(m_server.dataDir() + QStringLiteral("/catalog.sqlite"));
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            for (const Hostile &h : all) {
                if (h.committed)
                    continue;
                QVERIFY(writeFile(QFile::encodeName(records + u'/' + h.id.toHex()), h.sealed));
                auto opened = openSnapshot(*m_sim->codec(), h.id, h.sealed);
                QVERIFY(opened.ok());
                const QString sql = QStringLiteral(
                    "INSERT INTO snapshots (tenant_id, snapshot_id, agent_id, job_id, taken_at, finished_at, hostname, "
                    "paths, root_tree, stats, record_size) SELECT tenant_id, X'%1', agent_id, NULL, taken_at + %2, "
                    "finished_at, hostname, paths, X'%3', stats, %4 FROM snapshots WHERE snapshot_id = X'%5'")
                                        .arg(h.id.toHex())
                                        .arg(++m_planted)
                                        .arg(opened->tree.toHex())
                                        .arg(h.sealed.size())
                                        .arg(QString::fromLatin1(m_decoy));
                QVERIFY2(q.exec(sql) && q.numRowsAffected() == 1, qPrintable(q.lastError().text()));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("plant"));
        QVERIFY2(m_server.start(), m_server.log().right(4000).constData());
    }

    // Restores `h` into the target; checks the agent's exit and output and that nothing outside
    // the target changed. With `bad`, the restore must fail or finish with errors (exit 1 or 3)
    // and its error output must contain each of `expect` (the bad entries).
    enum Entries { Acceptable, Bad };
    enum Target { Fresh, Reuse };
    void restore(const Hostile &h, Entries bad, const QList<QByteArray> &expect = {}, Target target = Fresh,
        const QStringList &extra = {})
    {
        if (target == Fresh) {
            QVERIFY(removeTree(m_target));
            QCOMPARE(::mkdir(m_target.constData(), 0755), 0);
        }
        const auto before = listing(m_work, "target");
        const ProcessResult r
            = m_agent.run(QStringList {QStringLiteral("restore"), QStringLiteral("--snapshot"), h.id.toHex(),
                              QStringLiteral("--target"), QString::fromLocal8Bit(m_target)}
                    + extra,
                300000);
        ++m_tried;
        const auto after = listing(m_work, "target");
        qInfo("%s: exit %d\n%s", qPrintable(h.name), r.exitCode, r.err.left(3000).constData());
        if (r.exitCode < 0)
            ++(r.err.isEmpty() && r.out.isEmpty() ? m_hangs : m_crashes);
        const bool clean = noSanitizerReport(r.err + r.out);
        if (!clean)
            ++m_crashes;
        if (after != before)
            ++m_escapes;
        bool allReported = bad == Acceptable || r.exitCode == 1 || r.exitCode == 3;
        for (const QByteArray &e : expect)
            allReported = allReported && r.err.contains(e);
        if (allReported && bad == Bad)
            ++m_reported;
        QVERIFY2(r.exitCode >= 0 && r.exitCode <= 3 && clean, qPrintable(describe(r)));
        if (after != before) {
            QStringList diff;
            for (auto it = after.cbegin(); it != after.cend(); ++it)
                if (before.value(it.key()) != it.value())
                    diff << QStringLiteral("%1: %2").arg(
                        QString::fromLocal8Bit(it.key()), QString::fromLocal8Bit(it.value()));
            for (auto it = before.cbegin(); it != before.cend(); ++it)
                if (!after.contains(it.key()))
                    diff << QStringLiteral("%1: gone").arg(QString::fromLocal8Bit(it.key()));
            QFAIL(
                qPrintable(QStringLiteral("%1 changed things outside the target:\n%2").arg(h.name, diff.join(u'\n'))));
        }
        QVERIFY2(allReported,
            qPrintable(QStringLiteral("%1: the bad entries were not reported\n%2").arg(h.name, describe(r))));
    }

private slots:
    void hostileSnapshotsStayInsideTheTarget()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path()) + "/work";
        m_outside = m_work + "/outside";
        m_target = m_work + "/target";
        QCOMPARE(::mkdir(m_work.constData(), 0755), 0);
        QCOMPARE(::mkdir(m_outside.constData(), 0755), 0);
        QCOMPARE(::mkdir((m_outside + "/dir").constData(), 0755), 0);
        QVERIFY(writeFile(m_outside + "/victim", "the victim's data\n"));
        QVERIFY(writeFile(m_outside + "/dir/inner", "inner data\n"));
        QVERIFY(writeFile(m_work + "/sibling-file", "next to the target\n"));

        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY2(m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("victim01")) > 0,
            qPrintable(describe(m_agent.lastResult())));
        m_sim = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_sim->enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("evil")).status, 201);
        m_writer = std::make_unique<PackWriter>(*m_sim->codec());

        const QByteArray evil = "EVIL: written by a hostile snapshot\n";
        QList<Hostile> all;
        // A benign snapshot, committed through the API (the planted ones copy its row).
        Hostile decoy = snapshot(QStringLiteral("benign"), addTree({fileNode("ok", {data("fine\n")})}));
        QVERIFY(decoy.committed);
        m_decoy = decoy.id.toHex().toLatin1();

        // 1. Unsafe names, each alone next to a good file and once one level down.
        const QList<QByteArray> badNames {
            "..", "../x", "a/b", "/abs", "", ".", QByteArray("n\0ul", 4), "../outside/victim", QByteArray("..\0", 3)};
        QList<QPair<Hostile, QByteArray>> nameCases;
        for (const QByteArray &bad : badNames) {
            const ChunkId root = addTree({fileNode(bad, {data(evil)}), fileNode("good", {data("good\n")})});
            nameCases.append(
                {snapshot(
                     QStringLiteral("name %1 at the root").arg(QString::fromLatin1(bad.toPercentEncoding())), root),
                    QByteArray()});
            const ChunkId sub = addTree({fileNode(bad, {data(evil)})});
            const ChunkId root2 = addTree({dirNode("sub", sub), fileNode("good", {data("good\n")})});
            nameCases.append(
                {snapshot(QStringLiteral("name %1 in a subdirectory").arg(QString::fromLatin1(bad.toPercentEncoding())),
                     root2),
                    "sub"});
        }
        // A subdirectory whose "tree" is a data blob.
        const ChunkId notATree = data(evil).id;
        Hostile confused = snapshot(QStringLiteral("a data blob as a subtree"),
            addTree({dirNode("sub", notATree), fileNode("good", {data("good\n")})}));

        // 2. Symlinks to outside, then directories of the same names with files in them.
        const ChunkId linkRoot = addTree({symlinkNode("abs", m_outside), symlinkNode("rel", "../outside"),
            symlinkNode("victim", m_outside + "/victim"), symlinkNode("up", "..")});
        Hostile links = snapshot(QStringLiteral("symlinks to outside"), linkRoot);
        const ChunkId inAbs = addTree({fileNode("victim", {data(evil)}), fileNode("new-file", {data(evil)})});
        const ChunkId inRel
            = addTree({fileNode("victim", {data(evil)}), dirNode("dir", addTree({fileNode("inner", {data(evil)})}))});
        Node victimFile = fileNode("victim", {data(evil)});
        const ChunkId throughRoot = addTree({dirNode("abs", inAbs), dirNode("rel", inRel), victimFile,
            dirNode("up", addTree({fileNode("sibling-file", {data(evil)}), fileNode("planted", {data(evil)})}))});
        Hostile through = snapshot(QStringLiteral("files through the symlinks"), throughRoot);

        // 3. Hardlink tricks: a file hardlinked to a symlink to outside; a hardlinked file whose
        // first name replaces a planted symlink.
        Node linkFirst = symlinkNode("a-link", m_outside + "/victim");
        linkFirst.links = 2;
        linkFirst.device = 7;
        linkFirst.inode = 7;
        Node fileSecond = fileNode("b-file", {data(evil)});
        fileSecond.links = 2;
        fileSecond.device = 7;
        fileSecond.inode = 7;
        Node hl1 = fileNode("victim", {data(evil)});
        hl1.links = 2;
        hl1.device = 9;
        hl1.inode = 9;
        Node hl2 = fileNode("z-second", {data(evil)});
        hl2.links = 2;
        hl2.device = 9;
        hl2.inode = 9;
        Hostile hardlinks = snapshot(QStringLiteral("hardlink tricks"), addTree({linkFirst, fileSecond, hl1, hl2}));

        // 4. Sizes: lengths that do not match the blob, a chunk that is not stored, a huge sparse file.
        const QByteArray hundred = QByteArray(100, 'x');
        const ContentRef real = data(hundred);
        std::vector<ContentRef> zeros(64, ContentRef {zeroChunkId(), 1u << 30});
        ChunkId missingId;
        missingId.bytes = crypto::sha256("not stored anywhere");
        const ChunkId sizeRoot = addTree({fileNode("liar-long", {{real.id, 0xFFFFFF00u}}),
            fileNode("liar-short", {{real.id, 10}}), fileNode("missing", {{missingId, 1000}}),
            fileNode("sparse-64g", zeros), fileNode("fine", {data("fine\n")})});
        Hostile sizes = snapshot(QStringLiteral("lengths and sizes"), sizeRoot);

        // 5. Very deep nesting.
        const int depth = reliabilityScale(1500, 8000);
        ChunkId deepest = addTree({fileNode("bottom", {data("bottom\n")})});
        for (int i = 0; i < depth; ++i)
            deepest = addTree({dirNode("d", deepest)});
        Hostile deep = snapshot(QStringLiteral("%1 nested directories").arg(depth), deepest);

        for (const auto &c : nameCases)
            all << c.first;
        all << confused << links << through << hardlinks << sizes << deep;
        plant(all);
        if (QTest::currentTestFailed())
            return;

        // The restores.
        for (const auto &[h, where] : nameCases) {
            restore(h, Bad);
            if (QTest::currentTestFailed())
                return;
            if (!where.isEmpty()) // the good file beside the bad directory comes back
                QCOMPARE(readFile(m_target + "/data/good").isNull() && readFile(m_target + "/good").isNull(), false);
        }
        restore(confused, Bad, {"sub"});
        QVERIFY(!QTest::currentTestFailed());
        restore(links, Acceptable);
        QVERIFY(!QTest::currentTestFailed());
        // Into the same target: the symlinks of the last restore are in the way. Overwriting
        // replaces them (the directories and files are created in the target, none through a link).
        restore(through, Acceptable, {}, Reuse);
        QVERIFY(!QTest::currentTestFailed());
        for (const char *name : {"abs", "rel", "up"}) {
            struct stat st;
            QVERIFY(::lstat((m_target + '/' + name).constData(), &st) == 0 && S_ISDIR(st.st_mode));
        }
        QCOMPARE(readFile(m_target + "/abs/victim"), evil);
        // With --existing skip the links stay, and nothing is written through them.
        restore(links, Acceptable);
        QVERIFY(!QTest::currentTestFailed());
        restore(through, Acceptable, {}, Reuse, {QStringLiteral("--existing"), QStringLiteral("skip")});
        QVERIFY(!QTest::currentTestFailed());
        // With keep-both the entries in the way get new names, and nothing is written through them.
        restore(links, Acceptable);
        QVERIFY(!QTest::currentTestFailed());
        restore(through, Acceptable, {}, Reuse, {QStringLiteral("--existing"), QStringLiteral("keep-both")});
        QVERIFY(!QTest::currentTestFailed());
        restore(hardlinks, Acceptable);
        QVERIFY(!QTest::currentTestFailed());
        restore(sizes, Bad, {"liar-long", "liar-short", "missing"});
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY2(diskUsage(m_target) < (64 << 20), "the sparse file was written out");
        // The agent runs with a 1 MiB stack here (children inherit RLIMIT_STACK), so that a walk
        // whose depth follows the snapshot's nesting would overflow it even at this depth.
        struct rlimit stackLimit;
        QCOMPARE(::getrlimit(RLIMIT_STACK, &stackLimit), 0);
        struct rlimit small = stackLimit;
        small.rlim_cur = std::min<rlim_t>(stackLimit.rlim_cur, 1 << 20);
        QCOMPARE(::setrlimit(RLIMIT_STACK, &small), 0);
        restore(deep, Acceptable);
        QVERIFY(!QTest::currentTestFailed());

        // The agent's check walks every hostile snapshot too: it reports, it does not crash.
        const ProcessResult c = m_agent.run({QStringLiteral("remote"), QStringLiteral("check")});
        ++m_tried;
        if (c.exitCode < 0 || !noSanitizerReport(c.err))
            ++m_crashes;
        QCOMPARE(::setrlimit(RLIMIT_STACK, &stackLimit), 0);
        QVERIFY2(c.exitCode == 3 && c.err.contains("unsafe entry name"), qPrintable(describe(c)));

        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
        reliabilityReport("security/malicious-restore",
            {{"tried", m_tried}, {"reported", m_reported}, {"planted", m_planted}, {"escapes", m_escapes}, {"lost", 0},
                {"corrupt", m_escapes}, {"crashes", m_crashes}, {"hangs", m_hangs}});
        QCOMPARE(m_escapes, 0);
        QCOMPARE(m_crashes, 0);
        QCOMPARE(m_hangs, 0);
    }
};

QTEST_GUILESS_MAIN(TestMaliciousRestore)
#include "TestMaliciousRestore.moc"
