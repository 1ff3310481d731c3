// Load on a real cairn-server: 50 simulated agents (one thread each) enroll, upload 20 small
// packs each (8 blobs of 16 KiB; 2 blobs of every pack are the same for all agents of a tenant,
// so the index must keep exactly one, first, location) and commit a snapshot every 5 packs, while
// 2 console clients list servers, jobs and snapshots in a loop and time every query. No request
// may fail. Afterwards an operator's verify run reads and hashes every pack and finds nothing
// wrong, and the catalog (read with QSQLITE once the server has stopped) must hold exactly what
// was uploaded, each once, and every pack file must be on disk with its size.
// Prints the figures for docs/BENCHMARKS.md (lines starting "server-load:").
// Threads: the test's main thread starts and joins the agent and console threads; each of those
// owns its SimulatedAgent or ApiClient.
#include "ApiClient.h"
#include "CatalogChecks.h"
#include "Reliability.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include "backend/LocalBackend.h"
#include "repository/Tree.h"

#include <QElapsedTimer>
#include <QMap>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <tuple>

using namespace cairn;
using namespace cairn::test;

namespace {

constexpr int kTenants = 2;
constexpr int kPacksPerSnapshot = 5;
// 50 agents of 20 packs each; the reliability suite runs the same test with more
// (tests/reliability/load.cmake): CAIRN_LOAD_AGENTS, CAIRN_LOAD_PACKS and, in its long form,
// CAIRN_LOAD_PACKS_LONG.
int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}
const int kAgents = envInt("CAIRN_LOAD_AGENTS", 50);
const int kPacksPerAgent = reliabilityScale(envInt("CAIRN_LOAD_PACKS", 20),
                               envInt("CAIRN_LOAD_PACKS_LONG", envInt("CAIRN_LOAD_PACKS", 20)))
    / kPacksPerSnapshot * kPacksPerSnapshot;
constexpr int kBlobsPerPack = 8;
constexpr int kSharedBlobsPerPack = 2;
constexpr int kBlobSize = 16 * 1024;
constexpr int kConsoles = 2;
const QByteArray kPassword = "console-password-1";

QString tenantName(int i)
{
    return QStringLiteral("load-%1").arg(i);
}

// Pack `k` of agent `agent`: unique blobs plus kSharedBlobsPerPack blobs that depend on `k` only,
// and (if `withTree`) a tree blob with one file made of the data blobs.
SimulatedAgent::BuiltPack buildMixedPack(const BlobCodec &codec, int agent, int k, bool withTree)
{
    PackWriter writer(codec);
    Node file;
    file.name = "file-" + QByteArray::number(agent) + '-' + QByteArray::number(k);
    file.type = NodeType::File;
    file.mode = 0644;
    for (int i = 0; i < kBlobsPerPack; ++i) {
        const bool shared = i >= kBlobsPerPack - kSharedBlobsPerPack;
        const quint64 seed = (shared ? (1ull << 40) : (quint64(agent + 1) << 20)) + quint64(k) * 64 + quint64(i);
        const QByteArray data = testPattern(kBlobSize, seed);
        const ChunkId id = codec.chunkId(data.constData(), size_t(data.size()));
        writer.add(BlobType::Data, id, data.constData(), size_t(data.size()));
        file.content.push_back({id, uint32_t(data.size())});
        file.size += uint64_t(data.size());
    }
    SimulatedAgent::BuiltPack built;
    if (withTree) {
        Tree tree;
        tree.nodes.push_back(file);
        const QByteArray cbor = encodeTree(tree);
        const ChunkId treeId = codec.chunkId(cbor.constData(), size_t(cbor.size()));
        writer.add(BlobType::Tree, treeId, cbor.constData(), size_t(cbor.size()));
        built.tree = treeId;
    }
    PackWriter::Finished f = writer.finish();
    built.id = f.id;
    built.bytes = f.bytes;
    built.entries = f.entries;
    return built;
}

struct UploadedPack {
    QByteArray id; // raw 32 bytes
    qint64 size = 0;
    std::vector<PackEntry> entries;
};

struct AgentRun {
    qint64 tenant = 0, agent = 0;
    std::vector<UploadedPack> packs;
    QByteArrayList snapshots; // raw ids
    QStringList failures;
};

