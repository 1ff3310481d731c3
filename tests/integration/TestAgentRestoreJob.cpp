// Restore jobs an operator dispatches through the console API (POST /servers/{id}/restore), run
// by a real `cairn-agent run` against a real cairn-server (issue 4): a whole snapshot restored to
// another folder is identical to the source in content and metadata (modes, mtimes in ns,
// owners, symlinks, a sparse file, a hardlink group, user xattrs), a restore of one subdirectory
// restores only that, and a symlink planted in the target where a directory of the snapshot goes
// never leads the restore outside the target. Main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

using namespace cairn::test;

namespace {

constexpr qint64 kMiB = 1 << 20;

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Regular files (each name) below `path`, not following symlinks: their number, the sum of their
// sizes, and the sum of their data extents within their sizes (what is not a hole).
struct FileCount {
    qint64 files = 0, bytes = 0, dataBytes = 0;
};

void countFiles(const QByteArray &path, FileCount &count)
{
    struct stat st;
    if (::lstat(path.constData(), &st) != 0)
        return;
    if (S_ISREG(st.st_mode)) {
        ++count.files;
        count.bytes += st.st_size;
        for (const auto &[from, to] : dataExtents(path))
            count.dataBytes += std::min<qint64>(to, st.st_size) - from;
        return;
    }
    if (!S_ISDIR(st.st_mode))
        return;
    DIR *d = ::opendir(path.constData());
    if (!d)
        return;
    while (dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            countFiles(path + '/' + e->d_name, count);
    }
    ::closedir(d);
}

// Every entry below `path` with its type, size and mtime: to tell whether anything changed.
QStringList listing(const QByteArray &path, const QByteArray &rel = QByteArray())
{
    QStringList out;
    DIR *d = ::opendir(path.constData());
    if (!d)
        return {QStringLiteral("cannot list %1").arg(QString::fromLocal8Bit(path))};
    while (dirent *e = ::readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        const QByteArray child = path + '/' + e->d_name;
        struct stat st;
        if (::lstat(child.constData(), &st) != 0)
            continue;
        out << QStringLiteral("%1 %2 %3 %4.%5")
                   .arg(QString::fromLocal8Bit(rel + e->d_name))
                   .arg(st.st_mode, 0, 8)
                   .arg(st.st_size)
                   .arg(st.st_mtim.tv_sec)
                   .arg(st.st_mtim.tv_nsec);
        if (S_ISDIR(st.st_mode))
            out << listing(child, rel + e->d_name + '/');
    }
    ::closedir(d);
    out.sort();
    return out;
}

bool isSymlink(const QByteArray &path)
{
    struct stat st;
    return ::lstat(path.constData(), &st) == 0 && S_ISLNK(st.st_mode);
}

} // namespace

