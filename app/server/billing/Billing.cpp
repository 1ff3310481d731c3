// The billing computation: calendar months, validation of prices and usage, and the statement of
// a month or the running estimate (rules in Billing.h). Pure functions, any thread.
#include "billing/Billing.h"

#include <QTimeZone>

#include <algorithm>
#include <limits>

namespace cairn::server::billing {

namespace {

using Wide = __int128; // exact products of prices, days and bytes (at most ~3·10^35 here)

constexpr qint64 kMicro = 1'000'000;
constexpr int kMaxIncludedServers = 1'000'000;
constexpr qint64 kMaxIncludedBytes = 1'000'000'000'000'000'000;

// num / den rounded half up, for num ≥ 0 and den > 0.
Wide divideHalfUp(Wide num, Wide den)
{
    return (2 * num + den) / (2 * den);
}

Error invalid(const QString &message)
{
    return Error(ErrorCode::InvalidArgument, message);
}

bool fitsQint64(Wide v)
{
    return v >= 0 && v <= Wide(std::numeric_limits<qint64>::max());
}

Status checkPrice(qint64 value, const char *field)
{
    if (value < 0)
        return invalid(QStringLiteral("prices.%1: must not be negative (%2)").arg(QLatin1String(field)).arg(value));
    if (value > kMaxPrice)
        return invalid(QStringLiteral("prices.%1: %2 is above the limit of %3 minor units")
                           .arg(QLatin1String(field))
                           .arg(value)
                           .arg(kMaxPrice));
    return Status::success();
}

// Whether `day` lies in the period [from, until) (until none: open-ended).
bool inPeriod(QDate day, QDate from, const std::optional<QDate> &until)
{
    return day >= from && (!until || day < *until);
}

} // namespace

// --- Month

Result<Month> Month::fromString(const QString &text)
{
    const auto refuse = [&] { return invalid(QStringLiteral("month: '%1' is not a month (YYYY-MM)").arg(text)); };
    if (text.size() != 7 || text.at(4) != QLatin1Char('-'))
        return refuse();
    for (int i : {0, 1, 2, 3, 5, 6}) {
        if (text.at(i) < QLatin1Char('0') || text.at(i) > QLatin1Char('9'))
            return refuse();
    }
    Month m;
    m.year = text.left(4).toInt();
    m.month = text.mid(5, 2).toInt();
    if (!m.isValid())
        return refuse();
    return m;
}

Month Month::containing(QDate day)
{
    return Month {day.year(), day.month()};
}

bool Month::isValid() const
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12;
}

QString Month::toString() const
{
    return QStringLiteral("%1-%2").arg(year, 4, 10, QLatin1Char('0')).arg(month, 2, 10, QLatin1Char('0'));
}

QDate Month::firstDay() const
{
    return QDate(year, month, 1);
}

QDate Month::lastDay() const
{
    return QDate(year, month, days());
}

int Month::days() const
{
    return isValid() ? firstDay().daysInMonth() : 0;
}

QDate billingDay(const QDateTime &instant, const QByteArray &timeZone)
{
    QTimeZone zone = QTimeZone::utc();
    if (!timeZone.isEmpty() && QTimeZone::isTimeZoneIdAvailable(timeZone))
        zone = QTimeZone(timeZone);
    return instant.toTimeZone(zone).date();
}

// --- PriceList

Status PriceList::validate() const
{
    if (currency.isEmpty())
        return invalid(QStringLiteral("prices.currency: missing"));
    if (!currencyMinorDigits(currency))
        return invalid(QStringLiteral("prices.currency: unknown currency '%1'").arg(currency));
    CAIRN_TRY(checkPrice(baseFeePerMonth, "baseFeePerMonth"));
    CAIRN_TRY(checkPrice(extraServerPerMonth, "extraServerPerMonth"));
    CAIRN_TRY(checkPrice(extraGbPerMonth, "extraGbPerMonth"));
    if (includedServers < 0 || includedServers > kMaxIncludedServers)
        return invalid(QStringLiteral("prices.includedServers: %1 is outside 0 to %2")
                           .arg(includedServers)
                           .arg(kMaxIncludedServers));
    if (includedBytes < 0 || includedBytes > kMaxIncludedBytes)
        return invalid(
            QStringLiteral("prices.includedBytes: %1 is outside 0 to %2").arg(includedBytes).arg(kMaxIncludedBytes));
    return Status::success();
}

int PriceList::minorDigits() const
{
    return currencyMinorDigits(currency).value_or(0);
}

