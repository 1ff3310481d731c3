// Storage faults on a real cairn-server's store and catalog, seen through a real cairn-agent
// (`backup --now`, `remote check --read-data`, `restore`) and the operator's verify run (issue 7):
//  - packs bit-flipped, truncated, deleted, duplicated (a copy under another name; one pack's
//    bytes over another's name): detected by check --read-data (which names every affected
//    snapshot and file) and/or the verify run; a restore names exactly the damaged files and
//    brings every other file back byte-identical;
//  - catalog rows removed (a chunk row, a pack row, a snapshot row; server stopped): the server
//    starts again, check or verify says what is missing, other snapshots restore;
//  - the store's disk full during a pack write (a small tmpfs): the backup fails with a clear
//    507, the server lives on, no partial pack is indexed, every committed snapshot restores and
//    passes check --read-data, and once space is freed a new backup succeeds.
// Each fault kind reports its figures (reliabilityReport "storage/<kind>"). Seeded (printed).
// The test's main thread; server and agent are child processes.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "FixtureTree.h"
#include "Reliability.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cstring>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn::test;

namespace {

const QByteArray kPassword = "storage-fault-password";

using FileHashes = QMap<QByteArray, QByteArray>; // path relative to the source → SHA-256

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

bool copyTree(const QString &from, const QString &to)
{
    return QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), from, to}) == 0;
}

// One pack file of the tenant's store and what the test knows of it.
struct StoredPack {
    QString id; // hex
    QString rel; // "data/xx/<id>" below the tenant's store
    int backup; // 1 or 2: the backup that wrote it
    bool tree; // holds tree blobs
    qint64 size;
};

// What `remote check` named: snapshot short id → paths (absolute in the snapshot).
using Affected = QMap<QString, QSet<QByteArray>>;

Affected affectedFiles(const QByteArray &err)
{
    Affected a;
    static const QRegularExpression line(
        QStringLiteral("^damage: snapshot ([0-9a-f]+): (?:directory )?(/.*?): "), QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(QString::fromLocal8Bit(err)); it.hasNext();) {
        const auto m = it.next();
        a[m.captured(1)].insert(QFile::encodeName(m.captured(2)));
    }
    return a;
}

// Whether `path` or a directory above it is in `set`.
bool covered(const QSet<QByteArray> &set, QByteArray path)
{
    for (;;) {
        if (set.contains(path))
            return true;
        const int slash = path.lastIndexOf('/');
        if (slash <= 0)
            return set.contains("/");
        path = path.left(slash);
    }
}

} // namespace

