// Routes for service operations for operators: store capacity, garbage collection, verify runs, mail outbox.
// Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"

namespace cairn::server {

void addOperationsRoutes(std::vector<Route> &routes)
{
    (void)routes;
}

} // namespace cairn::server
