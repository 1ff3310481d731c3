// JSON of price lists (operator settings) and statements (kept statements, the console API),
// written with stable keys and read back exactly (see Billing.h). Pure functions, any thread.
#include "billing/Billing.h"

#include <QJsonArray>
#include <QJsonValue>

#include <limits>
#include <utility>

namespace cairn::server::billing {

namespace {

constexpr int kStatementFormat = 1;

// Reads fields of one JSON object, refusing with `code` and a message naming the field.
class FieldReader {
public:
    FieldReader(const QJsonObject &object, QString prefix, ErrorCode code)
        : m_object(object), m_prefix(std::move(prefix)), m_code(code)
    {
    }

    Error error(const QString &key, const QString &why) const
    {
        return Error(m_code, QStringLiteral("%1.%2: %3").arg(m_prefix, key, why));
    }

    Result<qint64> integer(const QString &key, qint64 min = 0, qint64 max = std::numeric_limits<qint64>::max()) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return error(key, QStringLiteral("missing"));
        if (!v.isDouble())
            return error(key, QStringLiteral("not a number"));
        // toInteger answers the default for a number with decimals or out of range.
        constexpr qint64 kNotInteger = std::numeric_limits<qint64>::min();
        const qint64 value = v.toInteger(kNotInteger);
        if (value == kNotInteger)
            return error(key, QStringLiteral("not an integer"));
        if (value < min || value > max)
            return error(key, QStringLiteral("%1 is outside %2 to %3").arg(value).arg(min).arg(max));
        return value;
    }

    Result<QString> string(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return error(key, QStringLiteral("missing"));
        if (!v.isString())
            return error(key, QStringLiteral("not a string"));
        return v.toString();
    }

private:
    QJsonObject m_object;
    QString m_prefix;
    ErrorCode m_code;
};

constexpr int kIntMax = std::numeric_limits<int>::max();

} // namespace

// --- PriceList

QJsonObject PriceList::toJson() const
{
    const int digits = minorDigits();
    return QJsonObject {
        {QStringLiteral("currency"), currency},
        {QStringLiteral("minorDigits"), digits},
        {QStringLiteral("baseFeePerMonthMinor"), baseFeePerMonth},
        {QStringLiteral("baseFeePerMonth"), formatAmount(baseFeePerMonth, digits)},
        {QStringLiteral("extraServerPerMonthMinor"), extraServerPerMonth},
        {QStringLiteral("extraServerPerMonth"), formatAmount(extraServerPerMonth, digits)},
        {QStringLiteral("extraGbPerMonthMinor"), extraGbPerMonth},
        {QStringLiteral("extraGbPerMonth"), formatAmount(extraGbPerMonth, digits)},
        {QStringLiteral("includedServers"), includedServers},
        {QStringLiteral("includedBytes"), includedBytes},
    };
}

Result<PriceList> PriceList::fromJson(const QJsonObject &json)
{
    const FieldReader r(json, QStringLiteral("prices"), ErrorCode::InvalidArgument);
    PriceList p;
    auto currency = r.string(QStringLiteral("currency"));
    CAIRN_TRY(currency);
    p.currency = *currency;
    // Signed reads: validate() names a negative price with its own message.
    const qint64 any = std::numeric_limits<qint64>::min() + 1;
    auto base = r.integer(QStringLiteral("baseFeePerMonthMinor"), any);
    CAIRN_TRY(base);
    auto server = r.integer(QStringLiteral("extraServerPerMonthMinor"), any);
    CAIRN_TRY(server);
    auto gb = r.integer(QStringLiteral("extraGbPerMonthMinor"), any);
    CAIRN_TRY(gb);
    auto servers = r.integer(QStringLiteral("includedServers"), 0, kIntMax);
    CAIRN_TRY(servers);
    auto bytes = r.integer(QStringLiteral("includedBytes"));
    CAIRN_TRY(bytes);
    p.baseFeePerMonth = *base;
    p.extraServerPerMonth = *server;
    p.extraGbPerMonth = *gb;
    p.includedServers = int(*servers);
    p.includedBytes = *bytes;
    CAIRN_TRY(p.validate());
    return p;
}

// --- Statement

