// Monthly billing of a tenant (SPEC §5): the price list, the usage a month is computed from, the
// statement that comes out, and its renderings (JSON for keeping and for the API, plain English
// text for the CLI, CSV for operators). Pure computation over values: no clock, no catalog, no
// I/O; every function is thread-safe and may run on any thread.
//
// The rules, all of them:
//
// Money. Amounts are integers in the currency's minor unit (qint64): KRW and JPY have none (1 KRW
//   is 1), USD, EUR and the other listed currencies have cents (1.00 USD is 100). The currencies
//   Cairn knows are listed in currencyMinorDigits(); any other code is refused. Prices are
//   non-negative and at most kMaxPrice minor units.
//
// Days. Every date is a calendar day in the tenant's time zone (billingDay() converts an instant).
//   A period "from A, until B" counts the days A, A+1, ..., B−1: a server registered on day D
//   counts from D, a server removed on day R counts until R−1 (so registered and removed on the
//   same day counts no day); the same holds for the tenant's activation and deactivation.
//
// Active days. The tenant is active from its activation day until its deactivation day (if any).
//   Only active days of the month count: days before activation or from deactivation on count
//   neither servers nor storage, and the base fee is prorated by them. A tenant without an
//   activation date, or with no active day in the month, has no statement (ErrorCode::NotFound).
//   One activation period per tenant: a tenant activated again starts a new period, which the
//   caller passes as a new activation date.
//
// Base fee. baseFeePerMonth × activeDays / daysInMonth (a whole month of activity pays it once).
//
// Servers. For each active day, servers(day) = the servers registered that day. The allowance is
//   per day: extraServerDays = Σ max(0, servers(day) − includedServers). The charge is
//   extraServerDays / daysInMonth × extraServerPerMonth; the quantity shown is extraServerDays /
//   daysInMonth server-months.
//
// Storage. The tenant's stored bytes (deduplicated, compressed) are sampled once a day. The
//   average is taken over the active days of the month that have a sample: a day without a
//   sample is not invented, and sampledDays tells how many days were sampled (no sample at all:
//   no storage charge). The allowance is subtracted from the average, not from each day:
//   extraAverageBytes = max(0, average − includedBytes). That excess is held for the active part
//   of the month: extra GB-months = extraAverageBytes / 10^9 × activeDays / daysInMonth (1 GB is
//   10^9 bytes), charged at extraGbPerMonth. For a whole active month this is simply
//   (average − 100 GB) / 10^9 GB-months; in a month of activation or deactivation the allowance
//   and the excess both shrink with the base fee. The statement shows the average, the
//   allowance and the excess.
//
// Rounding. Every line is computed exactly (integer arithmetic on the exact fractions), then
//   rounded to the minor unit, half up (0.5 becomes 1). The total is the sum of the rounded
//   lines. Quantities are shown rounded half up to 6 decimals; the amounts use the exact ones.
//
// Deactivation. In the month the tenant is deactivated (its service ends), the days from the
//   deactivation day on are not active: the base fee is prorated, and servers and storage count
//   only up to the day before. A month wholly after deactivation has no statement.
//
// Estimates. computeEstimate() is the same computation with the month cut after `throughDay`:
//   charges accrued so far (base fee for the active days so far, server-days so far, storage
//   averaged over the samples so far and held for the active days so far). The days-in-month
//   denominator stays that of the whole month, so the estimate on the last day of the month
//   equals the final statement.
//
// Limits. The sum of the month's storage samples must fit in a qint64 (about 297 PB held for 31
//   days); each amount must fit in a qint64. Beyond that the computation refuses with
//   InvalidArgument rather than give a wrong figure.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace cairn::server::billing {

// --- Money

constexpr qint64 kMaxPrice = 1'000'000'000'000'000; // minor units, for any one price
constexpr qint64 kBytesPerGb = 1'000'000'000;

// Digits of the minor unit of an ISO 4217 code Cairn knows (KRW 0, JPY 0, USD/EUR/GBP/CNY/CHF/
// CAD/AUD/SGD/HKD/TWD 2), none for any other (codes are upper case; "krw" is unknown).
std::optional<int> currencyMinorDigits(const QString &code);

enum class DigitGrouping { None, Thousands };