class TestStorageFaults : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    ServerProcess m_server;
    AgentProcess m_agent;
    std::unique_ptr<ApiClient> m_admin, m_ops;
    QByteArray m_src;
    qint64 m_tenant = -1, m_agentId = -1;
    QString m_snap1, m_snap2;
    FileHashes m_files1, m_files2; // the files of snapshot 1 and 2
    QList<StoredPack> m_packs;
    QString m_pristineData; // a copy of the server's data folder after the two backups
    QString m_mount; // the tmpfs of the disk-full case, if mounted
    quint32 m_seed = 0;
    int m_crashes = 0, m_hangs = 0;

    QString store() const { return QStringLiteral("%1/packs/tenant-%2").arg(m_server.dataDir()).arg(m_tenant); }

    bool writeSourceFile(const QByteArray &rel, qint64 size, quint64 seed, FileHashes &files)
    {
        const QByteArray data = randomBytes(size, (quint64(m_seed) << 20) + seed);
        const int slash = rel.lastIndexOf('/');
        if (slash > 0)
            ::mkdir((m_src + '/' + rel.left(slash)).constData(), 0755);
        ::unlink((m_src + '/' + rel).constData());
        if (!writeFile(m_src + '/' + rel, data))
            return false;
        files.insert(rel, sha256(data));
        return true;
    }

    // Runs an agent command; a crash (signal) or a time-out is counted.
    ProcessResult agent(const QStringList &args, int timeoutMs = 300000)
    {
        const ProcessResult r = m_agent.run(args, timeoutMs);
        if (r.exitCode < 0 || r.exitCode > 3)
            ++(r.exitCode == -1 && r.err.isEmpty() ? m_hangs : m_crashes);
        if (!noSanitizerReport(r.err))
            ++m_crashes;
        return r;
    }

    QString backupNow(ProcessResult *result = nullptr)
    {
        const ProcessResult r = agent({QStringLiteral("backup"), QStringLiteral("--now")});
        if (result)
            *result = r;
        static const QRegularExpression snap(QStringLiteral("snapshot ([0-9a-f]{64})"));
        const auto m = snap.match(QString::fromUtf8(r.out));
        if (r.exitCode != 0 || !m.hasMatch()) {
            if (!result)
                qWarning("backup --now: %s", qPrintable(describe(r)));
            return {};
        }
        return m.captured(1);
    }

    // `remote check --read-data` with an empty index cache (the agent learns the index from the
    // server's catalog alone, as on a reinstalled machine).
    ProcessResult check()
    {
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(m_agent.stateDir() + QStringLiteral("/index.sqlite") + QLatin1String(suffix));
        return agent({QStringLiteral("remote"), QStringLiteral("check"), QStringLiteral("--read-data")});
    }

    // An operator's verify run of the tenant; its findings (empty object on failure).
    QJsonObject verifyRun()
    {
        const ApiReply r = m_ops->post(
            QStringLiteral("/api/v1/operator/verify"), QJsonObject {{QStringLiteral("tenant"), m_tenant}});
        if (r.status != 202) {
            qWarning("verify: %s", qPrintable(r.describe()));
            return {};
        }
        const qint64 run = r.json().value(QStringLiteral("id")).toInteger();
        QJsonObject o;
        const bool done = waitUntil(
            [&] {
                o = m_ops->get(QStringLiteral("/api/v1/operator/verify/%1").arg(run)).json();
                return o.value(QStringLiteral("state")).toString() == u"finished";
            },
            60000, 200);
        if (!done)
            ++m_hangs;
        return done ? o : QJsonObject();
    }

    static QMap<QString, QString> findings(const QJsonObject &run)
    {
        QMap<QString, QString> found; // pack or snapshot → problem
        for (const QJsonValue &v : run.value(QStringLiteral("findings")).toArray()) {
            const QJsonObject f = v.toObject();
            const QString what = f.contains(QStringLiteral("pack")) ? f.value(QStringLiteral("pack")).toString()
                                                                    : f.value(QStringLiteral("snapshot")).toString();
            found.insert(what, f.value(QStringLiteral("problem")).toString());
        }
        return found;
    }

    struct RestoreOutcome {
        int exitCode = -1;
        QSet<QByteArray> reported; // paths relative to the source that restore named
        QSet<QByteArray> differing; // files that did not come back identical
        bool rootUnreadable = false;
        QString text;
    };

    // Restores `snapshot` into a fresh folder and compares it with `files`.
    RestoreOutcome restore(const QString &snapshot, const FileHashes &files)
    {
        RestoreOutcome o;
        const QByteArray target = QFile::encodeName(m_tmp.filePath(QStringLiteral("restored")));
        removeTree(target);
        const ProcessResult r = agent({QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshot,
            QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        o.exitCode = r.exitCode;
        o.text = describe(r);
        o.rootUnreadable = r.exitCode == 1 && r.err.contains("snapshot");
        static const QRegularExpression errorLine(
            QStringLiteral("^error: (.*?): "), QRegularExpression::MultilineOption);
        const QByteArray prefix = m_src.mid(1); // restored paths are relative to the target
        for (auto it = errorLine.globalMatch(QString::fromLocal8Bit(r.err)); it.hasNext();) {
            const QByteArray p = QFile::encodeName(it.next().captured(1));
            if (p == prefix || p.startsWith(prefix + '/'))
                o.reported.insert(p.mid(prefix.size() + 1));
            else if (prefix.startsWith(p + '/'))
                o.reported.insert(QByteArray()); // a directory above the source: all of it
        }
        for (auto it = files.cbegin(); it != files.cend(); ++it) {
            const QByteArray data = readFile(target + m_src + '/' + it.key());
            if (data.isNull() || sha256(data) != it.value())
                o.differing.insert(it.key());
        }
        removeTree(target);
        return o;
    }

    static bool reportedCovers(const QSet<QByteArray> &reported, const QByteArray &rel)
    {
        if (reported.contains(QByteArray()))
            return true;
        QSet<QByteArray> asAbsolute;
        for (const QByteArray &p : reported)
            asAbsolute.insert('/' + p);
        return covered(asAbsolute, '/' + rel);
    }

    void loginBoth()
    {
        m_admin = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_ops = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_admin->login(QStringLiteral("kim"), QString::fromUtf8(kPassword)).status, 200);
        QCOMPARE(m_ops->login(QStringLiteral("ops"), QString::fromUtf8(kPassword)).status, 200);
    }

    // Stops the server and puts the data folder back as it was after the two backups.
    void resetData()
    {
        if (m_server.isRunning())
            QVERIFY(m_server.stop());
        QVERIFY(removeTree(QFile::encodeName(m_server.dataDir())));
        QVERIFY(copyTree(m_pristineData, m_server.dataDir()));
    }

    void startServer()
    {
        QVERIFY2(m_server.start(), m_server.log().right(4000).constData());
        loginBoth();
    }

    void restorePristineStore()
    {
        QVERIFY(removeTree(QFile::encodeName(store())));
        QVERIFY(copyTree(m_pristineData + QStringLiteral("/packs/tenant-%1").arg(m_tenant), store()));
    }

    const StoredPack *pickPack(int backup, bool tree, QRandomGenerator &rng) const
    {
        QList<const StoredPack *> fit;
        for (const StoredPack &p : m_packs)
            if (p.backup == backup && p.tree == tree)
                fit << &p;
        return fit.isEmpty() ? nullptr : fit.at(int(rng.bounded(quint32(fit.size()))));
    }

private slots:
    void initTestCase();
    void packFault_data();
    void packFault();
    void catalogRowRemoved_data();
    void catalogRowRemoved();
    void diskFullDuringPackWrite();
    void cleanupTestCase();

private:
    // Figures per kind, reported by cleanupTestCase.
    struct Counts {
        qint64 tried = 0, detected = 0, lost = 0, corrupt = 0;
    };
    QMap<QByteArray, Counts> m_counts;
};

