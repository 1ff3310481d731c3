// Issue 4, acceptance 3: deduplication is tenant-wide. Two servers (agents) of one tenant hold
// the same 200 MB OS-like tree — built once, then copied, so the second copy has its own inodes
// and mtimes — and each backs up its own copy through the agent service ("back up now"). The
// second server's first backup must add less than 5% of what the first one stored: by the job's
// stats.bytes_stored, by the tenant's stored bytes (GET /usage) and by the disk usage of the
// tenant's pack folder on the server. The second snapshot must still restore identical.
// Real cairn-server and cairn-agent processes on loopback. Test main thread.
#include "AgentProcess.h"
#include "ApiClient.h"
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <functional>

#include <sys/stat.h>
#include <unistd.h>

using namespace cairn::test;

namespace {

constexpr qint64 kTreeBytes = 200'000'000;
constexpr quint32 kTreeSeed = 20261127; // fixed: the tree is the same in every run
const QByteArray kPassword = "dedup-test-password";

// Text that compresses like configuration files and documentation do.
QByteArray textLike(qint64 size, QRandomGenerator &rng)
{
    static const char *const words[] = {"the", "server", "backup", "option", "value", "default", "enable", "path",
        "user", "group", "file", "directory", "listen", "port", "timeout", "include", "module", "license", "copyright",
        "version", "install", "package", "service", "network", "address", "interface", "config", "log", "level",
        "debug", "warning", "error", "system", "kernel", "memory", "cache", "session", "#", "=", "true", "false"};
    constexpr int wordCount = int(sizeof(words) / sizeof(words[0]));
    QByteArray out;
    out.reserve(size + 64);
    while (out.size() < size) {
        const int n = 3 + int(rng.bounded(9));
        for (int i = 0; i < n; ++i) {
            out += words[rng.bounded(wordCount)];
            out += i + 1 < n ? ' ' : '\n';
        }
        if (rng.bounded(7) == 0)
            out += QByteArray::number(rng.bounded(100000)) + '\n';
    }
    out.truncate(size);
    return out;
}

// Binary content like libraries and executables: incompressible stretches with runs of zeros.
QByteArray binaryLike(qint64 size, quint64 seed)
{
    QByteArray out = testPattern(size, seed);
    for (qint64 at = 4096; at + 512 < size; at += 16384)
        std::fill(out.begin() + at, out.begin() + at + 512, '\0');
    return out;
}

qint64 logUniform(QRandomGenerator &rng, qint64 low, qint64 high)
{
    return qint64(double(low) * std::pow(double(high) / double(low), rng.generateDouble()));
}

struct TreeFigures {
    int files = 0;
    int dirs = 0;
    int symlinks = 0;
    qint64 bytes = 0;
};

// Builds the OS-like tree under `root`: nested directories (etc, usr/lib, usr/share/doc, var,
// opt…), thousands of text and binary files of varied sizes, a few large files, identical
// copies of a license text, and library version symlinks. Deterministic for kTreeSeed.
bool buildOsLikeTree(const QByteArray &root, TreeFigures &figures, QString &error)
{
    QRandomGenerator rng(kTreeSeed);
    QList<QByteArray> dirs;
    auto mkdir = [&](const QByteArray &rel) {
        if (!QDir().mkpath(QString::fromLocal8Bit(root + '/' + rel)))
            return false;
        dirs << rel;
        return true;
    };
    static const char *const tops[] = {"etc", "etc/ssl/certs", "etc/systemd/system", "usr/bin", "usr/sbin",
        "usr/lib/x86_64-linux-gnu", "usr/lib/python3/dist-packages", "usr/share/doc", "usr/share/locale",
        "usr/share/man/man1", "var/lib/dpkg/info", "var/cache/apt", "opt/app/lib", "opt/app/share"};
    for (const char *t : tops)
        if (!mkdir(t)) {
            error = QStringLiteral("mkdir %1").arg(QLatin1String(t));
            return false;
        }
    // Nested package folders under some of the top folders.
    for (int i = 0; i < 160; ++i) {
        QByteArray rel = dirs.at(int(rng.bounded(int(sizeof(tops) / sizeof(tops[0])))));
        const int depth = 1 + int(rng.bounded(3));
        for (int d = 0; d < depth; ++d)
            rel += "/pkg" + QByteArray::number(i) + '-' + QByteArray::number(d);
        if (!mkdir(rel)) {
            error = QStringLiteral("mkdir %1").arg(QString::fromLocal8Bit(rel));
            return false;
        }
    }
    figures.dirs = int(dirs.size());
    auto write = [&](const QByteArray &rel, const QByteArray &data, mode_t mode = 0644) {
        if (!writeFile(root + '/' + rel, data, mode)) {
            error = QStringLiteral("write %1").arg(QString::fromLocal8Bit(rel));
            return false;
        }
        ++figures.files;
        figures.bytes += data.size();
        return true;
    };
    // A few large files.
    const struct {
        const char *path;
        qint64 size;
    } large[] = {{"usr/lib/locale-archive", 12 << 20}, {"var/cache/apt/pkgcache.bin", 10 << 20},
        {"opt/app/share/assets.pak", 14 << 20}};
    for (const auto &l : large)
        if (!write(l.path, binaryLike(l.size, rng.generate64())))
            return false;
    const QByteArray license = textLike(18000, rng);
    int n = 0;
    while (figures.bytes < kTreeBytes) {
        const QByteArray dir = dirs.at(int(rng.bounded(int(dirs.size()))));
        const quint32 kind = rng.bounded(100);
        const QByteArray name = dir + "/f" + QByteArray::number(++n);
        bool ok;
        if (dir.startsWith("usr/share/doc") && n % 40 == 0)
            ok = write(name + ".copyright", license); // the same text in many packages
        else if (kind < 10)
            ok = write(name + ".conf", textLike(rng.bounded(200), rng));
        else if (kind < 55)
            ok = write(name + ".txt", textLike(logUniform(rng, 64, 48 << 10), rng));
        else
            ok = write(
                name + ".so", binaryLike(logUniform(rng, 2 << 10, 1 << 20), rng.generate64()), kind < 70 ? 0755 : 0644);
        if (!ok)
            return false;
        // Library version links: libN.so -> libN.so.1 -> the file.
        if (kind >= 90) {
            const QByteArray base = QByteArray("lib") + QByteArray::number(n);
            const QByteArray file = QByteArray("f") + QByteArray::number(n) + ".so";
            if (::symlink(file.constData(), (root + '/' + dir + '/' + base + ".so.1").constData()) != 0
                || ::symlink((base + ".so.1").constData(), (root + '/' + dir + '/' + base + ".so").constData()) != 0) {
                error = QStringLiteral("symlink in %1").arg(QString::fromLocal8Bit(dir));
                return false;
            }
            figures.symlinks += 2;
        }
    }
    return true;
}

} // namespace

