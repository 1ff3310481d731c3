// The holiday calendar of restore tickets for operators (GET /operator/calendar, PUT and DELETE
// /operator/calendar/{date}): the shipped Korean public holidays and the operators' changes, with
// the same rules as `cairn-server calendar add/remove/list` (CalendarCommands.cpp). Ticket due
// times read the changes from the catalog on every request (ticketCalendar), so a change here
// applies to the next ticket at once. Handlers run on the HTTP worker threads (see Api.h).
#include "api/Api.h"
#include "api/JsonInput.h"

#include "calendar/BusinessCalendar.h"

#include <QJsonArray>

#include <map>

namespace cairn::server {

namespace {

constexpr int kNoteMaxLength = 200;

QJsonObject dayJson(const QDate &date, bool closed, const QString &source, const std::optional<Holiday> &shipped,
    const std::optional<CalendarDay> &change, const BusinessCalendar &calendar)
{
    QJsonObject o {{QStringLiteral("date"), date.toString(Qt::ISODate)}, {QStringLiteral("closed"), closed},
        {QStringLiteral("source"), source}, {QStringLiteral("weekday"), date.dayOfWeek()}};
    if (shipped) {
        o.insert(QStringLiteral("name_ko"), shipped->nameKo);
        o.insert(QStringLiteral("name_en"), shipped->nameEn);
        o.insert(QStringLiteral("kind"), holidayKindName(shipped->kind));
    } else if (closed) { // a day an operator added: its note names it in both languages
        o.insert(QStringLiteral("name_ko"), calendar.holidayName(date, QStringLiteral("ko")));
        o.insert(QStringLiteral("name_en"), calendar.holidayName(date, QStringLiteral("en")));
        o.insert(QStringLiteral("kind"), holidayKindName(HolidayKind::Operator));
    } else {
        o.insert(QStringLiteral("name_ko"), QString());
        o.insert(QStringLiteral("name_en"), QString());
        o.insert(QStringLiteral("kind"), QJsonValue());
    }
    o.insert(QStringLiteral("note"), change ? change->note : QString());
    o.insert(QStringLiteral("changed_by"), change ? QJsonValue(change->changedBy) : QJsonValue());
    o.insert(QStringLiteral("changed_at"), change ? isoTime(change->changedAt) : QJsonValue());
    return o;
}

// The shipped holiday of `date`, if any.
std::optional<Holiday> shippedHoliday(const BusinessCalendar &calendar, const QDate &date)
{
    for (const Holiday &h : calendar.shippedHolidaysIn(date.year())) {
        if (h.date == date)
            return h;
    }
    return std::nullopt;
}

std::optional<CalendarDay> changeOf(const QList<CalendarDay> &days, const QDate &date)
{
    for (const CalendarDay &d : days) {
        if (d.day == date)
            return d;
    }
    return std::nullopt;
}

std::vector<CalendarOverride> overridesOf(const QList<CalendarDay> &days, const QDate &without = QDate())
{
    std::vector<CalendarOverride> out;
    for (const CalendarDay &d : days) {
        if (d.day != without)
            out.push_back(CalendarOverride {d.day, d.closed, d.note});
    }
    return out;
}

QJsonObject businessHoursJson()
{
    return QJsonObject {
        {QStringLiteral("open"), QStringLiteral("%1:00").arg(BusinessCalendar::openingHour, 2, 10, QLatin1Char('0'))},
        {QStringLiteral("close"), QStringLiteral("%1:00").arg(BusinessCalendar::closingHour, 2, 10, QLatin1Char('0'))},
        {QStringLiteral("time_zone"), QStringLiteral("Asia/Seoul")},
        {QStringLiteral("weekdays"), QJsonArray {1, 2, 3, 4, 5}}};
}

// The {date} of the path, or the 400 to answer.
std::variant<QDate, HttpResponse> pathDate(const ApiCall &call)
{
    const QString text = call.params.value(QStringLiteral("date"));
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (text.size() != 10 || !date.isValid())
        return badRequest(QStringLiteral("the date must be YYYY-MM-DD"), QStringLiteral("date"));
    return date;
}

// GET /operator/calendar?year=YYYY (default: this year in Asia/Seoul on the server's clock).
HttpResponse listCalendar(ApiCall &call)
{
    auto days = call.server.catalog.calendarDays();
    if (!days)
        return errorResponse(days.error());
    auto calendar = BusinessCalendar::shipped(overridesOf(*days));
    if (!calendar)
        return errorResponse(calendar.error());
    int year = BusinessCalendar::localDate(call.server.now()).year();
    if (call.request.query.hasQueryItem(QStringLiteral("year"))) {
        bool ok = false;
        year = call.request.query.queryItemValue(QStringLiteral("year")).toInt(&ok);
        if (!ok)
            year = 0;
    }
    const int firstYear = calendar->firstCoveredDay().year(), lastYear = calendar->lastCoveredDay().year();
    if (year < firstYear || year > lastYear)
        return badRequest(QStringLiteral("year must be from %1 to %2 (the years the holiday data covers)")
                              .arg(firstYear)
                              .arg(lastYear),
            QStringLiteral("year"));
    // Every shipped holiday, then the operators' changes of the year on top (by date).
    std::map<QDate, QJsonObject> byDate;
    for (const Holiday &h : calendar->shippedHolidaysIn(year))
        byDate[h.date] = dayJson(h.date, true, QStringLiteral("shipped"), h, std::nullopt, *calendar);
    for (const CalendarDay &d : *days) {
        if (d.day.year() == year)
            byDate[d.day]
                = dayJson(d.day, d.closed, QStringLiteral("operator"), shippedHoliday(*calendar, d.day), d, *calendar);
    }
    QJsonArray out;
    for (const auto &entry : byDate)
        out.append(entry.second);
    return HttpResponse::json(200,
        QJsonObject {{QStringLiteral("year"), year}, {QStringLiteral("business_hours"), businessHoursJson()},
            {QStringLiteral("first_day"), calendar->firstCoveredDay().toString(Qt::ISODate)},
            {QStringLiteral("last_day"), calendar->lastCoveredDay().toString(Qt::ISODate)},
            {QStringLiteral("days"), out}});
}

// PUT /operator/calendar/{date} {"closed": true|false, "note": "…"}: replaces that day's change.
// A change that leaves the day as shipped drops the earlier change instead (as `calendar add`
// after `calendar remove` does), and is refused if there was none.
HttpResponse putCalendarDay(ApiCall &call)
{
    auto parsed = pathDate(call);
    if (auto *bad = std::get_if<HttpResponse>(&parsed))
        return *bad;
    const QDate date = std::get<QDate>(parsed);
    JsonInput in(call.request.body);
    const auto closed = in.boolean(QStringLiteral("closed"), JsonInput::Presence::Required);
    const auto note = in.string(QStringLiteral("note"), JsonInput::Presence::Optional, kNoteMaxLength);
    if (closed && *closed && note.value_or(QString()).trimmed().isEmpty())
        in.fail(QStringLiteral("note"),
            QStringLiteral("is required for a day off: the day's name (e.g. \"국회의원 선거\")"));
    if (note && note->contains(QChar(0)))
        in.fail(QStringLiteral("note"), QStringLiteral("must not contain a NUL character"));
    if (auto bad = in.finish())
        return *bad;
    auto days = call.server.catalog.calendarDays();
    if (!days)
        return errorResponse(days.error());
    const std::optional<CalendarDay> previous = changeOf(*days, date);
    auto others = BusinessCalendar::shipped(overridesOf(*days, date));
    if (!others)
        return errorResponse(others.error());
    if (!others->covers(date))
        return badRequest(QStringLiteral("%1 is outside the days the holiday data covers (%2 to %3)")
                              .arg(date.toString(Qt::ISODate), others->firstCoveredDay().toString(Qt::ISODate),
                                  others->lastCoveredDay().toString(Qt::ISODate)),
            QStringLiteral("date"));
    const CalendarOverride change {date, *closed, note.value_or(QString()).trimmed()};
    QJsonObject detail {{QStringLiteral("date"), date.toString(Qt::ISODate)}, {QStringLiteral("closed"), *closed},
        {QStringLiteral("note"), change.note},
        {QStringLiteral("previous"),
            previous ? QJsonValue(
                QJsonObject {{QStringLiteral("closed"), previous->closed}, {QStringLiteral("note"), previous->note}})
                     : QJsonValue()}};
    if (Status s = others->checkOverride(change); !s.ok()) {
        if (!previous) // nothing to change and nothing to undo
            return badRequest(s.error().message, QStringLiteral("closed"));
        if (Status r = call.server.catalog.removeCalendarDay(date); !r.ok() && r.error().code != ErrorCode::NotFound)
            return errorResponse(r.error());
        detail.insert(QStringLiteral("as_shipped"), true);
    } else {
        CalendarDay record;
        record.day = date;
        record.closed = *closed;
        record.note = change.note;
        record.changedBy = QStringLiteral("operator:%1").arg(call.principal.userId);
        record.changedAt = call.server.now();
        if (Status s = call.server.catalog.setCalendarDay(record); !s.ok())
            return errorResponse(s.error());
    }
    call.audit(QStringLiteral("calendar.change"), QStringLiteral("calendar:%1").arg(date.toString(Qt::ISODate)),
        std::nullopt, detail);
    auto now = call.server.catalog.calendarDays();
    if (!now)
        return errorResponse(now.error());
    auto calendar = BusinessCalendar::shipped(overridesOf(*now));
    if (!calendar)
        return errorResponse(calendar.error());
    const std::optional<CalendarDay> current = changeOf(*now, date);
    const std::optional<Holiday> shipped = shippedHoliday(*calendar, date);
    const bool dayOff = calendar->holiday(date).has_value() || date.dayOfWeek() > 5;
    return HttpResponse::json(200,
        dayJson(date, current ? current->closed : dayOff,
            current ? QStringLiteral("operator") : QStringLiteral("shipped"), shipped, current, *calendar));
}

// DELETE /operator/calendar/{date}: the day is as shipped again. 404 if it has no change.
HttpResponse deleteCalendarDay(ApiCall &call)
{
    auto parsed = pathDate(call);
    if (auto *bad = std::get_if<HttpResponse>(&parsed))
        return *bad;
    const QDate date = std::get<QDate>(parsed);
    auto days = call.server.catalog.calendarDays();
    if (!days)
        return errorResponse(days.error());
    const std::optional<CalendarDay> previous = changeOf(*days, date);
    if (Status s = call.server.catalog.removeCalendarDay(date); !s.ok())
        return s.error().code == ErrorCode::NotFound
            ? notFound(QStringLiteral("operators have not changed %1").arg(date.toString(Qt::ISODate)))
            : errorResponse(s.error());
    QJsonObject detail {{QStringLiteral("date"), date.toString(Qt::ISODate)}};
    if (previous)
        detail.insert(QStringLiteral("previous"),
            QJsonObject {{QStringLiteral("closed"), previous->closed}, {QStringLiteral("note"), previous->note}});
    call.audit(QStringLiteral("calendar.remove"), QStringLiteral("calendar:%1").arg(date.toString(Qt::ISODate)),
        std::nullopt, detail);
    return HttpResponse::json(200, QJsonObject {{QStringLiteral("removed"), date.toString(Qt::ISODate)}});
}

} // namespace

void addCalendarRoutes(std::vector<Route> &r)
{
    r.push_back({"GET", QStringLiteral("/api/v1/operator/calendar"), Access::Operator, 0, listCalendar});
    r.push_back({"PUT", QStringLiteral("/api/v1/operator/calendar/{date}"), Access::Operator, 4096, putCalendarDay});
    r.push_back({"DELETE", QStringLiteral("/api/v1/operator/calendar/{date}"), Access::Operator, 0, deleteCalendarDay});
}

} // namespace cairn::server
