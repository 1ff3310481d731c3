// Routes of the restore ticket workflow (SPEC §4): users submit a ticket (server, snapshot, paths,
// destination, existing-file policy, contact, note) and may cancel it before it is accepted;
// operators accept, reject, start (the server dispatches the restore job to the target agent) and
// complete it; both sides write in its message thread; operators list tickets across tenants and
// read the monthly SLA compliance. Every state change is one guarded catalog transaction (a wrong
// transition answers 409) and every operator action is audited. Running tickets follow their
// restore job when it ends (see TicketViews.h). Handlers run on the HTTP worker threads.
#include "api/Api.h"
#include "api/JsonInput.h"
#include "api/RestoreDispatch.h"
#include "api/TicketViews.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>

namespace cairn::server {

namespace {
Q_LOGGING_CATEGORY(lcTicketApi, "cairn.server.tickets")

using P = JsonInput::Presence;
constexpr qint64 kJsonLimit = 1 << 20;
constexpr int kTextMax = 4000; // a note, a reason, a message
constexpr int kNameMax = 200;
constexpr int kEmailMax = 254;
constexpr int kPhoneMax = 40;

HttpResponse ticketNotFound()
{
    return notFound(QStringLiteral("no such ticket"));
}

HttpResponse conflict(const TicketRecord &now, const QString &allowed, const QString &action)
{
    return HttpResponse::error(409, QStringLiteral("ticket_state"),
        QStringLiteral("ticket %1 is %2: only %3 ticket can be %4")
            .arg(now.ticket.id)
            .arg(QLatin1String(ticketStateName(now.ticket.state)), allowed, action));
}

std::variant<BusinessCalendar, HttpResponse> calendarOr500(ApiCall &call)
{
    auto calendar = ticketCalendar(call.server.catalog);
    if (!calendar)
        return errorResponse(calendar.error());
    return *calendar;
}

#define CAIRN_CALENDAR_OR_RETURN(var, call)                                                                            \
    auto var##_ = calendarOr500(call);                                                                                 \
    if (auto *bad_ = std::get_if<HttpResponse>(&var##_))                                                               \
        return *bad_;                                                                                                  \
    const BusinessCalendar &var = std::get<BusinessCalendar>(var##_);

// The {ticket} of the tenant, or the 404 to answer.
std::variant<TicketRecord, HttpResponse> pathTicket(ApiCall &call, qint64 tenant)
{
    const auto id = call.idParam(QStringLiteral("ticket"));
    if (!id)
        return ticketNotFound();
    auto r = call.server.catalog.ticketRecord(tenant, *id);
    if (!r)
        return r.error().code == ErrorCode::NotFound ? ticketNotFound() : errorResponse(r.error());
    return *r;
}

#define CAIRN_TICKET_OR_RETURN(var, call, tenant)                                                                      \
    TicketRecord var;                                                                                                  \
    {                                                                                                                  \
        auto t_ = pathTicket((call), (tenant));                                                                        \
        if (auto *bad_ = std::get_if<HttpResponse>(&t_))                                                               \
            return *bad_;                                                                                              \
        var = std::get<TicketRecord>(t_);                                                                              \
    }

// The tenant a listing covers: the caller's own; an operator's ?tenant=, or every tenant.
std::variant<std::optional<qint64>, HttpResponse> tenantScope(ApiCall &call)
{
    if (call.principal.isOperator() && !call.request.query.hasQueryItem(QStringLiteral("tenant")))
        return std::optional<qint64>();
    auto t = call.tenant();
    if (auto *bad = std::get_if<HttpResponse>(&t))
        return *bad;
    return std::optional<qint64>(std::get<qint64>(t));
}

HttpResponse ticketAnswer(ApiCall &call, int status, const TicketRecord &r)
{
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    TicketViewer viewer(call.server, calendar);
    return HttpResponse::json(status, viewer.ticket(r));
}

HttpResponse addTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    JsonInput in(call.request.body);
    const auto server = in.integer(QStringLiteral("server"), P::Required, 1, std::numeric_limits<qint64>::max() / 2);
    const RestoreSpec spec = readRestoreSpec(in);
    const auto targetServer
        = in.integer(QStringLiteral("target_server"), P::Optional, 1, std::numeric_limits<qint64>::max() / 2);
    const auto contactIn = in.object(QStringLiteral("contact"), P::Optional);
    const auto note = in.string(QStringLiteral("note"), P::Optional, kTextMax);
    if (auto bad = in.finish())
        return *bad;
    JsonInput c(contactIn.value_or(QJsonObject()), QStringLiteral("contact."));
    const auto name = c.string(QStringLiteral("name"), P::Optional, kNameMax);
    const auto phone = c.string(QStringLiteral("phone"), P::Optional, kPhoneMax);
    const auto email = c.string(QStringLiteral("email"), P::Optional, kEmailMax);
    static const QRegularExpression mail(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    static const QRegularExpression tel(QStringLiteral("^\\+?[0-9][0-9 ()./-]{2,39}$"));
    if (email && !email->isEmpty() && !mail.match(*email).hasMatch())
        c.fail(QStringLiteral("email"), QStringLiteral("\"%1\" is not an e-mail address").arg(email->left(100)));
    if (phone && !phone->isEmpty() && !tel.match(*phone).hasMatch())
        c.fail(QStringLiteral("phone"), QStringLiteral("must be a telephone number (digits, spaces, + ( ) . / -)"));
    if (auto bad = c.finish())
        return *bad;

    auto agent = call.server.catalog.agent(tenant, *server);
    if (!agent || agent->removedAt)
        return !agent && agent.error().code != ErrorCode::NotFound ? errorResponse(agent.error())
                                                                   : notFound(QStringLiteral("no such server"));
    auto snap = restoreSnapshot(call.server, tenant, spec);
    if (auto *bad = std::get_if<HttpResponse>(&snap))
        return *bad;
    if (std::get<SnapshotRecord>(snap).agentId != agent->id)
        return badRequest(
            QStringLiteral("snapshot: is not a snapshot of server %1").arg(agent->id), QStringLiteral("snapshot"));
    const qint64 target = targetServer.value_or(agent->id);
    if (target != agent->id) {
        auto other = call.server.catalog.agent(tenant, target);
        if (!other || other->removedAt)
            return !other && other.error().code != ErrorCode::NotFound
                ? errorResponse(other.error())
                : notFound(QStringLiteral("no such server: %1 (target_server)").arg(target));
    }
    // The contact defaults to the requester's own name and address.
    auto requester = call.server.catalog.user(call.principal.userId);
    if (!requester)
        return errorResponse(requester.error());
    QJsonObject request = spec.toJobSpec();
    request.insert(QStringLiteral("target_server"), target);
    request.insert(QStringLiteral("contact"),
        QJsonObject {{QStringLiteral("name"), name.value_or(requester->displayName)},
            {QStringLiteral("phone"), phone.value_or(QString())},
            {QStringLiteral("email"), email.value_or(requester->email)}});
    request.insert(QStringLiteral("note"), note.value_or(QString()));

    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    RestoreTicket t;
    t.tenantId = tenant;
    t.agentId = agent->id;
    t.requestedBy = call.principal.userId;
    t.state = TicketState::Submitted;
    t.request = request;
    t.createdAt = call.server.now();
    if (auto due = calendar.dueAt(t.createdAt))
        t.dueAt = due->toUTC();
    else // beyond the holiday data: the ticket is taken, without an SLA clock
        qCWarning(lcTicketApi).noquote() << "restore ticket without a due time:" << due.error().message;
    auto added = call.server.catalog.addRestoreTicket(t);
    if (!added)
        return errorResponse(added.error());
    call.audit(QStringLiteral("ticket.add"), QStringLiteral("ticket:%1").arg(added->id), tenant,
        QJsonObject {{QStringLiteral("server"), agent->id}, {QStringLiteral("target_server"), target}});
    auto record = call.server.catalog.ticketRecord(tenant, added->id);
    if (!record)
        return errorResponse(record.error());
    TicketViewer viewer(call.server, calendar);
    return HttpResponse::json(201, viewer.ticket(*record));
}

// The operators' work queue: every tenant's open tickets, soonest due first (SPEC §4).
HttpResponse ticketQueue(ApiCall &call)
{
    int limit = 200;
    if (call.request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        limit = call.request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1 || limit > 500)
            return badRequest(QStringLiteral("limit must be between 1 and 500"), QStringLiteral("limit"));
    }
    settleRestoreTickets(call.server, std::nullopt);
    auto rows = call.server.catalog.ticketQueue(limit);
    if (!rows)
        return errorResponse(rows.error());
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    TicketViewer viewer(call.server, calendar);
    QJsonArray items;
    for (const TicketRecord &r : *rows)
        items.append(viewer.ticket(r));
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
}

HttpResponse listTickets(ApiCall &call)
{
    auto scope = tenantScope(call);
    if (auto *bad = std::get_if<HttpResponse>(&scope))
        return *bad;
    auto page = pageRequest(call.request.query);
    if (auto *bad = std::get_if<HttpResponse>(&page))
        return *bad;
    TicketFilter filter;
    filter.tenantId = std::get<std::optional<qint64>>(scope);
    filter.page = std::get<PageRequest>(page);
    if (call.request.query.hasQueryItem(QStringLiteral("state"))) {
        filter.state = ticketStateFromName(call.request.query.queryItemValue(QStringLiteral("state")));
        if (!filter.state)
            return badRequest(
                QStringLiteral("state: must be submitted, accepted, running, completed, rejected or cancelled"),
                QStringLiteral("state"));
    }
    settleRestoreTickets(call.server, filter.tenantId);
    auto rows = call.server.catalog.ticketRecords(filter);
    if (!rows)
        return errorResponse(rows.error());
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    TicketViewer viewer(call.server, calendar);
    return HttpResponse::json(
        200, pageJson<TicketRecord>(*rows, [&](const TicketRecord &r) { return viewer.ticket(r); }));
}

HttpResponse getTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    settleRestoreTickets(call.server, tenant);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    return ticketAnswer(call, 200, ticket);
}

// Applies `t` to the path's ticket; 409 naming `allowed` and `action` when its state forbids it.
HttpResponse transition(ApiCall &call, qint64 tenant, TicketTransition t, const QString &allowed, const QString &action,
    const QString &auditAction, QJsonObject detail = {})
{
    t.tenantId = tenant;
    t.at = call.server.now();
    auto result = call.server.catalog.transitionTicket(t);
    if (!result)
        return result.error().code == ErrorCode::NotFound ? ticketNotFound() : errorResponse(result.error());
    if (!result->applied)
        return conflict(result->ticket, allowed, action);
    detail.insert(QStringLiteral("to"), QLatin1String(ticketStateName(t.to)));
    if (result->job)
        detail.insert(QStringLiteral("job"), result->job->id);
    call.audit(auditAction, QStringLiteral("ticket:%1").arg(t.ticketId), tenant, detail);
    return ticketAnswer(call, 200, result->ticket);
}

HttpResponse acceptTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    JsonInput in(call.request.body);
    const auto message = in.string(QStringLiteral("message"), P::Optional, kTextMax);
    if (auto bad = in.finish())
        return *bad;
    TicketTransition t;
    t.ticketId = ticket.ticket.id;
    t.from = {TicketState::Submitted};
    t.to = TicketState::Accepted;
    t.assignTo = call.principal.userId;
    if (message && !message->trimmed().isEmpty()) {
        t.message = *message;
        t.messageUser = call.principal.userId;
    }
    return transition(
        call, tenant, t, QStringLiteral("a submitted"), QStringLiteral("accepted"), QStringLiteral("ticket.accept"));
}

HttpResponse rejectTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    JsonInput in(call.request.body);
    const auto reason = in.string(QStringLiteral("reason"), P::Required, kTextMax);
    if (reason && reason->trimmed().isEmpty())
        in.fail(QStringLiteral("reason"), QStringLiteral("must say why the ticket is rejected"));
    if (auto bad = in.finish())
        return *bad;
    TicketTransition t;
    t.ticketId = ticket.ticket.id;
    t.from = {TicketState::Submitted, TicketState::Accepted};
    t.to = TicketState::Rejected;
    t.resolution = *reason;
    t.finishes = true;
    t.message = *reason; // the user reads why in the thread
    t.messageUser = call.principal.userId;
    return transition(call, tenant, t, QStringLiteral("a submitted or accepted"), QStringLiteral("rejected"),
        QStringLiteral("ticket.reject"), QJsonObject {{QStringLiteral("reason"), *reason}});
}

HttpResponse startTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    JsonInput in(call.request.body);
    // The operator may send the restore to another server of the tenant than the one asked for.
    const auto targetOverride
        = in.integer(QStringLiteral("target_server"), P::Optional, 1, std::numeric_limits<qint64>::max() / 2);
    if (auto bad = in.finish())
        return *bad;
    if (targetOverride) { // like target_server of a submission: another tenant's or a removed server is 404
        auto other = call.server.catalog.agent(tenant, *targetOverride);
        if (!other || other->removedAt)
            return !other && other.error().code != ErrorCode::NotFound
                ? errorResponse(other.error())
                : notFound(QStringLiteral("no such server: %1 (target_server)").arg(*targetOverride));
    }
    if (ticket.ticket.state != TicketState::Accepted) // checked again in the transaction
        return conflict(ticket, QStringLiteral("an accepted"), QStringLiteral("started"));
    const QJsonObject &request = ticket.ticket.request;
    const auto spec = RestoreSpec::fromJobSpec(request);
    if (!spec)
        return errorResponse(
            Error(ErrorCode::Corrupt, QStringLiteral("ticket %1 has no restore request").arg(ticket.ticket.id)));
    const qint64 requested = request.value(QStringLiteral("target_server")).toInteger(ticket.ticket.agentId);
    const qint64 target = targetOverride.value_or(requested);
    auto agent = call.server.catalog.agent(tenant, target);
    if (!agent && agent.error().code != ErrorCode::NotFound)
        return errorResponse(agent.error());
    if (!agent || agent->removedAt)
        return HttpResponse::error(409, QStringLiteral("target_removed"),
            QStringLiteral("the target server %1 was removed: reject the ticket, or ask for a new one").arg(target));
    auto snap = call.server.catalog.snapshot(tenant, spec->snapshot);
    if (!snap && snap.error().code != ErrorCode::NotFound)
        return errorResponse(snap.error());
    if (!snap)
        return HttpResponse::error(409, QStringLiteral("snapshot_removed"),
            QStringLiteral("the snapshot %1 no longer exists (retention): reject the ticket")
                .arg(spec->snapshot.toHex()));
    TicketTransition t;
    t.ticketId = ticket.ticket.id;
    t.from = {TicketState::Accepted};
    t.to = TicketState::Running;
    t.job = restoreJob(call.server, tenant, target, *spec, QStringLiteral("operator:%1").arg(call.principal.userId));
    return transition(call, tenant, t, QStringLiteral("an accepted"), QStringLiteral("started"),
        QStringLiteral("ticket.start"),
        QJsonObject {{QStringLiteral("server"), target}, {QStringLiteral("requested_target"), requested},
            {QStringLiteral("target_overridden"), target != requested}});
}

