// The usage sampler (see UsageSampler.h). Operations thread.
#include "ops/UsageSampler.h"

#include "api/BillingLedger.h"
#include "store/StoreCapacity.h"

namespace cairn::server {

namespace {

// Keeps the statement of the tenant's last finished month if it is due and not kept yet.
bool keepLastMonth(
    Catalog &catalog, const Tenant &tenant, const QDate &today, const QDateTime &now, QStringList &problems)
{
    if (!tenant.activatedAt)
        return false;
    const QDate previous = today.addMonths(-1);
    const billing::Month month = billing::Month::containing(previous);
    if (tenantDay(tenant, *tenant.activatedAt) > month.lastDay())
        return false; // activated after that month: nothing to bill
    auto kept = catalog.statement(tenant.id, month.toString());
    if (kept)
        return false;
    if (kept.error().code != ErrorCode::NotFound) {
        problems << kept.error().message;
        return false;
    }
    auto s = ledgerStatement(catalog, tenant, month, now);
    if (!s) {
        // No prices yet, or no active day that month: nothing to keep (no warning every pass).
        if (s.error().code != ErrorCode::NotFound)
            problems << QStringLiteral("statement %1 of tenant %2: %3")
                            .arg(month.toString())
                            .arg(tenant.id)
                            .arg(s.error().message);
        return false;
    }
    return s->source == LedgerStatement::Source::Computed;
}

} // namespace

UsagePass sampleUsage(Catalog &catalog, PackStore &store, const QDateTime &now, QStringList &problems)
{
    UsagePass pass;
    if (auto c = checkStoreCapacity(store, catalog, now); !c)
        problems << c.error().message;
    auto tenants = catalog.tenants();
    if (!tenants) {
        problems << tenants.error().message;
        return pass;
    }
    for (const Tenant &tenant : *tenants) {
        const QDate today = tenantDay(tenant, now);
        auto last = catalog.lastUsageSampleDay(tenant.id);
        if (!last) {
            problems << last.error().message;
            continue;
        }
        if (!*last || **last < today) {
            auto usage = catalog.usage(tenant.id);
            if (!usage) {
                problems << usage.error().message;
                continue;
            }
            UsageSample sample;
            sample.tenantId = tenant.id;
            sample.day = today;
            sample.storedBytes = usage->storedBytes;
            sample.sampledAt = now;
            if (Status s = catalog.addUsageSample(sample); !s.ok()) {
                problems << s.error().message;
                continue;
            }
            ++pass.samples;
        }
        if (keepLastMonth(catalog, tenant, today, now, problems))
            ++pass.statements;
    }
    return pass;
}

} // namespace cairn::server