QJsonObject Statement::toJson() const
{
    QJsonArray lineArray;
    for (const StatementLine &l : lines) {
        lineArray.append(QJsonObject {
            {QStringLiteral("kind"), QLatin1String(lineKindName(l.kind))},
            {QStringLiteral("unit"), QLatin1String(lineUnitName(l.kind))},
            {QStringLiteral("quantity"), l.quantityText()},
            {QStringLiteral("quantityMicro"), l.quantityMicro},
            {QStringLiteral("unitPriceMinor"), l.unitPrice},
            {QStringLiteral("unitPrice"), formatAmount(l.unitPrice, minorDigits)},
            {QStringLiteral("amountMinor"), l.amount},
            {QStringLiteral("amount"), formatAmount(l.amount, minorDigits)},
        });
    }
    const StatementFigures &f = figures;
    return QJsonObject {
        {QStringLiteral("format"), kStatementFormat},
        {QStringLiteral("tenantId"), tenantId},
        {QStringLiteral("tenant"), tenantName},
        {QStringLiteral("month"), month.toString()},
        {QStringLiteral("kind"), QLatin1String(statementKindName(kind))},
        {QStringLiteral("throughDay"), throughDay.toString(Qt::ISODate)},
        {QStringLiteral("currency"), currency},
        {QStringLiteral("minorDigits"), minorDigits},
        {QStringLiteral("lines"), lineArray},
        {QStringLiteral("totalMinor"), total},
        {QStringLiteral("total"), formatAmount(total, minorDigits)},
        {QStringLiteral("figures"),
            QJsonObject {
                {QStringLiteral("daysInMonth"), f.daysInMonth},
                {QStringLiteral("activeDays"), f.activeDays},
                {QStringLiteral("includedServers"), f.includedServers},
                {QStringLiteral("serverDays"), f.serverDays},
                {QStringLiteral("extraServerDays"), f.extraServerDays},
                {QStringLiteral("sampledDays"), f.sampledDays},
                {QStringLiteral("storageByteDays"), f.storageByteDays},
                {QStringLiteral("averageBytes"), f.averageBytes},
                {QStringLiteral("includedBytes"), f.includedBytes},
                {QStringLiteral("extraAverageBytes"), f.extraAverageBytes},
            }},
    };
}