HttpResponse completeTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    JsonInput in(call.request.body);
    const auto note = in.string(QStringLiteral("note"), P::Required, kTextMax);
    if (note && note->trimmed().isEmpty())
        in.fail(QStringLiteral("note"), QStringLiteral("must say how the ticket was completed"));
    if (auto bad = in.finish())
        return *bad;
    TicketTransition t;
    t.ticketId = ticket.ticket.id;
    t.from = {TicketState::Accepted, TicketState::Running};
    t.to = TicketState::Completed;
    t.resolution = *note;
    t.finishes = true;
    t.message = *note;
    t.messageUser = call.principal.userId;
    return transition(call, tenant, t, QStringLiteral("an accepted or running"), QStringLiteral("completed"),
        QStringLiteral("ticket.complete"), QJsonObject {{QStringLiteral("note"), *note}});
}

// The requester, a tenant admin or an operator withdraws a ticket nobody has accepted yet.
HttpResponse cancelTicket(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant);
    JsonInput in(call.request.body);
    const auto reason = in.string(QStringLiteral("reason"), P::Optional, kTextMax);
    if (auto bad = in.finish())
        return *bad;
    const bool allowed = call.principal.isOperator() || call.principal.role == Role::Admin
        || call.principal.userId == ticket.ticket.requestedBy;
    if (!allowed)
        return forbidden(QStringLiteral("only the user who asked for the restore or a tenant admin may cancel it"));
    TicketTransition t;
    t.ticketId = ticket.ticket.id;
    t.from = {TicketState::Submitted};
    t.to = TicketState::Cancelled;
    t.finishes = true;
    t.resolution = QStringLiteral("cancelled by %1").arg(call.principal.login);
    if (reason && !reason->trimmed().isEmpty()) {
        t.message = *reason;
        t.messageUser = call.principal.userId;
    }
    return transition(
        call, tenant, t, QStringLiteral("a submitted"), QStringLiteral("cancelled"), QStringLiteral("ticket.cancel"));
}

