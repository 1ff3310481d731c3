// The agent's reading of the server's answers: a well-formed configuration, job and restore
// spec come through field by field; a malformed one is a Corrupt error naming the field — the
// agent never guesses at what a damaged or hostile answer meant.
#include "VerifyResult.h"

#include "service/Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace cairn;

namespace {

QJsonObject fullPolicy()
{
    return QJsonObject {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc"), QStringLiteral("/var/www")}},
        {QStringLiteral("excludes"), QJsonArray {QStringLiteral("*.tmp")}}, {QStringLiteral("one_file_system"), false},
        {QStringLiteral("interval_days"), 7}, {QStringLiteral("weekday"), 6}, {QStringLiteral("hour"), 23},
        {QStringLiteral("retention_days"), 14}, {QStringLiteral("pre_command"), QStringLiteral("pg_dump db > /x")},
        {QStringLiteral("post_command"), QStringLiteral("rm /x")}, {QStringLiteral("command_timeout_seconds"), 600},
        {QStringLiteral("on_pre_command_failure"), QStringLiteral("continue")},
        {QStringLiteral("bandwidth_limit_kib"), 2048}, {QStringLiteral("updated_at"), QStringLiteral("2026-11-27T01:02:03.456Z")}};
}

QJsonObject configWith(const QJsonValue &policy)
{
    return QJsonObject {{QStringLiteral("agent"), QJsonObject {{QStringLiteral("id"), 7}, {QStringLiteral("name"), QStringLiteral("web-01")}}},
        {QStringLiteral("tenant"), QJsonObject {{QStringLiteral("id"), 2}, {QStringLiteral("time_zone"), QStringLiteral("Asia/Seoul")}}},
        {QStringLiteral("policy"), policy},
        {QStringLiteral("schedule"), QJsonObject {{QStringLiteral("offset_seconds"), 1234},
                                        {QStringLiteral("next_run"), QStringLiteral("2026-11-28T14:20:34.000Z")}}},
        {QStringLiteral("repository"), QStringLiteral("{}")}};
}

} // namespace

class TestServiceProtocol : public QObject {
    Q_OBJECT

private slots:
    void readsAFullConfiguration()
    {
        auto c = parseAgentConfig(configWith(fullPolicy()));
        CAIRN_VERIFY_OK(c);
        QCOMPARE(c->agentId, 7);
        QCOMPARE(c->timeZone, QByteArray("Asia/Seoul"));
        QCOMPARE(c->offsetSeconds, 1234);
        QCOMPARE(c->nextRun, QDateTime(QDate(2026, 11, 28), QTime(14, 20, 34), Qt::UTC));
        QVERIFY(c->policy);
        const BackupPolicy &p = *c->policy;
        QCOMPARE(p.paths, (QList<QByteArray> {"/etc", "/var/www"}));
        QCOMPARE(p.excludes, QStringList {QStringLiteral("*.tmp")});
        QVERIFY(!p.oneFileSystem);
        QCOMPARE(p.intervalDays, 7);
        QCOMPARE(p.weekday, 6);
        QCOMPARE(p.hour, 23);
        QCOMPARE(p.preCommand, QByteArray("pg_dump db > /x"));
        QCOMPARE(p.postCommand, QByteArray("rm /x"));
        QCOMPARE(p.commandTimeoutSeconds, 600);
        QVERIFY(p.continueOnPreCommandFailure);
        QCOMPARE(p.bandwidthLimitKib, 2048);
        QCOMPARE(p.updatedAt, QDateTime(QDate(2026, 11, 27), QTime(1, 2, 3, 456), Qt::UTC));
        const ScheduleRule rule = c->scheduleRule();
        QCOMPARE(rule.intervalDays, 7);
        QCOMPARE(rule.weekday, 6);
        QCOMPARE(rule.hour, 23);
        QCOMPARE(rule.offsetSeconds, 1234);
        QCOMPARE(rule.timeZone, QByteArray("Asia/Seoul"));
    }

