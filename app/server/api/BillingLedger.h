// The billing ledger: monthly statements of tenants from what the catalog knows (billing/Billing.h
// does the arithmetic). Shared by the console API, the CLI and the usage sampler, so that all
// three answer the same way:
// - prices are the operator setting "billing.prices" (PriceList::toJson form);
// - a tenant's usage of a month: its activation day, every server's registration period (removed
//   servers included; enrolment and removal days in the tenant's time zone) and its daily usage
//   samples of that month;
// - the statement of a finished month (tenant-local) is kept once: the first time it is asked
//   for (or the sampler sees the month end) it is computed with the prices of that moment and
//   stored; afterwards the kept one is served unchanged, whatever the prices become;
// - the current month gives a running estimate (never kept); a month that has not begun is
//   refused.
// Thread-safe (the catalog is); any thread.
#pragma once

#include "billing/Billing.h"
#include "catalog/Catalog.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace cairn::server {

inline const QString kPricesSetting = QStringLiteral("billing.prices");

// The operator's prices; NotFound ("no prices are set ...") before any are set, Corrupt for a
// setting that does not read back.
Result<billing::PriceList> billingPrices(Catalog &catalog);
// Reads prices as operators write them: PriceList::toJson's form, where the minor-unit numbers
// (baseFeePerMonthMinor, ...) count; where one is absent its decimal string (baseFeePerMonth
// "50000" or "12.50") is read in the currency's minor unit. includedServers and includedBytes
// default to 2 and 100 GB. InvalidArgument naming the field.
Result<billing::PriceList> pricesFromJson(const QJsonObject &json);
Status setBillingPrices(
    Catalog &catalog, const billing::PriceList &prices, const QString &changedBy, const QDateTime &now);

// The tenant's usage as billing counts it, with the samples of `month`.
Result<billing::Usage> billingUsage(Catalog &catalog, const Tenant &tenant, billing::Month month);

// The tenant's local calendar day at `now`.
QDate tenantDay(const Tenant &tenant, const QDateTime &now);

struct LedgerStatement {
    enum class Source { Kept, Computed, Estimate };
    billing::Statement statement;
    Source source = Source::Kept; // Computed: computed now and kept
    QDateTime keptAt; // Kept/Computed: when it was stored
};
const char *ledgerSourceName(LedgerStatement::Source source); // "kept", "computed", "estimate"

// The statement of `month` for the tenant, as described above. Errors: InvalidArgument for a
// month that has not begun; NotFound for a tenant without activation or without an active day
// in the month, or when no prices are set and the statement has to be computed.
Result<LedgerStatement> ledgerStatement(
    Catalog &catalog, const Tenant &tenant, billing::Month month, const QDateTime &now);
// The running estimate of the tenant's current month (errors as ledgerStatement()).
Result<LedgerStatement> ledgerEstimate(Catalog &catalog, const Tenant &tenant, const QDateTime &now);

// The CSV of every tenant's statement of `month` (one tenant with `only`), in tenant id order;
// tenants without a statement that month (not activated, no active day) are left out. A finished
// month's statements are kept as a side effect; the current month gives estimates.
Result<QByteArray> ledgerCsv(
    Catalog &catalog, billing::Month month, const QDateTime &now, std::optional<qint64> only = std::nullopt);

} // namespace cairn::server
