// cairn-server billing (see BillingCommands.h). Main thread.
#include "BillingCommands.h"

#include "CommandLine.h"
#include "api/BillingLedger.h"
#include "ops/TestClock.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSettings>

#include <cstdio>
#include <functional>

namespace cairn::server {

using namespace cli;

namespace {

const char kBillingUsage[]
    = "usage: cairn-server billing <command> --data DIR [--config FILE] ...\n"
      "  statement --tenant TENANT --month YYYY-MM [--json]\n"
      "      the tenant's statement: the kept one; for a finished month not kept yet it is computed\n"
      "      with the current prices and kept; for the current month the running estimate\n"
      "  csv --month YYYY-MM\n"
      "      every tenant's statement of the month as CSV (RFC 4180) on standard output\n"
      "  prices [--set FILE.json]\n"
      "      show the prices, or set them from a JSON file, e.g.\n"
      "      {\"currency\":\"KRW\",\"baseFeePerMonth\":\"50000\",\"extraServerPerMonth\":\"10000\",\n"
      "       \"extraGbPerMonth\":\"100\",\"includedServers\":2,\"includedBytes\":100000000000}\n"
      "--config FILE: the server's config; its testing/clock_file (if set) is the clock used.\n";

QString jsonText(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

int statementCommand(Catalog &catalog, const Options &o, const QDateTime &now)
{
    if (!o.has(QStringLiteral("tenant")) || !o.has(QStringLiteral("month")))
        return fail(
            QStringLiteral("usage: billing statement --data DIR --tenant TENANT --month YYYY-MM [--json]"), kExitUsage);
    auto month = billing::Month::fromString(o.value(QStringLiteral("month")));
    if (!month)
        return fail(month.error().message, kExitUsage);
    auto tenant = findTenant(catalog, o.value(QStringLiteral("tenant")));
    if (!tenant)
        return fail(tenant.error().message);
    auto s = ledgerStatement(catalog, *tenant, *month, now);
    if (!s)
        return fail(s.error().message);
    if (o.has(QStringLiteral("json"))) {
        QJsonObject out = s->statement.toJson();
        out.insert(QStringLiteral("source"), QLatin1String(ledgerSourceName(s->source)));
        print(jsonText(out));
        return kExitOk;
    }
    if (s->source == LedgerStatement::Source::Estimate)
        print(QStringLiteral("ESTIMATE: %1 is not over; charges so far, through %2 (not a statement)\n")
                  .arg(month->toString(), s->statement.throughDay.toString(Qt::ISODate)));
    print(s->statement.toText());
    return kExitOk;
}

int pricesCommand(Catalog &catalog, const Options &o, const QDateTime &now)
{
    if (o.has(QStringLiteral("set"))) {
        QFile f(o.value(QStringLiteral("set")));
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1").arg(f.fileName()));
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(f.read(1 << 20), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return fail(QStringLiteral("%1 is not a JSON object: %2").arg(f.fileName(), error.errorString()));
        auto read = pricesFromJson(doc.object());
        if (!read)
            return fail(read.error().message);
        if (Status s = setBillingPrices(catalog, *read, QStringLiteral("cli"), now); !s.ok())
            return fail(s.error().message);
        AuditEntry e;
        e.at = now;
        e.action = QStringLiteral("billing.prices");
        e.object = QStringLiteral("settings:billing.prices");
        e.detail = read->toJson();
        e.peer = QStringLiteral("cli");
        if (Status s = catalog.addAudit(e); !s.ok())
            return fail(s.error().message);
    }
    auto prices = billingPrices(catalog);
    if (!prices)
        return fail(prices.error().message);
    print(jsonText(prices->toJson()));
    return kExitOk;
}

} // namespace

int cmdBilling(const QStringList &args)
{
    if (args.isEmpty() || args[0] == QLatin1String("--help")) {
        std::fputs(kBillingUsage, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    const QString sub = args[0];
    const Options o = parse(args.mid(1),
        {QStringLiteral("data"), QStringLiteral("config"), QStringLiteral("tenant"), QStringLiteral("month"),
            QStringLiteral("set")},
        {QStringLiteral("json")});
    if (!o.error.isEmpty() || !o.positional.isEmpty())
        return fail(
            o.error.isEmpty() ? QStringLiteral("unexpected argument \"%1\"").arg(o.positional.first()) : o.error,
            kExitUsage);
    if (!o.has(QStringLiteral("data")))
        return fail(QStringLiteral("billing %1 needs --data DIR").arg(sub), kExitUsage);
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };
    if (o.has(QStringLiteral("config"))) {
        const QSettings conf(o.value(QStringLiteral("config")), QSettings::IniFormat);
        if (conf.status() != QSettings::NoError)
            return fail(QStringLiteral("cannot read %1").arg(o.value(QStringLiteral("config"))));
        const QString clockFile = conf.value(QStringLiteral("testing/clock_file")).toString();
        if (!clockFile.isEmpty())
            clock = fileClock(clockFile);
    }
    auto catalog = openCatalog(DataDir {QDir(o.value(QStringLiteral("data"))).absolutePath()});
    if (!catalog)
        return fail(catalog.error().message);
    const QDateTime now = clock();

    if (sub == QLatin1String("statement"))
        return statementCommand(**catalog, o, now);
    if (sub == QLatin1String("prices"))
        return pricesCommand(**catalog, o, now);
    if (sub == QLatin1String("csv")) {
        auto month = billing::Month::fromString(o.value(QStringLiteral("month")));
        if (!month)
            return fail(QStringLiteral("usage: billing csv --data DIR --month YYYY-MM"), kExitUsage);
        auto csv = ledgerCsv(**catalog, *month, now);
        if (!csv)
            return fail(csv.error().message);
        std::fwrite(csv->constData(), 1, size_t(csv->size()), stdout);
        std::fflush(stdout);
        return kExitOk;
    }
    return fail(
        QStringLiteral("unknown billing command \"%1\"\n%2").arg(sub, QLatin1String(kBillingUsage)), kExitUsage);
}

} // namespace cairn::server
