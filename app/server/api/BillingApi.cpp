// Routes for billing (SPEC §5): tenants' monthly statements and running estimate, the operators'
// CSV export and prices. Statements come from the billing ledger (BillingLedger.h), the same as
// the CLI's. Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"
#include "api/BillingLedger.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace cairn::server {

namespace {
constexpr qint64 kJsonLimit = 64 * 1024;

QJsonObject answerJson(const Tenant &tenant, const LedgerStatement &s)
{
    return QJsonObject {{QStringLiteral("tenant"), tenant.id}, {QStringLiteral("month"), s.statement.month.toString()},
        {QStringLiteral("source"), QLatin1String(ledgerSourceName(s.source))},
        {QStringLiteral("kept_at"), s.keptAt.isValid() ? QJsonValue(isoTime(s.keptAt)) : QJsonValue()},
        {QStringLiteral("statement"), s.statement.toJson()}};
}

std::variant<Tenant, HttpResponse> requestTenant(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(id, call);
    auto t = call.server.catalog.tenant(id);
    if (!t)
        return errorResponse(t.error());
    return *t;
}

// GET /billing/statements: the tenant's kept statements; with ?month=YYYY-MM that month's
// statement (kept, or computed and kept for a finished month, or the estimate of the current one).
HttpResponse statements(ApiCall &call)
{
    auto found = requestTenant(call);
    if (auto *bad = std::get_if<HttpResponse>(&found))
        return *bad;
    const Tenant tenant = std::get<Tenant>(found);
    const QString monthText = call.request.query.queryItemValue(QStringLiteral("month"));
    if (monthText.isEmpty()) {
        auto kept = call.server.catalog.statements(tenant.id, std::nullopt);
        if (!kept)
            return errorResponse(kept.error());
        QJsonArray items;
        for (auto it = kept->crbegin(); it != kept->crend(); ++it) // newest month first
            items.append(QJsonObject {{QStringLiteral("month"), it->month},
                {QStringLiteral("kept_at"), isoTime(it->createdAt)}, {QStringLiteral("statement"), it->body}});
        return HttpResponse::json(
            200, QJsonObject {{QStringLiteral("tenant"), tenant.id}, {QStringLiteral("items"), items}});
    }
    auto month = billing::Month::fromString(monthText);
    if (!month)
        return badRequest(month.error().message, QStringLiteral("month"));
    auto s = ledgerStatement(call.server.catalog, tenant, *month, call.server.now());
    if (!s)
        return errorResponse(s.error());
    return HttpResponse::json(200, answerJson(tenant, *s));
}

// GET /billing/estimate: the running estimate of the current month; "statement" is null (with a
// reason) while the tenant is not activated or no prices are set.
HttpResponse estimate(ApiCall &call)
{
    auto found = requestTenant(call);
    if (auto *bad = std::get_if<HttpResponse>(&found))
        return *bad;
    const Tenant tenant = std::get<Tenant>(found);
    auto s = ledgerEstimate(call.server.catalog, tenant, call.server.now());
    if (!s && s.error().code == ErrorCode::NotFound)
        return HttpResponse::json(200,
            QJsonObject {{QStringLiteral("tenant"), tenant.id}, {QStringLiteral("source"), QStringLiteral("estimate")},
                {QStringLiteral("statement"), QJsonValue()}, {QStringLiteral("reason"), s.error().message}});
    if (!s)
        return errorResponse(s.error());
    return HttpResponse::json(200, answerJson(tenant, *s));
}

// GET /operator/billing.csv?month=YYYY-MM[&tenant=ID]: every tenant's statement of the month
// (default: the month before the current one, UTC).
HttpResponse statementsCsv(ApiCall &call)
{
    const QDateTime now = call.server.now();
    QString monthText = call.request.query.queryItemValue(QStringLiteral("month"));
    if (monthText.isEmpty())
        monthText = now.toUTC().date().addMonths(-1).toString(QStringLiteral("yyyy-MM"));
    auto month = billing::Month::fromString(monthText);
    if (!month)
        return badRequest(month.error().message, QStringLiteral("month"));
    std::optional<qint64> only;
    if (call.request.query.hasQueryItem(QStringLiteral("tenant"))) {
        CAIRN_TENANT_OR_RETURN(id, call);
        only = id;
    }
    auto csv = ledgerCsv(call.server.catalog, *month, now, only);
    if (!csv)
        return errorResponse(csv.error());
    return HttpResponse::bytes(200, *csv, "text/csv; charset=utf-8")
        .withHeader("Content-Disposition",
            "attachment; filename=\"cairn-statements-" + month->toString().toLatin1() + ".csv\"");
}

QJsonObject pricesAnswer(Catalog &catalog, const std::optional<billing::PriceList> &prices)
{
    QJsonObject out {{QStringLiteral("prices"), prices ? QJsonValue(prices->toJson()) : QJsonValue()}};
    auto s = catalog.setting(kPricesSetting);
    out.insert(QStringLiteral("changed_by"), s ? QJsonValue(s->changedBy) : QJsonValue());
    out.insert(QStringLiteral("changed_at"), s ? QJsonValue(isoTime(s->changedAt)) : QJsonValue());
    return out;
}

HttpResponse getPrices(ApiCall &call)
{
    auto p = billingPrices(call.server.catalog);
    if (!p && p.error().code != ErrorCode::NotFound)
        return errorResponse(p.error());
    return HttpResponse::json(
        200, pricesAnswer(call.server.catalog, p ? std::optional<billing::PriceList>(*p) : std::nullopt));
}

HttpResponse putPrices(ApiCall &call)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(call.request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return badRequest(QStringLiteral("the body must be a JSON object of prices"));
    auto prices = pricesFromJson(doc.object());
    if (!prices)
        return badRequest(prices.error().message, QStringLiteral("prices"));
    const QString by = QStringLiteral("operator:%1").arg(call.principal.userId);
    if (Status s = setBillingPrices(call.server.catalog, *prices, by, call.server.now()); !s.ok())
        return errorResponse(s.error());
    call.audit(
        QStringLiteral("billing.prices"), QStringLiteral("settings:billing.prices"), std::nullopt, prices->toJson());
    return HttpResponse::json(200, pricesAnswer(call.server.catalog, *prices));
}

} // namespace

void addBillingRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/billing/statements"), Access::TenantAdmin, 0, statements});
    r.push_back({"GET", QStringLiteral("/api/v1/billing/estimate"), Access::User, 0, estimate});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/billing.csv"), Access::Operator, 0, statementsCsv});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/prices"), Access::Operator, 0, getPrices});
    r.push_back({"PUT", QStringLiteral("/api/v1/operator/prices"), Access::Operator, kJsonLimit, putPrices});
}

} // namespace cairn::server