Result<Statement> Statement::fromJson(const QJsonObject &json)
{
    const FieldReader r(json, QStringLiteral("statement"), ErrorCode::Corrupt);
    Statement st;

    auto format = r.integer(QStringLiteral("format"));
    CAIRN_TRY(format);
    if (*format != kStatementFormat)
        return Error(ErrorCode::Unsupported, QStringLiteral("statement.format: %1 is not a known format").arg(*format));

    auto tenantId = r.integer(QStringLiteral("tenantId"));
    CAIRN_TRY(tenantId);
    st.tenantId = *tenantId;
    auto tenant = r.string(QStringLiteral("tenant"));
    CAIRN_TRY(tenant);
    st.tenantName = *tenant;

    auto monthText = r.string(QStringLiteral("month"));
    CAIRN_TRY(monthText);
    auto month = Month::fromString(*monthText);
    if (!month.ok())
        return r.error(QStringLiteral("month"), month.error().message);
    st.month = *month;

    auto kindText = r.string(QStringLiteral("kind"));
    CAIRN_TRY(kindText);
    if (*kindText == QLatin1String(statementKindName(StatementKind::Final)))
        st.kind = StatementKind::Final;
    else if (*kindText == QLatin1String(statementKindName(StatementKind::Estimate)))
        st.kind = StatementKind::Estimate;
    else
        return r.error(QStringLiteral("kind"), QStringLiteral("unknown kind '%1'").arg(*kindText));

    auto through = r.string(QStringLiteral("throughDay"));
    CAIRN_TRY(through);
    st.throughDay = QDate::fromString(*through, Qt::ISODate);
    if (!st.throughDay.isValid() || Month::containing(st.throughDay) != st.month)
        return r.error(
            QStringLiteral("throughDay"), QStringLiteral("'%1' is not a day of %2").arg(*through, *monthText));
    if (st.kind == StatementKind::Final && st.throughDay != st.month.lastDay())
        return r.error(QStringLiteral("throughDay"), QStringLiteral("a final statement runs to the month's last day"));

    auto currency = r.string(QStringLiteral("currency"));
    CAIRN_TRY(currency);
    st.currency = *currency;
    const std::optional<int> digits = currencyMinorDigits(st.currency);
    if (!digits)
        return r.error(QStringLiteral("currency"), QStringLiteral("unknown currency '%1'").arg(st.currency));
    auto minorDigits = r.integer(QStringLiteral("minorDigits"), 0, 9);
    CAIRN_TRY(minorDigits);
    if (*minorDigits != *digits)
        return r.error(QStringLiteral("minorDigits"),
            QStringLiteral("%1 has %2 minor digits, not %3").arg(st.currency).arg(*digits).arg(*minorDigits));
    st.minorDigits = *digits;

    const QJsonValue linesValue = json.value(QStringLiteral("lines"));
    if (!linesValue.isArray() || linesValue.toArray().size() != 3)
        return r.error(QStringLiteral("lines"), QStringLiteral("not an array of three lines"));
    const QJsonArray lineArray = linesValue.toArray();
    qint64 sum = 0;
    for (int i = 0; i < 3; ++i) {
        if (!lineArray.at(i).isObject())
            return r.error(QStringLiteral("lines[%1]").arg(i), QStringLiteral("not an object"));
        const FieldReader lr(
            lineArray.at(i).toObject(), QStringLiteral("statement.lines[%1]").arg(i), ErrorCode::Corrupt);
        StatementLine line;
        line.kind = LineKind(i);
        auto kind = lr.string(QStringLiteral("kind"));
        CAIRN_TRY(kind);
        if (*kind != QLatin1String(lineKindName(line.kind)))
            return lr.error(QStringLiteral("kind"),
                QStringLiteral("'%1' where '%2' belongs").arg(*kind, QLatin1String(lineKindName(line.kind))));
        auto quantity = lr.integer(QStringLiteral("quantityMicro"));
        CAIRN_TRY(quantity);
        auto unitPrice = lr.integer(QStringLiteral("unitPriceMinor"), 0, kMaxPrice);
        CAIRN_TRY(unitPrice);
        auto amount = lr.integer(QStringLiteral("amountMinor"));
        CAIRN_TRY(amount);
        line.quantityMicro = *quantity;
        line.unitPrice = *unitPrice;
        line.amount = *amount;
        if (line.amount > std::numeric_limits<qint64>::max() - sum)
            return lr.error(QStringLiteral("amountMinor"), QStringLiteral("the sum of the lines overflows"));
        sum += line.amount;
        st.lines.append(line);
    }
    auto total = r.integer(QStringLiteral("totalMinor"));
    CAIRN_TRY(total);
    if (*total != sum)
        return r.error(
            QStringLiteral("totalMinor"), QStringLiteral("%1 is not the sum of the lines (%2)").arg(*total).arg(sum));
    st.total = *total;

    const QJsonValue figuresValue = json.value(QStringLiteral("figures"));
    if (!figuresValue.isObject())
        return r.error(QStringLiteral("figures"), QStringLiteral("not an object"));
    const FieldReader fr(figuresValue.toObject(), QStringLiteral("statement.figures"), ErrorCode::Corrupt);
    StatementFigures &f = st.figures;
    struct IntField {
        const char *key;
        int *target;
    } intFields[] = {
        {"daysInMonth", &f.daysInMonth},
        {"activeDays", &f.activeDays},
        {"includedServers", &f.includedServers},
        {"sampledDays", &f.sampledDays},
    };
    for (const IntField &field : intFields) {
        auto v = fr.integer(QLatin1String(field.key), 0, kIntMax);
        CAIRN_TRY(v);
        *field.target = int(*v);
    }
    struct WideField {
        const char *key;
        qint64 *target;
    } wideFields[] = {
        {"serverDays", &f.serverDays},
        {"extraServerDays", &f.extraServerDays},
        {"storageByteDays", &f.storageByteDays},
        {"averageBytes", &f.averageBytes},
        {"includedBytes", &f.includedBytes},
        {"extraAverageBytes", &f.extraAverageBytes},
    };
    for (const WideField &field : wideFields) {
        auto v = fr.integer(QLatin1String(field.key));
        CAIRN_TRY(v);
        *field.target = *v;
    }
    if (f.daysInMonth != st.month.days())
        return fr.error(QStringLiteral("daysInMonth"),
            QStringLiteral("%1 has %2 days, not %3").arg(*monthText).arg(st.month.days()).arg(f.daysInMonth));
    if (f.activeDays > f.daysInMonth || f.sampledDays > f.activeDays)
        return fr.error(QStringLiteral("activeDays"), QStringLiteral("more active or sampled days than the month has"));
    return st;
}

} // namespace cairn::server::billing