void TestStorageFaults::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_seed = testSeed();
    m_src = QFile::encodeName(m_tmp.filePath(QStringLiteral("src")));
    QCOMPARE(::mkdir(m_src.constData(), 0755), 0);
    QVERIFY2(m_server.init(), m_server.log().constData());
    m_tenant = m_server.addTenant(QStringLiteral("acme"));
    QVERIFY(m_tenant > 0);
    QVERIFY(m_server.addUser(QStringLiteral("kim"), kPassword, QStringLiteral("acme"), QStringLiteral("admin")));
    QVERIFY(m_server.addUser(QStringLiteral("ops"), kPassword, QString(), QStringLiteral("operator")));
    startServer();
    if (QTest::currentTestFailed())
        return;
    m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("store01"));
    QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
    const ApiReply policy = m_admin->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId),
        QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_src)}},
            {QStringLiteral("interval_days"), 7}, {QStringLiteral("weekday"), 1}, {QStringLiteral("hour"), 3},
            {QStringLiteral("retention_days"), 30}});
    QVERIFY2(policy.status == 200, qPrintable(policy.describe()));

    // Backup 1: two data packs (16 MiB each at most) and a tree pack; backup 2 adds a directory.
    const int scale = reliabilityScale(1, 2);
    QVERIFY(writeSourceFile("big-1", (9 << 20) * scale, 1, m_files1));
    QVERIFY(writeSourceFile("big-2", (9 << 20) * scale, 2, m_files1));
    QVERIFY(writeSourceFile("medium", 3 << 20, 3, m_files1));
    for (int d = 0; d < 3; ++d)
        for (int i = 0; i < 12; ++i)
            QVERIFY(writeSourceFile("dir-" + QByteArray::number(d) + "/small-" + QByteArray::number(i), 200 + 997 * i,
                100 + 20 * d + i, m_files1));
    auto listPacks = [&](int backup) {
        QSet<QString> known;
        for (const StoredPack &p : m_packs)
            known.insert(p.id);
        for (QDirIterator it(store() + QStringLiteral("/data"), QDir::Files, QDirIterator::Subdirectories);
             it.hasNext();) {
            it.next();
            if (!known.contains(it.fileName()))
                m_packs.append({it.fileName(), QDir(store()).relativeFilePath(it.filePath()), backup, false,
                    it.fileInfo().size()});
        }
    };
    m_snap1 = backupNow();
    QVERIFY(!m_snap1.isEmpty());
    listPacks(1);
    m_files2 = m_files1;
    QVERIFY(writeSourceFile("later/new-1", 2 << 20, 50, m_files2));
    for (int i = 0; i < 6; ++i)
        QVERIFY(writeSourceFile("later/small-" + QByteArray::number(i), 300 + 501 * i, 60 + i, m_files2));
    m_snap2 = backupNow();
    QVERIFY(!m_snap2.isEmpty());
    listPacks(2);
    {
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        for (StoredPack &p : m_packs)
            p.tree = sqlCount(catalog.db(),
                         QStringLiteral("SELECT COUNT(*) FROM chunks c JOIN packs p ON c.pack = p.id WHERE p.pack_id = "
                                        "X'%1' AND c.blob_type = 1")
                             .arg(p.id))
                > 0;
    }
    for (const StoredPack &p : m_packs)
        qInfo("pack %s: backup %d, %s, %lld bytes", qPrintable(p.id.left(8)), p.backup, p.tree ? "trees" : "data",
            p.size);
    QRandomGenerator rng(m_seed);
    for (int backup : {1, 2})
        for (bool tree : {false, true})
            QVERIFY2(pickPack(backup, tree, rng), "each backup must have written a data and a tree pack");

    const ProcessResult c = check();
    QVERIFY2(c.exitCode == 0 && c.out.contains("no problems found"), qPrintable(describe(c)));
    QVERIFY(m_server.stop());
    m_pristineData = m_tmp.filePath(QStringLiteral("pristine-data"));
    QVERIFY(copyTree(m_server.dataDir(), m_pristineData));
    startServer();
}

