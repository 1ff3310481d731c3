// The console's views against a real cairn-server whose clock follows testing/clock_file: the
// dashboard's figures against jobs simulated agents ran (last results, running job, stored bytes
// of kept snapshots, the daily series); the job history sorted and paged by cursor (every row
// exactly once, in the documented order, with filters); a name search deep in a real snapshot's
// encrypted trees; the operators' holiday calendar (changes, audit, roles, and the due time of the
// next ticket); the health view (an agent gone silent, a failed run); and bad input answered 400
// with the offending field. Main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include "repository/Snapshot.h"
#include "repository/Tree.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QThread>
#include <QUrlQuery>
#include <QtTest>

#include <algorithm>

using namespace cairn;
using namespace cairn::test;

namespace {

QString field(const ApiReply &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("field")).toString();
}

// A directory node whose tree is `id`.
Node dirNode(const QByteArray &name, const ChunkId &id)
{
    Node n;
    n.name = name;
    n.type = NodeType::Dir;
    n.mode = 0755;
    n.subtree = id;
    return n;
}

} // namespace

class TestConsoleEndpoints : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    QString m_clockPath;
    qint64 m_tenant = 0;
    std::unique_ptr<ApiClient> m_admin, m_member, m_ops;
    std::unique_ptr<SimulatedAgent> m_web, m_db;
    quint64 m_seed = 0;
    SnapshotId m_snapshot; // of web01, with stats
    qint64 m_failedJob = 0, m_runningJob = 0;

    void setClock(const QString &kst)
    {
        QThread::msleep(1100); // a new modification time
        QFile f(m_clockPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write((kst + QStringLiteral("+09:00")).toLatin1());
    }

    // Seals and commits a snapshot of `tree` whose statistics say it stored `bytesStored`.
    SnapshotId commit(SimulatedAgent &agent, const ChunkId &tree, qint64 job, qint64 bytesStored)
    {
        Snapshot s;
        s.time = QDateTime::currentDateTimeUtc();
        s.endTime = s.time.addSecs(1);
        s.hostname = QStringLiteral("simulated");
        s.username = QStringLiteral("root");
        s.paths = {"/"};
        s.tree = tree;
        s.stats.files = 3;
        s.stats.bytesStored = bytesStored;
        s.programVersion = QStringLiteral("test");
        const QByteArray sealed = sealSnapshot(*agent.codec(), s);
        SnapshotId id;
        id.bytes = crypto::sha256(sealed);
        const ApiReply r
            = agent.client().put(QStringLiteral("/api/v1/agent/snapshots/%1?job=%2").arg(id.toHex()).arg(job), sealed);
        if (r.status != 201 && r.status != 200)
            qWarning("commit: %s", qPrintable(r.describe()));
        return id;
    }

    // "Back up now" on `agent`, run by the agent to `state` with these statistics; with
    // `withSnapshot` a snapshot (stats.bytes_stored = bytesStored) is committed for it. The job id.
    qint64 runBackup(SimulatedAgent &agent, const QString &state, qint64 bytesStored, bool withSnapshot,
        SnapshotId *snapshot = nullptr)
    {
        ApiReply r = m_member->post(QStringLiteral("/api/v1/servers/%1/backup").arg(agent.agentId()), QJsonObject());
        if (r.status != 201)
            qWarning("backup now: %s", qPrintable(r.describe()));
        const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(job),
            QJsonObject {{QStringLiteral("progress"),
                QJsonObject {{QStringLiteral("files"), 1}, {QStringLiteral("bytes"), 123}}}});
        if (state == QLatin1String("running"))
            return job;
        QJsonObject result {{QStringLiteral("state"), state},
            {QStringLiteral("stats"),
                QJsonObject {{QStringLiteral("files"), 7}, {QStringLiteral("bytes_scanned"), 5000},
                    {QStringLiteral("bytes_stored"), bytesStored}}}};
        if (withSnapshot) {
            const auto pack = agent.buildPack(++m_seed, 1, 2000, true);
            agent.uploadPack(pack);
            const SnapshotId id = commit(agent, *pack.tree, job, bytesStored);
            result.insert(QStringLiteral("snapshot"), id.toHex());
            if (snapshot)
                *snapshot = id;
        }
        if (state == QLatin1String("failed"))
            result.insert(QStringLiteral("error"), QStringLiteral("pre-command failed with exit code 3"));
        r = agent.client().post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(job), result);
        if (r.status != 200)
            qWarning("result: %s", qPrintable(r.describe()));
        return job;
    }

    QJsonObject serverIn(const QJsonObject &dashboard, qint64 id)
    {
        for (const QJsonValue &v : dashboard.value(QStringLiteral("servers")).toArray()) {
            if (v.toObject().value(QStringLiteral("id")).toInteger() == id)
                return v.toObject();
        }
        return {};
    }

    // Every page of GET /jobs?<query>&limit=4, following next; ids in order (-1 on an error).
    QList<qint64> allPages(const QString &query, qint64 *total)
    {
        QList<qint64> ids;
        QString next;
        for (int page = 0; page < 200; ++page) {
            QString url = QStringLiteral("/api/v1/jobs?limit=4&") + query;
            if (!next.isEmpty())
                url += (next.front().isDigit() ? QStringLiteral("&before=") : QStringLiteral("&after=")) + next;
            const ApiReply r = m_member->get(url);
            if (r.status != 200) {
                qWarning("%s: %s", qPrintable(url), qPrintable(r.describe()));
                return {-1};
            }
            const QJsonObject o = r.json();
            if (page == 0)
                *total = o.value(QStringLiteral("total")).toInteger(-1);
            else if (o.contains(QStringLiteral("total")))
                return {-2}; // only the first page counts
            for (const QJsonValue &v : o.value(QStringLiteral("items")).toArray())
                ids.append(v.toObject().value(QStringLiteral("id")).toInteger());
            const QJsonValue n = o.value(QStringLiteral("next"));
            if (n.isNull())
                return ids;
            next = n.isDouble() ? QString::number(n.toInteger()) : n.toString();
        }
        return {-3};
    }

