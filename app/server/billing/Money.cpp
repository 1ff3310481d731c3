// Billing money: the currencies Cairn knows, and amounts in minor units written and read as
// decimal text (see Billing.h). Pure functions, any thread.
#include "billing/Billing.h"

namespace cairn::server::billing {

namespace {

struct CurrencyDigits {
    const char *code;
    int digits;
};

// Add a currency here to let operators choose it.
constexpr CurrencyDigits kCurrencies[] = {
    {"KRW", 0},
    {"JPY", 0},
    {"USD", 2},
    {"EUR", 2},
    {"GBP", 2},
    {"CNY", 2},
    {"CHF", 2},
    {"CAD", 2},
    {"AUD", 2},
    {"SGD", 2},
    {"HKD", 2},
    {"TWD", 2},
};

QString groupThousands(const QString &digits)
{
    QString out;
    const int n = int(digits.size());
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0)
            out += QLatin1Char(',');
        out += digits.at(i);
    }
    return out;
}

} // namespace

std::optional<int> currencyMinorDigits(const QString &code)
{
    for (const CurrencyDigits &c : kCurrencies) {
        if (code == QLatin1String(c.code))
            return c.digits;
    }
    return std::nullopt;
}

QString formatAmount(qint64 minorUnits, int minorDigits, DigitGrouping grouping)
{
    const bool negative = minorUnits < 0;
    // The magnitude as unsigned, so that the smallest qint64 has one too.
    const quint64 magnitude = negative ? quint64(0) - quint64(minorUnits) : quint64(minorUnits);
    QString digits = QString::number(magnitude);
    if (minorDigits > 0 && digits.size() <= minorDigits)
        digits = QString(minorDigits + 1 - digits.size(), QLatin1Char('0')) + digits;
    QString whole = minorDigits > 0 ? digits.left(digits.size() - minorDigits) : digits;
    if (grouping == DigitGrouping::Thousands)
        whole = groupThousands(whole);
    QString out = negative ? QStringLiteral("-") + whole : whole;
    if (minorDigits > 0)
        out += QLatin1Char('.') + digits.right(minorDigits);
    return out;
}

Result<qint64> parseAmount(const QString &text, int minorDigits, const QString &field)
{
    const auto refuse = [&](const QString &why) {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: '%2' %3").arg(field, text, why));
    };
    QString s = text;
    bool negative = false;
    if (s.startsWith(QLatin1Char('-'))) {
        negative = true;
        s.remove(0, 1);
    }
    const qsizetype dot = s.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? s : s.left(dot);
    const QString fraction = dot < 0 ? QString() : s.mid(dot + 1);
    if (whole.isEmpty() || (dot >= 0 && fraction.isEmpty()))
        return refuse(QStringLiteral("is not an amount"));
    for (const QString &part : {whole, fraction}) {
        for (QChar c : part) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return refuse(QStringLiteral("is not an amount"));
        }
    }
    if (fraction.size() > minorDigits) {
        return refuse(minorDigits == 0 ? QStringLiteral("has decimals, the currency has no minor unit")
                                       : QStringLiteral("has more than %1 decimals").arg(minorDigits));
    }
    const QString digits = whole + fraction + QString(minorDigits - fraction.size(), QLatin1Char('0'));
    // Digits only, so the only failure left is overflow.
    bool ok = false;
    const qint64 value = digits.toLongLong(&ok);
    if (!ok)
        return refuse(QStringLiteral("is too large"));
    return negative ? -value : value;
}

} // namespace cairn::server::billing