bool PriceList::operator==(const PriceList &o) const
{
    return currency == o.currency && baseFeePerMonth == o.baseFeePerMonth
        && extraServerPerMonth == o.extraServerPerMonth && extraGbPerMonth == o.extraGbPerMonth
        && includedServers == o.includedServers && includedBytes == o.includedBytes;
}

// --- Usage

Status Usage::validate() const
{
    if (activatedOn && !activatedOn->isValid())
        return invalid(QStringLiteral("usage.activatedOn: not a valid date"));
    if (deactivatedOn) {
        if (!deactivatedOn->isValid())
            return invalid(QStringLiteral("usage.deactivatedOn: not a valid date"));
        if (!activatedOn)
            return invalid(QStringLiteral("usage.deactivatedOn: set without an activation date"));
        if (*deactivatedOn < *activatedOn)
            return invalid(QStringLiteral("usage.deactivatedOn: %1 is before the activation on %2")
                               .arg(deactivatedOn->toString(Qt::ISODate), activatedOn->toString(Qt::ISODate)));
    }
    for (int i = 0; i < servers.size(); ++i) {
        const ServerPeriod &s = servers.at(i);
        const QString where = QStringLiteral("usage.servers[%1] (agent %2)").arg(i).arg(s.agentId);
        if (!s.registeredOn.isValid())
            return invalid(where + QStringLiteral(".registeredOn: not a valid date"));
        if (s.removedOn && !s.removedOn->isValid())
            return invalid(where + QStringLiteral(".removedOn: not a valid date"));
        if (s.removedOn && *s.removedOn < s.registeredOn)
            return invalid(where
                + QStringLiteral(".removedOn: %1 is before the registration on %2")
                      .arg(s.removedOn->toString(Qt::ISODate), s.registeredOn.toString(Qt::ISODate)));
    }
    for (auto it = storageSamples.cbegin(); it != storageSamples.cend(); ++it) {
        if (!it.key().isValid())
            return invalid(QStringLiteral("usage.storageSamples: a sample has an invalid date"));
        if (it.value() < 0)
            return invalid(QStringLiteral("usage.storageSamples[%1]: negative bytes (%2)")
                               .arg(it.key().toString(Qt::ISODate))
                               .arg(it.value()));
    }
    return Status::success();
}

// --- The computation

namespace {

Result<Statement> compute(
    const Usage &usage, const PriceList &prices, Month month, QDate throughDay, StatementKind kind)
{
    CAIRN_TRY(prices.validate());
    CAIRN_TRY(usage.validate());
    if (!usage.activatedOn)
        return Error(
            ErrorCode::NotFound, QStringLiteral("tenant %1 is not activated: no statement").arg(usage.tenantId));

    const QDate from = std::max(month.firstDay(), *usage.activatedOn);
    QDate until = throughDay.addDays(1); // first day not counted
    if (usage.deactivatedOn)
        until = std::min(until, *usage.deactivatedOn);
    if (from >= until)
        return Error(ErrorCode::NotFound,
            QStringLiteral("tenant %1 was not active in %2 (through %3): no statement")
                .arg(usage.tenantId)
                .arg(month.toString(), throughDay.toString(Qt::ISODate)));

    StatementFigures f;
    f.daysInMonth = month.days();
    f.activeDays = int(from.daysTo(until));
    f.includedServers = prices.includedServers;
    f.includedBytes = prices.includedBytes;

    for (QDate day = from; day < until; day = day.addDays(1)) {
        qint64 servers = 0;
        for (const ServerPeriod &s : usage.servers) {
            if (inPeriod(day, s.registeredOn, s.removedOn))
                ++servers;
        }
        f.serverDays += servers;
        f.extraServerDays += std::max<qint64>(0, servers - prices.includedServers);
    }

    Wide byteDays = 0;
    for (auto it = usage.storageSamples.lowerBound(from); it != usage.storageSamples.cend() && it.key() < until; ++it) {
        byteDays += it.value();
        ++f.sampledDays;
    }
    if (!fitsQint64(byteDays))
        return invalid(QStringLiteral("usage.storageSamples: the month's samples add up to more than a qint64"));
    f.storageByteDays = qint64(byteDays);

    const Wide days = f.daysInMonth;
    const Wide active = f.activeDays;
    Wide extraByteDays = 0; // Σ bytes − included × sampled days: the excess of the average, times sampledDays
    if (f.sampledDays > 0) {
        const Wide sampled = f.sampledDays;
        extraByteDays = std::max<Wide>(0, byteDays - Wide(prices.includedBytes) * sampled);
        f.averageBytes = qint64(divideHalfUp(byteDays, sampled));
        f.extraAverageBytes = qint64(divideHalfUp(extraByteDays, sampled));
    }

    // Each line as the exact fraction amountNum / amountDen of minor units.
    struct Exact {
        LineKind kind;
        Wide quantityNum, quantityDen; // in the line's unit
        qint64 unitPrice;
    };
    const Wide storageDen = Wide(std::max(f.sampledDays, 1)) * kBytesPerGb * days;
    const Exact exact[] = {
        {LineKind::BaseFee, active, days, prices.baseFeePerMonth},
        {LineKind::ExtraServers, f.extraServerDays, days, prices.extraServerPerMonth},
        {LineKind::ExtraStorage, extraByteDays * active, storageDen, prices.extraGbPerMonth},
    };

    Statement st;
    st.tenantId = usage.tenantId;
    st.tenantName = usage.tenantName;
    st.month = month;
    st.kind = kind;
    st.throughDay = throughDay;
    st.currency = prices.currency;
    st.minorDigits = prices.minorDigits();
    Wide total = 0;
    for (const Exact &e : exact) {
        const Wide amount = divideHalfUp(e.quantityNum * e.unitPrice, e.quantityDen);
        const Wide quantityMicro = divideHalfUp(e.quantityNum * kMicro, e.quantityDen);
        if (!fitsQint64(amount) || !fitsQint64(quantityMicro))
            return invalid(QStringLiteral("%1 line of tenant %2 does not fit in a qint64")
                               .arg(QLatin1String(lineKindName(e.kind)))
                               .arg(usage.tenantId));
        st.lines.append(StatementLine {e.kind, qint64(quantityMicro), e.unitPrice, qint64(amount)});
        total += amount;
    }
    if (!fitsQint64(total))
        return invalid(QStringLiteral("the total of tenant %1 does not fit in a qint64").arg(usage.tenantId));
    st.total = qint64(total);
    st.figures = f;
    return st;
}

} // namespace

