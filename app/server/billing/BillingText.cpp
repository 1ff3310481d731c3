// Renderings of statements for people: the plain English text the CLI prints and the CSV export
// for operators (RFC 4180). See Billing.h. Pure functions, any thread.
#include "billing/Billing.h"

#include <QStringList>

#include <algorithm>

namespace cairn::server::billing {

namespace {

// "10.500000" → "10.5", "10.000000" → "10"; text without a '.' is left alone.
QString trimDecimals(QString text)
{
    if (!text.contains(QLatin1Char('.')))
        return text;
    while (text.endsWith(QLatin1Char('0')))
        text.chop(1);
    if (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

// Bytes as decimal GB (10^9 bytes), trailing zeros dropped: "110", "0.5", "123.456789012".
QString gigabytes(qint64 bytes)
{
    return trimDecimals(formatAmount(bytes, 9, DigitGrouping::Thousands));
}

QString grouped(qint64 n)
{
    return formatAmount(n, 0, DigitGrouping::Thousands);
}

const char *lineTitle(LineKind kind)
{
    switch (kind) {
    case LineKind::BaseFee: return "Base fee";
    case LineKind::ExtraServers: return "Extra servers";
    case LineKind::ExtraStorage: return "Extra storage";
    }
    return "";
}

// One CSV field: quoted when it holds a comma, a double quote, CR or LF (RFC 4180 §2).
QString csvField(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"')) && !value.contains(QLatin1Char('\r'))
        && !value.contains(QLatin1Char('\n')))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

QString StatementLine::quantityText() const
{
    return trimDecimals(formatAmount(quantityMicro, 6));
}

QString Statement::toText() const
{
    const StatementFigures &f = figures;
    QString out;
    out += QStringLiteral("Cairn statement: %1 (tenant %2)\n").arg(tenantName).arg(tenantId);
    out += QStringLiteral("Month:     %1 (%2 days), ").arg(month.toString()).arg(f.daysInMonth);
    out += kind == StatementKind::Final ? QStringLiteral("final\n")
                                        : QStringLiteral("estimate through %1\n").arg(throughDay.toString(Qt::ISODate));
    out += QStringLiteral("Currency:  %1\n\n").arg(currency);

    // The table: item, quantity, unit, unit price, amount; numbers right-aligned.
    QList<QStringList> rows;
    rows.append({QStringLiteral("Item"), QStringLiteral("Quantity"), QStringLiteral("Unit"),
        QStringLiteral("Unit price"), QStringLiteral("Amount")});
    for (const StatementLine &l : lines) {
        rows.append({QLatin1String(lineTitle(l.kind)), l.quantityText(), QLatin1String(lineUnitName(l.kind)),
            formatAmount(l.unitPrice, minorDigits, DigitGrouping::Thousands),
            formatAmount(l.amount, minorDigits, DigitGrouping::Thousands)});
    }
    rows.append({QStringLiteral("Total"), QString(), QString(), QString(),
        formatAmount(total, minorDigits, DigitGrouping::Thousands)});
    int width[5] = {};
    for (const QStringList &row : rows) {
        for (int c = 0; c < 5; ++c)
            width[c] = std::max(width[c], int(row.at(c).size()));
    }
    for (const QStringList &row : rows) {
        QString text = row.at(0).leftJustified(width[0]) + QStringLiteral("  ") + row.at(1).rightJustified(width[1])
            + QStringLiteral("  ") + row.at(2).leftJustified(width[2]) + QStringLiteral("  ")
            + row.at(3).rightJustified(width[3]) + QStringLiteral("  ") + row.at(4).rightJustified(width[4]);
        out += text + QLatin1Char('\n');
    }

    out += QLatin1Char('\n');
    out += QStringLiteral("Active days: %1 of %2\n").arg(f.activeDays).arg(f.daysInMonth);
    out += QStringLiteral("Servers:     %1 server-days, %2 included per day, %3 extra server-days\n")
               .arg(grouped(f.serverDays), grouped(f.includedServers), grouped(f.extraServerDays));
    if (f.sampledDays == 0) {
        out += QStringLiteral("Storage:     no daily sample in the period, no storage charge\n");
    } else {
        out += QStringLiteral("Storage:     average %1 bytes (%2 GB) over %3 sampled of %4 active days\n")
                   .arg(grouped(f.averageBytes), gigabytes(f.averageBytes))
                   .arg(f.sampledDays)
                   .arg(f.activeDays);
        out += QStringLiteral("             %1 GB included, %2 GB above it\n")
                   .arg(gigabytes(f.includedBytes), gigabytes(f.extraAverageBytes));
    }
    return out;
}

QByteArray statementsCsv(const QList<Statement> &statements)
{
    QString out = QStringLiteral(
        "tenant_id,tenant,month,kind,through_day,currency,active_days,days_in_month,server_days,extra_server_days,"
        "extra_server_months,sampled_days,average_bytes,extra_average_bytes,extra_gb_months,base_fee,extra_servers,"
        "extra_storage,total\r\n");
    for (const Statement &s : statements) {
        const StatementFigures &f = s.figures;
        const auto amount = [&](qint64 minor) { return formatAmount(minor, s.minorDigits); };
        const auto quantity
            = [&](LineKind kind) { return s.lines.size() > int(kind) ? s.line(kind).quantityText() : QString(); };
        const auto lineAmount
            = [&](LineKind kind) { return s.lines.size() > int(kind) ? amount(s.line(kind).amount) : QString(); };
        const QStringList row = {
            QString::number(s.tenantId),
            s.tenantName,
            s.month.toString(),
            QLatin1String(statementKindName(s.kind)),
            s.throughDay.toString(Qt::ISODate),
            s.currency,
            QString::number(f.activeDays),
            QString::number(f.daysInMonth),
            QString::number(f.serverDays),
            QString::number(f.extraServerDays),
            quantity(LineKind::ExtraServers),
            QString::number(f.sampledDays),
            QString::number(f.averageBytes),
            QString::number(f.extraAverageBytes),
            quantity(LineKind::ExtraStorage),
            lineAmount(LineKind::BaseFee),
            lineAmount(LineKind::ExtraServers),
            lineAmount(LineKind::ExtraStorage),
            amount(s.total),
        };
        QStringList fields;
        for (const QString &value : row)
            fields.append(csvField(value));
        out += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace cairn::server::billing