private slots:
    void initTestCase()
    {
        m_seed = testSeed();
        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(
            m_server.addUser(QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("admin")));
        QVERIFY(m_server.addUser(
            QStringLiteral("lee"), "lee's password", QStringLiteral("acme"), QStringLiteral("member")));
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        m_clockPath = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("clock"));
        {
            QFile f(m_clockPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("2026-11-10T10:00:00+09:00"); // a Tuesday
        }
        const QString config = m_server.writeConfig(QByteArray("[testing]\nclock_file=") + m_clockPath.toUtf8()
            + "\n[session]\nlifetime_hours=100000\n[operations]\ntick_seconds=1\n");
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        m_admin = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_member = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_ops = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_admin->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QCOMPARE(m_member->login(QStringLiteral("lee"), QStringLiteral("lee's password")).status, 200);
        QCOMPARE(m_ops->login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
        m_web = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        m_db = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_web->enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("web01")).status, 201);
        QCOMPARE(m_db->enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("db01")).status, 201);
        const ApiReply r = m_admin->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_web->agentId()),
            QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc")}},
                {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), 2},
                {QStringLiteral("retention_days"), 30}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        for (SimulatedAgent *a : {m_web.get(), m_db.get()}) // seen now
            QCOMPARE(a->client().get(QStringLiteral("/api/v1/agent/config")).status, 200);
    }

    // web01: a succeeded backup with a snapshot (1000 bytes stored), then a failed one (300, no
    // snapshot); db01: a succeeded backup (2000) and one running now.
    void dashboardFigures()
    {
        runBackup(*m_web, QStringLiteral("succeeded"), 1000, true, &m_snapshot);
        m_failedJob = runBackup(*m_web, QStringLiteral("failed"), 300, false);
        const qint64 dbJob = runBackup(*m_db, QStringLiteral("succeeded"), 2000, true);
        m_runningJob = runBackup(*m_db, QStringLiteral("running"), 0, false);

        ApiReply r = m_member->get(QStringLiteral("/api/v1/dashboard?days=3"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonObject d = r.json();
        QCOMPARE(d.value(QStringLiteral("tenant")).toInteger(), m_tenant);
        QCOMPARE(d.value(QStringLiteral("servers")).toArray().size(), 2);
        const QJsonObject web = serverIn(d, m_web->agentId()), db = serverIn(d, m_db->agentId());
        QCOMPARE(web.value(QStringLiteral("name")).toString(), QStringLiteral("web01"));
        QCOMPARE(web.value(QStringLiteral("online")).toBool(), true);
        QCOMPARE(
            web.value(QStringLiteral("stored_bytes")).toInteger(), qint64(1000)); // the failed run kept no snapshot
        QCOMPARE(db.value(QStringLiteral("stored_bytes")).toInteger(), qint64(2000));
        QVERIFY(web.value(QStringLiteral("next_run")).isString());
        QVERIFY(db.value(QStringLiteral("next_run")).isNull()); // no policy
        const QJsonObject webLast = web.value(QStringLiteral("last_job")).toObject();
        QCOMPARE(webLast.value(QStringLiteral("id")).toInteger(), m_failedJob);
        QCOMPARE(webLast.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
        QCOMPARE(
            webLast.value(QStringLiteral("error")).toString(), QStringLiteral("pre-command failed with exit code 3"));
        QCOMPARE(webLast.value(QStringLiteral("bytes_stored")).toInteger(), qint64(300));
        QVERIFY(web.value(QStringLiteral("running_job")).isNull());
        const QJsonObject dbLast = db.value(QStringLiteral("last_job")).toObject();
        QCOMPARE(dbLast.value(QStringLiteral("id")).toInteger(), dbJob); // not the running one
        QCOMPARE(dbLast.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(dbLast.value(QStringLiteral("files")).toInteger(), qint64(7));
        QCOMPARE(dbLast.value(QStringLiteral("bytes")).toInteger(), qint64(5000));
        const QJsonObject running = db.value(QStringLiteral("running_job")).toObject();
        QCOMPARE(running.value(QStringLiteral("id")).toInteger(), m_runningJob);
        QCOMPARE(running.value(QStringLiteral("progress")).toObject().value(QStringLiteral("bytes")).toInteger(),
            qint64(123));

        // The series: three local days ending today; everything finished today.
        const QJsonArray series = d.value(QStringLiteral("series")).toArray();
        QCOMPARE(series.size(), 3);
        QCOMPARE(series[0].toObject().value(QStringLiteral("day")).toString(), QStringLiteral("2026-11-08"));
        QCOMPARE(series[2].toObject().value(QStringLiteral("day")).toString(), QStringLiteral("2026-11-10"));
        QVERIFY(series[0].toObject().value(QStringLiteral("stored_bytes")).isNull()); // no sample that day
        QCOMPARE(series[0].toObject().value(QStringLiteral("new_bytes")).toInteger(), qint64(0));
        QCOMPARE(series[2].toObject().value(QStringLiteral("new_bytes")).toInteger(), qint64(1000 + 300 + 2000));
        r = m_member->get(QStringLiteral("/api/v1/usage"));
        const qint64 stored = r.json().value(QStringLiteral("stored_bytes")).toInteger();
        QVERIFY(stored > 0);
        QCOMPARE(series[2].toObject().value(QStringLiteral("stored_bytes")).toInteger(), stored);
        QCOMPARE(d.value(QStringLiteral("stored_bytes")).toInteger(), stored);

        // Days out of range; operators name the tenant; another tenant's user is refused.
        for (const char *bad : {"days=0", "days=367", "days=x"}) {
            r = m_member->get(QStringLiteral("/api/v1/dashboard?") + QLatin1String(bad));
            QCOMPARE(r.status, 400);
            QCOMPARE(field(r), QStringLiteral("days"));
        }
        QCOMPARE(m_ops->get(QStringLiteral("/api/v1/dashboard")).status, 400);
        r = m_ops->get(QStringLiteral("/api/v1/dashboard?tenant=%1").arg(m_tenant));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("series")).toArray().size(), 30);
    }

    // Sorted pages return every matching row once, in the documented order, whatever the sort,
    // direction and filters; `total` comes with the first page only.
    void jobsSortedAndPaged()
    {
        // More history: pending (no start), running (no finish), finished in an order unlike
        // their ids, and restores.
        QList<QPair<qint64, SimulatedAgent *>> toFinish;
        ApiReply r;
        for (int i = 0; i < 8; ++i) {
            SimulatedAgent &a = i % 2 ? *m_db : *m_web;
            r = m_member->post(QStringLiteral("/api/v1/servers/%1/backup").arg(a.agentId()), QJsonObject());
            QCOMPARE(r.status, 201);
            const qint64 job = r.json().value(QStringLiteral("id")).toInteger();
            if (i < 2)
                continue; // stays pending
            r = a.client().post(QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(job),
                QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), i}}}});
            QCOMPARE(r.status, 200);
            if (i >= 4)
                toFinish.prepend({job, &a}); // finished newest first
        }
        for (const auto &[job, agent] : toFinish) {
            r = agent->client().post(QStringLiteral("/api/v1/agent/jobs/%1/result").arg(job),
                QJsonObject {
                    {QStringLiteral("state"), job % 3 ? QStringLiteral("warning") : QStringLiteral("succeeded")}});
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
        }
        for (int i = 0; i < 2; ++i) {
            const ApiReply r
                = m_ops->post(QStringLiteral("/api/v1/servers/%1/restore?tenant=%2").arg(m_db->agentId()).arg(m_tenant),
                    QJsonObject {{QStringLiteral("snapshot"), m_snapshot.toHex()}});
            QVERIFY2(r.status == 201, qPrintable(r.describe()));
        }

        r = m_member->get(QStringLiteral("/api/v1/jobs?limit=500"));
        QCOMPARE(r.status, 200);
        const QJsonArray everything = r.json().value(QStringLiteral("items")).toArray();
        QVERIFY2(everything.size() >= 14, qPrintable(QString::number(everything.size())));
        QCOMPARE(r.json().value(QStringLiteral("total")).toInteger(), qint64(everything.size()));

        const QStringList sorts {QStringLiteral("id"), QStringLiteral("scheduled_at"), QStringLiteral("started_at"),
            QStringLiteral("finished_at"), QStringLiteral("state"), QStringLiteral("kind")};
        const QStringList filters {QString(), QStringLiteral("server=%1").arg(m_web->agentId()),
            QStringLiteral("kind=backup"), QStringLiteral("status=warning"),
            QStringLiteral("server=%1&kind=restore").arg(m_db->agentId())};
        int checked = 0;
        for (const QString &sort : sorts) {
            for (const QString &order : {QStringLiteral("asc"), QStringLiteral("desc")}) {
                for (const QString &filter : filters) {
                    const QUrlQuery fq(filter);
                    QList<QJsonObject> expected;
                    for (const QJsonValue &v : everything) {
                        const QJsonObject j = v.toObject();
                        if (fq.hasQueryItem(QStringLiteral("server"))
                            && j.value(QStringLiteral("server")).toInteger()
                                != fq.queryItemValue(QStringLiteral("server")).toLongLong())
                            continue;
                        if (fq.hasQueryItem(QStringLiteral("kind"))
                            && j.value(QStringLiteral("kind")).toString() != fq.queryItemValue(QStringLiteral("kind")))
                            continue;
                        if (fq.hasQueryItem(QStringLiteral("status"))
                            && j.value(QStringLiteral("state")).toString()
                                != fq.queryItemValue(QStringLiteral("status")))
                            continue;
                        expected.append(j);
                    }
                    const bool desc = order == QLatin1String("desc");
                    // Rows without a value last; ties and those rows by id in the same direction.
                    std::sort(expected.begin(), expected.end(), [&](const QJsonObject &a, const QJsonObject &b) {
                        const qint64 ia = a.value(QStringLiteral("id")).toInteger(),
                                     ib = b.value(QStringLiteral("id")).toInteger();
                        if (sort != QLatin1String("id")) {
                            const QString va = a.value(sort).toString(), vb = b.value(sort).toString();
                            if (va.isEmpty() != vb.isEmpty())
                                return vb.isEmpty();
                            if (va != vb)
                                return desc ? va > vb : va < vb;
                        }
                        return desc ? ia > ib : ia < ib;
                    });
                    QList<qint64> want;
                    for (const QJsonObject &j : expected)
                        want.append(j.value(QStringLiteral("id")).toInteger());
                    qint64 total = -1;
                    const QString query
                        = QStringLiteral("sort=%1&order=%2%3")
                              .arg(sort, order, filter.isEmpty() ? QString() : QLatin1Char('&') + filter);
                    const QList<qint64> got = allPages(query, &total);
                    QVERIFY2(got == want,
                        qPrintable(QStringLiteral("%1: got %2, want %3")
                                       .arg(query,
                                           QString::fromLatin1(QJsonDocument(
                                               QJsonArray::fromVariantList(QVariantList(got.begin(), got.end())))
                                                                   .toJson(QJsonDocument::Compact)),
                                           QString::fromLatin1(QJsonDocument(
                                               QJsonArray::fromVariantList(QVariantList(want.begin(), want.end())))
                                                                   .toJson(QJsonDocument::Compact)))));
                    QCOMPARE(total, qint64(want.size()));
                    ++checked;
                }
            }
        }
        QCOMPARE(checked, 60);
    }

    void jobsBadInput()
    {
        ApiReply r = m_member->get(QStringLiteral("/api/v1/jobs?sort=finished_at&limit=2"));
        QCOMPARE(r.status, 200);
        const QString cursor = r.json().value(QStringLiteral("next")).toString();
        QVERIFY(!cursor.isEmpty());
        const QList<QPair<QString, QString>> bad {{QStringLiteral("sort=size"), QStringLiteral("sort")},
            {QStringLiteral("order=up"), QStringLiteral("order")},
            {QStringLiteral("kind=snapshot"), QStringLiteral("kind")},
            {QStringLiteral("limit=501"), QStringLiteral("limit")},
            {QStringLiteral("limit=0"), QStringLiteral("limit")},
            {QStringLiteral("after=not-a-cursor"), QStringLiteral("after")},
            {QStringLiteral("sort=started_at&after=") + cursor, QStringLiteral("after")}, // another sort's cursor
            {QStringLiteral("sort=finished_at&order=asc&after=") + cursor, QStringLiteral("after")},
            {QStringLiteral("sort=finished_at&before=10"), QStringLiteral("before")},
            {QStringLiteral("from=yesterday"), QStringLiteral("from")},
            {QStringLiteral("status=done"), QStringLiteral("status")}};
        for (const auto &[query, name] : bad) {
            r = m_member->get(QStringLiteral("/api/v1/jobs?") + query);
            QVERIFY2(r.status == 400 && field(r) == name, qPrintable(query + QStringLiteral(" -> ") + r.describe()));
        }
        r = m_member->get(QStringLiteral("/api/v1/jobs?sort=finished_at&after=") + cursor);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json().contains(QStringLiteral("total")));
    }

    // A name deep in a snapshot's trees (encrypted, read by the server with the tenant key).
    void searchFindsDeepNames()
    {
        SimulatedAgent &a = *m_web;
        PackWriter writer(*a.codec());
        quint64 seed = m_seed * 7919;
        const auto fileNode = [&](const QByteArray &name, int size) { // with its content in the pack
            Node n;
            n.name = name;
            n.type = NodeType::File;
            n.mode = 0644;
            n.mtimeNs = qint64(1760000000) * 1000000000;
            const QByteArray data = testPattern(size, ++seed);
            const ChunkId id = a.codec()->chunkId(data.constData(), size_t(data.size()));
            writer.add(BlobType::Data, id, data.constData(), size_t(data.size()));
            n.content.push_back({id, uint32_t(size)});
            n.size = quint64(size);
            return n;
        };
        const auto addTree = [&](const Tree &t) {
            const QByteArray cbor = encodeTree(t);
            const ChunkId id = a.codec()->chunkId(cbor.constData(), size_t(cbor.size()));
            writer.add(BlobType::Tree, id, cbor.constData(), size_t(cbor.size()));
            return id;
        };
        Tree ssh, etc, docs, kim, home, root;
        ssh.nodes = {fileNode("moduli", 577), fileNode("ssh_config", 1650), fileNode("sshd_config", 3289)};
        etc.nodes = {fileNode("hosts", 221), dirNode("ssh", addTree(ssh))};
        for (int i = 0; i < 40; ++i)
            docs.nodes.push_back(fileNode(QByteArray("note-") + QByteArray::number(100 + i) + ".txt", 10));
        docs.nodes.push_back(fileNode("Report-2026.PDF", 84211));
        std::sort(docs.nodes.begin(), docs.nodes.end(), [](const Node &x, const Node &y) { return x.name < y.name; });
        kim.nodes = {dirNode("Documents", addTree(docs))};
        home.nodes = {dirNode("kim", addTree(kim))};
        root.nodes = {dirNode("etc", addTree(etc)), dirNode("home", addTree(home))};
        const ChunkId rootId = addTree(root);
        const PackWriter::Finished f = writer.finish();
        SimulatedAgent::BuiltPack pack {f.id, f.bytes, f.entries, rootId};
        QCOMPARE(a.uploadPack(pack).status, 201);
        ApiReply r = m_member->post(QStringLiteral("/api/v1/servers/%1/backup").arg(a.agentId()), QJsonObject());
        const SnapshotId snap = commit(a, rootId, r.json().value(QStringLiteral("id")).toInteger(), 10);
        const QString search = QStringLiteral("/api/v1/snapshots/%1/search").arg(snap.toHex());

        r = m_member->get(search + QStringLiteral("?q=SSHD"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("/etc/ssh/sshd_config"));
        QCOMPARE(items[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(items[0].toObject().value(QStringLiteral("size")).toInteger(), qint64(3289));
        QCOMPARE(r.json().value(QStringLiteral("truncated")).toBool(), false);
        QCOMPARE(r.json().value(QStringLiteral("query")).toString(), QStringLiteral("SSHD"));

        r = m_member->get(search + QStringLiteral("?q=report-2026"));
        items = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].toObject().value(QStringLiteral("path")).toString(),
            QStringLiteral("/home/kim/Documents/Report-2026.PDF"));

        r = m_member->get(search + QStringLiteral("?q=ssh")); // a directory matches too
        QStringList paths;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
            paths << v.toObject().value(QStringLiteral("path")).toString();
        QCOMPARE(paths,
            (QStringList {QStringLiteral("/etc/ssh"), QStringLiteral("/etc/ssh/ssh_config"),
                QStringLiteral("/etc/ssh/sshd_config")}));

        r = m_member->get(search + QStringLiteral("?q=note-&limit=5"));
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().size(), 5);
        QCOMPARE(r.json().value(QStringLiteral("truncated")).toBool(), true);
        r = m_member->get(search + QStringLiteral("?q=nothing-like-this"));
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().size(), 0);

        for (const QString &bad : {QStringLiteral("?q="), QStringLiteral("?limit=5"),
                 QStringLiteral("?q=") + QString(201, QLatin1Char('x'))}) {
            r = m_member->get(search + bad);
            QCOMPARE(r.status, 400);
            QCOMPARE(field(r), QStringLiteral("q"));
        }
        for (const QString &bad : {QStringLiteral("?q=a&limit=1001"), QStringLiteral("?q=a&limit=0")}) {
            r = m_member->get(search + bad);
            QCOMPARE(r.status, 400);
            QCOMPARE(field(r), QStringLiteral("limit"));
        }
        QCOMPARE(
            m_member->get(QStringLiteral("/api/v1/snapshots/%1/search?q=a").arg(QString(64, QLatin1Char('0')))).status,
            404);
    }

    // Operators change the calendar; the next ticket's due time follows at once.
    void calendarChanges()
    {
        ApiReply r = m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=2026"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("business_hours")).toObject().value(QStringLiteral("open")).toString(),
            QStringLiteral("10:00"));
        bool chuseok = false;
        for (const QJsonValue &v : r.json().value(QStringLiteral("days")).toArray()) {
            const QJsonObject d = v.toObject();
            if (d.value(QStringLiteral("date")).toString() == QLatin1String("2026-09-25")) {
                chuseok = d.value(QStringLiteral("source")).toString() == QLatin1String("shipped")
                    && d.value(QStringLiteral("closed")).toBool()
                    && !d.value(QStringLiteral("name_ko")).toString().isEmpty();
            }
        }
        QVERIFY2(chuseok, r.body.left(600).constData());
        for (ApiClient *user : {m_member.get(), m_admin.get()}) {
            QCOMPARE(user->get(QStringLiteral("/api/v1/operator/calendar")).status, 403);
            QCOMPARE(
                user->putJson(QStringLiteral("/api/v1/operator/calendar/2026-11-11"),
                        QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("x")}})
                    .status,
                403);
            QCOMPARE(user->del(QStringLiteral("/api/v1/operator/calendar/2026-11-11")).status, 403);
        }

        // Tuesday 18:00: one business hour today, two on Wednesday.
        setClock(QStringLiteral("2026-11-10T18:00:00"));
        const QJsonObject ticket {
            {QStringLiteral("server"), m_web->agentId()}, {QStringLiteral("snapshot"), m_snapshot.toHex()}};
        r = m_member->post(QStringLiteral("/api/v1/restore-tickets"), ticket);
        QCOMPARE(r.status, 201);
        QVERIFY2(r.json().value(QStringLiteral("due_at")).toString().startsWith(QLatin1String("2026-11-11T12:00")),
            r.body.constData());

        r = m_ops->putJson(QStringLiteral("/api/v1/operator/calendar/2026-11-11"),
            QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("임시공휴일")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("source")).toString(), QStringLiteral("operator"));
        QCOMPARE(r.json().value(QStringLiteral("closed")).toBool(), true);
        r = m_member->post(QStringLiteral("/api/v1/restore-tickets"), ticket); // Wednesday is off now
        QCOMPARE(r.status, 201);
        QVERIFY2(r.json().value(QStringLiteral("due_at")).toString().startsWith(QLatin1String("2026-11-12T12:00")),
            r.body.constData());
        r = m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=2026"));
        QVERIFY(r.body.contains("\"note\":\"임시공휴일\""));

        r = m_ops->get(QStringLiteral("/api/v1/audit?limit=10"));
        QVERIFY2(r.body.contains("\"action\":\"calendar.change\"") && r.body.contains("calendar:2026-11-11"),
            r.body.left(800).constData());

        r = m_ops->del(QStringLiteral("/api/v1/operator/calendar/2026-11-11"));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_ops->del(QStringLiteral("/api/v1/operator/calendar/2026-11-11")).status, 404);
        r = m_member->post(QStringLiteral("/api/v1/restore-tickets"), ticket);
        QVERIFY2(r.json().value(QStringLiteral("due_at")).toString().startsWith(QLatin1String("2026-11-11T12:00")),
            r.body.constData());
        r = m_ops->get(QStringLiteral("/api/v1/audit?limit=10"));
        QVERIFY(r.body.contains("\"action\":\"calendar.remove\""));

        // Bad input, with the field named.
        const QList<std::tuple<QString, QJsonObject, QString>> bad {
            {QStringLiteral("2026-13-01"),
                QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("x")}},
                QStringLiteral("date")},
            {QStringLiteral("20261111"),
                QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("x")}},
                QStringLiteral("date")},
            {QStringLiteral("2026-11-12"), QJsonObject {{QStringLiteral("closed"), true}}, QStringLiteral("note")},
            {QStringLiteral("2026-11-12"), QJsonObject {{QStringLiteral("closed"), QStringLiteral("yes")}},
                QStringLiteral("closed")},
            {QStringLiteral("2026-11-14"), QJsonObject {{QStringLiteral("closed"), false}},
                QStringLiteral("closed")}, // a Saturday
            {QStringLiteral("2026-09-25"),
                QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("x")}},
                QStringLiteral("closed")}, // already off
            {QStringLiteral("1999-01-04"),
                QJsonObject {{QStringLiteral("closed"), true}, {QStringLiteral("note"), QStringLiteral("x")}},
                QStringLiteral("date")},
        };
        for (const auto &[date, body, name] : bad) {
            r = m_ops->putJson(QStringLiteral("/api/v1/operator/calendar/") + date, body);
            QVERIFY2(r.status == 400 && field(r) == name, qPrintable(date + QStringLiteral(" -> ") + r.describe()));
        }
        r = m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=1999"));
        QCOMPARE(r.status, 400);
        QCOMPARE(field(r), QStringLiteral("year"));
    }

    // db01 keeps calling; web01 goes silent for 11 minutes.
    void healthShowsSilentAgentsAndFailedRuns()
    {
        setClock(QStringLiteral("2026-11-10T18:12:00"));
        QCOMPARE(m_db->client().get(QStringLiteral("/api/v1/agent/config")).status, 200);
        QCOMPARE(m_member->get(QStringLiteral("/api/v1/operator/health")).status, 403);
        ApiReply r;
        // The server's pass (every second) marks the three backups left pending at 10:00 missed
        // (two in jobsSortedAndPaged, the one of the searched snapshot).
        waitUntil(
            [&] {
                r = m_ops->get(QStringLiteral("/api/v1/operator/health"));
                return r.json().value(QStringLiteral("failed_runs")).toArray().size() >= 4;
            },
            15000);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QJsonObject h = r.json();
        const QJsonArray offline = h.value(QStringLiteral("offline_agents")).toArray();
        QCOMPARE(offline.size(), 1);
        QCOMPARE(offline[0].toObject().value(QStringLiteral("id")).toInteger(), m_web->agentId());
        QCOMPARE(offline[0].toObject().value(QStringLiteral("tenant_name")).toString(), QStringLiteral("acme"));
        QCOMPARE(offline[0].toObject().value(QStringLiteral("hostname")).toString(), QStringLiteral("web01"));
        // The failed run and the three missed ones, newest first.
        const QJsonArray failed = h.value(QStringLiteral("failed_runs")).toArray();
        QCOMPARE(failed.size(), 4);
        QJsonObject run;
        for (const QJsonValue &v : failed) {
            const QString state = v.toObject().value(QStringLiteral("state")).toString();
            QVERIFY2(state == QLatin1String("failed") || state == QLatin1String("missed"), qPrintable(state));
            if (v.toObject().value(QStringLiteral("id")).toInteger() == m_failedJob)
                run = v.toObject();
        }
        QCOMPARE(run.value(QStringLiteral("server_name")).toString(), QStringLiteral("web01"));
        QCOMPARE(run.value(QStringLiteral("tenant_name")).toString(), QStringLiteral("acme"));
        QCOMPARE(failed.last().toObject().value(QStringLiteral("id")).toInteger(), m_failedJob); // the oldest
        QVERIFY(h.value(QStringLiteral("running_jobs")).toInteger() >= 1);
        QCOMPARE(h.value(QStringLiteral("open_tickets")).toInteger(), qint64(3));
        QCOMPARE(h.value(QStringLiteral("mail_failed")).toInteger(), qint64(0));
        QVERIFY(h.value(QStringLiteral("store")).toObject().contains(QStringLiteral("used_percent")));
        const ApiReply d = m_member->get(QStringLiteral("/api/v1/dashboard"));
        QCOMPARE(serverIn(d.json(), m_web->agentId()).value(QStringLiteral("online")).toBool(), false);
        QCOMPARE(serverIn(d.json(), m_db->agentId()).value(QStringLiteral("online")).toBool(), true);
    }

    void cleanupTestCase()
    {
        QVERIFY(m_server.stop());
        QVERIFY2(noSanitizerReport(m_server.log()), m_server.log().right(4000).constData());
    }
};

QTEST_GUILESS_MAIN(TestConsoleEndpoints)
#include "TestConsoleEndpoints.moc"