void driveAgentSteps(const QString &baseUrl, const QByteArray &ca, const QString &code, int index, AgentRun &run)
{
    SimulatedAgent a(baseUrl, ca);
    const ApiReply enrolled = a.enroll(code, QStringLiteral("load-host-%1").arg(index));
    if (enrolled.status != 201) {
        run.failures << QStringLiteral("enroll: ") + enrolled.describe();
        return;
    }
    run.tenant = a.tenantId();
    run.agent = a.agentId();
    for (int k = 0; k < kPacksPerAgent; ++k) {
        const bool withTree = (k + 1) % kPacksPerSnapshot == 0;
        const SimulatedAgent::BuiltPack pack = buildMixedPack(*a.codec(), index, k, withTree);
        const ApiReply up = a.uploadPack(pack);
        if (up.status != 201) {
            run.failures << QStringLiteral("pack %1: %2").arg(k).arg(up.describe());
            continue;
        }
        run.packs.push_back({pack.id.toByteArray(), pack.bytes.size(), pack.entries});
        if (withTree) {
            SnapshotId id;
            const ApiReply snap = a.commitSnapshot(*pack.tree, &id);
            if (snap.status != 201)
                run.failures << QStringLiteral("snapshot after pack %1: %2").arg(k).arg(snap.describe());
            else
                run.snapshots << id.toByteArray();
        }
    }
}

void driveAgent(const QString &baseUrl, const QByteArray &ca, const QString &code, int index, AgentRun &run,
    std::atomic<int> &finished)
{
    driveAgentSteps(baseUrl, ca, code, index, run);
    ++finished;
}

// Waits for `done` while running the main thread's event loop: the server's output pipe is
// read there (QProcess), and a server whose log pipe is full stops answering.
void waitServing(const std::function<bool()> &done)
{
    while (!done())
        QTest::qWait(20);
}

struct ConsoleRun {
    std::vector<double> latenciesMs;
    QStringList failures;
};

void driveConsole(const QString &baseUrl, const QByteArray &ca, const QString &login, std::atomic<int> &loggedIn,
    const std::atomic<bool> &stop, ConsoleRun &run)
{
    ApiClient c(baseUrl, ca);
    const ApiReply r = c.login(login, QString::fromUtf8(kPassword));
    ++loggedIn;
    if (r.status != 200) {
        run.failures << QStringLiteral("login: ") + r.describe();
        return;
    }
    const QStringList paths = {QStringLiteral("/api/v1/servers"), QStringLiteral("/api/v1/jobs?limit=50"),
        QStringLiteral("/api/v1/snapshots?limit=50")};
    while (!stop) {
        for (const QString &path : paths) {
            QElapsedTimer t;
            t.start();
            const ApiReply q = c.get(path);
            run.latenciesMs.push_back(double(t.nsecsElapsed()) / 1e6);
            if (q.status != 200)
                run.failures << path + QStringLiteral(": ") + q.describe();
        }
    }
}

// "N× message" per distinct failure, with ids masked, most frequent first.
QString tally(const QStringList &failures)
{
    static const QRegularExpression ids(QStringLiteral("[0-9a-f]{8,64}|\\b\\d+\\b"));
    QMap<QString, int> counts;
    for (QString f : failures)
        ++counts[f.replace(ids, QStringLiteral("#")).left(300)];
    QList<QPair<int, QString>> sorted;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        sorted.append({it.value(), it.key()});
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList lines;
    for (const auto &[n, text] : sorted)
        lines << QStringLiteral("%1x %2").arg(n).arg(text);
    return lines.join(QLatin1Char('\n'));
}

double percentile(const std::vector<double> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t i = std::min(sorted.size() - 1, size_t(p * double(sorted.size())));
    return sorted[i];
}

} // namespace

