// Regression test of a bug fuzz_json found: the server measured a restore target's length in
// characters (4096) while its agents measure it in bytes of UTF-8 (4096), so the server accepted
// restores (POST /servers/{id}/restore, restore tickets) that the agent then refused as an
// unusable job. Checks that the server's readRestoreSpec accepts exactly the targets the agent's
// parseRestoreSpec accepts at the limit. Single-threaded.
#include "api/JsonInput.h"
#include "api/RestoreDispatch.h"
#include "service/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using cairn::server::JsonInput;

class TestRestoreSpecAgreement : public QObject {
    Q_OBJECT

private slots:
    void targetLimitIsTheAgentsLimit_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("accepted");
        const QChar e(0xe9); // two bytes of UTF-8
        QTest::addRow("4096 ascii bytes") << QLatin1Char('/') + QString(4095, QLatin1Char('a')) << true;
        QTest::addRow("4097 ascii bytes") << QLatin1Char('/') + QString(4096, QLatin1Char('a')) << false;
        QTest::addRow("4095 bytes, 2048 characters") << QLatin1Char('/') + QString(2047, e) << true;
        QTest::addRow("4097 bytes, 2049 characters") << QLatin1Char('/') + QString(2048, e) << false;
        QTest::addRow("4201 bytes, 2101 characters") << QLatin1Char('/') + QString(2100, e) << false;
    }

    void targetLimitIsTheAgentsLimit()
    {
        QFETCH(QString, target);
        QFETCH(bool, accepted);
        const QJsonObject body {
            {QStringLiteral("snapshot"), QString(64, QLatin1Char('c'))}, {QStringLiteral("target"), target}};
        JsonInput in(QJsonDocument(body).toJson());
        const cairn::server::RestoreSpec spec = cairn::server::readRestoreSpec(in);
        const auto refusal = in.finish();
        QCOMPARE(!refusal, accepted);
        if (refusal) {
            QCOMPARE(refusal->status, 400);
            QVERIFY(refusal->body.contains("\"target\""));
        }
        // The agent, sent the same target in a job spec, agrees.
        const auto agent = cairn::parseRestoreSpec(accepted ? spec.toJobSpec() : body);
        QCOMPARE(bool(agent), accepted);
        if (agent)
            QCOMPARE(agent->target, target.toUtf8());
    }
};

QTEST_GUILESS_MAIN(TestRestoreSpecAgreement)
#include "TestRestoreSpecAgreement.moc"
