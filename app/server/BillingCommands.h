// cairn-server billing: monthly statements, the operators' CSV export and prices from the command
// line, on a data folder's catalog (api/BillingLedger.h: the same statements the console API
// serves). Main thread.
#pragma once

#include <QStringList>

namespace cairn::server {

int cmdBilling(const QStringList &args);

} // namespace cairn::server
