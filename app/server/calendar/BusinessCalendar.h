// The business calendar of restore tickets (SPEC §4): business hours are 10:00-19:00 Asia/Seoul,
// Monday to Friday, except Korean public holidays (shipped as data, see HolidayData.h) and the
// days operators add; operators can also turn a shipped holiday into a working day. It answers
// whether a day is a business day, when a ticket is due (3 business hours after submission by
// default) and how much business time lies between two instants.
//
// Semantics of the due time (business minutes M, 180 by default):
//   - Business time runs only inside [10:00, 19:00) of business days. A submission inside business
//     hours starts the clock at once; one outside waits for the next opening. 10:00 is inside,
//     19:00 is outside: submitted at 10:00 -> due 13:00; at 09:59 -> 13:00 the same day (if a
//     business day); at 19:00 -> next opening + 3 h; at 18:59 -> 1 minute today + 2 h 59 min of
//     the next business day = 12:59.
//   - When the business time runs out exactly at a closing, the due time is that closing (16:00 ->
//     19:00 the same day), not the next opening.
//   - Seconds and milliseconds are kept: submitted 14:30:15.250 -> due 17:30:15.250.
//   - The submission may be in any time zone; the due time is returned in Asia/Seoul. Korea keeps
//     UTC+9 all year (no daylight saving time since 1988), so local time here is UTC+9.
//   - A due time past the last day the data covers (or a submission before its first day) is
//     refused with ErrorCode::NotFound instead of guessed.
//
// Overrides are applied in order (a later one for the same date wins): closed=true makes the date
// a day off named by its note; closed=false makes a holiday of that date a working day. A Saturday
// or Sunday is never a business day, whatever the overrides. checkOverride() tells the console or
// CLI whether an override would change anything before it is stored.
//
// Outside the covered days no day is a business day (there is no data to say otherwise): covers()
// tells whether a day is inside.
//
// An immutable value type: build it once (shipped() parses a few kilobytes) and use it from any
// thread.
#pragma once

#include "base/Result.h"
#include "calendar/HolidayData.h"
#include "calendar/SlaClock.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <map>
#include <optional>
#include <vector>

namespace cairn::server {

struct CalendarOverride {
    QDate date;
    bool closed = true; // true: an extra day off (e.g. an election day); false: a working day
    QString note; // the day's name when closed (shown in both languages), a reason when opened
};

class BusinessCalendar {
public:
    static constexpr int openingHour = 10;
    static constexpr int closingHour = 19;
    static constexpr int defaultSlaMinutes = 180;

    // Asia/Seoul (a fixed UTC+9 zone where the system has no time zone data).
    static QTimeZone timeZone();
    // The day in Asia/Seoul of an instant; invalid for an invalid instant.
    static QDate localDate(const QDateTime &instant);
    // Where the shipped holiday data lives inside the program.
    static QString shippedDataPath(); // ":/cairn/server/holidays-kr.json"

    // The shipped data with `overrides`. Bad data or a bad override -> an Error naming the entry.
    static Result<BusinessCalendar> shipped(const std::vector<CalendarOverride> &overrides = {});
    // The given data (see HolidayData.h) with `overrides`. An override with an invalid date is
    // refused (ErrorCode::InvalidArgument); one outside the covered days is kept but changes nothing.
    static Result<BusinessCalendar> fromJson(
        const QByteArray &json, const std::vector<CalendarOverride> &overrides = {});

    QDate firstCoveredDay() const { return m_first; }
    QDate lastCoveredDay() const { return m_last; }
    bool covers(const QDate &day) const { return day.isValid() && day >= m_first && day <= m_last; }

    // Monday-Friday, covered, and not a day off after overrides.
    bool isBusinessDay(const QDate &day) const;
    // The day off on `day` after overrides (shipped or added by an operator), if any; a holiday
    // that falls on a weekend is reported too.
    std::optional<Holiday> holiday(const QDate &day) const;
    // Its name: Korean for a language starting with "ko", English otherwise; empty if none.
    QString holidayName(const QDate &day, const QString &language) const;
    // Every day off of `year` after overrides, ascending (for `calendar list`).
    std::vector<Holiday> holidaysIn(int year) const;
    // The shipped holidays of `year`, before overrides, ascending.
    std::vector<Holiday> shippedHolidaysIn(int year) const;
    const std::vector<CalendarOverride> &overrides() const { return m_overrides; }

    // Whether adding `change` would change this calendar: the date must be valid and covered; a
    // closing must fall on a weekday that is not already a day off; an opening on a day off that is
    // not a Saturday or Sunday. ErrorCode::InvalidArgument with a sentence otherwise.
    Status checkOverride(const CalendarOverride &change) const;

    // The due instant of a ticket submitted at `submitted` (see the semantics above), in
    // Asia/Seoul. businessMinutes must be positive (ErrorCode::InvalidArgument otherwise, and for
    // an invalid `submitted`).
    Result<QDateTime> dueAt(const QDateTime &submitted, int businessMinutes = defaultSlaMinutes) const;

    // Business seconds in [from, to) (whole seconds, rounded toward zero); negative when `to` is
    // before `from` (the business time by which a due time was overrun, for example). Days outside
    // the covered range count nothing. 0 for an invalid instant.
    qint64 businessSecondsBetween(const QDateTime &from, const QDateTime &to) const;

    // See slaState() in SlaClock.h.
    static SlaState state(const QDateTime &due, const QDateTime &now, const std::optional<QDateTime> &finished)
    {
        return slaState(due, now, finished);
    }

private:
    BusinessCalendar() = default;

    QDate m_first;
    QDate m_last;
    std::map<QDate, Holiday> m_shipped; // the data as shipped
    std::map<QDate, Holiday> m_daysOff; // after overrides
    std::vector<CalendarOverride> m_overrides;
};

} // namespace cairn::server