void TestStorageFaults::packFault_data()
{
    QTest::addColumn<QString>("kind"); // report area: bitflip, truncate, delete, duplicate
    QTest::addColumn<QString>("fault"); // what is done
    QTest::addColumn<int>("backup"); // which backup's pack
    QTest::addColumn<bool>("tree"); // a tree pack
    QTest::addColumn<quint32>("seed");
    const int rounds = reliabilityScale(1, 4);
    for (int round = 0; round < rounds; ++round) {
        const quint32 s = quint32(round) * 100;
        QTest::addRow("flip data pack of backup 1 (%d)", round) << "bitflip"
                                                                << "flip" << 1 << false << s + 1;
        QTest::addRow("flip tree pack of backup 2 (%d)", round) << "bitflip"
                                                                << "flip" << 2 << true << s + 2;
        QTest::addRow("flip header of data pack of backup 2 (%d)", round) << "bitflip"
                                                                          << "flip-header" << 2 << false << s + 3;
        QTest::addRow("truncate data pack of backup 1 to half (%d)", round) << "truncate"
                                                                            << "half" << 1 << false << s + 4;
        QTest::addRow("truncate data pack of backup 2 by 100 bytes (%d)", round) << "truncate"
                                                                                 << "minus100" << 2 << false << s + 5;
        QTest::addRow("delete data pack of backup 1 (%d)", round) << "delete"
                                                                  << "delete" << 1 << false << s + 6;
        QTest::addRow("delete tree pack of backup 1 (%d)", round) << "delete"
                                                                  << "delete" << 1 << true << s + 7;
        QTest::addRow("copy of a pack under another name (%d)", round) << "duplicate"
                                                                       << "copy-new-name" << 1 << false << s + 8;
        QTest::addRow("pack bytes over another pack's name (%d)", round) << "duplicate"
                                                                         << "copy-over" << 2 << false << s + 9;
    }
}

