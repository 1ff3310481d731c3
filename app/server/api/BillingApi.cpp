// Routes for billing: usage, estimates and monthly statements, CSV export, prices.
// Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"

namespace cairn::server {

void addBillingRoutes(std::vector<Route> &routes)
{
    (void)routes;
}

} // namespace cairn::server
