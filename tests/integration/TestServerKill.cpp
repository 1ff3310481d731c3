// Crash safety of cairn-server: simulated agents (one thread each) upload packs and commit
// snapshots in a loop, retrying transport errors and 5xx answers with backoff (200 ms … 2 s),
// while the server is killed with SIGKILL three times at random moments and restarted on the
// same port. Afterwards every agent has finished all its work, the catalog holds each pack,
// blob and snapshot once, every indexed pack file is on disk with its size and a SHA-256 equal
// to its name, no snapshot's root tree lives in a missing pack, and snapshot and pack PUTs
// re-sent after a kill (same bytes) are accepted. The kill moments come from a printed seed
// (CAIRN_TEST_SEED repeats a run).
// Threads: the main thread kills and restarts the server; each agent thread owns its agent.
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include "backend/LocalBackend.h"
#include "crypto/Crypto.h"
#include "repository/Pack.h"
#include "repository/Snapshot.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <thread>

using namespace cairn;
using namespace cairn::test;

namespace {

constexpr int kAgents = 4;
constexpr int kPacksPerAgent = 24;
constexpr int kPacksPerSnapshot = 4;
constexpr int kBlobsPerPack = 8;
constexpr int kBlobSize = 128 * 1024;
constexpr int kKills = 3;
constexpr int kOperations = kAgents * (kPacksPerAgent + kPacksPerAgent / kPacksPerSnapshot);
constexpr qint64 kGiveUpMs = 120000;

struct SentSnapshot {
    QByteArray id; // raw
    QByteArray sealed;
    int killsBefore = 0; // kills that had happened when its PUT was accepted
};

struct AgentRun {
    qint64 tenant = 0;
    QByteArray token;
    std::vector<SimulatedAgent::BuiltPack> packs;
    std::vector<SentSnapshot> snapshots;
    QStringList failures;
    int retries = 0;
    int packsFoundAfterRetry = 0; // a retried upload answered "existed": the kill came after the commit
};

// Calls `send` until it gets an answer that is neither a transport error nor a 5xx.
ApiReply retrying(const std::function<ApiReply()> &send, int &retries)
{
    int backoffMs = 200;
    QElapsedTimer t;
    t.start();
    for (;;) {
        ApiReply r = send();
        if ((r.status != 0 && r.status < 500) || t.elapsed() > kGiveUpMs)
            return r;
        ++retries;
        QThread::msleep(ulong(backoffMs));
        backoffMs = std::min(2 * backoffMs, 2000);
    }
}

QString snapshotPath(const QByteArray &id)
{
    return QStringLiteral("/api/v1/agent/snapshots/") + QString::fromLatin1(id.toHex());
}
QString packPath(const PackId &id)
{
    return QStringLiteral("/api/v1/agent/packs/") + id.toHex();
}

struct Shared {
    QString baseUrl;
    QByteArray ca;
    std::atomic<int> enrolled {0};
    std::atomic<int> operations {0};
    std::atomic<int> kills {0};
    std::atomic<int> finished {0};
};

void driveAgentSteps(Shared &shared, const QString &code, int index, AgentRun &run)
{
    SimulatedAgent a(shared.baseUrl, shared.ca);
    const ApiReply enrolled = a.enroll(code, QStringLiteral("kill-host-%1").arg(index));
    ++shared.enrolled;
    if (enrolled.status != 201) {
        run.failures << QStringLiteral("enroll: ") + enrolled.describe();
        return;
    }
    run.tenant = a.tenantId();
    run.token = a.client().token();
    for (int k = 0; k < kPacksPerAgent; ++k) {
        const bool withTree = (k + 1) % kPacksPerSnapshot == 0;
        SimulatedAgent::BuiltPack pack
            = a.buildPack(quint64(index) * 1000 + quint64(k), kBlobsPerPack, kBlobSize, withTree);
        const ApiReply up = retrying([&] { return a.client().put(packPath(pack.id), pack.bytes); }, run.retries);
        ++shared.operations;
        if (up.status == 200)
            ++run.packsFoundAfterRetry;
        if (up.status != 201 && up.status != 200) {
            run.failures << QStringLiteral("pack %1: %2").arg(k).arg(up.describe());
            continue;
        }
        const std::optional<ChunkId> tree = pack.tree;
        run.packs.push_back(std::move(pack));
        if (!withTree)
            continue;
        // Sealed once: a retry re-sends the same bytes under the same id.
        Snapshot s;
        s.time = QDateTime::currentDateTimeUtc();
        s.endTime = s.time.addSecs(1);
        s.hostname = QStringLiteral("kill-host-%1").arg(index);
        s.username = QStringLiteral("root");
        s.paths = {QByteArray("/data")};
        s.tree = *tree;
        s.programVersion = QStringLiteral("test");
        SentSnapshot sent;
        sent.sealed = sealSnapshot(*a.codec(), s);
        const auto digest = crypto::sha256(sent.sealed);
        sent.id = QByteArray(reinterpret_cast<const char *>(digest.data()), int(digest.size()));
        const ApiReply snap = retrying([&] { return a.client().put(snapshotPath(sent.id), sent.sealed); }, run.retries);
        ++shared.operations;
        sent.killsBefore = shared.kills;
        if (snap.status != 201 && snap.status != 200)
            run.failures << QStringLiteral("snapshot after pack %1: %2").arg(k).arg(snap.describe());
        else
            run.snapshots.push_back(std::move(sent));
    }
}

void driveAgent(Shared &shared, const QString &code, int index, AgentRun &run)
{
    driveAgentSteps(shared, code, index, run);
    ++shared.finished;
}

// Waits for `done` while running the main thread's event loop: the server's output pipe is
// read there (QProcess), and a server whose log pipe is full stops answering.
void waitServing(const std::function<bool()> &done)
{
    while (!done())
        QTest::qWait(5);
}

} // namespace

