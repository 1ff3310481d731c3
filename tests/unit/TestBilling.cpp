// Monthly billing statements (cairn_billing): totals of concrete months checked against figures
// worked out by hand (each expectation carries its arithmetic), the proration of servers and of
// the base fee, storage averaged over sampled days, rounding half up per line, estimates, the
// JSON round trip of kept statements, CSV quoting, the text for the CLI, and refused inputs.
// Runs on the test's main thread.
#include "billing/Billing.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace cairn;
using namespace cairn::server::billing;

namespace {

constexpr qint64 GB = 1'000'000'000;

QDate day(const char *iso)
{
    return QDate::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

Month month(const char *text)
{
    auto m = Month::fromString(QString::fromLatin1(text));
    Q_ASSERT(m.ok());
    return *m;
}

// KRW: base 50,000/month, extra server 10,000/server-month, extra GB 100/GB-month; 2 servers
// and 100 GB included.
PriceList krw()
{
    PriceList p;
    p.currency = QStringLiteral("KRW");
    p.baseFeePerMonth = 50'000;
    p.extraServerPerMonth = 10'000;
    p.extraGbPerMonth = 100;
    return p;
}

// USD with cents: base 25.00, extra server 7.50, extra GB 0.05; 2 servers and 100 GB included.
PriceList usd()
{
    PriceList p;
    p.currency = QStringLiteral("USD");
    p.baseFeePerMonth = 2500;
    p.extraServerPerMonth = 750;
    p.extraGbPerMonth = 5;
    return p;
}

Usage tenant(const char *activatedOn = "2027-01-10")
{
    Usage u;
    u.tenantId = 7;
    u.tenantName = QStringLiteral("Acme");
    u.activatedOn = day(activatedOn);
    return u;
}

void addServers(Usage &u, int count, const char *registeredOn, const char *removedOn = nullptr)
{
    for (int i = 0; i < count; ++i) {
        ServerPeriod s;
        s.agentId = u.servers.size() + 1;
        s.registeredOn = day(registeredOn);
        if (removedOn)
            s.removedOn = day(removedOn);
        u.servers.append(s);
    }
}

// One sample of `bytes` on each day from `from` to `to`, both included.
void addSamples(Usage &u, const char *from, const char *to, qint64 bytes)
{
    for (QDate d = day(from); d <= day(to); d = d.addDays(1))
        u.storageSamples.insert(d, bytes);
}

Statement statement(const Usage &u, const PriceList &p, const char *m)
{
    auto st = computeStatement(u, p, month(m));
    if (!st.ok())
        qFatal("statement refused: %s", qPrintable(st.error().message));
    return *st;
}

qint64 amount(const Statement &st, LineKind kind)
{
    return st.line(kind).amount;
}

} // namespace

class TestBilling : public QObject {
    Q_OBJECT

private slots:
    void oneServerPaysBaseOnly();
    void twoServersPayBaseOnly();
    void fiveServersAllMonthPayThreeExtra();
    void serverAddedMidMonthIsProrated();
    void serverRemovedMidMonthCountsUntilTheDayBefore();
    void storageIsAveragedBeforeTheAllowanceIsSubtracted();
    void missingSamplesAreNotInvented();
    void leapFebruaryHas29Days();
    void activationMidMonthProratesEverything();
    void deactivationEndsTheMonthEarly();
    void roundingIsHalfUpPerLine();
    void totalIsTheSumOfRoundedLines();
    void estimateAccruesUpToTheGivenDay();
    void jsonRoundTripIsExact();
    void jsonRefusesTamperedStatements();
    void priceListJsonRoundTrip();
    void csvQuotesTenantNames();
    void textShowsLinesAndFigures();
    void amountsFormatAndParse();
    void billingDayUsesTheTenantZone();
    void badInputsAreRefused();
};

void TestBilling::oneServerPaysBaseOnly()
{
    Usage u = tenant();
    addServers(u, 1, "2027-03-01");
    addSamples(u, "2027-06-01", "2027-06-30", 40 * GB); // under the 100 GB allowance
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.serverDays, qint64(30)); // 1 server × 30 days
    QCOMPARE(st.figures.extraServerDays, qint64(0)); // max(0, 1 − 2) × 30
    QCOMPARE(amount(st, LineKind::BaseFee), qint64(50'000)); // 50,000 × 30/30
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(0));
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(0)); // 40 GB average < 100 GB
    QCOMPARE(st.total, qint64(50'000));
    QCOMPARE(st.line(LineKind::BaseFee).quantityText(), QStringLiteral("1"));
}

void TestBilling::twoServersPayBaseOnly()
{
    Usage u = tenant();
    addServers(u, 2, "2027-03-01");
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.serverDays, qint64(60)); // 2 × 30
    QCOMPARE(st.figures.extraServerDays, qint64(0));
    QCOMPARE(st.total, qint64(50'000)); // base only
}

void TestBilling::fiveServersAllMonthPayThreeExtra()
{
    Usage u = tenant();
    addServers(u, 5, "2027-03-01");
    const Statement st = statement(u, krw(), "2027-07"); // 31 days
    QCOMPARE(st.figures.extraServerDays, qint64(93)); // (5 − 2) × 31
    QCOMPARE(st.line(LineKind::ExtraServers).quantityText(), QStringLiteral("3")); // 93/31
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(30'000)); // 93/31 × 10,000
    QCOMPARE(st.total, qint64(80'000)); // 50,000 + 30,000
}

void TestBilling::serverAddedMidMonthIsProrated()
{
    Usage u = tenant();
    addServers(u, 2, "2027-03-01");
    addServers(u, 1, "2027-06-16"); // the 3rd server counts from the 16th: days 16–30
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.serverDays, qint64(75)); // 2 × 30 + 1 × 15
    QCOMPARE(st.figures.extraServerDays, qint64(15)); // (3 − 2) × 15
    QCOMPARE(st.line(LineKind::ExtraServers).quantityText(), QStringLiteral("0.5")); // 15/30
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(5'000)); // 15/30 × 10,000
    QCOMPARE(st.total, qint64(55'000)); // 50,000 + 5,000
}

void TestBilling::serverRemovedMidMonthCountsUntilTheDayBefore()
{
    Usage u = tenant();
    addServers(u, 3, "2027-03-01");
    addServers(u, 1, "2027-05-01", "2027-07-11"); // counts 1–10 July
    addServers(u, 1, "2027-07-05", "2027-07-05"); // registered and removed the same day: no day
    addServers(u, 1, "2027-08-01"); // after the month: not counted
    const Statement st = statement(u, krw(), "2027-07");
    QCOMPARE(st.figures.serverDays, qint64(103)); // 4 × 10 + 3 × 21
    QCOMPARE(st.figures.extraServerDays, qint64(41)); // 2 × 10 + 1 × 21
    QCOMPARE(st.line(LineKind::ExtraServers).quantityMicro, qint64(1'322'581)); // 41/31 = 1.3225806…
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(13'226)); // 41 × 10,000 / 31 = 13,225.806…
    QCOMPARE(st.total, qint64(63'226)); // 50,000 + 13,226
}

void TestBilling::storageIsAveragedBeforeTheAllowanceIsSubtracted()
{
    Usage u = tenant();
    addSamples(u, "2027-06-01", "2027-06-15", 80 * GB);
    addSamples(u, "2027-06-16", "2027-06-30", 140 * GB);
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.sampledDays, 30);
    QCOMPARE(st.figures.storageByteDays, qint64(3'300) * GB); // 80 × 15 + 140 × 15 GB-days
    QCOMPARE(st.figures.averageBytes, qint64(110) * GB); // 3,300 / 30
    QCOMPARE(st.figures.extraAverageBytes, qint64(10) * GB); // 110 − 100
    QCOMPARE(st.line(LineKind::ExtraStorage).quantityText(), QStringLiteral("10"));
    // 10 GB-months × 100 (subtracting per day would give (0 × 15 + 40 × 15)/30 = 20 GB → 2,000).
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(1'000));
    QCOMPARE(st.total, qint64(51'000)); // 50,000 + 1,000
}

void TestBilling::missingSamplesAreNotInvented()
{
    Usage u = tenant();
    addSamples(u, "2027-06-01", "2027-06-05", 100 * GB);
    addSamples(u, "2027-06-21", "2027-06-25", 130 * GB);
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.sampledDays, 10);
    QCOMPARE(st.figures.averageBytes, qint64(115) * GB); // (100 × 5 + 130 × 5) / 10 sampled days
    QCOMPARE(st.figures.extraAverageBytes, qint64(15) * GB);
    // 15 GB-months × 100 (counting the 20 unsampled days as 0 bytes would give 38.3 GB → 0).
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(1'500));
    QCOMPARE(st.total, qint64(51'500));

    Usage none = tenant();
    const Statement empty = statement(none, krw(), "2027-06");
    QCOMPARE(empty.figures.sampledDays, 0);
    QCOMPARE(amount(empty, LineKind::ExtraStorage), qint64(0)); // no sample: no storage charge
}

void TestBilling::leapFebruaryHas29Days()
{
    Usage u = tenant();
    addServers(u, 3, "2027-12-01");
    addServers(u, 1, "2028-02-20"); // counts 20–29 February: 10 days
    addSamples(u, "2028-02-01", "2028-02-29", 150 * GB);
    const Statement st = statement(u, krw(), "2028-02");
    QCOMPARE(st.figures.daysInMonth, 29);
    QCOMPARE(st.figures.extraServerDays, qint64(39)); // 1 × 29 + 1 × 10
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(13'448)); // 39 × 10,000 / 29 = 13,448.27…
    QCOMPARE(st.figures.sampledDays, 29);
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(5'000)); // (150 − 100) GB-months × 100
    QCOMPARE(st.total, qint64(68'448)); // 50,000 + 13,448 + 5,000
}

void TestBilling::activationMidMonthProratesEverything()
{
    Usage u = tenant("2027-06-21"); // active 21–30 June: 10 of 30 days
    addServers(u, 3, "2027-05-01");
    addSamples(u, "2027-06-01", "2027-06-20", 500 * GB); // before activation: ignored
    addSamples(u, "2027-06-21", "2027-06-30", 160 * GB);
    const Statement st = statement(u, krw(), "2027-06");
    QCOMPARE(st.figures.activeDays, 10);
    QCOMPARE(amount(st, LineKind::BaseFee), qint64(16'667)); // 50,000 × 10/30 = 16,666.67
    QCOMPARE(st.figures.serverDays, qint64(30)); // 3 servers × 10 active days
    QCOMPARE(st.figures.extraServerDays, qint64(10)); // (3 − 2) × 10
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(3'333)); // 10/30 × 10,000 = 3,333.33
    QCOMPARE(st.figures.sampledDays, 10);
    QCOMPARE(st.figures.averageBytes, qint64(160) * GB);
    // (160 − 100) GB held for 10/30 of the month = 20 GB-months × 100.
    QCOMPARE(st.line(LineKind::ExtraStorage).quantityText(), QStringLiteral("20"));
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(2'000));
    QCOMPARE(st.total, qint64(22'000)); // 16,667 + 3,333 + 2,000

    // The month before activation has no statement.
    auto before = computeStatement(u, krw(), month("2027-05"));
    QVERIFY(!before.ok());
    QCOMPARE(before.error().code, ErrorCode::NotFound);
}

void TestBilling::deactivationEndsTheMonthEarly()
{
    Usage u = tenant();
    u.deactivatedOn = day("2027-07-11"); // active 1–10 July
    addServers(u, 3, "2027-03-01");
    addSamples(u, "2027-07-01", "2027-07-31", 131 * GB); // samples after deactivation are ignored
    const Statement st = statement(u, krw(), "2027-07");
    QCOMPARE(st.figures.activeDays, 10);
    QCOMPARE(amount(st, LineKind::BaseFee), qint64(16'129)); // 50,000 × 10/31 = 16,129.03
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(3'226)); // 10 extra server-days × 10,000 / 31 = 3,225.8
    QCOMPARE(st.figures.sampledDays, 10);
    QCOMPARE(amount(st, LineKind::ExtraStorage), qint64(1'000)); // 31 GB × 10/31 = 10 GB-months × 100
    QCOMPARE(st.total, qint64(20'355)); // 16,129 + 3,226 + 1,000

    auto after = computeStatement(u, krw(), month("2027-08"));
    QVERIFY(!after.ok());
    QCOMPARE(after.error().code, ErrorCode::NotFound);
}

void TestBilling::roundingIsHalfUpPerLine()
{
    // USD, 0.05 per GB-month: an average of 100.5 GB is 0.5 GB-months over = 2.5 cents → 3.
    Usage half = tenant();
    addSamples(half, "2027-06-01", "2027-06-30", 100 * GB + GB / 2);
    const Statement up = statement(half, usd(), "2027-06");
    QCOMPARE(up.line(LineKind::ExtraStorage).quantityText(), QStringLiteral("0.5"));
    QCOMPARE(amount(up, LineKind::ExtraStorage), qint64(3)); // 2.5 → 3 (half up, not to even)
    QCOMPARE(up.total, qint64(2'503)); // 25.00 + 0.03

    // One byte less per day: 0.499999999 × 5 = 2.499999995 cents → 2 (computed exactly).
    Usage below = tenant();
    addSamples(below, "2027-06-01", "2027-06-30", 100 * GB + GB / 2 - 1);
    QCOMPARE(amount(statement(below, usd(), "2027-06"), LineKind::ExtraStorage), qint64(2));

    // KRW servers, 1 extra server-day of a 31-day month: 15,515 / 31 = 500.48… → 500 and
    // 15,516 / 31 = 500.52… → 501.
    Usage servers = tenant();
    addServers(servers, 2, "2027-03-01");
    addServers(servers, 1, "2027-07-31", "2027-08-01"); // one day
    PriceList p = krw();
    p.extraServerPerMonth = 15'515;
    QCOMPARE(amount(statement(servers, p, "2027-07"), LineKind::ExtraServers), qint64(500));
    p.extraServerPerMonth = 15'516;
    QCOMPARE(amount(statement(servers, p, "2027-07"), LineKind::ExtraServers), qint64(501));
}

void TestBilling::totalIsTheSumOfRoundedLines()
{
    // 1 cent per month and per server-month, active 16–30 June (15 of 30 days), 3 servers:
    // base 1 × 15/30 = 0.5 → 1; servers 15/30 × 1 = 0.5 → 1; total 2 (rounding the exact sum,
    // 1.0, would give 1).
    PriceList p = usd();
    p.baseFeePerMonth = 1;
    p.extraServerPerMonth = 1;
    Usage u = tenant("2027-06-16");
    addServers(u, 3, "2027-06-01");
    const Statement st = statement(u, p, "2027-06");
    QCOMPARE(amount(st, LineKind::BaseFee), qint64(1));
    QCOMPARE(amount(st, LineKind::ExtraServers), qint64(1));
    QCOMPARE(st.total, qint64(2));
}

void TestBilling::estimateAccruesUpToTheGivenDay()
{
    Usage u = tenant();
    addServers(u, 5, "2027-03-01");
    addServers(u, 4, "2027-06-20"); // after the estimate day: not yet counted
    addSamples(u, "2027-06-01", "2027-06-15", 140 * GB);
    addSamples(u, "2027-06-16", "2027-06-30", 900 * GB); // after the estimate day: ignored
    auto est = computeEstimate(u, krw(), day("2027-06-15"));
    QVERIFY2(est.ok(), qPrintable(est.ok() ? QString() : est.error().message));
    QCOMPARE(est->kind, StatementKind::Estimate);
    QCOMPARE(est->throughDay, day("2027-06-15"));
    QCOMPARE(est->figures.activeDays, 15);
    QCOMPARE(amount(*est, LineKind::BaseFee), qint64(25'000)); // 50,000 × 15/30
    QCOMPARE(est->figures.extraServerDays, qint64(45)); // (5 − 2) × 15
    QCOMPARE(amount(*est, LineKind::ExtraServers), qint64(15'000)); // 45/30 × 10,000
    QCOMPARE(amount(*est, LineKind::ExtraStorage), qint64(2'000)); // (140 − 100) × 15/30 = 20 GB-months × 100
    QCOMPARE(est->total, qint64(42'000));

    // On the last day the estimate is the final statement.
    auto last = computeEstimate(u, krw(), day("2027-06-30"));
    QVERIFY(last.ok());
    Statement final = statement(u, krw(), "2027-06");
    QCOMPARE(last->total, final.total);
    final.kind = StatementKind::Estimate;
    QVERIFY(*last == final);

    // Before activation there is nothing to estimate.
    auto early = computeEstimate(tenant("2027-06-20"), krw(), day("2027-06-19"));
    QVERIFY(!early.ok());
    QCOMPARE(early.error().code, ErrorCode::NotFound);
}

void TestBilling::jsonRoundTripIsExact()
{
    Usage u = tenant();
    u.tenantName = QStringLiteral("Hanbit, \"Backup\" 한빛");
    addServers(u, 3, "2027-03-01");
    addServers(u, 1, "2027-07-11");
    addSamples(u, "2027-07-01", "2027-07-20", 123'456'789'012);
    const Statement st = statement(u, usd(), "2027-07");

    const QByteArray bytes = QJsonDocument(st.toJson()).toJson(QJsonDocument::Compact);
    const QJsonObject parsed = QJsonDocument::fromJson(bytes).object();
    auto back = Statement::fromJson(parsed);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QVERIFY(*back == st);
    QCOMPARE(QJsonDocument(back->toJson()).toJson(QJsonDocument::Compact), bytes);

    // Stable keys: minor units and decimal strings side by side.
    QCOMPARE(parsed.value(QStringLiteral("month")).toString(), QStringLiteral("2027-07"));
    QCOMPARE(parsed.value(QStringLiteral("kind")).toString(), QStringLiteral("final"));
    QCOMPARE(parsed.value(QStringLiteral("currency")).toString(), QStringLiteral("USD"));
    const QJsonObject base = parsed.value(QStringLiteral("lines")).toArray().at(0).toObject();
    QCOMPARE(base.value(QStringLiteral("kind")).toString(), QStringLiteral("base"));
    QCOMPARE(base.value(QStringLiteral("amountMinor")).toInteger(), qint64(2500));
    QCOMPARE(base.value(QStringLiteral("amount")).toString(), QStringLiteral("25.00"));
    // Servers: 1 × 31 + 1 × 21 = 52 extra server-days; 52 × 750 / 31 = 1,258.06 → 1,258 = "12.58".
    const QJsonObject servers = parsed.value(QStringLiteral("lines")).toArray().at(1).toObject();
    QCOMPARE(servers.value(QStringLiteral("amountMinor")).toInteger(), qint64(1258));
    QCOMPARE(servers.value(QStringLiteral("amount")).toString(), QStringLiteral("12.58"));
    // Storage: 23.456789012 GB over × 5 cents = 117.28 → 117 = "1.17"; total 2500 + 1258 + 117.
    QCOMPARE(st.line(LineKind::ExtraStorage).amount, qint64(117));
    QCOMPARE(parsed.value(QStringLiteral("totalMinor")).toInteger(), qint64(3875));
    QCOMPARE(parsed.value(QStringLiteral("total")).toString(), QStringLiteral("38.75"));

    // An estimate round-trips too.
    auto est = computeEstimate(u, krw(), day("2027-07-12"));
    QVERIFY(est.ok());
    auto estBack = Statement::fromJson(est->toJson());
    QVERIFY(estBack.ok());
    QVERIFY(*estBack == *est);
}

void TestBilling::jsonRefusesTamperedStatements()
{
    Usage u = tenant();
    addServers(u, 4, "2027-03-01");
    const QJsonObject good = statement(u, krw(), "2027-06").toJson();
    QVERIFY(Statement::fromJson(good).ok());

    const auto refused = [](const QJsonObject &json, const QString &field) {
        auto r = Statement::fromJson(json);
        if (r.ok())
            return QStringLiteral("accepted");
        if (!r.error().message.contains(field))
            return QStringLiteral("message does not name %1: %2").arg(field, r.error().message);
        return QString();
    };

    QJsonObject wrongTotal = good;
    wrongTotal[QStringLiteral("totalMinor")] = 1;
    QCOMPARE(refused(wrongTotal, QStringLiteral("totalMinor")), QString());
    QCOMPARE(Statement::fromJson(wrongTotal).error().code, ErrorCode::Corrupt);

    QJsonObject noMonth = good;
    noMonth.remove(QStringLiteral("month"));
    QCOMPARE(refused(noMonth, QStringLiteral("statement.month")), QString());

    QJsonObject badCurrency = good;
    badCurrency[QStringLiteral("currency")] = QStringLiteral("XYZ");
    QCOMPARE(refused(badCurrency, QStringLiteral("currency")), QString());

    QJsonObject swapped = good;
    QJsonArray lines = good.value(QStringLiteral("lines")).toArray();
    const QJsonValue first = lines.at(0);
    lines[0] = lines.at(1);
    lines[1] = first;
    swapped[QStringLiteral("lines")] = lines;
    QCOMPARE(refused(swapped, QStringLiteral("lines[0].kind")), QString());

    QJsonObject fractional = good;
    QJsonObject figures = good.value(QStringLiteral("figures")).toObject();
    figures[QStringLiteral("serverDays")] = 1.5;
    fractional[QStringLiteral("figures")] = figures;
    QCOMPARE(refused(fractional, QStringLiteral("figures.serverDays")), QString());

    QJsonObject future = good;
    future[QStringLiteral("format")] = 2;
    QCOMPARE(Statement::fromJson(future).error().code, ErrorCode::Unsupported);
}

void TestBilling::priceListJsonRoundTrip()
{
    const PriceList p = usd();
    const QJsonObject json = p.toJson();
    QCOMPARE(json.value(QStringLiteral("extraServerPerMonth")).toString(), QStringLiteral("7.50"));
    QCOMPARE(json.value(QStringLiteral("includedBytes")).toInteger(), qint64(100) * GB);
    auto back = PriceList::fromJson(json);
    QVERIFY(back.ok());
    QVERIFY(*back == p);

    QJsonObject negative = json;
    negative[QStringLiteral("extraGbPerMonthMinor")] = -1;
    auto refused = PriceList::fromJson(negative);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QStringLiteral("prices.extraGbPerMonth")),
        qPrintable(refused.error().message));
}

void TestBilling::csvQuotesTenantNames()
{
    Usage a = tenant();
    a.tenantId = 3;
    a.tenantName = QStringLiteral("Acme, Inc.");
    addServers(a, 3, "2027-03-01");
    Usage b = tenant();
    b.tenantId = 12;
    b.tenantName = QStringLiteral("The \"Best\" Backup");
    addSamples(b, "2027-06-01", "2027-06-30", 110 * GB);
    Usage c = tenant("2027-06-16");
    c.tenantId = 40;
    c.tenantName = QStringLiteral("Line\nBreak");

    const QByteArray csv = statementsCsv(
        {statement(a, krw(), "2027-06"), statement(b, usd(), "2027-06"), statement(c, krw(), "2027-06")});
    const QByteArray expected
        = "tenant_id,tenant,month,kind,through_day,currency,active_days,days_in_month,server_days,extra_server_days,"
          "extra_server_months,sampled_days,average_bytes,extra_average_bytes,extra_gb_months,base_fee,extra_servers,"
          "extra_storage,total\r\n"
          // 3 servers: 90 server-days, 30 extra = 1 server-month = 10,000; total 60,000.
          "3,\"Acme, Inc.\",2027-06,final,2027-06-30,KRW,30,30,90,30,1,0,0,0,0,50000,10000,0,60000\r\n"
          // 110 GB average: 10 GB-months × 0.05 = 0.50; total 25.00 + 0.50.
          "12,\"The \"\"Best\"\" Backup\",2027-06,final,2027-06-30,USD,30,30,0,0,0,30,110000000000,10000000000,10,"
          "25.00,0.00,0.50,25.50\r\n"
          // Active 16–30 June: 50,000 × 15/30 = 25,000.
          "40,\"Line\nBreak\",2027-06,final,2027-06-30,KRW,15,30,0,0,0,0,0,0,0,25000,0,0,25000\r\n";
    QCOMPARE(csv, expected);
    QCOMPARE(statementsCsv({}), expected.left(expected.indexOf("\r\n") + 2)); // header only
}

void TestBilling::textShowsLinesAndFigures()
{
    Usage u = tenant();
    addServers(u, 2, "2027-03-01");
    addServers(u, 1, "2027-06-16");
    addSamples(u, "2027-06-01", "2027-06-15", 80 * GB);
    addSamples(u, "2027-06-16", "2027-06-30", 140 * GB);
    const QString text = statement(u, krw(), "2027-06").toText();
    const QString expected
        = QStringLiteral("Cairn statement: Acme (tenant 7)\n"
                         "Month:     2027-06 (30 days), final\n"
                         "Currency:  KRW\n"
                         "\n"
                         "Item           Quantity  Unit          Unit price  Amount\n"
                         "Base fee              1  month             50,000  50,000\n"
                         "Extra servers       0.5  server-month      10,000   5,000\n"
                         "Extra storage        10  GB-month             100   1,000\n"
                         "Total                                              56,000\n"
                         "\n"
                         "Active days: 30 of 30\n"
                         "Servers:     75 server-days, 2 included per day, 15 extra server-days\n"
                         "Storage:     average 110,000,000,000 bytes (110 GB) over 30 sampled of 30 active days\n"
                         "             100 GB included, 10 GB above it\n");
    QCOMPARE(text, expected);

    auto est = computeEstimate(u, krw(), day("2027-06-10"));
    QVERIFY(est.ok());
    QVERIFY(est->toText().contains(QStringLiteral("estimate through 2027-06-10")));
}

void TestBilling::amountsFormatAndParse()
{
    QCOMPARE(formatAmount(123'450, 2), QStringLiteral("1234.50"));
    QCOMPARE(formatAmount(5, 2), QStringLiteral("0.05"));
    QCOMPARE(formatAmount(-5, 2), QStringLiteral("-0.05"));
    QCOMPARE(formatAmount(50'000, 0), QStringLiteral("50000"));
    QCOMPARE(formatAmount(1'234'567, 2, DigitGrouping::Thousands), QStringLiteral("12,345.67"));
    QCOMPARE(formatAmount(std::numeric_limits<qint64>::min(), 0), QStringLiteral("-9223372036854775808"));

    const QString field = QStringLiteral("prices.baseFeePerMonth");
    QCOMPARE(*parseAmount(QStringLiteral("12.5"), 2, field), qint64(1250));
    QCOMPARE(*parseAmount(QStringLiteral("12.50"), 2, field), qint64(1250));
    QCOMPARE(*parseAmount(QStringLiteral("0.05"), 2, field), qint64(5));
    QCOMPARE(*parseAmount(QStringLiteral("500"), 0, field), qint64(500));
    QCOMPARE(*parseAmount(QStringLiteral("-3"), 0, field), qint64(-3));
    for (const char *bad : {"12.505", "", ".5", "5.", "1,000", "12a", " 5", "99999999999999999999"}) {
        auto r = parseAmount(QString::fromLatin1(bad), 2, field);
        QVERIFY2(!r.ok(), bad);
        QVERIFY(r.error().message.startsWith(field));
    }
    QVERIFY(!parseAmount(QStringLiteral("1.5"), 0, field).ok()); // KRW has no minor unit

    QCOMPARE(currencyMinorDigits(QStringLiteral("KRW")), std::optional<int>(0));
    QCOMPARE(currencyMinorDigits(QStringLiteral("USD")), std::optional<int>(2));
    QVERIFY(!currencyMinorDigits(QStringLiteral("krw")));
}

void TestBilling::billingDayUsesTheTenantZone()
{
    const QDateTime instant = QDateTime(QDate(2027, 6, 30), QTime(16, 0), Qt::UTC);
    QCOMPARE(billingDay(instant, "Asia/Seoul"), QDate(2027, 7, 1)); // 01:00 on 1 July in Seoul (UTC+9)
    QCOMPARE(billingDay(instant, "No/Such_Zone"), QDate(2027, 6, 30)); // unknown: UTC
}

void TestBilling::badInputsAreRefused()
{
    const auto refusedNaming = [](const Result<Statement> &r, ErrorCode code, const char *field) {
        if (r.ok())
            return QStringLiteral("accepted");
        if (r.error().code != code)
            return QStringLiteral("code %1: %2").arg(QLatin1String(errorCodeName(r.error().code)), r.error().message);
        if (!r.error().message.contains(QLatin1String(field)))
            return QStringLiteral("message does not name %1: %2").arg(QLatin1String(field), r.error().message);
        return QString();
    };
    const Usage u = tenant();
    const Month june = month("2027-06");

    PriceList p = krw();
    p.baseFeePerMonth = -1;
    QCOMPARE(
        refusedNaming(computeStatement(u, p, june), ErrorCode::InvalidArgument, "prices.baseFeePerMonth"), QString());
    p = krw();
    p.extraServerPerMonth = -10;
    QCOMPARE(refusedNaming(computeStatement(u, p, june), ErrorCode::InvalidArgument, "prices.extraServerPerMonth"),
        QString());
    p = krw();
    p.currency = QStringLiteral("XYZ");
    QCOMPARE(refusedNaming(computeStatement(u, p, june), ErrorCode::InvalidArgument, "prices.currency"), QString());
    p.currency.clear();
    QCOMPARE(refusedNaming(computeStatement(u, p, june), ErrorCode::InvalidArgument, "prices.currency"), QString());
    p = krw();
    p.includedServers = -1;
    QCOMPARE(
        refusedNaming(computeStatement(u, p, june), ErrorCode::InvalidArgument, "prices.includedServers"), QString());

    for (const char *bad : {"2027-13", "2027-00", "2027-6", "27-06", "abcd-ef", "", "2027/06", "2027-06-01"}) {
        auto m = Month::fromString(QString::fromLatin1(bad));
        QVERIFY2(!m.ok(), bad);
        QVERIFY(m.error().message.startsWith(QStringLiteral("month:")));
    }
    QCOMPARE(
        refusedNaming(computeStatement(u, krw(), Month {2027, 13}), ErrorCode::InvalidArgument, "month"), QString());
    QCOMPARE(refusedNaming(computeEstimate(u, krw(), QDate()), ErrorCode::InvalidArgument, "throughDay"), QString());

    Usage notActivated = tenant();
    notActivated.activatedOn.reset();
    QCOMPARE(
        refusedNaming(computeStatement(notActivated, krw(), june), ErrorCode::NotFound, "not activated"), QString());

    Usage backwards = tenant();
    addServers(backwards, 1, "2027-06-10", "2027-06-09");
    QCOMPARE(
        refusedNaming(computeStatement(backwards, krw(), june), ErrorCode::InvalidArgument, "removedOn"), QString());

    Usage negative = tenant();
    negative.storageSamples.insert(day("2027-06-03"), -1);
    QCOMPARE(refusedNaming(
                 computeStatement(negative, krw(), june), ErrorCode::InvalidArgument, "storageSamples[2027-06-03]"),
        QString());

    Usage endsFirst = tenant("2027-06-10");
    endsFirst.deactivatedOn = day("2027-06-01");
    QCOMPARE(refusedNaming(computeStatement(endsFirst, krw(), june), ErrorCode::InvalidArgument, "deactivatedOn"),
        QString());

    // Samples too large to add up in a month are refused, not wrapped.
    Usage huge = tenant();
    addSamples(huge, "2027-06-01", "2027-06-02", std::numeric_limits<qint64>::max());
    QCOMPARE(
        refusedNaming(computeStatement(huge, krw(), june), ErrorCode::InvalidArgument, "storageSamples"), QString());
}

QTEST_GUILESS_MAIN(TestBilling)
#include "TestBilling.moc"
