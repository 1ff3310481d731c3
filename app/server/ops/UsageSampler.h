// The usage sampler: the part of the operations pass (Operations::tick) that billing and store
// capacity need.
// - Once per tenant-local day, each tenant's stored bytes (Catalog::usage, deduplicated and
//   compressed) are kept as that day's usage sample. A pass on a day that already has a sample
//   does nothing; days the server was down stay without a sample (the month's average is taken
//   over the sampled days: nothing is invented). The first pass of a day takes its sample.
// - Once a tenant's month has ended (tenant-local), its statement is computed with the prices of
//   that moment and kept (BillingLedger.h); a kept statement is never recomputed. Without prices
//   nothing is kept (the next pass after prices are set keeps it).
// - The store's capacity is checked, so that operators are warned (audit `store.capacity`, a WARN
//   line) when its level changes even while nobody asks (store/StoreCapacity.h).
// Thread: the operations thread (called from Operations::tick); short catalog calls.
#pragma once

#include "catalog/Catalog.h"
#include "store/PackStore.h"

#include <QDateTime>
#include <QStringList>

namespace cairn::server {

struct UsagePass {
    int samples = 0; // usage samples taken
    int statements = 0; // statements kept
};

// One pass at `now` (the server's clock); catalog errors are appended to `problems`.
UsagePass sampleUsage(Catalog &catalog, PackStore &store, const QDateTime &now, QStringList &problems);

} // namespace cairn::server