HttpResponse listMessages(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    const auto id = call.idParam(QStringLiteral("ticket"));
    if (!id)
        return ticketNotFound();
    auto messages = call.server.catalog.ticketMessages(tenant, *id);
    if (!messages)
        return messages.error().code == ErrorCode::NotFound ? ticketNotFound() : errorResponse(messages.error());
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    TicketViewer viewer(call.server, calendar);
    QJsonArray items;
    for (const TicketMessage &m : *messages)
        items.append(viewer.message(m));
    return HttpResponse::json(200, QJsonObject {{QStringLiteral("items"), items}});
}

HttpResponse addMessage(ApiCall &call)
{
    CAIRN_TENANT_OR_RETURN(tenant, call);
    CAIRN_TICKET_OR_RETURN(ticket, call, tenant); // another tenant's ticket: 404 whatever the body
    const qint64 *id = &ticket.ticket.id;
    JsonInput in(call.request.body);
    const auto body = in.string(QStringLiteral("body"), P::Required, kTextMax);
    if (body && body->trimmed().isEmpty())
        in.fail(QStringLiteral("body"), QStringLiteral("must not be empty"));
    if (auto bad = in.finish())
        return *bad;
    TicketMessage m;
    m.tenantId = tenant;
    m.ticketId = *id;
    m.userId = call.principal.userId;
    m.body = *body;
    m.createdAt = call.server.now();
    auto added = call.server.catalog.addTicketMessage(m);
    if (!added)
        return added.error().code == ErrorCode::NotFound ? ticketNotFound() : errorResponse(added.error());
    call.audit(QStringLiteral("ticket.message"), QStringLiteral("ticket:%1").arg(*id), tenant,
        QJsonObject {{QStringLiteral("message"), added->id}});
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    TicketViewer viewer(call.server, calendar);
    return HttpResponse::json(201, viewer.message(*added));
}

