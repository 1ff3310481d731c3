// GET /api/v1/jobs (see JobListing.h). HTTP worker threads.
#include "api/JobListing.h"

#include "api/JsonInput.h"
#include "api/JsonViews.h"

#include <QJsonArray>
#include <QTimeZone>

namespace cairn::server {

namespace {

struct SortName {
    JobSortKey key;
    const char *name;
};
constexpr SortName kSorts[]
    = {{JobSortKey::Id, "id"}, {JobSortKey::ScheduledAt, "scheduled_at"}, {JobSortKey::StartedAt, "started_at"},
        {JobSortKey::FinishedAt, "finished_at"}, {JobSortKey::State, "state"}, {JobSortKey::Kind, "kind"}};

const char *sortName(JobSortKey key)
{
    for (const SortName &s : kSorts) {
        if (s.key == key)
            return s.name;
    }
    return "id";
}

bool isTimeKey(JobSortKey key)
{
    return key == JobSortKey::ScheduledAt || key == JobSortKey::StartedAt || key == JobSortKey::FinishedAt;
}

std::optional<QDateTime> parseTime(JsonInput &in, const QUrlQuery &q, const QString &name)
{
    if (!q.hasQueryItem(name))
        return std::nullopt;
    QDateTime t = QDateTime::fromString(q.queryItemValue(name), Qt::ISODate);
    if (!t.isValid()) {
        in.fail(name, QStringLiteral("must be an ISO 8601 date or time"));
        return std::nullopt;
    }
    if (t.timeSpec() == Qt::LocalTime) // no offset given (or a date alone): UTC, not the host's zone
        t.setTimeZone(QTimeZone::utc());
    return t.toUTC();
}

} // namespace

// "1|<sort>|<order>|<u or v>|<value>|<id>" in base64url: value is milliseconds since the epoch for
// times, the name for state and kind, empty for id and unset values.
QString encodeJobCursor(const JobCursor &cursor, JobSortKey sort, SortOrder order)
{
    QString value;
    if (!cursor.unset && sort != JobSortKey::Id)
        value = isTimeKey(sort) ? QString::number(cursor.value.toDateTime().toMSecsSinceEpoch())
                                : cursor.value.toString();
    const QString text = QStringLiteral("1|%1|%2|%3|%4|%5")
                             .arg(QLatin1String(sortName(sort)),
                                 order == SortOrder::Descending ? QStringLiteral("desc") : QStringLiteral("asc"),
                                 cursor.unset ? QStringLiteral("u") : QStringLiteral("v"), value)
                             .arg(cursor.id);
    return QString::fromLatin1(text.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<JobCursor> decodeJobCursor(const QString &text, JobSortKey sort, SortOrder order)
{
    if (text.isEmpty() || text.size() > 200)
        return std::nullopt;
    auto raw = QByteArray::fromBase64Encoding(text.toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals | QByteArray::AbortOnBase64DecodingErrors);
    if (!raw)
        return std::nullopt;
    const QStringList parts = QString::fromUtf8(*raw).split(QLatin1Char('|'));
    if (parts.size() != 6 || parts[0] != QLatin1String("1") || parts[1] != QLatin1String(sortName(sort))
        || parts[2] != (order == SortOrder::Descending ? QLatin1String("desc") : QLatin1String("asc")))
        return std::nullopt;
    JobCursor c;
    bool ok = false;
    c.id = parts[5].toLongLong(&ok);
    if (!ok || c.id < 0)
        return std::nullopt;
    if (parts[3] == QLatin1String("u")) {
        if (sort != JobSortKey::StartedAt && sort != JobSortKey::FinishedAt)
            return std::nullopt;
        c.unset = true;
        return c;
    }
    if (parts[3] != QLatin1String("v"))
        return std::nullopt;
    if (isTimeKey(sort)) {
        const qint64 ms = parts[4].toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        c.value = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    } else if (sort == JobSortKey::State) {
        if (!jobStateFromName(parts[4]))
            return std::nullopt;
        c.value = parts[4];
    } else if (sort == JobSortKey::Kind) {
        if (!jobKindFromName(parts[4]))
            return std::nullopt;
        c.value = parts[4];
    }
    return c;
}

HttpResponse listJobs(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const QUrlQuery &q = call.request.query;
    auto page = pageRequest(q);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    JobQuery query;
    query.filter.tenantId = tenant;
    query.filter.page = std::get<PageRequest>(page);
    if (q.hasQueryItem(QStringLiteral("server"))) {
        bool ok = false;
        const qint64 id = q.queryItemValue(QStringLiteral("server")).toLongLong(&ok);
        if (!ok || id < 1)
            return badRequest(QStringLiteral("server must be a server id"), QStringLiteral("server"));
        auto agent = call.server.catalog.agent(tenant, id);
        if (!agent)
            return agent.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such server"))
                                                             : errorResponse(agent.error());
        query.filter.agentId = id;
    }
    if (q.hasQueryItem(QStringLiteral("status"))) {
        query.filter.state = jobStateFromName(q.queryItemValue(QStringLiteral("status")));
        if (!query.filter.state)
            return badRequest(
                QStringLiteral("status must be pending, running, succeeded, warning, failed, missed or cancelled"),
                QStringLiteral("status"));
    }
    if (q.hasQueryItem(QStringLiteral("kind"))) {
        query.kind = jobKindFromName(q.queryItemValue(QStringLiteral("kind")));
        if (!query.kind)
            return badRequest(QStringLiteral("kind must be backup or restore"), QStringLiteral("kind"));
    }
    if (q.hasQueryItem(QStringLiteral("sort"))) {
        const QString name = q.queryItemValue(QStringLiteral("sort"));
        bool known = false;
        for (const SortName &s : kSorts) {
            if (name == QLatin1String(s.name)) {
                query.sort = s.key;
                known = true;
            }
        }
        if (!known)
            return badRequest(QStringLiteral("sort must be scheduled_at, started_at, finished_at, state, kind or id"),
                QStringLiteral("sort"));
    }
    if (q.hasQueryItem(QStringLiteral("order"))) {
        const QString order = q.queryItemValue(QStringLiteral("order"));
        if (order != QLatin1String("asc") && order != QLatin1String("desc"))
            return badRequest(QStringLiteral("order must be asc or desc"), QStringLiteral("order"));
        query.order = order == QLatin1String("asc") ? SortOrder::Ascending : SortOrder::Descending;
    }
    const bool defaultOrder = query.sort == JobSortKey::Id && query.order == SortOrder::Descending;
    const qint64 before = query.filter.page.beforeId;
    if (before > 0) {
        if (!defaultOrder)
            return badRequest(QStringLiteral("before works with the default order (id, newest first) only; pass the "
                                             "previous page's next as after="),
                QStringLiteral("before"));
        query.after = JobCursor {false, QVariant(), before};
    }
    if (q.hasQueryItem(QStringLiteral("after"))) {
        if (before > 0)
            return badRequest(QStringLiteral("give either before or after, not both"), QStringLiteral("after"));
        query.after = decodeJobCursor(q.queryItemValue(QStringLiteral("after")), query.sort, query.order);
        if (!query.after)
            return badRequest(QStringLiteral("after must be the next value of a previous page with the same sort and "
                                             "order"),
                QStringLiteral("after"));
    }
    JsonInput in(QJsonObject {});
    query.filter.from = parseTime(in, q, QStringLiteral("from"));
    query.filter.to = parseTime(in, q, QStringLiteral("to"));
    if (auto bad = in.finish())
        return *bad;

    auto jobs = call.server.catalog.sortedJobs(query);
    if (!jobs)
        return errorResponse(jobs.error());
    QJsonArray items;
    for (const Job &j : jobs->items)
        items.append(jobJson(j));
    QJsonObject out {{QStringLiteral("items"), items}};
    if (!jobs->next)
        out.insert(QStringLiteral("next"), QJsonValue());
    else if (defaultOrder)
        out.insert(QStringLiteral("next"), jobs->next->id);
    else
        out.insert(QStringLiteral("next"), encodeJobCursor(*jobs->next, query.sort, query.order));
    if (!query.after) { // the first page: how many match
        auto total = jobs->total ? Result<qint64>(*jobs->total) : call.server.catalog.countJobs(query);
        if (!total)
            return errorResponse(total.error());
        out.insert(QStringLiteral("total"), *total);
    }
    return HttpResponse::json(200, out);
}

} // namespace cairn::server
