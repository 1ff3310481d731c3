// Monthly statements through the CLI and the console API on a real catalog (SPEC §5, issue 5
// acceptance 5). Three tenants are billed for March 2026 (31 days, Asia/Seoul) with servers and
// daily storage samples written into the data folder's catalog; the totals must equal the figures
// computed by hand below. The statement is kept once and stays unchanged after a price change; the
// CSV row of the CLI and of the API match. The CLI and the server share one clock file
// (testing/clock_file, 2026-05-15 12:00 KST), so "the current month" is May 2026.
// The test's main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"

#include "catalog/SqlCatalog.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;
using cairn::server::Agent;
using cairn::server::EnrollmentCode;
using cairn::server::SqlCatalog;
using cairn::server::UsageSample;

namespace {

constexpr qint64 GB = 1'000'000'000;

QDateTime kst(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toUTC();
}

// Prices used for March: KRW 50,000 a month with 2 servers and 100 GB, 10,000 per extra
// server-month, 100 per extra GB-month.
const QByteArray kMarchPrices = R"({"currency":"KRW","baseFeePerMonth":"50000","extraServerPerMonth":"10000",
"extraGbPerMonth":"100","includedServers":2,"includedBytes":100000000000})";
// Changed afterwards: the base fee becomes 60,000.
const QByteArray kLaterPrices = R"({"currency":"KRW","baseFeePerMonth":"60000","extraServerPerMonth":"10000",
"extraGbPerMonth":"100"})";

} // namespace