class TestServerKill : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    std::vector<AgentRun> m_runs;

    // PUTs `body` with `token` until the answer is not a transport error or 5xx.
    ApiReply resend(const QByteArray &token, const QString &path, const QByteArray &body)
    {
        ApiClient c(m_server.baseUrl(), m_server.caPem());
        c.setToken(token);
        int retries = 0;
        return retrying([&] { return c.put(path, body); }, retries);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.addTenant(QStringLiteral("acme")) > 0, m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
    }

    void uploadsSurviveKills()
    {
        QStringList codes;
        for (int i = 0; i < kAgents; ++i) {
            codes << m_server.enrollmentCode(QStringLiteral("acme"));
            QVERIFY2(!codes.last().isEmpty(), m_server.log().constData());
        }
        QRandomGenerator rng(testSeed());
        Shared shared;
        shared.baseUrl = m_server.baseUrl();
        shared.ca = m_server.caPem();
        m_runs.assign(kAgents, AgentRun());
        std::vector<std::thread> threads;
        for (int i = 0; i < kAgents; ++i)
            threads.emplace_back(driveAgent, std::ref(shared), codes[i], i, std::ref(m_runs[size_t(i)]));
        // Enrolling is not repeatable: no kill before it is done.
        waitServing([&] { return shared.enrolled == kAgents; });

        // Kill once each of these shares of the work is done, after a random extra delay.
        QStringList problems;
        int killsWhileBusy = 0;
        for (int n = 0; n < kKills; ++n) {
            const int threshold = int(kOperations * (0.1 + 0.3 * n + 0.2 * rng.generateDouble()));
            waitServing([&] { return shared.operations >= threshold || shared.finished == kAgents; });
            QTest::qWait(int(rng.bounded(150)));
            const int done = shared.operations;
            const bool busy = shared.finished < kAgents;
            m_server.kill9();
            ++shared.kills;
            if (busy)
                ++killsWhileBusy;
            qInfo("kill %d after %d of %d operations", n + 1, done, kOperations);
            QTest::qWait(int(rng.bounded(400)));
            if (!m_server.start())
                problems << QStringLiteral("restart %1 failed: %2")
                                .arg(n + 1)
                                .arg(QString::fromUtf8(m_server.log().right(2000)));
        }
        waitServing([&] { return shared.finished == kAgents; });
        for (std::thread &t : threads)
            t.join();

        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        int retries = 0, found = 0;
        for (const AgentRun &r : m_runs) {
            QVERIFY2(r.failures.isEmpty(), qPrintable(r.failures.join(QLatin1Char('\n'))));
            QCOMPARE(int(r.packs.size()), kPacksPerAgent);
            QCOMPARE(int(r.snapshots.size()), kPacksPerAgent / kPacksPerSnapshot);
            retries += r.retries;
            found += r.packsFoundAfterRetry;
        }
        qInfo("%d kills while agents were busy, %d retried requests, %d packs already stored when retried",
            killsWhileBusy, retries, found);
        QVERIFY2(killsWhileBusy >= 2, "the agents finished before the server was killed twice");
    }

    // After one more kill, every snapshot and a pack sent again with the same bytes are accepted
    // (snapshots committed before a kill included) and change nothing.
    void resendAfterKillIsAccepted()
    {
        QVERIFY(!m_runs.empty() && !m_runs.front().snapshots.empty());
        const bool committedBeforeAKill = std::any_of(m_runs.begin(), m_runs.end(), [](const AgentRun &r) {
            return std::any_of(
                r.snapshots.begin(), r.snapshots.end(), [](const SentSnapshot &s) { return s.killsBefore < kKills; });
        });
        QVERIFY(committedBeforeAKill);
        m_server.kill9();
        QVERIFY2(m_server.start(), m_server.log().right(2000).constData());
        for (const AgentRun &r : m_runs) {
            for (const SentSnapshot &s : r.snapshots) {
                const ApiReply again = resend(r.token, snapshotPath(s.id), s.sealed);
                QVERIFY2(again.status == 200 || again.status == 201, qPrintable(again.describe()));
            }
        }
        const SimulatedAgent::BuiltPack &pack = m_runs.front().packs.front();
        const ApiReply again = resend(m_runs.front().token, packPath(pack.id), pack.bytes);
        QVERIFY2(again.status == 200, qPrintable(again.describe()));
        QCOMPARE(again.json().value(QStringLiteral("existed")).toBool(), true);
    }

    void catalogIsConsistent()
    {
        QVERIFY2(m_server.stop(), m_server.log().right(2000).constData());
        QVERIFY(!m_runs.empty());
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        checkCatalog(catalog.db());
    }

