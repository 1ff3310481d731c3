// The HTTP application behind the front end: matches a request to a route of apiRoutes(),
// authenticates the caller for the route's Access level (agent bearer token or user session),
// and runs the handler. screen() answers from the request head alone (unknown path 404, wrong
// method 405 with Allow, the route's body limit); handle() runs on the front end's worker threads.
#pragma once

#include "api/Api.h"
#include "http/HttpTypes.h"

namespace cairn::server {

class ApiApplication final : public HttpApplication {
public:
    explicit ApiApplication(ServerContext &context);

    Screening screen(const HttpRequestHead &head) const override;
    HttpResponse handle(const HttpRequest &request) override;

private:
    struct Match {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        QByteArray allowed; // methods for this path, when the method did not match
    };
    Match match(const QByteArray &method, const QString &path) const;
    std::variant<Principal, HttpResponse> authenticate(const HttpRequest &request, Access access);

    ServerContext &m_context;
    const std::vector<Route> &m_routes;
};

} // namespace cairn::server
