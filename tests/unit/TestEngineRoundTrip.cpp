// The whole engine on an in-memory repository: back up a real temporary tree, check it (structure
// and data), restore it and compare; a second run reuses every file from the files cache; a
// cancelled run saves nothing; and a snapshot whose trees carry hostile names ("..", "x/y")
// restores nothing outside the target. Files ending in zeros or holes keep their size, and a
// directory of more small files than one batch of the restorer restores whole.
#include "archiver/Archiver.h"
#include "backend/MemoryBackend.h"
#include "checker/Checker.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"
#include "restorer/Restorer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

#include <sys/stat.h>
#include <unistd.h>

using namespace cairn;

namespace {

const QByteArray kPass("round trip");

std::unique_ptr<Repository> makeRepository()
{
    auto backend = std::make_unique<MemoryBackend>();
    RepositoryOptions o;
    o.kdf.memoryKiB = 64;
    o.kdf.iterations = 1;
    o.kdf.parallelism = 1;
    if (Status s = Repository::init(*backend, kPass, o); !s.ok()) {
        qWarning("init: %s", qPrintable(s.error().message));
        return nullptr;
    }
    auto index = SqliteIndex::open(QStringLiteral(":memory:"));
    if (!index)
        return nullptr;
    auto repo = Repository::open(std::move(backend), std::move(*index), kPass);
    if (!repo) {
        qWarning("open: %s", qPrintable(repo.error().message));
        return nullptr;
    }
    return std::move(*repo);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

// Everything below `root`: relative path → "d", "l:<target>" or "f:<sha256 hex>".
std::map<QString, QByteArray> listing(const QString &root)
{
    std::map<QString, QByteArray> out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(root).relativeFilePath(path);
        const QByteArray native = QFile::encodeName(path);
        struct stat st;
        if (lstat(native.constData(), &st) != 0) {
            out[rel] = "?";
        } else if (S_ISLNK(st.st_mode)) {
            char buf[4096];
            const ssize_t n = readlink(native.constData(), buf, sizeof buf);
            out[rel] = "l:" + QByteArray(buf, n < 0 ? 0 : int(n));
        } else if (S_ISDIR(st.st_mode)) {
            out[rel] = "d";
        } else {
            const crypto::Digest d = crypto::sha256(readFile(path));
            out[rel] = "f:" + QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size())).toHex();
        }
    }
    return out;
}

ChunkId storeTree(Repository &repo, const Tree &tree)
{
    const QByteArray cbor = encodeTree(tree);
    const ChunkId id = repo.codec().chunkId(cbor.constData(), size_t(cbor.size()));
    auto isNew = repo.claim(id);
    if (isNew.ok() && *isNew)
        (void)repo.storeBlob(BlobType::Tree, id, cbor.constData(), size_t(cbor.size()));
    return id;
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

Node emptyFileNode(const QByteArray &name)
{
    Node n;
    n.name = name;
    n.type = NodeType::File;
    n.mode = 0644;
    return n;
}

} // namespace

class TestEngineRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void init();
    void backupCheckRestore();
    void cancelledBackupSavesNothing();
    void hostileTreeStaysInsideTarget();
    void zeroTailsAndManySmallFiles();

private:
    BackupOptions optionsFor(const QString &path) const
    {
        BackupOptions o;
        o.paths = {QFile::encodeName(path)};
        o.hostname = QStringLiteral("test-host");
        return o;
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_source;
    int m_fileCount = 0;
};

void TestEngineRoundTrip::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_source = m_dir->filePath(QStringLiteral("src"));
    QDir d;
    QVERIFY(d.mkpath(m_source + QStringLiteral("/nested/deeper/deepest")));
    QVERIFY(d.mkpath(m_source + QStringLiteral("/empty-dir")));
    QRandomGenerator rng(99);
    QByteArray big(3 << 20, Qt::Uninitialized);
    rng.fillRange(reinterpret_cast<quint32 *>(big.data()), big.size() / 4);
    QVERIFY(writeFile(m_source + QStringLiteral("/big.bin"), big));
    QVERIFY(writeFile(m_source + QStringLiteral("/hello.txt"), "hello, world\n"));
    QVERIFY(writeFile(m_source + QStringLiteral("/empty"), QByteArray()));
    QVERIFY(writeFile(m_source + QStringLiteral("/nested/deeper/text.txt"), QByteArray(200000, 'x')));
    QVERIFY(writeFile(m_source + QStringLiteral("/nested/deeper/deepest/") + QString::fromUtf8("ünïcode"), "u"));
    QVERIFY(QFile::link(QStringLiteral("../hello.txt"), m_source + QStringLiteral("/nested/link")));
    m_fileCount = 5;
}