private:
    void checkCatalog(QSqlDatabase &db)
    {
        QCOMPARE(sqlCount(db, QStringLiteral("SELECT COUNT(*) FROM packs")), qint64(kAgents) * kPacksPerAgent);
        const QStringList problems = catalogIntegrityProblems(db);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));

        const qint64 tenant = m_runs.front().tenant;
        auto opened = LocalBackend::open(m_server.dataDir() + QStringLiteral("/packs/tenant-%1").arg(tenant));
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        Backend &store = **opened;

        // Every indexed pack: on disk, its size, SHA-256 = name.
        std::map<qint64, QByteArray> packOfRow;
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT id, tenant_id, pack_id, size FROM packs")));
        while (q.next()) {
            QCOMPARE(q.value(1).toLongLong(), tenant);
            const QByteArray id = q.value(2).toByteArray();
            packOfRow[q.value(0).toLongLong()] = id;
            auto bytes = store.load({FileType::Pack, QString::fromLatin1(id.toHex())});
            QVERIFY2(bytes, qPrintable(bytes ? QString() : bytes.error().message));
            QCOMPARE(qint64(bytes->size()), q.value(3).toLongLong());
            QCOMPARE(packIdOf(*bytes).toByteArray(), id);
        }

        // Every uploaded pack and each of its blobs is indexed.
        std::map<QByteArray, qint64> chunkPack;
        QVERIFY(q.exec(QStringLiteral("SELECT chunk_id, pack FROM chunks")));
        while (q.next())
            chunkPack[q.value(0).toByteArray()] = q.value(1).toLongLong();
        std::set<QByteArray> indexedPacks;
        for (const auto &row : packOfRow)
            indexedPacks.insert(row.second);
        for (const AgentRun &r : m_runs) {
            for (const SimulatedAgent::BuiltPack &p : r.packs) {
                QVERIFY2(indexedPacks.count(p.id.toByteArray()),
                    qPrintable(p.id.toHex() + QStringLiteral(" is not indexed")));
                for (const PackEntry &e : p.entries) {
                    const auto c = chunkPack.find(e.id.toByteArray());
                    QVERIFY2(c != chunkPack.end(), qPrintable(e.id.toHex() + QStringLiteral(" is not indexed")));
                    QCOMPARE(packOfRow[c->second], p.id.toByteArray());
                }
            }
        }

        // Every committed snapshot is there once, its record file too, and its root tree's pack.
        std::map<QByteArray, QByteArray> rootOf;
        QVERIFY(q.exec(QStringLiteral("SELECT snapshot_id, root_tree FROM snapshots")));
        while (q.next())
            rootOf[q.value(0).toByteArray()] = q.value(1).toByteArray();
        qint64 committed = 0;
        for (const AgentRun &r : m_runs) {
            for (const SentSnapshot &s : r.snapshots) {
                ++committed;
                QVERIFY2(rootOf.count(s.id),
                    qPrintable(QStringLiteral("snapshot %1 is missing").arg(QString::fromLatin1(s.id.toHex()))));
                auto record = store.stat({FileType::Snapshot, QString::fromLatin1(s.id.toHex())});
                QVERIFY2(record && record->size == s.sealed.size(),
                    "a snapshot record file is missing or has the wrong size");
            }
        }
        QCOMPARE(qint64(rootOf.size()), committed);
        for (const auto &[snapshot, root] : rootOf) {
            const auto c = chunkPack.find(root);
            QVERIFY2(c != chunkPack.end(),
                qPrintable(
                    QStringLiteral("the root tree of %1 is not indexed").arg(QString::fromLatin1(snapshot.toHex()))));
            QVERIFY(packOfRow.count(c->second));
            auto info = store.stat({FileType::Pack, QString::fromLatin1(packOfRow[c->second].toHex())});
            QVERIFY2(info, "the pack of a snapshot's root tree is missing on disk");
        }
    }
};

QTEST_GUILESS_MAIN(TestServerKill)
#include "TestServerKill.moc"