class TestAgentTenantDedup : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QByteArray m_treeA, m_treeB;
    ServerProcess m_server;
    qint64 m_tenant = -1;
    std::unique_ptr<ApiClient> m_api;
    AgentProcess m_agentA, m_agentB;
    qint64 m_idA = -1, m_idB = -1;

    QByteArray path(const char *name) const { return QFile::encodeName(m_tmp.path()) + '/' + name; }

    QString agentLogs()
    {
        return QString::fromUtf8(m_agentA.log().right(3000) + "\n---\n" + m_agentB.log().right(3000));
    }

    // A policy whose scheduled slot today is already past (two hours ago in the tenant's zone), so
    // the service runs nothing on its own during the test: only "back up now".
    bool setPolicy(qint64 agent, const QByteArray &source)
    {
        return putIdlePolicy(*m_api, agent, source).status == 200;
    }

    // "Back up now" for `agent` and the finished job (empty object on timeout).
    QJsonObject backUpNow(qint64 agent, int timeoutMs)
    {
        const ApiReply r = m_api->post(QStringLiteral("/api/v1/servers/%1/backup").arg(agent), QJsonObject {});
        if (r.status != 201) {
            qWarning("back up now: %s", qPrintable(r.describe()));
            return {};
        }
        const qint64 id = r.json().value(QStringLiteral("id")).toInteger();
        QJsonObject job;
        const bool ended = waitUntil(
            [&] {
                job = m_api->get(QStringLiteral("/api/v1/jobs/%1").arg(id)).json();
                const QString state = job.value(QStringLiteral("state")).toString();
                return !state.isEmpty() && state != u"pending" && state != u"running";
            },
            timeoutMs);
        return ended ? job : QJsonObject {};
    }

    qint64 storedBytes()
    {
        const ApiReply r = m_api->get(QStringLiteral("/api/v1/usage"));
        return r.status == 200 ? r.json().value(QStringLiteral("stored_bytes")).toInteger() : -1;
    }

    qint64 packFolderBytes() const
    {
        return diskUsage(QFile::encodeName(m_server.dataDir()) + "/packs/tenant-" + QByteArray::number(m_tenant));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_treeA = path("server-a/root");
        m_treeB = path("server-b/root");
        QElapsedTimer clock;
        clock.start();
        TreeFigures figures;
        QString error;
        QVERIFY(QDir().mkpath(QString::fromLocal8Bit(path("server-a"))));
        QVERIFY(QDir().mkpath(QString::fromLocal8Bit(path("server-b"))));
        QVERIFY2(buildOsLikeTree(m_treeA, figures, error), qPrintable(error));
        // A plain copy: new inodes, new mtimes, symlinks stay symlinks (-R does not follow them).
        QProcess cp;
        cp.start(QStringLiteral("cp"),
            {QStringLiteral("-R"), QString::fromLocal8Bit(m_treeA), QString::fromLocal8Bit(m_treeB)});
        QVERIFY(cp.waitForFinished(300000));
        QVERIFY2(cp.exitCode() == 0, cp.readAllStandardError().constData());
        qInfo("OS-like tree: %d files (%lld bytes), %d directories, %d symlinks; built and copied in %.1f s",
            figures.files, figures.bytes, figures.dirs, figures.symlinks, clock.elapsed() / 1000.0);
        QVERIFY(figures.files >= 1000);

        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY2(m_tenant > 0, m_server.log().constData());
        QVERIFY2(m_server.addUser(QStringLiteral("kim"), kPassword, QStringLiteral("acme"), QStringLiteral("admin")),
            m_server.log().constData());
        m_api = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        const ApiReply login = m_api->login(QStringLiteral("kim"), QString::fromUtf8(kPassword));
        QVERIFY2(login.status == 200, qPrintable(login.describe()));
        m_idA = m_agentA.enroll(m_server, QStringLiteral("acme"), QStringLiteral("web-a"));
        QVERIFY2(m_idA > 0, qPrintable(describe(m_agentA.lastResult())));
        m_idB = m_agentB.enroll(m_server, QStringLiteral("acme"), QStringLiteral("web-b"));
        QVERIFY2(m_idB > 0, qPrintable(describe(m_agentB.lastResult())));
        QVERIFY(setPolicy(m_idA, m_treeA));
        QVERIFY(setPolicy(m_idB, m_treeB));
        QVERIFY2(m_agentA.start(), m_agentA.log().constData());
        QVERIFY2(m_agentB.start(), m_agentB.log().constData());
    }

    void cleanupTestCase()
    {
        QVERIFY(m_agentA.stop());
        QVERIFY(m_agentB.stop());
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_agentA.log()) && noSanitizerReport(m_agentB.log()),
            "an agent's output has a sanitizer report (above)");
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
        removeTree(path("server-a"));
        removeTree(path("server-b"));
        removeTree(path("restored"));
    }

    void secondServerOfTenantAddsUnderFivePercent()
    {
        const qint64 usage0 = storedBytes();
        const qint64 disk0 = packFolderBytes();
        QElapsedTimer clock;
        clock.start();
        const QJsonObject jobA = backUpNow(m_idA, 600000);
        QVERIFY2(!jobA.isEmpty(),
            qPrintable(QStringLiteral("server A's backup did not end in 10 minutes:\n") + agentLogs()));
        QVERIFY2(jobA.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(agentLogs()));
        const double secondsA = clock.elapsed() / 1000.0;
        const qint64 usage1 = storedBytes();
        const qint64 disk1 = packFolderBytes();

        clock.restart();
        const QJsonObject jobB = backUpNow(m_idB, 600000);
        QVERIFY2(!jobB.isEmpty(),
            qPrintable(QStringLiteral("server B's backup did not end in 10 minutes:\n") + agentLogs()));
        QVERIFY2(jobB.value(QStringLiteral("state")).toString() == u"succeeded", qPrintable(agentLogs()));
        const double secondsB = clock.elapsed() / 1000.0;
        const qint64 usage2 = storedBytes();
        const qint64 disk2 = packFolderBytes();

        const QJsonObject a = jobA.value(QStringLiteral("stats")).toObject();
        const QJsonObject b = jobB.value(QStringLiteral("stats")).toObject();
        const qint64 storedA = a.value(QStringLiteral("bytes_stored")).toInteger();
        const qint64 storedB = b.value(QStringLiteral("bytes_stored")).toInteger();
        qInfo("server A: %lld files, %lld bytes scanned, %lld read, stored %lld (job stats), uploaded %lld; "
              "tenant stored bytes +%lld (GET /usage), pack folder +%lld (du); %.1f s",
            a.value(QStringLiteral("files")).toInteger(), a.value(QStringLiteral("bytes_scanned")).toInteger(),
            a.value(QStringLiteral("bytes_read")).toInteger(), storedA,
            a.value(QStringLiteral("bytes_uploaded")).toInteger(), usage1 - usage0, disk1 - disk0, secondsA);
        qInfo("server B: %lld files, %lld bytes scanned, %lld read, stored %lld (job stats), uploaded %lld; "
              "tenant stored bytes +%lld (GET /usage), pack folder +%lld (du); %.1f s",
            b.value(QStringLiteral("files")).toInteger(), b.value(QStringLiteral("bytes_scanned")).toInteger(),
            b.value(QStringLiteral("bytes_read")).toInteger(), storedB,
            b.value(QStringLiteral("bytes_uploaded")).toInteger(), usage2 - usage1, disk2 - disk1, secondsB);
        qInfo("B adds %.3f%% of A's stored bytes (job stats), %.3f%% (GET /usage), %.3f%% (du)",
            100.0 * double(storedB) / double(storedA), 100.0 * double(usage2 - usage1) / double(usage1 - usage0),
            100.0 * double(disk2 - disk1) / double(disk1 - disk0));

        // B really read its whole copy (a different path, so no parent snapshot and no files
        // cache): the savings come from the tenant's store, not from skipping files.
        QCOMPARE(b.value(QStringLiteral("files")).toInteger(), a.value(QStringLiteral("files")).toInteger());
        QCOMPARE(
            b.value(QStringLiteral("bytes_read")).toInteger(), a.value(QStringLiteral("bytes_scanned")).toInteger());
        QVERIFY(a.value(QStringLiteral("bytes_scanned")).toInteger() >= kTreeBytes);
        QVERIFY(storedA > kTreeBytes / 2); // A stored the tree (compressed text, incompressible binaries)
        QVERIFY(usage1 - usage0 > kTreeBytes / 2);
        QVERIFY2(storedB * 20 < storedA, "B's job stored 5% or more of A's");
        QVERIFY2((usage2 - usage1) * 20 < usage1 - usage0, "the tenant's stored bytes grew 5% or more with B");
        QVERIFY2((disk2 - disk1) * 20 < disk1 - disk0, "the tenant's pack folder grew 5% or more with B");

        // B's snapshot is complete although B stored almost none of its data itself.
        const QString snapshotB = jobB.value(QStringLiteral("snapshot")).toString();
        QVERIFY(!snapshotB.isEmpty());
        const QByteArray target = path("restored");
        const ProcessResult r = m_agentB.run({QStringLiteral("restore"), QStringLiteral("--snapshot"), snapshotB,
            QStringLiteral("--target"), QString::fromLocal8Bit(target)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(m_treeB, target + m_treeB);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 20).join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestAgentTenantDedup)
#include "TestAgentTenantDedup.moc"