class TestAgentRestoreJob : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_work, m_source;
    ServerProcess m_server;
    std::unique_ptr<ApiClient> m_admin, m_operator;
    AgentProcess m_agent;
    FixtureTree m_fixture;
    qint64 m_tenant = -1, m_agentId = -1;
    QString m_snapshot;

    QByteArray path(const QByteArray &name) const { return m_work + '/' + name; }

    // Dispatches a restore of the snapshot (operator) and waits for its end; `progress` gets the
    // distinct progress objects seen while it ran.
    QJsonObject restore(const QJsonObject &request, QList<QJsonObject> *progress = nullptr)
    {
        QJsonObject body = request;
        body.insert(QStringLiteral("snapshot"), m_snapshot);
        const ApiReply r = m_operator->post(
            QStringLiteral("/api/v1/servers/%1/restore?tenant=%2").arg(m_agentId).arg(m_tenant), body);
        if (r.status != 201) {
            qWarning("restore: %s", qPrintable(r.describe()));
            return QJsonObject();
        }
        const QJsonObject job = r.json();
        if (job.value(QStringLiteral("kind")).toString() != u"restore")
            qWarning("not a restore job: %s", qPrintable(jsonText(job)));
        QList<QJsonObject> seen;
        const QJsonObject end = waitForJobEnd(*m_operator, job.value(QStringLiteral("id")).toInteger(), 300000,
            QStringLiteral("?tenant=%1").arg(m_tenant), [&seen](const QJsonObject &j) {
                const QJsonObject p = j.value(QStringLiteral("progress")).toObject();
                if (!p.isEmpty() && !seen.contains(p))
                    seen.append(p);
            });
        if (progress)
            *progress = seen;
        return end;
    }

    // A target with a symlink to `outside` planted where the snapshot's source directory goes.
    bool plantEscape(const QByteArray &target, const QByteArray &outside)
    {
        const QByteArray planted = target + m_source;
        return QDir().mkpath(QFile::decodeName(planted.left(planted.lastIndexOf('/'))))
            && ::symlink(outside.constData(), planted.constData()) == 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path());
        m_source = path("src");
        FixtureOptions options;
        options.bigSparseFile = false;
        options.smallFiles = 300;
        options.smallDirs = 10;
        options.seed = testSeed();
        QVERIFY2(m_fixture.build(m_source, options), qPrintable(m_fixture.error));
        // A 64 MiB sparse file with three data extents.
        const QByteArray sparse = m_source + "/files/sparse-64m";
        const int fd = ::open(sparse.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        QVERIFY(fd >= 0);
        QCOMPARE(::ftruncate(fd, 64 * kMiB), 0);
        for (const qint64 at : {qint64(0), 32 * kMiB, 64 * kMiB - 65536}) {
            const QByteArray data = randomBytes(65536, quint64(at) + options.seed);
            QCOMPARE(::pwrite(fd, data.constData(), size_t(data.size()), off_t(at)), ssize_t(data.size()));
        }
        ::close(fd);
        QVERIFY(allocatedBytes(sparse) < 4 * kMiB);

        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(
            m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")));
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "operator's password", QString(), QStringLiteral("operator")));
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_admin = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_operator = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_admin->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QCOMPARE(m_operator->login(QStringLiteral("ops"), QStringLiteral("operator's password")).status, 200);
        m_agentId = m_agent.enroll(m_server, QStringLiteral("acme"), QStringLiteral("restore-host"));
        QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
        QVERIFY2(m_agent.start(), m_agent.log().constData());

        // The snapshot to restore: "back up now" with the tree as the policy's path.
        const int farHour
            = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
        const ApiReply put = m_admin->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_source)}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), farHour},
                {QStringLiteral("retention_days"), 30}});
        QVERIFY2(put.status == 200, qPrintable(put.describe()));
        const ApiReply now = m_admin->post(QStringLiteral("/api/v1/servers/%1/backup").arg(m_agentId), QJsonObject {});
        QVERIFY2(now.status == 201, qPrintable(now.describe()));
        const QJsonObject job = waitForJobEnd(*m_admin, now.json().value(QStringLiteral("id")).toInteger(), 300000);
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(job)));
        m_snapshot = job.value(QStringLiteral("snapshot")).toString();
        QCOMPARE(m_snapshot.size(), 64);
        qInfo("backup: %s", qPrintable(jsonText(job.value(QStringLiteral("stats")).toObject())));
    }

    void cleanupTestCase()
    {
        m_agent.stop();
        QVERIFY(removeTree(m_work));
    }

    void restoreToAnotherFolderIsIdentical()
    {
        const QByteArray target = path("out");
        QList<QJsonObject> progress;
        const QJsonObject job = restore({{QStringLiteral("target"), QString::fromLocal8Bit(target)},
                                            {QStringLiteral("existing"), QStringLiteral("overwrite")}},
            &progress);
        qInfo("restore: %s", qPrintable(jsonText(job)));
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(job)));
        QVERIFY2(job.value(QStringLiteral("requested_by")).toString().startsWith(QStringLiteral("operator:")),
            qPrintable(jsonText(job)));

        const QByteArray restored = target + m_source;
        const QStringList diffs = compareTrees(m_source, restored);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
        // What compareTrees covered, spelled out where the fixture guarantees it.
        QVERIFY2(m_fixture.hardlinkNames.size() == 3, "the fixture has a hardlink group");
        struct stat a, b;
        QVERIFY(::lstat((restored + '/' + m_fixture.hardlinkNames[0]).constData(), &a) == 0);
        QVERIFY(::lstat((restored + '/' + m_fixture.hardlinkNames[2]).constData(), &b) == 0);
        QCOMPARE(a.st_ino, b.st_ino);
        QCOMPARE(a.st_nlink, nlink_t(3));
        QCOMPARE(a.st_uid, ::getuid());
        QCOMPARE(a.st_gid, ::getgid());
        QVERIFY(isSymlink(restored + "/symlinks/absolute"));
        const qint64 sparseAllocated = allocatedBytes(restored + "/files/sparse-64m");
        qInfo("sparse file: %lld bytes allocated in the source, %lld restored",
            allocatedBytes(m_source + "/files/sparse-64m"), sparseAllocated);
        QVERIFY2(sparseAllocated < 4 * kMiB, qPrintable(QString::number(sparseAllocated)));
        qInfo("user xattrs: %s", m_fixture.hasXattrs ? "compared" : "this file system takes none, not compared");

        // The statistics: every file name, and in "bytes" the data written: the data of every
        // file name less the zeros left as holes. The sparse file's holes are not data in the
        // source; the only zeros written in the source are the 1 MiB run of files/zero-run.
        FileCount source;
        countFiles(m_source, source);
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        const qint64 bytes = stats.value(QStringLiteral("bytes")).toInteger();
        qInfo("source: %lld files, %lld bytes, %lld of them data; restore wrote %lld bytes", source.files, source.bytes,
            source.dataBytes, bytes);
        QCOMPARE(stats.value(QStringLiteral("files")).toInteger(), source.files);
        QVERIFY2(bytes <= source.dataBytes && bytes >= source.dataBytes - kMiB, qPrintable(QString::number(bytes)));
        QCOMPARE(stats.value(QStringLiteral("errors")).toInteger(-1), 0);
        QCOMPARE(stats.value(QStringLiteral("failures")).toArray().size(), 0);
        QCOMPARE(stats.value(QStringLiteral("target")).toString(), QString::fromLocal8Bit(target));

        // Progress reached the server while it ran. (How far a restore this short had got when
        // the 2-second reports went out is a matter of timing: the reports are printed.)
        for (const QJsonObject &p : progress)
            qInfo("progress seen: %s", qPrintable(jsonText(p)));
        QVERIFY2(!progress.isEmpty(), "the job never showed any progress");
        const QByteArray report = "POST /api/v1/agent/jobs/"
            + QByteArray::number(job.value(QStringLiteral("id")).toInteger()) + "/progress 200 ";
        QVERIFY2(m_server.log().contains(report), "no progress report in the server's access log");
    }

    void restoreOfSelectedPathsRestoresOnlyThose()
    {
        const QByteArray target = path("out-small");
        const QByteArray selected = m_source + "/small";
        const QJsonObject job = restore({{QStringLiteral("target"), QString::fromLocal8Bit(target)},
            {QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(selected)}},
            {QStringLiteral("existing"), QStringLiteral("overwrite")}});
        QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(jsonText(job)));
        QCOMPARE(QDir(QFile::decodeName(target + m_source))
                     .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
            QStringList {QStringLiteral("small")});
        const QStringList diffs = compareTrees(selected, target + selected);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
        FileCount count;
        countFiles(selected, count);
        const QJsonObject stats = job.value(QStringLiteral("stats")).toObject();
        QCOMPARE(stats.value(QStringLiteral("files")).toInteger(), count.files);
        QCOMPARE(stats.value(QStringLiteral("bytes")).toInteger(), count.bytes); // small files: no holes
    }

    void plantedSymlinkDoesNotLeadOutside()
    {
        QTemporaryDir outsideDir(QDir::tempPath() + QStringLiteral("/outside-XXXXXX"));
        QVERIFY(outsideDir.isValid());
        const QByteArray outside = QFile::encodeName(outsideDir.path());
        QVERIFY(writeFile(outside + "/marker", "not to be touched"));
        const QStringList before = listing(outside);

        // Each way of treating existing entries, "overwrite" (the one asked for) last.
        for (const char *existing : {"skip", "keep-both", "overwrite"}) {
            const QByteArray target = path("escape-") + existing;
            const QByteArray planted = target + m_source;
            QVERIFY(plantEscape(target, outside));
            const QJsonObject job = restore({{QStringLiteral("target"), QString::fromLocal8Bit(target)},
                {QStringLiteral("existing"), QLatin1String(existing)}});
            qInfo("existing %s: %s", existing, qPrintable(jsonText(job)));
            const QString state = job.value(QStringLiteral("state")).toString();
            QVERIFY2(isFinishedJobState(state), qPrintable(jsonText(job)));
            // Nothing was written through the link.
            QCOMPARE(listing(outside), before);
            QCOMPARE(readFile(outside + "/marker"), QByteArray("not to be touched"));
            if (qstrcmp(existing, "skip") == 0) {
                QVERIFY(isSymlink(planted)); // left alone, and what it stands for not restored
                QVERIFY(
                    job.value(QStringLiteral("stats")).toObject().value(QStringLiteral("skipped")).toInteger() >= 1);
            } else if (qstrcmp(existing, "keep-both") == 0) {
                QVERIFY(isSymlink(planted)); // left alone; the directory restored beside it
                const QStringList diffs = compareTrees(m_source, planted + ".restored");
                QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
            } else {
                // "overwrite" replaces the planted link itself — an existing entry like any other —
                // by the snapshot's real directory, and restores into that, inside the target.
                QCOMPARE(state, QStringLiteral("succeeded"));
                QVERIFY(!isSymlink(planted));
                QVERIFY(QFileInfo(QFile::decodeName(planted)).isDir());
                const QStringList diffs = compareTrees(m_source, planted);
                QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestAgentRestoreJob)
#include "TestAgentRestoreJob.moc"