class TestBillingStatements : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    QString m_config;
    qint64 m_one = 0, m_two = 0, m_five = 0;

    ProcessResult billing(QStringList args)
    {
        args.prepend(QStringLiteral("billing"));
        args << QStringLiteral("--config") << m_config;
        return m_server.admin(args);
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = QFileInfo(m_server.dataDir()).dir().filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return QString();
        f.write(bytes);
        return path;
    }

    // Enrolls a server of `tenant` at `when` straight into the catalog.
    static bool enroll(SqlCatalog &catalog, qint64 tenant, const QString &host, const QDateTime &when)
    {
        EnrollmentCode code;
        code.codeHash = QCryptographicHash::hash(host.toUtf8(), QCryptographicHash::Sha256);
        code.tenantId = tenant;
        code.createdAt = when;
        code.expiresAt = when.addDays(1);
        if (!catalog.addEnrollmentCode(code).ok())
            return false;
        Agent a;
        a.tenantId = tenant;
        a.name = a.hostname = host;
        a.os = QStringLiteral("Debian");
        a.version = QStringLiteral("test");
        a.tokenHash = QCryptographicHash::hash(host.toUtf8() + "-token", QCryptographicHash::Sha256);
        a.enrolledAt = when;
        return catalog.enrollAgent(code.codeHash, a, when).ok();
    }

    static bool sample(SqlCatalog &catalog, qint64 tenant, int day, qint64 bytes)
    {
        UsageSample s;
        s.tenantId = tenant;
        s.day = QDate(2026, 3, day);
        s.storedBytes = bytes;
        s.sampledAt = QDateTime(s.day, QTime(0, 5), QTimeZone(QByteArrayLiteral("Asia/Seoul"))).toUTC();
        return catalog.addUsageSample(s).ok();
    }

    static QJsonObject lineOf(const QJsonObject &statement, int index)
    {
        return statement.value(QStringLiteral("lines")).toArray().at(index).toObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        m_one = m_server.addTenant(QStringLiteral("one"));
        m_two = m_server.addTenant(QStringLiteral("two"));
        m_five = m_server.addTenant(QStringLiteral("five"));
        QVERIFY(m_one > 0 && m_two > 0 && m_five > 0);
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        QVERIFY(m_server.addUser(
            QStringLiteral("five-admin"), "five password", QStringLiteral("five"), QStringLiteral("admin")));
        const QString clock = writeFile(QStringLiteral("clock"), "2026-05-15T12:00:00+09:00");
        QVERIFY(!clock.isEmpty());
        m_config = m_server.writeConfig("[testing]\nclock_file=" + clock.toUtf8() + "\n");
        QVERIFY(!m_config.isEmpty());

        auto opened = SqlCatalog::open(
            m_server.dataDir() + QStringLiteral("/catalog.sqlite"), SqlCatalog::OpenMode::OpenExisting);
        QVERIFY2(opened.ok(), opened ? "" : qPrintable(opened.error().message));
        SqlCatalog &catalog = **opened;
        for (qint64 id : {m_one, m_two, m_five}) {
            auto t = catalog.tenant(id);
            QVERIFY(t.ok());
            t->activatedAt = kst("2026-01-01T00:00:00+09:00");
            QVERIFY(catalog.updateTenantSettings(*t).ok());
        }
        // one: 1 server all month, 40 GB every day.
        QVERIFY(enroll(catalog, m_one, QStringLiteral("one-a"), kst("2026-01-10T09:00:00+09:00")));
        for (int d = 1; d <= 31; ++d)
            QVERIFY(sample(catalog, m_one, d, 40 * GB));
        // two: 2 servers all month; storage crosses 100 GB mid-month: 60 GB on days 1-15,
        // 150 GB on days 16-31.
        QVERIFY(enroll(catalog, m_two, QStringLiteral("two-a"), kst("2026-02-01T09:00:00+09:00")));
        QVERIFY(enroll(catalog, m_two, QStringLiteral("two-b"), kst("2026-02-02T09:00:00+09:00")));
        for (int d = 1; d <= 31; ++d)
            QVERIFY(sample(catalog, m_two, d, d <= 15 ? 60 * GB : 150 * GB));
        // five: 4 servers from February, the fifth added on March 17 (10:00 KST); 120 GB every
        // day, but day 5 has no sample (the server was down).
        for (int i = 0; i < 4; ++i)
            QVERIFY(enroll(catalog, m_five, QStringLiteral("five-%1").arg(i), kst("2026-02-03T09:00:00+09:00")));
        QVERIFY(enroll(catalog, m_five, QStringLiteral("five-4"), kst("2026-03-17T10:00:00+09:00")));
        for (int d = 1; d <= 31; ++d)
            if (d != 5)
                QVERIFY(sample(catalog, m_five, d, 120 * GB));
        // A sample taken again the same day replaces the earlier one (the last one counts).
        QVERIFY(sample(catalog, m_five, 6, 999 * GB));
        QVERIFY(sample(catalog, m_five, 6, 120 * GB));
    }

    void statementsMatchHandComputedFigures()
    {
        ProcessResult r = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QStringLiteral("one"),
            QStringLiteral("--month"), QStringLiteral("2026-03")});
        QCOMPARE(r.exitCode, 1); // no prices yet
        QVERIFY2(r.err.contains("no prices are set"), r.err.constData());
        const QString prices = writeFile(QStringLiteral("prices.json"), kMarchPrices);
        r = billing({QStringLiteral("prices"), QStringLiteral("--set"), prices});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        auto statement = [&](const QString &tenant) {
            const ProcessResult s = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), tenant,
                QStringLiteral("--month"), QStringLiteral("2026-03"), QStringLiteral("--json")});
            if (s.exitCode != 0)
                qWarning("%s", s.err.constData());
            return QJsonDocument::fromJson(s.out).object();
        };
        // one: base fee 50,000; 1 server <= 2 included: 0; 40 GB average <= 100 GB: 0.
        // Total 50,000.
        QJsonObject one = statement(QStringLiteral("one"));
        QCOMPARE(one.value(QStringLiteral("source")).toString(), QStringLiteral("computed"));
        QCOMPARE(one.value(QStringLiteral("kind")).toString(), QStringLiteral("final"));
        QCOMPARE(one.value(QStringLiteral("totalMinor")).toInteger(), qint64(50000));

        // two: 2 servers: 0 extra. Storage: (15 x 60 + 16 x 150) GB-days = 3,300 GB-days over 31
        // sampled days = 106.4516 GB average; excess (3,300 - 3,100) / 31 = 6.451613 GB-months x
        // 100 = 645.16 -> 645. Total 50,000 + 645 = 50,645.
        QJsonObject two = statement(QStringLiteral("two"));
        QCOMPARE(lineOf(two, 1).value(QStringLiteral("amountMinor")).toInteger(), qint64(0));
        QCOMPARE(lineOf(two, 2).value(QStringLiteral("amountMinor")).toInteger(), qint64(645));
        QCOMPARE(lineOf(two, 2).value(QStringLiteral("quantity")).toString(), QStringLiteral("6.451613"));
        QCOMPARE(two.value(QStringLiteral("figures")).toObject().value(QStringLiteral("averageBytes")).toInteger(),
            qint64(106451612903)); // 3,300 GB / 31, rounded half up
        QCOMPARE(two.value(QStringLiteral("totalMinor")).toInteger(), qint64(50645));

        // five: server-days 16 x 4 + 15 x 5 = 139; extra 16 x 2 + 15 x 3 = 77 server-days
        // = 77/31 = 2.483871 server-months x 10,000 = 24,838.71 -> 24,839. Storage: 30 sampled
        // days of 120 GB = 120 GB average, 20 GB over -> 20 GB-months x 100 = 2,000.
        // Total 50,000 + 24,839 + 2,000 = 76,839.
        QJsonObject five = statement(QStringLiteral("five"));
        const QJsonObject figures = five.value(QStringLiteral("figures")).toObject();
        QCOMPARE(figures.value(QStringLiteral("serverDays")).toInteger(), qint64(139));
        QCOMPARE(figures.value(QStringLiteral("extraServerDays")).toInteger(), qint64(77));
        QCOMPARE(figures.value(QStringLiteral("sampledDays")).toInteger(), qint64(30));
        QCOMPARE(figures.value(QStringLiteral("averageBytes")).toInteger(), 120 * GB);
        QCOMPARE(lineOf(five, 0).value(QStringLiteral("amountMinor")).toInteger(), qint64(50000));
        QCOMPARE(lineOf(five, 1).value(QStringLiteral("amountMinor")).toInteger(), qint64(24839));
        QCOMPARE(lineOf(five, 2).value(QStringLiteral("amountMinor")).toInteger(), qint64(2000));
        QCOMPARE(five.value(QStringLiteral("totalMinor")).toInteger(), qint64(76839));

        // The text form says the same.
        r = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QString::number(m_five),
            QStringLiteral("--month"), QStringLiteral("2026-03")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("76,839"), r.out.constData());
    }

    void keptStatementSurvivesAPriceChange()
    {
        auto fiveJson = [&] {
            const ProcessResult s
                = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QStringLiteral("five"),
                    QStringLiteral("--month"), QStringLiteral("2026-03"), QStringLiteral("--json")});
            QJsonObject o = QJsonDocument::fromJson(s.out).object();
            return o;
        };
        QJsonObject before = fiveJson();
        QCOMPARE(before.value(QStringLiteral("source")).toString(), QStringLiteral("kept"));
        const QString later = writeFile(QStringLiteral("later.json"), kLaterPrices);
        ProcessResult r = billing({QStringLiteral("prices"), QStringLiteral("--set"), later});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"baseFeePerMonthMinor\": 60000"), r.out.constData());
        QJsonObject after = fiveJson();
        QCOMPARE(after, before); // kept: same body, same total 76,839
        QCOMPARE(after.value(QStringLiteral("totalMinor")).toInteger(), qint64(76839));
        // April, computed now, uses the new prices: one has no storage sample in April, 1 server:
        // 60,000.
        r = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QStringLiteral("one"),
            QStringLiteral("--month"), QStringLiteral("2026-04"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("totalMinor")).toInteger(), qint64(60000));
        // The current month is an estimate, marked as such; a month not begun is refused.
        r = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QStringLiteral("one"),
            QStringLiteral("--month"), QStringLiteral("2026-05")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("ESTIMATE: 2026-05 is not over"), r.out.constData());
        r = billing({QStringLiteral("statement"), QStringLiteral("--tenant"), QStringLiteral("one"),
            QStringLiteral("--month"), QStringLiteral("2026-06")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("has not begun"), r.err.constData());
    }

    void csvAndApiAgreeWithTheCli()
    {
        ProcessResult csv = billing({QStringLiteral("csv"), QStringLiteral("--month"), QStringLiteral("2026-03")});
        QVERIFY2(csv.exitCode == 0, csv.err.constData());
        const QList<QByteArray> rows = csv.out.split('\n');
        QCOMPARE(rows.size(), 5); // header, 3 tenants, "" after the last CRLF
        QVERIFY(rows.at(0).startsWith("tenant_id,tenant,month,kind"));
        QCOMPARE(rows.at(3),
            QByteArray::number(m_five)
                + ",five,2026-03,final,2026-03-31,KRW,31,31,139,77,2.483871,30,120000000000,20000000000,20,50000,"
                  "24839,2000,76839\r");
        QVERIFY(rows.at(2).endsWith(",50000,0,645,50645\r"));

        QVERIFY2(m_server.start({QStringLiteral("--config"), m_config}), m_server.log().constData());
        ApiClient ops(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(ops.login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
        ApiReply r = ops.get(QStringLiteral("/api/v1/operator/billing.csv?month=2026-03"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.body, csv.out);
        QVERIFY(r.header("Content-Type").startsWith("text/csv"));

        r = ops.get(QStringLiteral("/api/v1/billing/statements?tenant=%1&month=2026-03").arg(m_five));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("source")).toString(), QStringLiteral("kept"));
        const QJsonObject viaApi = r.json().value(QStringLiteral("statement")).toObject();
        QCOMPARE(viaApi.value(QStringLiteral("totalMinor")).toInteger(), qint64(76839));

        // The tenant's admin sees its own statements, not another tenant's.
        ApiClient admin(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(admin.login(QStringLiteral("five-admin"), QStringLiteral("five password")).status, 200);
        r = admin.get(QStringLiteral("/api/v1/billing/statements?month=2026-03"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("statement")).toObject(), viaApi);
        QCOMPARE(
            admin.get(QStringLiteral("/api/v1/billing/statements?month=2026-03&tenant=%1").arg(m_one)).status, 403);
        r = admin.get(QStringLiteral("/api/v1/billing/statements"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QVERIFY(r.json().value(QStringLiteral("items")).toArray().size() >= 1);
        QCOMPARE(r.json()
                     .value(QStringLiteral("items"))
                     .toArray()
                     .last()
                     .toObject()
                     .value(QStringLiteral("month"))
                     .toString(),
            QStringLiteral("2026-03"));
        r = admin.get(QStringLiteral("/api/v1/billing/estimate"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("statement")).toObject().value(QStringLiteral("kind")).toString(),
            QStringLiteral("estimate"));
        QCOMPARE(r.json().value(QStringLiteral("statement")).toObject().value(QStringLiteral("month")).toString(),
            QStringLiteral("2026-05"));

        // Prices through the API; the kept March statement still does not move.
        r = ops.get(QStringLiteral("/api/v1/operator/prices"));
        QCOMPARE(r.json()
                     .value(QStringLiteral("prices"))
                     .toObject()
                     .value(QStringLiteral("baseFeePerMonthMinor"))
                     .toInteger(),
            qint64(60000));
        r = ops.putJson(QStringLiteral("/api/v1/operator/prices"),
            QJsonObject {{QStringLiteral("currency"), QStringLiteral("KRW")},
                {QStringLiteral("baseFeePerMonthMinor"), 70000}, {QStringLiteral("extraServerPerMonthMinor"), 1},
                {QStringLiteral("extraGbPerMonthMinor"), 1}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("changed_by")).toString().left(9), QStringLiteral("operator:"));
        r = ops.putJson(QStringLiteral("/api/v1/operator/prices"),
            QJsonObject {{QStringLiteral("currency"), QStringLiteral("XXX")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(admin.get(QStringLiteral("/api/v1/operator/prices")).status, 403);
        r = ops.get(QStringLiteral("/api/v1/operator/billing.csv?month=2026-03"));
        QCOMPARE(r.body, csv.out);
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "sanitizer report in the server's output");
    }
};

QTEST_GUILESS_MAIN(TestBillingStatements)
#include "TestBillingStatements.moc"
