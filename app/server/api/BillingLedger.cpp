// The billing ledger (see BillingLedger.h). Any thread.
#include "api/BillingLedger.h"

#include <QJsonValue>

#include <algorithm>

namespace cairn::server {

using namespace billing;

Result<PriceList> billingPrices(Catalog &catalog)
{
    auto s = catalog.setting(kPricesSetting);
    if (!s) {
        if (s.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound,
                QStringLiteral("no prices are set: an operator sets them with `cairn-server billing prices --set FILE` "
                               "or PUT /api/v1/operator/prices"));
        return s.error();
    }
    auto p = PriceList::fromJson(s->value);
    if (!p)
        return Error(
            ErrorCode::Corrupt, QStringLiteral("the stored prices do not read back: %1").arg(p.error().message));
    return p;
}

Result<PriceList> pricesFromJson(const QJsonObject &json)
{
    static const char *const kKnown[]
        = {"currency", "minorDigits", "baseFeePerMonthMinor", "baseFeePerMonth", "extraServerPerMonthMinor",
            "extraServerPerMonth", "extraGbPerMonthMinor", "extraGbPerMonth", "includedServers", "includedBytes"};
    for (auto it = json.begin(); it != json.end(); ++it) {
        bool known = false;
        for (const char *k : kKnown)
            known = known || it.key() == QLatin1String(k);
        if (!known)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("prices.%1: unknown field").arg(it.key()));
    }
    QJsonObject full = json;
    const std::optional<int> digits = currencyMinorDigits(json.value(QStringLiteral("currency")).toString());
    if (!digits)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("prices.currency: must be an ISO 4217 code Cairn knows (KRW, USD, EUR, JPY, ...)"));
    for (const QString &name :
        {QStringLiteral("baseFeePerMonth"), QStringLiteral("extraServerPerMonth"), QStringLiteral("extraGbPerMonth")}) {
        const QString minor = name + QStringLiteral("Minor");
        if (full.contains(minor))
            continue;
        const QJsonValue decimal = full.value(name);
        if (!decimal.isString())
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("prices.%1: give %1Minor (minor units) or %1 (a decimal string)").arg(name));
        auto amount = parseAmount(decimal.toString(), *digits, QStringLiteral("prices.") + name);
        if (!amount)
            return amount.error();
        full.insert(minor, *amount);
    }
    if (!full.contains(QStringLiteral("includedServers")))
        full.insert(QStringLiteral("includedServers"), 2);
    if (!full.contains(QStringLiteral("includedBytes")))
        full.insert(QStringLiteral("includedBytes"), 100 * kBytesPerGb);
    return PriceList::fromJson(full);
}

Status setBillingPrices(Catalog &catalog, const PriceList &prices, const QString &changedBy, const QDateTime &now)
{
    CAIRN_TRY(prices.validate());
    OperatorSetting s;
    s.name = kPricesSetting;
    s.value = prices.toJson();
    s.changedBy = changedBy;
    s.changedAt = now;
    return catalog.setSetting(s);
}

QDate tenantDay(const Tenant &tenant, const QDateTime &now)
{
    return billingDay(now, tenant.timeZone.toUtf8());
}

Result<Usage> billingUsage(Catalog &catalog, const Tenant &tenant, Month month)
{
    const QByteArray zone = tenant.timeZone.toUtf8();
    Usage u;
    u.tenantId = tenant.id;
    u.tenantName = tenant.name;
    if (tenant.activatedAt)
        u.activatedOn = billingDay(*tenant.activatedAt, zone);
    auto periods = catalog.agentPeriods(tenant.id);
    if (!periods)
        return periods.error();
    for (const AgentPeriod &p : *periods) {
        ServerPeriod s;
        s.agentId = p.agentId;
        s.registeredOn = billingDay(p.enrolledAt, zone);
        if (p.removedAt)
            s.removedOn = billingDay(*p.removedAt, zone);
        u.servers.append(s);
    }
    auto samples = catalog.usageSamples(tenant.id, month.firstDay(), month.lastDay());
    if (!samples)
        return samples.error();
    for (const UsageSample &s : *samples)
        u.storageSamples.insert(s.day, s.storedBytes);
    return u;
}