void TestEngineRoundTrip::backupCheckRestore()
{
    auto repo = makeRepository();
    QVERIFY(repo);
    QList<QByteArray> errors;
    BackupCallbacks cb;
    cb.error = [&](const QByteArray &path, const Error &e) { errors.append(path + ": " + e.message.toUtf8()); };
    Archiver archiver(*repo, cb);
    auto first = archiver.run(optionsFor(m_source));
    QVERIFY2(first.ok(), qPrintable(first ? QString() : first.error().message));
    QVERIFY2(errors.isEmpty(), errors.join('\n').constData());
    QCOMPARE(first->stats.files, qint64(m_fileCount));
    QCOMPARE(first->stats.filesNew, qint64(m_fileCount));
    QCOMPARE(first->stats.others, qint64(1)); // the symlink
    QVERIFY(first->stats.bytesRead >= 3 << 20);
    QVERIFY(!first->parent.has_value());
    QVERIFY(repo->findSnapshot(QStringLiteral("latest"))->id == first->id);

    // Check: structure and data.
    QStringList problems;
    CheckCallbacks ccb;
    ccb.problem = [&](const QString &p) { problems.append(p); };
    Checker checker(*repo, ccb);
    CheckOptions copt;
    copt.readData = true;
    auto checked = checker.run(copt);
    QVERIFY2(checked.ok(), qPrintable(checked ? QString() : checked.error().message));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(checked->problems, qint64(0));
    QCOMPARE(checked->snapshots, qint64(1));
    QVERIFY(checked->packsRead > 0);
    QVERIFY(checked->blobsRead > 0);

    // Restore and compare.
    const QString target = m_dir->filePath(QStringLiteral("restore"));
    QList<QByteArray> restoreErrors;
    RestoreCallbacks rcb;
    rcb.error = [&](const QByteArray &path, const Error &e) { restoreErrors.append(path + ": " + e.message.toUtf8()); };
    Restorer restorer(*repo, rcb);
    RestoreOptions ropt;
    ropt.target = QFile::encodeName(target);
    auto restored = restorer.run(*first, ropt);
    QVERIFY2(restored.ok(), qPrintable(restored ? QString() : restored.error().message));
    QVERIFY2(restoreErrors.isEmpty(), restoreErrors.join('\n').constData());
    QCOMPARE(restored->errors, qint64(0));
    QCOMPARE(restored->files, qint64(m_fileCount));
    const auto want = listing(m_source);
    const auto got = listing(target + m_source);
    QCOMPARE(got.size(), want.size());
    for (const auto &[rel, what] : want) {
        QVERIFY2(got.count(rel), qPrintable(QStringLiteral("missing: ") + rel));
        QCOMPARE(got.at(rel), what);
    }
    QCOMPARE(readFile(target + m_source + QStringLiteral("/nested/link")), QByteArray("hello, world\n"));
    QCOMPARE(QFileInfo(target + m_source + QStringLiteral("/big.bin")).size(), qint64(3 << 20));

    // Second run: every file comes from the files cache, nothing is read.
    auto second = archiver.run(optionsFor(m_source));
    QVERIFY2(second.ok(), qPrintable(second ? QString() : second.error().message));
    QVERIFY(second->parent.has_value());
    QVERIFY(*second->parent == first->id);
    QCOMPARE(second->stats.filesUnchanged, qint64(m_fileCount));
    QCOMPARE(second->stats.bytesRead, qint64(0));
    QCOMPARE(second->stats.blobsNew, qint64(0));
    // (The trees differ: the first run updated the files' atimes, which trees record.)
    QCOMPARE(repo->listSnapshots()->size(), size_t(2));
}

void TestEngineRoundTrip::cancelledBackupSavesNothing()
{
    auto repo = makeRepository();
    QVERIFY(repo);
    BackupCallbacks cb;
    cb.cancelled = [] { return true; };
    Archiver archiver(*repo, cb);
    auto r = archiver.run(optionsFor(m_source));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Cancelled);
    int snapshots = 0;
    QVERIFY(repo->backend().list(FileType::Snapshot, [&](const FileInfo &) { ++snapshots; }).ok());
    QCOMPARE(snapshots, 0);
    // The repository is still usable afterwards.
    BackupCallbacks none;
    Archiver again(*repo, none);
    auto ok = again.run(optionsFor(m_source));
    QVERIFY2(ok.ok(), qPrintable(ok ? QString() : ok.error().message));
}

