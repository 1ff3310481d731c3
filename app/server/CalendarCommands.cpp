// cairn-server calendar: the business calendar of restore tickets from the command line — the due
// time of a ticket submitted at a given instant, and operators' changes (days off added, shipped
// holidays worked), stored in the data folder's catalog. Main thread.
#include "CalendarCommands.h"

#include "CommandLine.h"
#include "calendar/BusinessCalendar.h"

#include <QDir>
#include <QLocale>

#include <cstdio>

namespace cairn::server {

using namespace cli;

namespace {

const char kCalendarUsage[] =
    "usage: cairn-server calendar <command> --data DIR ...\n"
    "  due --from INSTANT [--minutes N]\n"
    "      the due time of a restore ticket submitted at INSTANT (ISO 8601 with offset), N business\n"
    "      minutes later (default 180), printed as ISO 8601 in Asia/Seoul\n"
    "  add --date YYYY-MM-DD --note TEXT       make a working day a day off (e.g. an election day)\n"
    "  remove --date YYYY-MM-DD [--note TEXT]  make a day off a working day\n"
    "  list [--year YYYY]                      the days off of a year and the operators' changes\n"
    "Business hours: 10:00-19:00 Asia/Seoul, Monday-Friday, except Korean public holidays.\n";

std::vector<CalendarOverride> overridesOf(const QList<CalendarDay> &days)
{
    std::vector<CalendarOverride> out;
    for (const CalendarDay &d : days)
        out.push_back(CalendarOverride {d.day, d.closed, d.note});
    return out;
}

QString describe(const QDate &day, const std::optional<Holiday> &h)
{
    QString line = day.toString(Qt::ISODate) + QLatin1Char(' ') + QLocale::c().toString(day, QStringLiteral("ddd"));
    if (h)
        line += QStringLiteral("  %1 / %2 (%3)").arg(h->nameKo, h->nameEn, holidayKindName(h->kind));
    return line;
}

} // namespace

int cmdCalendar(const QStringList &args)
{
    if (args.isEmpty() || args[0] == QLatin1String("--help")) {
        std::fputs(kCalendarUsage, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    const QString sub = args[0];
    const Options o = parse(args.mid(1),
        {QStringLiteral("data"), QStringLiteral("from"), QStringLiteral("minutes"), QStringLiteral("date"),
            QStringLiteral("note"), QStringLiteral("year")},
        {});
    if (!o.error.isEmpty() || !o.positional.isEmpty())
        return fail(o.error.isEmpty() ? QStringLiteral("unexpected argument \"%1\"").arg(o.positional.first()) : o.error,
            kExitUsage);
    if (!o.has(QStringLiteral("data")))
        return fail(QStringLiteral("calendar %1 needs --data DIR").arg(sub), kExitUsage);
    auto catalog = openCatalog(DataDir {QDir(o.value(QStringLiteral("data"))).absolutePath()});
    if (!catalog)
        return fail(catalog.error().message);
    auto days = (*catalog)->calendarDays();
    if (!days)
        return fail(days.error().message);
    auto calendar = BusinessCalendar::shipped(overridesOf(*days));
    if (!calendar)
        return fail(calendar.error().message);

    if (sub == QLatin1String("due")) {
        const QDateTime from = QDateTime::fromString(o.value(QStringLiteral("from")), Qt::ISODateWithMs);
        if (!from.isValid() || from.timeSpec() == Qt::LocalTime)
            return fail(QStringLiteral("--from needs an ISO 8601 instant with its offset, e.g. 2026-09-23T18:30:00+09:00"),
                kExitUsage);
        bool ok = true;
        const int minutes = o.value(QStringLiteral("minutes"), QStringLiteral("180")).toInt(&ok);
        if (!ok || minutes <= 0 || minutes > 100000)
            return fail(QStringLiteral("--minutes must be a positive number of business minutes"), kExitUsage);
        auto due = calendar->dueAt(from, minutes);
        if (!due)
            return fail(due.error().message);
        print(due->toString(Qt::ISODate) + QLatin1Char('\n'));
        return kExitOk;
    }
    if (sub == QLatin1String("list")) {
        bool ok = true;
        const int year = o.value(QStringLiteral("year"), QString::number(QDate::currentDate().year())).toInt(&ok);
        if (!ok || year < calendar->firstCoveredDay().year() || year > calendar->lastCoveredDay().year())
            return fail(QStringLiteral("--year must be from %1 to %2 (the years the holiday data covers)")
                            .arg(calendar->firstCoveredDay().year())
                            .arg(calendar->lastCoveredDay().year()),
                kExitUsage);
        for (const Holiday &h : calendar->holidaysIn(year))
            print(describe(h.date, h) + QLatin1Char('\n'));
        for (const CalendarDay &d : *days) {
            if (!d.closed && d.day.year() == year)
                print(QStringLiteral("%1  worked: %2 (changed by %3)\n").arg(describe(d.day, std::nullopt), d.note, d.changedBy));
        }
        return kExitOk;
    }
    if (sub != QLatin1String("add") && sub != QLatin1String("remove"))
        return fail(QStringLiteral("unknown calendar command \"%1\"\n%2").arg(sub, QLatin1String(kCalendarUsage)), kExitUsage);

    const QDate day = QDate::fromString(o.value(QStringLiteral("date")), Qt::ISODate);
    if (!day.isValid())
        return fail(QStringLiteral("calendar %1 needs --date YYYY-MM-DD").arg(sub), kExitUsage);
    const bool closing = sub == QLatin1String("add");
    const QString note = o.value(QStringLiteral("note")).trimmed();
    if (closing && note.isEmpty())
        return fail(QStringLiteral("calendar add needs --note (the day's name, e.g. \"국회의원 선거\")"), kExitUsage);
    // Undoing an earlier change restores the shipped day rather than stacking a second change.
    for (const CalendarDay &d : *days) {
        if (d.day == day && d.closed != closing) {
            if (Status s = (*catalog)->removeCalendarDay(day); !s.ok())
                return fail(s.error().message);
            print(QStringLiteral("%1: the operators' change is removed; the day is as shipped again\n")
                      .arg(day.toString(Qt::ISODate)));
            return kExitOk;
        }
    }
    const CalendarOverride change {day, closing, note};
    if (Status s = calendar->checkOverride(change); !s.ok())
        return fail(s.error().message);
    CalendarDay record;
    record.day = day;
    record.closed = closing;
    record.note = note;
    record.changedBy = QStringLiteral("cli");
    record.changedAt = QDateTime::currentDateTimeUtc();
    if (Status s = (*catalog)->setCalendarDay(record); !s.ok())
        return fail(s.error().message);
    print(QStringLiteral("%1 is now %2\n").arg(day.toString(Qt::ISODate), closing ? QStringLiteral("a day off") : QStringLiteral("a working day")));
    return kExitOk;
}

} // namespace cairn::server