    void defaultsForAnOlderServer()
    {
        // A policy without the command and bandwidth fields: none, defaults.
        QJsonObject p {{QStringLiteral("paths"), QJsonArray {QStringLiteral("/")}}};
        auto c = parseAgentConfig(configWith(p));
        CAIRN_VERIFY_OK(c);
        QVERIFY(c->policy->preCommand.isEmpty());
        QCOMPARE(c->policy->commandTimeoutSeconds, 3600);
        QVERIFY(!c->policy->continueOnPreCommandFailure);
        QCOMPARE(c->policy->bandwidthLimitKib, 0);
        QVERIFY(c->policy->oneFileSystem);
        auto none = parseAgentConfig(configWith(QJsonValue()));
        CAIRN_VERIFY_OK(none);
        QVERIFY(!none->policy);
    }

    void refusesMalformedConfigurations_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("relative path") << "paths" << QJsonValue(QJsonArray {QStringLiteral("etc")});
        QTest::newRow("no paths") << "paths" << QJsonValue(QJsonArray {});
        QTest::newRow("paths not list") << "paths" << QJsonValue(QStringLiteral("/etc"));
        QTest::newRow("path with nul") << "paths" << QJsonValue(QJsonArray {QStringLiteral("/a") + QChar(0)});
        QTest::newRow("interval 3") << "interval_days" << QJsonValue(3);
        QTest::newRow("hour 24") << "hour" << QJsonValue(24);
        QTest::newRow("hour fraction") << "hour" << QJsonValue(2.5);
        QTest::newRow("hour text") << "hour" << QJsonValue(QStringLiteral("2"));
        QTest::newRow("weekday 0") << "weekday" << QJsonValue(0);
        QTest::newRow("bandwidth negative") << "bandwidth_limit_kib" << QJsonValue(-1);
        QTest::newRow("timeout 0") << "command_timeout_seconds" << QJsonValue(0);
        QTest::newRow("command too long") << "pre_command" << QJsonValue(QString(5000, QLatin1Char('x')));
        QTest::newRow("command not text") << "post_command" << QJsonValue(12);
        QTest::newRow("failure mode") << "on_pre_command_failure" << QJsonValue(QStringLiteral("ignore"));
        QTest::newRow("excludes") << "excludes" << QJsonValue(QJsonArray {1});
        QTest::newRow("one fs") << "one_file_system" << QJsonValue(QStringLiteral("yes"));
        QTest::newRow("updated") << "updated_at" << QJsonValue(QStringLiteral("yesterday"));
    }
    void refusesMalformedConfigurations()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QJsonObject p = fullPolicy();
        p.insert(field, value);
        auto c = parseAgentConfig(configWith(p));
        CAIRN_VERIFY_ERROR(c, ErrorCode::Corrupt);
        QVERIFY2(c.error().message.contains(field), qPrintable(c.error().message));
    }

    void refusesMalformedScheduleAndAgent()
    {
        QJsonObject c = configWith(QJsonValue());
        c.insert(QStringLiteral("schedule"), QJsonObject {{QStringLiteral("offset_seconds"), 3600}});
        CAIRN_VERIFY_ERROR(parseAgentConfig(c), ErrorCode::Corrupt);
        c.insert(QStringLiteral("schedule"), QJsonObject {{QStringLiteral("next_run"), 5}});
        CAIRN_VERIFY_ERROR(parseAgentConfig(c), ErrorCode::Corrupt);
        c = configWith(QJsonValue());
        c.insert(QStringLiteral("agent"), QJsonObject {});
        CAIRN_VERIFY_ERROR(parseAgentConfig(c), ErrorCode::Corrupt);
        c = configWith(QJsonValue());
        c.insert(QStringLiteral("policy"), QStringLiteral("daily"));
        CAIRN_VERIFY_ERROR(parseAgentConfig(c), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(parseAgentConfig(QJsonObject {}), ErrorCode::Corrupt);
    }

    void readsJobs()
    {
        const QJsonObject j {{QStringLiteral("id"), 41}, {QStringLiteral("kind"), QStringLiteral("restore")},
            {QStringLiteral("state"), QStringLiteral("pending")},
            {QStringLiteral("scheduled_at"), QStringLiteral("2026-11-27T02:00:00.000Z")},
            {QStringLiteral("requested_by"), QStringLiteral("operator:3")}, {QStringLiteral("cancel_requested"), true},
            {QStringLiteral("spec"), QJsonObject {{QStringLiteral("snapshot"), QString(64, QLatin1Char('a'))}}}};
        auto job = parseJob(j);
        CAIRN_VERIFY_OK(job);
        QCOMPARE(job->id, 41);
        QCOMPARE(job->kind, QStringLiteral("restore"));
        QVERIFY(job->cancelRequested);
        QCOMPARE(job->requestedBy, QStringLiteral("operator:3"));
        QVERIFY(job->spec.contains(QStringLiteral("snapshot")));
        for (const auto &[key, value] : std::initializer_list<std::pair<QString, QJsonValue>> {
                 {QStringLiteral("id"), QJsonValue(0)}, {QStringLiteral("id"), QJsonValue(QStringLiteral("41"))},
                 {QStringLiteral("kind"), QJsonValue(QStringLiteral("format-disk"))},
                 {QStringLiteral("cancel_requested"), QJsonValue(1)},
                 {QStringLiteral("scheduled_at"), QJsonValue(QStringLiteral("soon"))}}) {
            QJsonObject bad = j;
            bad.insert(key, value);
            CAIRN_VERIFY_ERROR(parseJob(bad), ErrorCode::Corrupt);
        }
    }

    void readsRestoreSpecs()
    {
        const QString snap(64, QLatin1Char('b'));
        auto s = parseRestoreSpec(QJsonObject {{QStringLiteral("snapshot"), snap}});
        CAIRN_VERIFY_OK(s);
        QCOMPARE(s->target, QByteArray("/")); // original location
        QCOMPARE(int(s->existing), int(ExistingPolicy::Skip));
        QVERIFY(s->paths.isEmpty());
        const QByteArray latin1Name("/srv/caf\xe9");
        s = parseRestoreSpec(QJsonObject {{QStringLiteral("snapshot"), snap}, {QStringLiteral("target"), QStringLiteral("/restore")},
            {QStringLiteral("existing"), QStringLiteral("keep-both")}, {QStringLiteral("paths"), QJsonArray {QStringLiteral("/etc")}},
            {QStringLiteral("paths_b64"), QJsonArray {QString::fromLatin1(latin1Name.toBase64())}}});
        CAIRN_VERIFY_OK(s);
        QCOMPARE(s->target, QByteArray("/restore"));
        QCOMPARE(int(s->existing), int(ExistingPolicy::KeepBoth));
        QCOMPARE(s->paths, (QList<QByteArray> {"/etc", latin1Name}));
        const QList<QJsonObject> bad {
            QJsonObject {},
            QJsonObject {{QStringLiteral("snapshot"), QStringLiteral("latest")}},
            QJsonObject {{QStringLiteral("snapshot"), QString(64, QLatin1Char('z'))}},
            QJsonObject {{QStringLiteral("snapshot"), snap}, {QStringLiteral("target"), QStringLiteral("relative/dir")}},
            QJsonObject {{QStringLiteral("snapshot"), snap}, {QStringLiteral("existing"), QStringLiteral("merge")}},
            QJsonObject {{QStringLiteral("snapshot"), snap}, {QStringLiteral("paths"), QJsonArray {QStringLiteral("etc")}}},
            QJsonObject {{QStringLiteral("snapshot"), snap}, {QStringLiteral("paths_b64"), QJsonArray {QStringLiteral("!!!")}}},
        };
        for (const QJsonObject &b : bad) {
            auto r = parseRestoreSpec(b);
            QVERIFY2(!r.ok(), QJsonDocument(b).toJson().constData());
            QCOMPARE(int(r.error().code), int(ErrorCode::Corrupt));
        }
    }
};

QTEST_GUILESS_MAIN(TestServiceProtocol)
#include "TestServiceProtocol.moc"