// "1234.50" for 123450 with 2 minor digits, "50000" (or "50,000" with Thousands) for KRW 50000,
// "-0.05" for −5 with 2 digits.
QString formatAmount(qint64 minorUnits, int minorDigits, DigitGrouping grouping = DigitGrouping::None);

// Reads a decimal amount typed by an operator: digits, an optional '-', and at most `minorDigits`
// decimals after a '.' ("12.5" and "12.50" are 1250 for USD; "12.505" is refused; KRW "500" is
// 500; no grouping commas). Errors name `field`.
Result<qint64> parseAmount(const QString &text, int minorDigits, const QString &field);

// --- Calendar

// A calendar month, written "YYYY-MM".
struct Month {
    int year = 0;
    int month = 0; // 1–12

    // Refuses anything but "YYYY-MM" with a year 1–9999 and a month 01–12; errors name "month".
    static Result<Month> fromString(const QString &text);
    static Month containing(QDate day);

    bool isValid() const;
    QString toString() const; // "2028-02"
    QDate firstDay() const;
    QDate lastDay() const;
    int days() const; // 28–31

    bool operator==(const Month &o) const { return year == o.year && month == o.month; }
    bool operator!=(const Month &o) const { return !(*this == o); }
    bool operator<(const Month &o) const { return year != o.year ? year < o.year : month < o.month; }
};

// The calendar day of `instant` in the tenant's time zone (IANA id such as "Asia/Seoul"; an empty
// or unknown id means UTC). Callers turn catalog times (activation, enrolment, removal) into days
// with it.
QDate billingDay(const QDateTime &instant, const QByteArray &timeZone);

// --- Prices (operator settings)

struct PriceList {
    QString currency; // ISO 4217 code known to currencyMinorDigits()
    qint64 baseFeePerMonth = 0; // minor units per month
    qint64 extraServerPerMonth = 0; // minor units per server-month beyond the included servers
    qint64 extraGbPerMonth = 0; // minor units per GB-month beyond the included storage
    int includedServers = 2; // 0–1,000,000
    qint64 includedBytes = 100 * kBytesPerGb; // 0–10^18

    // Success, or InvalidArgument naming the field ("prices.currency", "prices.baseFeePerMonth"...).
    Status validate() const;
    int minorDigits() const; // of the currency; 0 for an unknown one

    // {"currency","minorDigits","baseFeePerMonthMinor","baseFeePerMonth" (decimal string), the
    // same pair for extraServerPerMonth and extraGbPerMonth, "includedServers","includedBytes"}.
    // fromJson reads the minor-unit numbers (the decimal strings are for people) and validates.
    QJsonObject toJson() const;
    static Result<PriceList> fromJson(const QJsonObject &json);

    bool operator==(const PriceList &o) const;
    bool operator!=(const PriceList &o) const { return !(*this == o); }
};

// --- Usage of one tenant (what the catalog knows)

struct ServerPeriod {
    qint64 agentId = 0; // named in error messages
    QDate registeredOn; // first day counted
    std::optional<QDate> removedOn; // first day no longer counted; none: still registered
};

struct Usage {
    qint64 tenantId = 0;
    QString tenantName;
    std::optional<QDate> activatedOn; // first active day; none: not activated, no statement
    std::optional<QDate> deactivatedOn; // first day no longer active; none: still active
    QList<ServerPeriod> servers; // every server that was registered at some time
    QMap<QDate, qint64> storageSamples; // day → stored bytes that day (other months are ignored)

    // Success, or InvalidArgument naming the field (invalid dates, a removal or deactivation
    // before its start, negative bytes).
    Status validate() const;
};

// --- Statement

enum class StatementKind { Final, Estimate };
const char *statementKindName(StatementKind kind); // "final", "estimate"

enum class LineKind { BaseFee, ExtraServers, ExtraStorage };
const char *lineKindName(LineKind kind); // "base", "servers", "storage"
const char *lineUnitName(LineKind kind); // "month", "server-month", "GB-month"

struct StatementLine {
    LineKind kind = LineKind::BaseFee;
    qint64 quantityMicro = 0; // quantity in millionths of the unit, rounded half up (display)
    qint64 unitPrice = 0; // minor units per unit
    qint64 amount = 0; // minor units, from the exact quantity, rounded half up