void TestEngineRoundTrip::hostileTreeStaysInsideTarget()
{
    auto repo = makeRepository();
    QVERIFY(repo);
    // G: an innocent directory listing; the hostile entries point at it.
    const ChunkId g = storeTree(*repo, Tree{{emptyFileNode("escaped")}});
    const ChunkId upDir = storeTree(*repo, Tree{{dirNode("..", g)}});
    const ChunkId upFile = storeTree(*repo, Tree{{emptyFileNode("..")}});
    const ChunkId slashDir = storeTree(*repo, Tree{{dirNode("x/y", g)}});
    const ChunkId dotDir = storeTree(*repo, Tree{{dirNode(".", g)}});
    Tree root;
    root.nodes = {dirNode("a", upDir), dirNode("b", upFile), dirNode("c", slashDir), dirNode("d", dotDir),
                  dirNode("e", g)};
    const ChunkId rootId = storeTree(*repo, root);
    QVERIFY(repo->flush().ok());
    QVERIFY(!repo->loadTree(upDir).ok()); // decodeTree is the first gate

    Snapshot snap;
    snap.time = QDateTime::currentDateTimeUtc();
    snap.endTime = snap.time;
    snap.hostname = QStringLiteral("evil");
    snap.paths = {QByteArray("/")};
    snap.tree = rootId;
    auto id = repo->saveSnapshot(snap);
    QVERIFY(id.ok());
    snap.id = *id;

    const QString parent = m_dir->filePath(QStringLiteral("P"));
    QVERIFY(QDir().mkpath(parent));
    const QString target = parent + QStringLiteral("/T");
    QList<QByteArray> errorPaths;
    RestoreCallbacks cb;
    cb.error = [&](const QByteArray &path, const Error &) { errorPaths.append(path); };
    Restorer restorer(*repo, cb);
    RestoreOptions opt;
    opt.target = QFile::encodeName(target);
    auto r = restorer.run(snap, opt);
    QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));

    QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("T")});
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("escaped"))));
    QVERIFY(!QFileInfo::exists(parent + QStringLiteral("/escaped")));
    QVERIFY(!QFileInfo::exists(target + QStringLiteral("/escaped")));
    QVERIFY(!QFileInfo::exists(target + QStringLiteral("/x")));
    QCOMPARE(errorPaths.size(), 4); // a, b, c, d each refused
    QCOMPARE(r->errors, qint64(4));
    // The safe part was still restored.
    QVERIFY(QFileInfo::exists(target + QStringLiteral("/e/escaped")));
    const auto all = listing(target);
    for (const auto &[rel, what] : all)
        QVERIFY2(!rel.startsWith(QLatin1String("..")), qPrintable(rel));
}

void TestEngineRoundTrip::zeroTailsAndManySmallFiles()
{
    const QString src = m_dir->filePath(QStringLiteral("tails"));
    QVERIFY(QDir().mkpath(src + QStringLiteral("/many/sub")));
    QRandomGenerator rng(7);
    auto random = [&](int n) {
        QByteArray b(n, Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(b.data()), n / 4);
        return b;
    };
    auto sparse = [&](const QString &name, int data, qint64 size) {
        QVERIFY(writeFile(src + name, random(data)));
        QVERIFY(::truncate(QFile::encodeName(src + name).constData(), size) == 0);
    };
    sparse(QStringLiteral("/hole-tail"), 64 << 10, 5 << 20);      // small file, ends in a hole
    sparse(QStringLiteral("/big-hole-tail"), 1 << 20, 20 << 20);  // big (direct writes), ends in a hole
    QVERIFY(writeFile(src + QStringLiteral("/zero-tail"), random(100 << 10) + QByteArray(2 << 20, '\0')));
    QVERIFY(writeFile(src + QStringLiteral("/only-zeros"), QByteArray(3 << 20, '\0')));
    for (int i = 0; i < 70; ++i) // more than two batches, with a subdirectory among them
        QVERIFY(writeFile(src + QStringLiteral("/many/f%1").arg(i, 2, 10, QLatin1Char('0')), random(4096 + 4 * i)));
    QVERIFY(writeFile(src + QStringLiteral("/many/sub/inner"), "inner"));

    auto repo = makeRepository();
    QVERIFY(repo);
    Archiver archiver(*repo, BackupCallbacks());
    auto snap = archiver.run(optionsFor(src));
    QVERIFY2(snap.ok(), qPrintable(snap ? QString() : snap.error().message));
    const QString target = m_dir->filePath(QStringLiteral("tails-restored"));
    QList<QByteArray> errors;
    RestoreCallbacks rcb;
    rcb.error = [&](const QByteArray &path, const Error &e) { errors.append(path + ": " + e.message.toUtf8()); };
    Restorer restorer(*repo, rcb);
    RestoreOptions ropt;
    ropt.target = QFile::encodeName(target);
    auto restored = restorer.run(*snap, ropt);
    QVERIFY2(restored.ok(), qPrintable(restored ? QString() : restored.error().message));
    QVERIFY2(errors.isEmpty(), errors.join('\n').constData());
    QCOMPARE(restored->files, qint64(4 + 70 + 1));
    const auto want = listing(src);
    const auto got = listing(target + src);
    QCOMPARE(got.size(), want.size());
    for (const auto &[rel, what] : want)
        QCOMPARE(got.count(rel) ? got.at(rel) : QByteArray("missing"), what);
    for (const char *name : {"/hole-tail", "/big-hole-tail", "/zero-tail", "/only-zeros"})
        QCOMPARE(QFileInfo(target + src + QLatin1String(name)).size(), QFileInfo(src + QLatin1String(name)).size());
    struct stat st;
    QVERIFY(::stat(QFile::encodeName(target + src + QStringLiteral("/hole-tail")).constData(), &st) == 0);
    QVERIFY2(st.st_blocks * 512 < (1 << 20), qPrintable(QString::number(st.st_blocks * 512))); // the tail stays a hole
}

QTEST_GUILESS_MAIN(TestEngineRoundTrip)
#include "TestEngineRoundTrip.moc"
