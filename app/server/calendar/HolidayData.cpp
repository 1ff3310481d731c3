// Reading the holiday data (see HolidayData.h). Pure functions; any thread.
#include "calendar/HolidayData.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <map>
#include <optional>

namespace cairn::server {

namespace {

Error corrupt(const QString &message)
{
    return Error(ErrorCode::Corrupt, QStringLiteral("holiday data: ") + message);
}

// A strict yyyy-MM-dd date: QDate::fromString alone would also take "2026-2-3".
QDate isoDate(const QJsonValue &value)
{
    const QString text = value.toString();
    if (text.size() != 10)
        return {};
    return QDate::fromString(text, QStringLiteral("yyyy-MM-dd"));
}

std::optional<HolidayKind> kindFromName(const QString &name)
{
    if (name == QLatin1String("holiday"))
        return HolidayKind::Statutory;
    if (name == QLatin1String("substitute"))
        return HolidayKind::Substitute;
    if (name == QLatin1String("election"))
        return HolidayKind::Election;
    if (name == QLatin1String("temporary"))
        return HolidayKind::Temporary;
    return std::nullopt;
}

} // namespace

QString holidayKindName(HolidayKind kind)
{
    switch (kind) {
    case HolidayKind::Statutory: return QStringLiteral("holiday");
    case HolidayKind::Substitute: return QStringLiteral("substitute");
    case HolidayKind::Election: return QStringLiteral("election");
    case HolidayKind::Temporary: return QStringLiteral("temporary");
    case HolidayKind::Operator: return QStringLiteral("operator");
    }
    return QStringLiteral("holiday");
}

Result<HolidayData> parseHolidayData(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return corrupt(
            QStringLiteral("not valid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return corrupt(QStringLiteral("the document is not a JSON object"));
    const QJsonObject root = doc.object();

    const QJsonValue headerValue = root.value(QLatin1String("header"));
    if (!headerValue.isObject())
        return corrupt(QStringLiteral("no \"header\" object"));
    const QJsonObject header = headerValue.toObject();
    const QJsonValue format = header.value(QLatin1String("format"));
    if (!format.isDouble())
        return corrupt(QStringLiteral("header: no \"format\" number"));
    if (format.toDouble() != 1)
        return Error(ErrorCode::Unsupported,
            QStringLiteral("holiday data: format %1 is not known (this build reads format 1)").arg(format.toDouble()));

    HolidayData data;
    data.firstDay = isoDate(header.value(QLatin1String("first_day")));
    data.lastDay = isoDate(header.value(QLatin1String("last_day")));
    if (!data.firstDay.isValid())
        return corrupt(QStringLiteral("header: \"first_day\" is missing or not a date (yyyy-MM-dd)"));
    if (!data.lastDay.isValid())
        return corrupt(QStringLiteral("header: \"last_day\" is missing or not a date (yyyy-MM-dd)"));
    if (data.lastDay < data.firstDay)
        return corrupt(QStringLiteral("header: \"last_day\" %1 is before \"first_day\" %2")
                           .arg(data.lastDay.toString(Qt::ISODate), data.firstDay.toString(Qt::ISODate)));

    const QJsonValue listValue = root.value(QLatin1String("holidays"));
    if (!listValue.isArray())
        return corrupt(QStringLiteral("no \"holidays\" array"));
    const QJsonArray list = listValue.toArray();

    std::map<QDate, qsizetype> seen; // date -> index of its entry
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = QStringLiteral("holidays[%1]").arg(i);
        if (!list.at(i).isObject())
            return corrupt(where + QStringLiteral(": not an object"));
        const QJsonObject entry = list.at(i).toObject();

        const QJsonValue dateValue = entry.value(QLatin1String("date"));
        if (!dateValue.isString())
            return corrupt(where + QStringLiteral(": no \"date\""));
        const QString dateText = dateValue.toString();
        const QString named = QStringLiteral("%1 (%2)").arg(where, dateText);
        Holiday holiday;
        holiday.date = isoDate(dateValue);
        if (!holiday.date.isValid())
            return corrupt(named + QStringLiteral(": not a valid date (yyyy-MM-dd)"));
        if (holiday.date < data.firstDay || holiday.date > data.lastDay)
            return corrupt(named
                + QStringLiteral(": outside the covered days %1 to %2")
                      .arg(data.firstDay.toString(Qt::ISODate), data.lastDay.toString(Qt::ISODate)));
        const auto earlier = seen.find(holiday.date);
        if (earlier != seen.end())
            return corrupt(
                named + QStringLiteral(": the date is listed twice (also holidays[%1])").arg(earlier->second));
        seen.emplace(holiday.date, i);

        for (const char *field : {"name_ko", "name_en", "kind"}) {
            const QJsonValue value = entry.value(QLatin1String(field));
            if (!value.isString() || value.toString().trimmed().isEmpty())
                return corrupt(named + QStringLiteral(": no \"%1\"").arg(QLatin1String(field)));
        }
        holiday.nameKo = entry.value(QLatin1String("name_ko")).toString();
        holiday.nameEn = entry.value(QLatin1String("name_en")).toString();
        const QString kindText = entry.value(QLatin1String("kind")).toString();
        const std::optional<HolidayKind> kind = kindFromName(kindText);
        if (!kind)
            return corrupt(named + QStringLiteral(": unknown kind \"%1\"").arg(kindText));
        holiday.kind = *kind;
        data.holidays.push_back(std::move(holiday));
    }
    std::sort(
        data.holidays.begin(), data.holidays.end(), [](const Holiday &a, const Holiday &b) { return a.date < b.date; });
    return data;
}

} // namespace cairn::server
