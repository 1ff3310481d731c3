// The holiday data of the business calendar: which days are public holidays in Korea, read from a
// JSON document (the shipped resources/server/holidays-kr.json, compiled into the server as the
// resource :/cairn/server/holidays-kr.json and installed to share/cairn/server).
//
// Format (version 1):
//   {"header": {"format": 1, "first_day": "2025-01-01", "last_day": "2030-12-31", ...sources,
//               rules and decisions for people...},
//    "holidays": [{"date": "2026-02-16", "name_ko": "설날 전날", "name_en": "Day before Seollal",
//                  "kind": "holiday"}, ...]}
// One entry per day off between first_day and last_day (inclusive), each date at most once; two
// holidays on one day share an entry. kind is "holiday" (a public holiday by law), "substitute"
// (대체공휴일), "election" or "temporary" (임시공휴일). Saturdays and Sundays are not listed, but a
// holiday that falls on one is.
//
// Pure functions and value types; any thread.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QDate>
#include <QString>

#include <vector>

namespace cairn::server {

enum class HolidayKind {
    Statutory, // "holiday": a public holiday by law
    Substitute, // "substitute": 대체공휴일 for a holiday that fell on a weekend or another holiday
    Election, // "election": an election day that is a public holiday
    Temporary, // "temporary": a day the government designated (임시공휴일)
    Operator, // a day off an operator added; never in the data file
};

// The data file's word for a kind ("holiday", "substitute", "election", "temporary"), and
// "operator" for Operator.
QString holidayKindName(HolidayKind kind);

struct Holiday {
    QDate date;
    QString nameKo;
    QString nameEn;
    HolidayKind kind = HolidayKind::Statutory;
};

struct HolidayData {
    QDate firstDay; // the first day the data covers
    QDate lastDay; // the last day the data covers
    std::vector<Holiday> holidays; // ascending by date, no date twice
};

// Reads the JSON document. Anything malformed is refused with ErrorCode::Corrupt and a message
// that names the entry ("holidays[12] (2026-02-30): not a valid date (yyyy-MM-dd)"); a format
// other than 1 with ErrorCode::Unsupported.
Result<HolidayData> parseHolidayData(const QByteArray &json);

} // namespace cairn::server
