// Locale-aware formatting for the console views. GUI thread.
#include "core/Format.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace cairn::console::format {

namespace {
struct FormatText {
    Q_DECLARE_TR_FUNCTIONS(Format)
};
} // namespace

namespace {
QTimeZone g_zone;
} // namespace

void setDisplayTimeZone(const QTimeZone &zone)
{
    g_zone = zone;
}

QTimeZone displayTimeZone()
{
    return g_zone.isValid() ? g_zone : QTimeZone::systemTimeZone();
}

QString bytes(qint64 value)
{
    return QLocale().formattedDataSize(value, value < 1024 * 1024 ? 0 : 1, QLocale::DataSizeTraditionalFormat);
}

QString number(qint64 value)
{
    return QLocale().toString(value);
}

QString percent(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals) + QLatin1Char('%');
}

QString rate(double bytesPerSecond)
{
    return FormatText::tr("%1/s").arg(bytes(qint64(bytesPerSecond)));
}

QString duration(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 60)
        return FormatText::tr("%n s", nullptr, int(seconds));
    if (seconds < 3600)
        return FormatText::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return FormatText::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return FormatText::tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

QString eta(qint64 seconds)
{
    if (seconds < 0)
        return FormatText::tr("estimating…");
    if (seconds < 60)
        return FormatText::tr("less than a minute left");
    return FormatText::tr("about %1 left").arg(duration(seconds < 3600 ? (seconds + 59) / 60 * 60 : seconds));
}

QDateTime parseIso(const QString &iso)
{
    if (iso.isEmpty())
        return QDateTime();
    QDateTime dt = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(iso, Qt::ISODate);
    return dt.isValid() ? dt.toUTC() : QDateTime();
}

QString dateTime(const QDateTime &utc)
{
    if (!utc.isValid())
        return QStringLiteral("—");
    return QLocale().toString(utc.toTimeZone(displayTimeZone()), QLocale::ShortFormat);
}

QString dateTimeIso(const QString &iso)
{
    return dateTime(parseIso(iso));
}

QString date(const QDate &day)
{
    return day.isValid() ? QLocale().toString(day, QLocale::ShortFormat) : QStringLiteral("—");
}

QString relative(const QDateTime &utc, const QDateTime &now)
{
    if (!utc.isValid())
        return QStringLiteral("—");
    const qint64 s = now.secsTo(utc);
    return s >= 0 ? FormatText::tr("in %1").arg(duration(s)) : FormatText::tr("%1 ago").arg(duration(-s));
}

QString money(qint64 minorUnits, const QString &currency, int minorDigits)
{
    const QString symbol = currency == QLatin1String("KRW") ? QStringLiteral("₩")
        : currency == QLatin1String("JPY")                  ? QStringLiteral("¥")
        : currency == QLatin1String("USD")                  ? QStringLiteral("$")
        : currency == QLatin1String("EUR")                  ? QStringLiteral("€")
                                                            : currency + QLatin1Char(' ');
    return QLocale().toCurrencyString(double(minorUnits) / std::pow(10.0, minorDigits), symbol, minorDigits);
}

QString jobState(const QString &s)
{
    if (s == QLatin1String("pending")) return FormatText::tr("Waiting");
    if (s == QLatin1String("running")) return FormatText::tr("Running");
    if (s == QLatin1String("succeeded")) return FormatText::tr("Succeeded");
    if (s == QLatin1String("warning")) return FormatText::tr("Completed with warnings");
    if (s == QLatin1String("failed")) return FormatText::tr("Failed");
    if (s == QLatin1String("missed")) return FormatText::tr("Missed");
    if (s == QLatin1String("cancelled")) return FormatText::tr("Cancelled");
    return s;
}

QString jobKind(const QString &k)
{
    if (k == QLatin1String("backup")) return FormatText::tr("Backup");
    if (k == QLatin1String("restore")) return FormatText::tr("Restore");
    return k;
}

QString ticketState(const QString &s)
{
    if (s == QLatin1String("submitted")) return FormatText::tr("Submitted");
    if (s == QLatin1String("accepted")) return FormatText::tr("Accepted");
    if (s == QLatin1String("running")) return FormatText::tr("Restoring");
    if (s == QLatin1String("completed")) return FormatText::tr("Completed");
    if (s == QLatin1String("rejected")) return FormatText::tr("Rejected");
    if (s == QLatin1String("cancelled")) return FormatText::tr("Cancelled");
    return s;
}

QString slaState(const QString &s)
{
    if (s == QLatin1String("on-track")) return FormatText::tr("On track");
    if (s == QLatin1String("at-risk")) return FormatText::tr("At risk");
    if (s == QLatin1String("breached")) return FormatText::tr("Overdue");
    if (s == QLatin1String("met")) return FormatText::tr("Met");
    if (s == QLatin1String("missed")) return FormatText::tr("Missed", "SLA: finished after its due time");
    return s;
}

QString weekday(int isoDay)
{
    return QLocale().dayName(isoDay, QLocale::LongFormat);
}

} // namespace cairn::console::format
