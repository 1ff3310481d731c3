// The business calendar: days off, due times and business time (see BusinessCalendar.h). The
// arithmetic runs on milliseconds of Korean local time (UTC + 9 h) counted from 1970-01-01 00:00
// KST, so a business day d is [d × 24 h + 10 h, d × 24 h + 19 h). Immutable value; any thread.
#include "calendar/BusinessCalendar.h"

#include <QFile>

#include <algorithm>

namespace cairn::server {

namespace {

constexpr qint64 hourMs = 3600 * 1000;
constexpr qint64 dayMs = 24 * hourMs;
constexpr qint64 kstOffsetMs = 9 * hourMs; // Korea: UTC+9, no daylight saving time since 1988
constexpr qint64 julianDayOfEpoch = 2440588; // 1970-01-01

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// Milliseconds of Korean local time since 1970-01-01 00:00 KST.
qint64 localMs(const QDateTime &instant)
{
    return instant.toMSecsSinceEpoch() + kstOffsetMs;
}

qint64 dayIndex(const QDate &day)
{
    return day.toJulianDay() - julianDayOfEpoch;
}

QDate dayAt(qint64 index)
{
    return QDate::fromJulianDay(index + julianDayOfEpoch);
}

qint64 openingMs(qint64 index)
{
    return index * dayMs + BusinessCalendar::openingHour * hourMs;
}

qint64 closingMs(qint64 index)
{
    return index * dayMs + BusinessCalendar::closingHour * hourMs;
}

bool isWeekend(const QDate &day)
{
    return day.dayOfWeek() >= 6;
}

QString iso(const QDate &day)
{
    return day.toString(Qt::ISODate);
}

} // namespace

QTimeZone BusinessCalendar::timeZone()
{
    static const QTimeZone zone = [] {
        QTimeZone seoul(QByteArrayLiteral("Asia/Seoul"));
        return seoul.isValid() ? seoul : QTimeZone(9 * 3600);
    }();
    return zone;
}

QDate BusinessCalendar::localDate(const QDateTime &instant)
{
    if (!instant.isValid())
        return {};
    return dayAt(floorDiv(localMs(instant), dayMs));
}

QString BusinessCalendar::shippedDataPath()
{
    return QStringLiteral(":/cairn/server/holidays-kr.json");
}

Result<BusinessCalendar> BusinessCalendar::shipped(const std::vector<CalendarOverride> &overrides)
{
    QFile file(shippedDataPath());
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::NotFound,
            QStringLiteral("the shipped holiday data %1 is missing from this build").arg(shippedDataPath()));
    return fromJson(file.readAll(), overrides);
}

Result<BusinessCalendar> BusinessCalendar::fromJson(
    const QByteArray &json, const std::vector<CalendarOverride> &overrides)
{
    Result<HolidayData> data = parseHolidayData(json);
    if (!data.ok())
        return data.error();

    BusinessCalendar calendar;
    calendar.m_first = data->firstDay;
    calendar.m_last = data->lastDay;
    for (Holiday &holiday : data->holidays)
        calendar.m_shipped.emplace(holiday.date, std::move(holiday));
    calendar.m_daysOff = calendar.m_shipped;

    for (std::size_t i = 0; i < overrides.size(); ++i) {
        const CalendarOverride &change = overrides[i];
        if (!change.date.isValid())
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("calendar override %1 (%2): not a valid date").arg(i).arg(change.note));
        calendar.m_overrides.push_back(change);
        if (!calendar.covers(change.date))
            continue;
        if (change.closed) {
            const QString name = change.note.trimmed().isEmpty() ? QStringLiteral("휴무") : change.note;
            const QString nameEn = change.note.trimmed().isEmpty() ? QStringLiteral("Day off") : change.note;
            calendar.m_daysOff[change.date] = Holiday {change.date, name, nameEn, HolidayKind::Operator};
        } else {
            calendar.m_daysOff.erase(change.date);
        }
    }
    return calendar;
}

bool BusinessCalendar::isBusinessDay(const QDate &day) const
{
    return covers(day) && !isWeekend(day) && m_daysOff.find(day) == m_daysOff.end();
}