Result<Statement> computeStatement(const Usage &usage, const PriceList &prices, Month month)
{
    if (!month.isValid())
        return invalid(QStringLiteral("month: %1 is not a month").arg(month.toString()));
    return compute(usage, prices, month, month.lastDay(), StatementKind::Final);
}

Result<Statement> computeEstimate(const Usage &usage, const PriceList &prices, QDate throughDay)
{
    if (!throughDay.isValid() || throughDay.year() < 1 || throughDay.year() > 9999)
        return invalid(QStringLiteral("throughDay: not a valid date"));
    return compute(usage, prices, Month::containing(throughDay), throughDay, StatementKind::Estimate);
}

// --- Names and comparisons

const char *statementKindName(StatementKind kind)
{
    switch (kind) {
    case StatementKind::Final: return "final";
    case StatementKind::Estimate: return "estimate";
    }
    return "final";
}

const char *lineKindName(LineKind kind)
{
    switch (kind) {
    case LineKind::BaseFee: return "base";
    case LineKind::ExtraServers: return "servers";
    case LineKind::ExtraStorage: return "storage";
    }
    return "base";
}

const char *lineUnitName(LineKind kind)
{
    switch (kind) {
    case LineKind::BaseFee: return "month";
    case LineKind::ExtraServers: return "server-month";
    case LineKind::ExtraStorage: return "GB-month";
    }
    return "month";
}

bool StatementLine::operator==(const StatementLine &o) const
{
    return kind == o.kind && quantityMicro == o.quantityMicro && unitPrice == o.unitPrice && amount == o.amount;
}

bool StatementFigures::operator==(const StatementFigures &o) const
{
    return daysInMonth == o.daysInMonth && activeDays == o.activeDays && includedServers == o.includedServers
        && serverDays == o.serverDays && extraServerDays == o.extraServerDays && sampledDays == o.sampledDays
        && storageByteDays == o.storageByteDays && averageBytes == o.averageBytes && includedBytes == o.includedBytes
        && extraAverageBytes == o.extraAverageBytes;
}

bool Statement::operator==(const Statement &o) const
{
    return tenantId == o.tenantId && tenantName == o.tenantName && month == o.month && kind == o.kind
        && throughDay == o.throughDay && currency == o.currency && minorDigits == o.minorDigits && lines == o.lines
        && total == o.total && figures == o.figures;
}

} // namespace cairn::server::billing