const char *ledgerSourceName(LedgerStatement::Source source)
{
    switch (source) {
    case LedgerStatement::Source::Kept: return "kept";
    case LedgerStatement::Source::Computed: return "computed";
    case LedgerStatement::Source::Estimate: return "estimate";
    }
    return "kept";
}

Result<LedgerStatement> ledgerStatement(Catalog &catalog, const Tenant &tenant, Month month, const QDateTime &now)
{
    const QDate today = tenantDay(tenant, now);
    const Month current = Month::containing(today);
    if (current < month)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("month: %1 has not begun (today is %2 in %3)")
                .arg(month.toString(), today.toString(Qt::ISODate), tenant.timeZone));
    if (month == current)
        return ledgerEstimate(catalog, tenant, now);

    auto kept = catalog.statement(tenant.id, month.toString());
    if (kept) {
        auto s = Statement::fromJson(kept->body);
        if (!s)
            return s.error();
        return LedgerStatement {*s, LedgerStatement::Source::Kept, kept->createdAt};
    }
    if (kept.error().code != ErrorCode::NotFound)
        return kept.error();
    auto usage = billingUsage(catalog, tenant, month);
    if (!usage)
        return usage.error();
    if (!usage->activatedOn || *usage->activatedOn > month.lastDay())
        return Error(ErrorCode::NotFound,
            QStringLiteral("tenant %1 has no statement for %2: it was not active that month")
                .arg(tenant.name, month.toString()));
    auto prices = billingPrices(catalog);
    if (!prices)
        return prices.error();
    auto computed = computeStatement(*usage, *prices, month);
    if (!computed)
        return computed.error();
    StoredStatement row;
    row.tenantId = tenant.id;
    row.month = month.toString();
    row.body = computed->toJson();
    row.createdAt = now;
    auto stored = catalog.putStatement(row);
    if (!stored)
        return stored.error();
    // Another caller may have kept it first: the kept one counts.
    auto s = Statement::fromJson(stored->body);
    if (!s)
        return s.error();
    const bool mine = stored->body == row.body && stored->createdAt == row.createdAt;
    return LedgerStatement {
        *s, mine ? LedgerStatement::Source::Computed : LedgerStatement::Source::Kept, stored->createdAt};
}

Result<LedgerStatement> ledgerEstimate(Catalog &catalog, const Tenant &tenant, const QDateTime &now)
{
    const QDate today = tenantDay(tenant, now);
    auto usage = billingUsage(catalog, tenant, Month::containing(today));
    if (!usage)
        return usage.error();
    if (!usage->activatedOn || *usage->activatedOn > today)
        return Error(ErrorCode::NotFound,
            QStringLiteral("tenant %1 has no estimate: its service is not activated").arg(tenant.name));
    auto prices = billingPrices(catalog);
    if (!prices)
        return prices.error();
    auto estimate = computeEstimate(*usage, *prices, today);
    if (!estimate)
        return estimate.error();
    return LedgerStatement {*estimate, LedgerStatement::Source::Estimate, QDateTime()};
}

Result<QByteArray> ledgerCsv(Catalog &catalog, Month month, const QDateTime &now, std::optional<qint64> only)
{
    auto tenants = catalog.tenants();
    if (!tenants)
        return tenants.error();
    std::sort(tenants->begin(), tenants->end(), [](const Tenant &a, const Tenant &b) { return a.id < b.id; });
    QList<Statement> rows;
    for (const Tenant &t : *tenants) {
        if (only && t.id != *only)
            continue;
        if (!t.activatedAt)
            continue;
        if (Month::containing(tenantDay(t, now)) < month)
            continue; // not begun for this tenant
        auto s = ledgerStatement(catalog, t, month, now);
        if (!s) {
            // Not active that month: no row. Missing prices or a damaged row are errors.
            if (s.error().code == ErrorCode::NotFound && !s.error().message.startsWith(QLatin1String("no prices")))
                continue;
            return s.error();
        }
        rows.append(s->statement);
    }
    return statementsCsv(rows);
}

} // namespace cairn::server