std::optional<Holiday> BusinessCalendar::holiday(const QDate &day) const
{
    const auto it = m_daysOff.find(day);
    if (it == m_daysOff.end())
        return std::nullopt;
    return it->second;
}

QString BusinessCalendar::holidayName(const QDate &day, const QString &language) const
{
    const std::optional<Holiday> found = holiday(day);
    if (!found)
        return {};
    return language.startsWith(QLatin1String("ko"), Qt::CaseInsensitive) ? found->nameKo : found->nameEn;
}

namespace {

std::vector<Holiday> ofYear(const std::map<QDate, Holiday> &days, int year)
{
    std::vector<Holiday> result;
    for (auto it = days.lower_bound(QDate(year, 1, 1)); it != days.end() && it->first.year() == year; ++it)
        result.push_back(it->second);
    return result;
}

} // namespace

std::vector<Holiday> BusinessCalendar::holidaysIn(int year) const
{
    return ofYear(m_daysOff, year);
}

std::vector<Holiday> BusinessCalendar::shippedHolidaysIn(int year) const
{
    return ofYear(m_shipped, year);
}

Status BusinessCalendar::checkOverride(const CalendarOverride &change) const
{
    const QDate &day = change.date;
    if (!day.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the date is not valid"));
    if (!covers(day))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 is outside the days the holiday data covers (%2 to %3)")
                .arg(iso(day), iso(m_first), iso(m_last)));
    const std::optional<Holiday> off = holiday(day);
    if (change.closed) {
        if (isWeekend(day))
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 is a Saturday or Sunday, never a business day").arg(iso(day)));
        if (off)
            return Error(
                ErrorCode::InvalidArgument, QStringLiteral("%1 is already a day off (%2)").arg(iso(day), off->nameEn));
        return Status::success();
    }
    if (isWeekend(day))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 is a Saturday or Sunday: business hours are Monday to Friday").arg(iso(day)));
    if (!off)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 is not a holiday: it is a business day already").arg(iso(day)));
    return Status::success();
}

Result<QDateTime> BusinessCalendar::dueAt(const QDateTime &submitted, int businessMinutes) const
{
    if (!submitted.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the submission time is not valid"));
    if (businessMinutes <= 0)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the SLA must be a positive number of business minutes, not %1").arg(businessMinutes));

    const qint64 start = localMs(submitted);
    qint64 remaining = qint64(businessMinutes) * 60 * 1000;
    qint64 index = floorDiv(start, dayMs);
    const QString when = submitted.toTimeZone(timeZone()).toString(Qt::ISODate);
    if (dayAt(index) < m_first)
        return Error(ErrorCode::NotFound,
            QStringLiteral("a ticket submitted at %1 is before %2, the first day the holiday data covers")
                .arg(when, iso(m_first)));
    for (;; ++index) {
        const QDate day = dayAt(index);
        if (day > m_last)
            return Error(ErrorCode::NotFound,
                QStringLiteral("the due time of a ticket submitted at %1 falls after %2, the last day the holiday "
                               "data covers")
                    .arg(when, iso(m_last)));
        if (!isBusinessDay(day))
            continue;
        const qint64 from = std::max(start, openingMs(index));
        const qint64 close = closingMs(index);
        if (from >= close)
            continue;
        if (remaining <= close - from)
            return QDateTime::fromMSecsSinceEpoch(from + remaining - kstOffsetMs, timeZone());
        remaining -= close - from;
    }
}

qint64 BusinessCalendar::businessSecondsBetween(const QDateTime &from, const QDateTime &to) const
{
    if (!from.isValid() || !to.isValid())
        return 0;
    const qint64 a = localMs(from);
    const qint64 b = localMs(to);
    if (b < a)
        return -businessSecondsBetween(to, from);
    qint64 totalMs = 0;
    const qint64 first = std::max(floorDiv(a, dayMs), dayIndex(m_first));
    const qint64 last = std::min(floorDiv(b, dayMs), dayIndex(m_last));
    for (qint64 index = first; index <= last; ++index) {
        if (!isBusinessDay(dayAt(index)))
            continue;
        const qint64 lo = std::max(a, openingMs(index));
        const qint64 hi = std::min(b, closingMs(index));
        if (hi > lo)
            totalMs += hi - lo;
    }
    return totalMs / 1000;
}

} // namespace cairn::server