// Monthly SLA compliance (?month=YYYY-MM, default the current month in Asia/Seoul): the tickets
// due that month (cancelled ones left out), met, missed, still open and past due, and the share met.
HttpResponse slaReport(ApiCall &call)
{
    auto scope = tenantScope(call);
    if (auto *bad = std::get_if<HttpResponse>(&scope))
        return *bad;
    const std::optional<qint64> tenant = std::get<std::optional<qint64>>(scope);
    const QDateTime now = call.server.now();
    QDate month = now.toTimeZone(BusinessCalendar::timeZone()).date();
    month = QDate(month.year(), month.month(), 1);
    if (call.request.query.hasQueryItem(QStringLiteral("month"))) {
        const QString text = call.request.query.queryItemValue(QStringLiteral("month"));
        static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d{2}$"));
        month = QDate::fromString(text + QStringLiteral("-01"), Qt::ISODate);
        if (!form.match(text).hasMatch() || !month.isValid())
            return badRequest(QStringLiteral("month: must be YYYY-MM"), QStringLiteral("month"));
    }
    settleRestoreTickets(call.server, tenant);
    const QDateTime from(month, QTime(0, 0), BusinessCalendar::timeZone());
    const QDateTime to(month.addMonths(1), QTime(0, 0), BusinessCalendar::timeZone());
    auto due = call.server.catalog.ticketsDue(tenant, from.toUTC(), to.toUTC());
    if (!due)
        return errorResponse(due.error());
    CAIRN_CALENDAR_OR_RETURN(calendar, call);
    std::vector<SlaTicket> counted;
    QJsonArray tickets;
    for (const TicketRecord &r : *due) {
        const auto sla = ticketSla(calendar, r, now);
        if (!sla || !r.ticket.dueAt)
            continue;
        counted.push_back(SlaTicket {*r.ticket.dueAt, slaFinished(r)});
        tickets.append(QJsonObject {{QStringLiteral("id"), r.ticket.id}, {QStringLiteral("tenant"), r.ticket.tenantId},
            {QStringLiteral("state"), QLatin1String(ticketStateName(r.ticket.state))},
            {QStringLiteral("due_at"), seoulTime(*r.ticket.dueAt)},
            {QStringLiteral("finished_at"), isoTime(slaFinished(r))},
            {QStringLiteral("sla"), QLatin1String(slaStateName(*sla))}});
    }
    const SlaCompliance c = monthlyCompliance(counted, month.year(), month.month(), now);
    return HttpResponse::json(200,
        QJsonObject {{QStringLiteral("month"), month.toString(QStringLiteral("yyyy-MM"))},
            {QStringLiteral("tenant"), tenant ? QJsonValue(*tenant) : QJsonValue()},
            {QStringLiteral("due"), int(counted.size())}, {QStringLiteral("met"), c.met},
            {QStringLiteral("missed"), c.missed}, {QStringLiteral("open"), c.open},
            {QStringLiteral("breached_open"), c.breachedOpen}, {QStringLiteral("percent"), c.percent},
            {QStringLiteral("tickets"), tickets}});
}

} // namespace

