// Formatting for the console: sizes, counts, rates, durations, dates and times in the current
// language's locale (QLocale::setDefault, see Language) and in the time zone the views show —
// the tenant's (policies and reports speak of its local time) or the machine's. GUI thread.
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace cairn::console::format {

void setDisplayTimeZone(const QTimeZone &zone); // invalid: the machine's local time
QTimeZone displayTimeZone();

QString bytes(qint64 bytes);                 // "1.5 GB" (1024-based, locale decimal point)
QString number(qint64 value);                // "100,000"
QString percent(double value, int decimals = 1);
QString rate(double bytesPerSecond);         // "12.3 MB/s"
QString duration(qint64 seconds);            // "1 h 05 min", "42 s"
QString eta(qint64 seconds);                 // "about 3 min left"
QString dateTime(const QDateTime &utc);      // short date and time in the display zone; "—" if invalid
QString dateTimeIso(const QString &iso);     // the same for an ISO 8601 string from the API
QString date(const QDate &day);
QDateTime parseIso(const QString &iso);      // UTC; invalid if empty or malformed
QString relative(const QDateTime &utc, const QDateTime &now); // "in 3 h" / "5 min ago"
// An amount in minor units with `minorDigits` decimals (KRW 0, USD 2): "₩76,839", "$19.99".
QString money(qint64 minorUnits, const QString &currency, int minorDigits);

// Job and ticket states as the console names them (translated).
QString jobState(const QString &state);
QString jobKind(const QString &kind);
QString ticketState(const QString &state);
QString slaState(const QString &sla);
QString weekday(int isoDay); // 1 = Monday

} // namespace cairn::console::format