void TestStorageFaults::packFault()
{
    QFETCH(QString, kind);
    QFETCH(QString, fault);
    QFETCH(int, backup);
    QFETCH(bool, tree);
    QFETCH(quint32, seed);
    QVERIFY(m_server.isRunning());
    restorePristineStore();
    QRandomGenerator rng(m_seed + seed);
    const StoredPack *victim = pickPack(backup, tree, rng);
    QVERIFY(victim);
    const QByteArray file = QFile::encodeName(store() + u'/' + victim->rel);
    QString strayName; // copy-new-name: the copy
    if (fault == u"flip" || fault == u"flip-header") {
        // In the blob area, or in the sealed header (the last 12 bytes are its length and magic).
        const QByteArray all = readFile(file);
        quint32 headerLen = 0;
        std::memcpy(&headerLen, all.constData() + all.size() - 12, 4);
        const qint64 blobsEnd = all.size() - 12 - qint64(headerLen);
        const qint64 offset = fault == u"flip" ? qint64(rng.bounded(quint64(blobsEnd)))
                                               : blobsEnd + qint64(rng.bounded(quint64(headerLen)));
        const int fd = ::open(file.constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        char b = 0;
        QCOMPARE(::pread(fd, &b, 1, offset), ssize_t(1));
        b = char(b ^ (1 << rng.bounded(8)));
        QCOMPARE(::pwrite(fd, &b, 1, offset), ssize_t(1));
        ::close(fd);
        qInfo("flipped a bit of byte %lld of pack %s", offset, qPrintable(victim->id.left(8)));
    } else if (fault == u"half" || fault == u"minus100") {
        QCOMPARE(::truncate(file.constData(), off_t(fault == u"half" ? victim->size / 2 : victim->size - 100)), 0);
    } else if (fault == u"delete") {
        QCOMPARE(::unlink(file.constData()), 0);
    } else if (fault == u"copy-new-name") {
        strayName = QString::fromLatin1(sha256(QByteArray::number(seed) + victim->id.toLatin1()).toHex());
        const QString dir = store() + QStringLiteral("/data/") + strayName.left(2);
        QDir().mkpath(dir);
        QVERIFY(QFile::copy(QFile::decodeName(file), dir + u'/' + strayName));
    } else if (fault == u"copy-over") {
        // Another data pack's bytes under this pack's name.
        const StoredPack *source = pickPack(1, false, rng);
        QVERIFY(source && source != victim);
        QVERIFY(QFile::remove(QFile::decodeName(file)));
        QVERIFY(QFile::copy(store() + u'/' + source->rel, QFile::decodeName(file)));
    }
    Counts &counts = m_counts[kind.toUtf8()];
    ++counts.tried;

    // The verify run.
    const QJsonObject run = verifyRun();
    QVERIFY(!run.isEmpty());
    const QMap<QString, QString> found = findings(run);
    static const QMap<QString, QString> expectedProblem {{QStringLiteral("flip"), QStringLiteral("hash")},
        {QStringLiteral("flip-header"), QStringLiteral("hash")}, {QStringLiteral("half"), QStringLiteral("size")},
        {QStringLiteral("minus100"), QStringLiteral("size")}, {QStringLiteral("delete"), QStringLiteral("missing")},
        {QStringLiteral("copy-over"), QStringLiteral("hash")},
        {QStringLiteral("copy-new-name"), QStringLiteral("misnamed")}};
    const QString reportedPack = strayName.isEmpty() ? victim->id : strayName;
    // Another pack's bytes under this name: a size or (same size) a hash finding.
    const bool verifyFound = found.value(reportedPack) == expectedProblem.value(fault)
        || (fault == u"copy-over" && found.value(reportedPack) == u"size");
    QVERIFY2(verifyFound && found.size() == 1, QJsonDocument(run).toJson().constData());

    // The agent's check names the pack and, when data was lost, every affected snapshot and file.
    const ProcessResult c = check();
    const Affected affected = affectedFiles(c.err);
    if (fault == u"copy-new-name") {
        // The catalog does not know the copy: nothing any snapshot refers to is damaged.
        QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
    } else {
        QVERIFY2(c.exitCode == 3 && c.err.contains(victim->id.toLatin1()), qPrintable(describe(c)));
        QVERIFY2(affected.contains(m_snap2.left(8)), qPrintable(describe(c)));
        // A pack of the first backup holds data of both snapshots (the second keeps every file);
        // one of the second backup only data of the second.
        QCOMPARE(affected.contains(m_snap1.left(8)), backup == 1);
    }
    if (verifyFound || c.exitCode == 3)
        ++counts.detected;

    // Restore the latest snapshot: the damaged files are named, everything else is identical.
    const RestoreOutcome o = restore(m_snap2, m_files2);
    if (o.rootUnreadable) {
        // Only when the root tree itself is gone; the message says so and check named "/".
        QVERIFY2(tree && affected.value(m_snap2.left(8)).contains("/"), qPrintable(o.text));
        return;
    }
    QVERIFY2(o.exitCode == 0 || o.exitCode == 3, qPrintable(o.text));
    const QSet<QByteArray> named = affected.value(m_snap2.left(8));
    for (const QByteArray &rel : o.differing) {
        const bool wasReported = reportedCovers(o.reported, rel);
        const bool wasNamed = covered(named, m_src + '/' + rel);
        if (!wasReported)
            ++counts.corrupt;
        if (!wasNamed)
            ++counts.lost;
        QVERIFY2(wasReported,
            qPrintable(
                QStringLiteral("%1 differs but restore did not say so\n%2").arg(QString::fromLocal8Bit(rel), o.text)));
        QVERIFY2(wasNamed,
            qPrintable(QStringLiteral("%1 differs but check did not name it\n%2")
                           .arg(QString::fromLocal8Bit(rel), describe(c))));
    }
    for (const QByteArray &rel : o.reported)
        if (m_files2.contains(rel))
            QVERIFY2(o.differing.contains(rel),
                qPrintable(
                    QStringLiteral("%1 reported but restored intact\n%2").arg(QString::fromLocal8Bit(rel), o.text)));
    QCOMPARE(o.exitCode == 3, !o.reported.isEmpty());
    if (fault == u"copy-new-name")
        QVERIFY2(o.exitCode == 0 && o.differing.isEmpty(), qPrintable(o.text));
    else if (!tree && fault != u"flip-header" && fault != u"minus100")
        QVERIFY2(!o.differing.isEmpty(), qPrintable(o.text)); // blobs of the pack were lost
    qInfo("%s: check named %lld files of the latest snapshot; restore: exit %d, %lld of %lld files damaged",
        qPrintable(fault), qint64(named.size()), o.exitCode, qint64(o.differing.size()), qint64(m_files2.size()));
    QVERIFY(m_server.isRunning());
}

void TestStorageFaults::catalogRowRemoved_data()
{
    QTest::addColumn<QString>("row");
    QTest::newRow("a chunk row of a data blob") << "chunk";
    QTest::newRow("a pack row (its chunk rows left)") << "pack";
    QTest::newRow("a pack row and its chunk rows") << "pack-and-chunks";
    QTest::newRow("a snapshot row") << "snapshot";
}

void TestStorageFaults::catalogRowRemoved()
{
    QFETCH(QString, row);
    resetData();
    if (QTest::currentTestFailed())
        return;
    // A data pack of the second backup: what it holds belongs to the second snapshot alone.
    QRandomGenerator rng(m_seed + 7);
    const StoredPack *pack = pickPack(2, false, rng);
    QVERIFY(pack);
    {
        const QString name = QStringLiteral("storage-faults-write");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_server.dataDir() + QStringLiteral("/catalog.sqlite"));
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            const QString packRow = QStringLiteral("(SELECT id FROM packs WHERE pack_id = X'%1')").arg(pack->id);
            QStringList sql;
            if (row == u"chunk")
                sql << QStringLiteral(
                    "DELETE FROM chunks WHERE chunk_id = (SELECT chunk_id FROM chunks WHERE pack = %1 "
                    "AND blob_type = 0 LIMIT 1)")
                           .arg(packRow);
            if (row == u"pack-and-chunks")
                sql << QStringLiteral("DELETE FROM chunks WHERE pack = %1").arg(packRow);
            if (row.startsWith(u"pack"))
                sql << QStringLiteral("DELETE FROM packs WHERE pack_id = X'%1'").arg(pack->id);
            if (row == u"snapshot")
                sql << QStringLiteral("DELETE FROM snapshots WHERE snapshot_id = X'%1'").arg(m_snap2);
            for (const QString &s : sql) {
                QVERIFY2(q.exec(s), qPrintable(q.lastError().text() + u' ' + s));
                QVERIFY2(q.numRowsAffected() >= 1, qPrintable(s));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    Counts &counts = m_counts["catalog-rows"];
    ++counts.tried;
    const qint64 crashesBefore = m_crashes;
    startServer();
    if (QTest::currentTestFailed()) {
        ++m_crashes;
        return;
    }

    const ProcessResult c = check();
    const QJsonObject run = verifyRun();
    QVERIFY(!run.isEmpty());
    const QMap<QString, QString> found = findings(run);
    const Affected affected = affectedFiles(c.err);
    bool detected = false;
    if (row == u"snapshot") {
        // The record is still in the store; the verify run says the catalog lost it.
        detected = found.value(m_snap2) == u"uncatalogued";
        QVERIFY2(detected, QJsonDocument(run).toJson().constData());
        QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
        const ProcessResult r = agent({QStringLiteral("restore"), QStringLiteral("--snapshot"), m_snap2,
            QStringLiteral("--target"), m_tmp.filePath(QStringLiteral("restored"))});
        QVERIFY2(r.exitCode == 1 && !r.err.isEmpty(), qPrintable(describe(r)));
    } else {
        // The second snapshot refers to data the catalog no longer has: check names its files.
        detected = c.exitCode == 3 && affected.contains(m_snap2.left(8)) && !affected.contains(m_snap1.left(8));
        QVERIFY2(detected, qPrintable(describe(c)));
        for (const QByteArray &p : affected.value(m_snap2.left(8)))
            QVERIFY2(p.startsWith(m_src + "/later/"), qPrintable(describe(c)));
        const RestoreOutcome o = restore(m_snap2, m_files2);
        QVERIFY2(o.exitCode == 3, qPrintable(o.text));
        for (const QByteArray &rel : o.differing) {
            if (!reportedCovers(o.reported, rel))
                ++counts.corrupt;
            QVERIFY2(reportedCovers(o.reported, rel), qPrintable(o.text));
            QVERIFY2(rel.startsWith("later/"), qPrintable(o.text));
        }
    }
    if (detected)
        ++counts.detected;
    // The other snapshot restores whole.
    const RestoreOutcome o = restore(m_snap1, m_files1);
    if (!o.differing.isEmpty())
        counts.lost += o.differing.size();
    QVERIFY2(o.exitCode == 0 && o.differing.isEmpty(), qPrintable(o.text));
    QVERIFY2(m_server.isRunning(), m_server.log().right(4000).constData());
    QCOMPARE(m_crashes, crashesBefore);
}

void TestStorageFaults::diskFullDuringPackWrite()
{
    resetData();
    if (QTest::currentTestFailed())
        return;
    // The store on a tmpfs: what the two backups wrote, a filler, and a few MiB free — below the
    // 95 % at which new backups are refused at their start, too little for the next pack.
    const QString packs = m_server.dataDir() + QStringLiteral("/packs");
    const QString saved = m_tmp.filePath(QStringLiteral("packs-saved"));
    QVERIFY(QDir().rename(packs, saved));
    QVERIFY(QDir().mkpath(packs));
    const qint64 used = diskUsage(QFile::encodeName(saved));
    const qint64 size = ((used + (20 << 20)) / (1 << 20) + 1) << 20;
    const QByteArray options = "size=" + QByteArray::number(size) + ",mode=0755";
    if (::mount("tmpfs", QFile::encodeName(packs).constData(), "tmpfs", 0, options.constData()) != 0) {
        const int e = errno;
        QVERIFY(::rmdir(QFile::encodeName(packs).constData()) == 0);
        QVERIFY(QDir().rename(saved, packs));
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs for the store (%1): run as root to test a full disk")
                             .arg(QString::fromLocal8Bit(strerror(e)))));
    }
    m_mount = packs;
    QVERIFY(QProcess::execute(
                QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("cp -a '%1'/. '%2'/").arg(saved, packs)})
        == 0);
    const QByteArray filler = QFile::encodeName(packs + QStringLiteral("/filler"));
    const qint64 fillerSize = size - diskUsage(QFile::encodeName(packs)) - (6 << 20);
    QVERIFY(fillerSize > 0);
    QVERIFY(writeFile(filler, QByteArray(fillerSize, 'f')));
    Counts &counts = m_counts["disk-full"];
    ++counts.tried;
    startServer();
    if (QTest::currentTestFailed())
        return;

    // A backup with 20 MiB of new data does not fit: it fails, saying why.
    FileHashes files3 = m_files2;
    QVERIFY(writeSourceFile("later/new-2", 10 << 20, 70, files3));
    QVERIFY(writeSourceFile("later/new-3", 10 << 20, 71, files3));
    ProcessResult b;
    QElapsedTimer clock;
    clock.start();
    const QString failed = backupNow(&b);
    qInfo("backup on a full store: exit %d after %.1f s\n%s", b.exitCode, clock.elapsed() / 1000.0,
        qPrintable(describe(b)));
    QVERIFY2(failed.isEmpty() && b.exitCode == 1, qPrintable(describe(b)));
    const bool clear = b.err.contains("507") || b.err.contains("full") || b.err.contains("space");
    if (clear)
        ++counts.detected;
    QVERIFY2(clear, qPrintable(describe(b)));
    QVERIFY2(clock.elapsed() < 120000, "the failing backup took minutes");
    QVERIFY2(m_server.isRunning(), m_server.log().right(4000).constData());

    // Nothing partial is indexed: every catalog pack has its whole file (the verify run), and the
    // committed snapshots restore and check.
    const QJsonObject run = verifyRun();
    QVERIFY2(!run.isEmpty() && run.value(QStringLiteral("problems")).toInteger() == 0,
        QJsonDocument(run).toJson().constData());
    {
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        const QStringList problems = catalogIntegrityProblems(catalog.db());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
    const ProcessResult c = check();
    QVERIFY2(c.exitCode == 0, qPrintable(describe(c)));
    for (const auto &[snap, files] : {std::make_pair(m_snap1, &m_files1), std::make_pair(m_snap2, &m_files2)}) {
        const RestoreOutcome o = restore(snap, *files);
        counts.lost += o.differing.size();
        QVERIFY2(o.exitCode == 0 && o.differing.isEmpty(), qPrintable(o.text));
    }

    // Space freed: the same backup goes through and restores.
    QCOMPARE(::unlink(filler.constData()), 0);
    const QString snap3 = backupNow();
    QVERIFY(!snap3.isEmpty());
    const RestoreOutcome o = restore(snap3, files3);
    counts.lost += o.differing.size();
    QVERIFY2(o.exitCode == 0 && o.differing.isEmpty(), qPrintable(o.text));
    const ProcessResult c2 = check();
    QVERIFY2(c2.exitCode == 0, qPrintable(describe(c2)));
    QVERIFY(m_server.stop());
    QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    QCOMPARE(::umount2(QFile::encodeName(m_mount).constData(), MNT_DETACH), 0);
    m_mount.clear();
}

void TestStorageFaults::cleanupTestCase()
{
    if (m_server.isRunning()) {
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    }
    if (!m_mount.isEmpty())
        ::umount2(QFile::encodeName(m_mount).constData(), MNT_DETACH);
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        reliabilityReport("storage/" + it.key(),
            {{"tried", it->tried}, {"detected", it->detected}, {"lost", it->lost}, {"corrupt", it->corrupt},
                {"crashes", m_crashes}, {"hangs", m_hangs}});
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        QCOMPARE(it->detected, it->tried);
        QCOMPARE(it->corrupt, 0);
        QCOMPARE(it->lost, 0);
    }
    QCOMPARE(m_crashes, 0);
    QCOMPARE(m_hangs, 0);
}

QTEST_GUILESS_MAIN(TestStorageFaults)
#include "TestStorageFaults.moc"