void addTicketRoutes(std::vector<Route> &r)
{
    const QString one = QStringLiteral("/api/v1/restore-tickets/{ticket}");
    r.push_back({"GET", QStringLiteral("/api/v1/restore-tickets"), Access::User, 0, listTickets});
    r.push_back({"POST", QStringLiteral("/api/v1/restore-tickets"), Access::User, kJsonLimit, addTicket});
    r.push_back({"GET", one, Access::User, 0, getTicket});
    r.push_back({"POST", one + QStringLiteral("/accept"), Access::Operator, kJsonLimit, acceptTicket});
    r.push_back({"POST", one + QStringLiteral("/reject"), Access::Operator, kJsonLimit, rejectTicket});
    r.push_back({"POST", one + QStringLiteral("/start"), Access::Operator, kJsonLimit, startTicket});
    r.push_back({"POST", one + QStringLiteral("/complete"), Access::Operator, kJsonLimit, completeTicket});
    r.push_back({"POST", one + QStringLiteral("/cancel"), Access::User, kJsonLimit, cancelTicket});
    r.push_back({"GET", one + QStringLiteral("/messages"), Access::User, 0, listMessages});
    r.push_back({"POST", one + QStringLiteral("/messages"), Access::User, kJsonLimit, addMessage});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/sla"), Access::Operator, 0, slaReport});
    r.push_back({"GET", QStringLiteral("/api/v1/operator/ticket-queue"), Access::Operator, 0, ticketQueue});
}

} // namespace cairn::server
