// Verify runs end to end in a real cairn-server: two tenants upload packs, then on disk one pack
// gets a byte flipped, one is truncated and one is deleted. An operator's run over every tenant
// (POST /operator/verify {"tenant":null}) reports exactly those three (hash, size, missing) and
// none of the healthy packs, in the run and in the audit log (verify.problem per damaged pack,
// verify.finished); a run for the other tenant alone finds nothing. Only operators may ask.
// The test's main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QThread>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

class TestVerifyRuns : public QObject {
    Q_OBJECT

    ServerProcess m_server;

    QString packFile(const PackId &id)
    {
        QDirIterator it(
            m_server.dataDir() + QStringLiteral("/packs"), {id.toHex()}, QDir::Files, QDirIterator::Subdirectories);
        return it.hasNext() ? it.next() : QString();
    }

    QJsonObject waitForRun(ApiClient &ops, qint64 run)
    {
        QElapsedTimer t;
        t.start();
        QJsonObject o;
        while (t.elapsed() < 30000) {
            o = ops.get(QStringLiteral("/api/v1/operator/verify/%1").arg(run)).json();
            if (o.value(QStringLiteral("state")).toString() == u"finished")
                return o;
            QThread::msleep(200);
        }
        qWarning("run: %s", QJsonDocument(o).toJson().constData());
        return {};
    }

private slots:
    void damagedMissingAndTruncatedPacksAreReported()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0);
        const qint64 other = m_server.addTenant(QStringLiteral("other"));
        QVERIFY(other > 0);
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        QVERIFY(
            m_server.addUser(QStringLiteral("kim"), "kim password", QStringLiteral("acme"), QStringLiteral("admin")));
        QVERIFY2(m_server.start(), m_server.log().constData());
        ApiClient ops(m_server.baseUrl(), m_server.caPem()), kim(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(ops.login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
        QCOMPARE(kim.login(QStringLiteral("kim"), QStringLiteral("kim password")).status, 200);

        SimulatedAgent a(m_server.baseUrl(), m_server.caPem()), b(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(a.enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("a1")).status, 201);
        QCOMPARE(b.enroll(m_server.enrollmentCode(QStringLiteral("other")), QStringLiteral("b1")).status, 201);
        QList<SimulatedAgent::BuiltPack> packs;
        qint64 totalBytes = 0;
        for (int i = 0; i < 5; ++i) {
            // Pack 4 spans several 1 MiB reads.
            packs.append(a.buildPack(100 + quint64(i), i == 4 ? 40 : 3, i == 4 ? 100000 : 20000, false));
            QCOMPARE(a.uploadPack(packs.last()).status, 201);
            totalBytes += packs.last().bytes.size();
        }
        const auto otherPack = b.buildPack(200, 3, 20000, false);
        QCOMPARE(b.uploadPack(otherPack).status, 201);
        QVERIFY(packs.at(4).bytes.size() > 3 * (1 << 20));

        // Damage: a flipped byte in pack 1, pack 2 cut short, pack 3 gone.
        {
            QFile f(packFile(packs.at(1).id));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(100));
            char c = 0;
            QVERIFY(f.getChar(&c));
            QVERIFY(f.seek(100));
            QVERIFY(f.putChar(char(c ^ 0x01)));
        }
        QVERIFY(QFile::resize(packFile(packs.at(2).id), packs.at(2).bytes.size() - 10));
        QVERIFY(QFile::remove(packFile(packs.at(3).id)));

        QCOMPARE(kim.post(QStringLiteral("/api/v1/operator/verify"), QJsonObject()).status, 403);
        ApiReply r = ops.request("POST", QStringLiteral("/api/v1/operator/verify"), "{\"tenant\":null}",
            {{"Content-Type", "application/json"}});
        QVERIFY2(r.status == 202, qPrintable(r.describe()));
        const qint64 run = r.json().value(QStringLiteral("id")).toInteger();
        QVERIFY(r.json().value(QStringLiteral("tenant")).isNull());
        const QJsonObject done = waitForRun(ops, run);
        QVERIFY(!done.isEmpty());
        QCOMPARE(done.value(QStringLiteral("problems")).toInteger(), qint64(3));
        QCOMPARE(done.value(QStringLiteral("packs")).toInteger(), qint64(6));
        // Read: the two healthy packs of acme, the flipped one, and the other tenant's pack.
        const qint64 read = totalBytes - packs.at(2).bytes.size() - packs.at(3).bytes.size() + otherPack.bytes.size();
        QCOMPARE(done.value(QStringLiteral("bytes")).toInteger(), read);
        QMap<QString, QString> found; // pack → problem
        for (const QJsonValue &v : done.value(QStringLiteral("findings")).toArray())
            found.insert(v.toObject().value(QStringLiteral("pack")).toString(),
                v.toObject().value(QStringLiteral("problem")).toString());
        const QMap<QString, QString> expected {{packs.at(1).id.toHex(), QStringLiteral("hash")},
            {packs.at(2).id.toHex(), QStringLiteral("size")}, {packs.at(3).id.toHex(), QStringLiteral("missing")}};
        QCOMPARE(found, expected);

        // The audit log: one verify.problem per damaged pack, then verify.finished.
        r = ops.get(QStringLiteral("/api/v1/audit"));
        QMap<QString, QString> audited;
        int finished = 0;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("action")).toString() == u"verify.problem")
                audited.insert(o.value(QStringLiteral("object")).toString().mid(5),
                    o.value(QStringLiteral("detail")).toObject().value(QStringLiteral("problem")).toString());
            if (o.value(QStringLiteral("action")).toString() == u"verify.finished"
                && o.value(QStringLiteral("object")).toString() == QStringLiteral("verify:%1").arg(run))
                ++finished;
        }
        QCOMPARE(audited, expected);
        QCOMPARE(finished, 1);
        // The tenant's admin sees its own packs' findings in its audit log.
        r = kim.get(QStringLiteral("/api/v1/audit"));
        QVERIFY2(r.body.contains("verify.problem"), r.body.constData());

        // The other tenant alone: healthy.
        r = ops.post(QStringLiteral("/api/v1/operator/verify"), QJsonObject {{QStringLiteral("tenant"), other}});
        QVERIFY2(r.status == 202, qPrintable(r.describe()));
        const QJsonObject second = waitForRun(ops, r.json().value(QStringLiteral("id")).toInteger());
        QCOMPARE(second.value(QStringLiteral("problems")).toInteger(), qint64(0));
        QCOMPARE(second.value(QStringLiteral("packs")).toInteger(), qint64(1));
        QCOMPARE(second.value(QStringLiteral("bytes")).toInteger(), qint64(otherPack.bytes.size()));
        QCOMPARE(
            ops.post(QStringLiteral("/api/v1/operator/verify"), QJsonObject {{QStringLiteral("tenant"), 9999}}).status,
            404);

        // Runs, newest first.
        r = ops.get(QStringLiteral("/api/v1/operator/verify"));
        const QJsonArray runs = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(1).toObject().value(QStringLiteral("id")).toInteger(), run);
        QCOMPARE(ops.get(QStringLiteral("/api/v1/operator/verify/9999")).status, 404);
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    }
};

QTEST_GUILESS_MAIN(TestVerifyRuns)
#include "TestVerifyRuns.moc"