    QString quantityText() const; // "0.5", "10", "0.966667"
    bool operator==(const StatementLine &o) const;
    bool operator!=(const StatementLine &o) const { return !(*this == o); }
};

// The figures a statement was computed from, shown so that it can be checked by hand.
struct StatementFigures {
    int daysInMonth = 0;
    int activeDays = 0; // active days counted (estimate: up to throughDay)
    int includedServers = 0;
    qint64 serverDays = 0; // Σ servers(day) over the active days
    qint64 extraServerDays = 0; // Σ max(0, servers(day) − includedServers)
    int sampledDays = 0; // active days with a storage sample
    qint64 storageByteDays = 0; // Σ bytes of those samples
    qint64 averageBytes = 0; // storageByteDays / sampledDays, rounded half up (0 if no sample)
    qint64 includedBytes = 0;
    qint64 extraAverageBytes = 0; // max(0, average − includedBytes), rounded half up

    bool operator==(const StatementFigures &o) const;
    bool operator!=(const StatementFigures &o) const { return !(*this == o); }
};

struct Statement {
    qint64 tenantId = 0;
    QString tenantName;
    Month month;
    StatementKind kind = StatementKind::Final;
    QDate throughDay; // last day counted: the month's last day for a final statement
    QString currency;
    int minorDigits = 0;
    QList<StatementLine> lines; // always three, in this order: base fee, extra servers, extra storage
    qint64 total = 0; // Σ line amounts, minor units
    StatementFigures figures;

    const StatementLine &line(LineKind kind) const { return lines.at(int(kind)); }

    // Stable keys, format 1:
    // {"format":1,"tenantId","tenant","month":"YYYY-MM","kind":"final"|"estimate",
    //  "throughDay":"YYYY-MM-DD","currency","minorDigits",
    //  "lines":[{"kind","unit","quantity" (decimal string),"quantityMicro","unitPriceMinor",
    //            "unitPrice" (decimal string),"amountMinor","amount" (decimal string)} × 3],
    //  "totalMinor","total" (decimal string),
    //  "figures":{"daysInMonth","activeDays","includedServers","serverDays","extraServerDays",
    //             "sampledDays","storageByteDays","averageBytes","includedBytes","extraAverageBytes"}}
    // Integers are JSON integers (exact up to 2^63 in Qt; consumers in JavaScript lose
    // precision past 2^53, which only byte figures of petabytes reach).
    QJsonObject toJson() const;
    // Reads what toJson() wrote, exactly (fromJson(s.toJson()) == s). The minor-unit numbers are
    // authoritative; the decimal strings are ignored. Refuses (ErrorCode::Corrupt, naming the
    // field) a missing or mistyped field, an unknown format, kind or currency, lines out of order,
    // negative figures, a total that is not the sum of the lines, or a throughDay outside the month.
    static Result<Statement> fromJson(const QJsonObject &json);

    // Plain English text for the CLI: header, a table of the three lines and the total, then the
    // server and storage figures. Ends with a newline.
    QString toText() const;

    bool operator==(const Statement &o) const;
    bool operator!=(const Statement &o) const { return !(*this == o); }
};

// The statement of a whole month (call it once the month is over: samples and registrations
// after the month are ignored anyway). Errors: InvalidArgument for bad prices, usage or month
// (naming the field); NotFound for a tenant without activation or without an active day in
// the month.
Result<Statement> computeStatement(const Usage &usage, const PriceList &prices, Month month);

// The running estimate of throughDay's month: the same computation over the days up to and
// including throughDay (see "Estimates" above). Errors as computeStatement ("throughDay" for an
// invalid day).
Result<Statement> computeEstimate(const Usage &usage, const PriceList &prices, QDate throughDay);

// CSV for operators (RFC 4180): UTF-8, CRLF line ends, a header row, then one row per statement
// in the given order. Fields with a comma, a double quote, CR or LF are quoted, quotes doubled.
// Columns: tenant_id, tenant, month, kind, through_day, currency, active_days, days_in_month,
// server_days, extra_server_days, extra_server_months, sampled_days, average_bytes,
// extra_average_bytes, extra_gb_months, base_fee, extra_servers, extra_storage, total
// (amounts as decimal strings in the row's currency).
QByteArray statementsCsv(const QList<Statement> &statements);

} // namespace cairn::server::billing