class TestServerLoad : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QStringList m_codes;
    std::vector<AgentRun> m_runs;
    Figures m_figures;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        for (int t = 0; t < kTenants; ++t) {
            QVERIFY2(m_server.addTenant(tenantName(t)) > 0, m_server.log().constData());
            QVERIFY2(
                m_server.addUser(QStringLiteral("admin-%1").arg(t), kPassword, tenantName(t), QStringLiteral("admin")),
                m_server.log().constData());
        }
        QVERIFY(m_server.addUser(QStringLiteral("ops"), kPassword, QString(), QStringLiteral("operator")));
        for (int i = 0; i < kAgents; ++i) {
            m_codes << m_server.enrollmentCode(tenantName(i % kTenants));
            QVERIFY2(!m_codes.last().isEmpty(), m_server.log().constData());
        }
        QVERIFY2(m_server.start(), m_server.log().constData());
    }

    void agentsUploadWhileConsolesQuery()
    {
        const QString base = m_server.baseUrl();
        const QByteArray ca = m_server.caPem();
        std::atomic<bool> stop {false};
        std::atomic<int> loggedIn {0};
        std::vector<ConsoleRun> consoles(kConsoles);
        std::vector<std::thread> consoleThreads;
        for (int c = 0; c < kConsoles; ++c)
            consoleThreads.emplace_back(driveConsole, base, ca, QStringLiteral("admin-%1").arg(c % kTenants),
                std::ref(loggedIn), std::cref(stop), std::ref(consoles[size_t(c)]));
        waitServing([&] { return loggedIn == kConsoles; });

        m_runs.assign(kAgents, AgentRun());
        QElapsedTimer timer;
        timer.start();
        std::atomic<int> finished {0};
        std::vector<std::thread> agents;
        for (int i = 0; i < kAgents; ++i)
            agents.emplace_back(driveAgent, base, ca, m_codes[i], i, std::ref(m_runs[size_t(i)]), std::ref(finished));
        waitServing([&] { return finished == kAgents; });
        for (std::thread &t : agents)
            t.join();
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        stop = true;
        for (std::thread &t : consoleThreads)
            t.join();

        QStringList failures;
        qint64 bytes = 0, packs = 0, snapshots = 0;
        for (const AgentRun &r : m_runs) {
            failures += r.failures;
            packs += qint64(r.packs.size());
            snapshots += r.snapshots.size();
            for (const UploadedPack &p : r.packs)
                bytes += p.size;
        }
        std::vector<double> latencies;
        for (const ConsoleRun &c : consoles) {
            failures += c.failures;
            latencies.insert(latencies.end(), c.latenciesMs.begin(), c.latenciesMs.end());
        }
        std::sort(latencies.begin(), latencies.end());
        qInfo("server-load: %d agents, %lld pack uploads, %lld snapshots, %.1f MB in %.1f s", kAgents, packs, snapshots,
            double(bytes) / 1e6, seconds);
        qInfo("server-load: %.1f pack uploads/s, %.1f MB/s", double(packs) / seconds, double(bytes) / 1e6 / seconds);
        qInfo("server-load: %zu console queries under load: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
            latencies.size(), percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
            latencies.empty() ? 0.0 : latencies.back());
        QVERIFY2(failures.isEmpty(),
            qPrintable(QStringLiteral("%1 failed requests:\n").arg(failures.size()) + tally(failures)));
        QCOMPARE(packs, qint64(kAgents) * kPacksPerAgent);
        QCOMPARE(snapshots, qint64(kAgents) * (kPacksPerAgent / kPacksPerSnapshot));
        QVERIFY(!latencies.empty());
        m_figures = {{"agents", kAgents}, {"packs", packs}, {"snapshots", snapshots}, {"failed_requests", failures.size()},
            {"console_queries", qint64(latencies.size())}, {"console_p95_ms", qint64(percentile(latencies, 0.95) + 0.5)},
            {"seconds", qint64(seconds + 0.5)}};
    }

    // Every pack read back and hashed by an operator's verify run over all tenants: no problem.
    void verifyRunFindsNothingWrong()
    {
        ApiClient ops(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(ops.login(QStringLiteral("ops"), QString::fromUtf8(kPassword)).status, 200);
        const ApiReply r = ops.request("POST", QStringLiteral("/api/v1/operator/verify"), "{\"tenant\":null}",
            {{"Content-Type", "application/json"}});
        QVERIFY2(r.status == 202, qPrintable(r.describe()));
        const qint64 run = r.json().value(QStringLiteral("id")).toInteger();
        QJsonObject done;
        QVERIFY(waitUntil([&] {
            done = ops.get(QStringLiteral("/api/v1/operator/verify/%1").arg(run)).json();
            return done.value(QStringLiteral("state")).toString() == u"finished";
        }, 600000, 500));
        QCOMPARE(done.value(QStringLiteral("packs")).toInteger(), qint64(kAgents) * kPacksPerAgent);
        m_figures.append({"verify_problems", done.value(QStringLiteral("problems")).toInteger()});
        QCOMPARE(done.value(QStringLiteral("problems")).toInteger(), qint64(0));
    }

    // The catalog holds exactly the uploads: one row per pack, one first location per blob,
    // every snapshot, and each pack file on disk with its size.
    void catalogMatchesUploads()
    {
        QVERIFY2(m_server.stop(), m_server.log().right(2000).constData());
        QVERIFY(!m_runs.empty());
        CatalogReader catalog(m_server.dataDir());
        QVERIFY2(catalog.isOpen(), qPrintable(catalog.error()));
        checkCatalog(catalog.db());
        if (!QTest::currentTestFailed()) // the catalog holds every upload, each once: nothing lost
            reliabilityReport("load", m_figures + Figures {{"lost", 0}, {"corrupt", 0}});
    }

private:
    void checkCatalog(QSqlDatabase &db)
    {
        QCOMPARE(sqlCount(db, QStringLiteral("SELECT COUNT(*) FROM packs")), qint64(kAgents) * kPacksPerAgent);
        const QStringList problems = catalogIntegrityProblems(db);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));

        // (tenant, pack id) → row; row → the uploaded pack.
        std::map<std::pair<qint64, QByteArray>, std::pair<qint64, qint64>> packRows; // → (row id, size)
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT tenant_id, pack_id, id, size FROM packs")));
        while (q.next())
            packRows[{q.value(0).toLongLong(), q.value(1).toByteArray()}]
                = {q.value(2).toLongLong(), q.value(3).toLongLong()};
        std::map<qint64, const UploadedPack *> byRow;
        std::map<qint64, std::unique_ptr<Backend>> stores;
        for (const AgentRun &r : m_runs) {
            if (!stores.count(r.tenant)) {
                auto opened = LocalBackend::open(m_server.dataDir() + QStringLiteral("/packs/tenant-%1").arg(r.tenant));
                QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
                stores[r.tenant] = std::move(opened).value();
            }
            for (const UploadedPack &p : r.packs) {
                const auto row = packRows.find({r.tenant, p.id});
                QVERIFY2(row != packRows.end(),
                    qPrintable(QString::fromLatin1(p.id.toHex()) + QStringLiteral(" has no row")));
                QCOMPARE(row->second.second, p.size);
                byRow[row->second.first] = &p;
                auto info = stores[r.tenant]->stat({FileType::Pack, QString::fromLatin1(p.id.toHex())});
                QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
                QCOMPARE(info->size, p.size);
            }
        }

        // Every blob of every pack is indexed once, at a location inside a pack that holds it.
        std::map<std::pair<qint64, QByteArray>, std::tuple<qint64, qint64, qint64>>
            chunks; // → (pack row, offset, length)
        QVERIFY(q.exec(QStringLiteral("SELECT tenant_id, chunk_id, pack, blob_offset, blob_length FROM chunks")));
        while (q.next())
            chunks[{q.value(0).toLongLong(), q.value(1).toByteArray()}]
                = {q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong()};
        std::set<std::pair<qint64, QByteArray>> uploadedChunks;
        for (const AgentRun &r : m_runs) {
            for (const UploadedPack &p : r.packs) {
                for (const PackEntry &e : p.entries) {
                    const auto key = std::make_pair(r.tenant, e.id.toByteArray());
                    uploadedChunks.insert(key);
                    const auto c = chunks.find(key);
                    QVERIFY2(c != chunks.end(), qPrintable(e.id.toHex() + QStringLiteral(" is not indexed")));
                    const auto [packRow, offset, length] = c->second;
                    QVERIFY(byRow.count(packRow));
                    const std::vector<PackEntry> &holder = byRow[packRow]->entries;
                    const auto at
                        = std::find_if(holder.begin(), holder.end(), [&](const PackEntry &h) { return h.id == e.id; });
                    QVERIFY2(at != holder.end(),
                        qPrintable(e.id.toHex() + QStringLiteral(" is indexed in a pack without it")));
                    QCOMPARE(offset, qint64(at->offset));
                    QCOMPARE(length, qint64(at->length));
                }
            }
        }
        QCOMPARE(qint64(chunks.size()), qint64(uploadedChunks.size()));
        // The shared blobs: kPacksPerAgent × kSharedBlobsPerPack per tenant, each indexed once.
        const qint64 unique = qint64(kAgents) * kPacksPerAgent * (kBlobsPerPack - kSharedBlobsPerPack)
            + qint64(kAgents) * (kPacksPerAgent / kPacksPerSnapshot);
        QCOMPARE(qint64(chunks.size()), unique + qint64(kTenants) * kPacksPerAgent * kSharedBlobsPerPack);
        QVERIFY(q.exec(QStringLiteral(
            "SELECT t.id, t.chunk_count, (SELECT COUNT(*) FROM chunks c WHERE c.tenant_id = t.id) FROM tenants t")));
        while (q.next())
            QVERIFY2(q.value(1).toLongLong() == q.value(2).toLongLong(),
                qPrintable(QStringLiteral("tenant %1: chunk_count %2, rows %3")
                               .arg(q.value(0).toLongLong())
                               .arg(q.value(1).toLongLong())
                               .arg(q.value(2).toLongLong())));

        std::set<std::pair<qint64, QByteArray>> snapshots;
        QVERIFY(q.exec(QStringLiteral("SELECT tenant_id, snapshot_id FROM snapshots")));
        while (q.next())
            QVERIFY(snapshots.insert({q.value(0).toLongLong(), q.value(1).toByteArray()}).second);
        qint64 committed = 0;
        for (const AgentRun &r : m_runs) {
            for (const QByteArray &id : r.snapshots) {
                ++committed;
                QVERIFY2(snapshots.count({r.tenant, id}),
                    qPrintable(QStringLiteral("snapshot %1 is missing").arg(QString::fromLatin1(id.toHex()))));
                QVERIFY2(stores[r.tenant]->stat({FileType::Snapshot, QString::fromLatin1(id.toHex())}),
                    "a committed snapshot's record file is missing");
            }
        }
        QCOMPARE(qint64(snapshots.size()), committed);
    }
};

QTEST_GUILESS_MAIN(TestServerLoad)
#include "TestServerLoad.moc"
