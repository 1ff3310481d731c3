// The business calendar of restore tickets (app/server/calendar): due times at openings, closings,
// weekends, Seollal and Chuseok, substitute holidays, operator-added and -removed days, submissions
// in other time zones and the end of the covered data; business time between instants; the SLA
// state around the 30-minute boundary; monthly compliance; the shipped holiday data (well formed,
// 2025-2030, substitutes where the rules put them) and refusals of broken data. Every expectation
// is worked out by hand in the table. Runs on the test's main thread.
#include "calendar/BusinessCalendar.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace cairn;
using namespace cairn::server;

Q_DECLARE_METATYPE(cairn::server::SlaState)

namespace {

// An instant from ISO 8601 ("2026-03-04T10:00:00", milliseconds allowed): Korean time unless it
// names another offset ("…Z", "…-05:00").
QDateTime at(const char *iso)
{
    QString text = QString::fromLatin1(iso);
    if (!text.endsWith(QLatin1Char('Z')) && text.indexOf(QLatin1Char('+'), 10) < 0
        && text.indexOf(QLatin1Char('-'), 10) < 0)
        text += QStringLiteral("+09:00");
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        qFatal("bad instant in the test table: %s", iso);
    return t;
}

QDate day(const char *iso)
{
    return QDate::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

// "+2028-04-12 -2026-05-01": close the first date, open the second.
std::vector<CalendarOverride> overridesFrom(const QString &spec)
{
    std::vector<CalendarOverride> result;
    for (const QString &item : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        result.push_back(
            {QDate::fromString(item.mid(1), Qt::ISODate), item.startsWith(QLatin1Char('+')), QStringLiteral("test")});
    return result;
}

BusinessCalendar shippedCalendar(const std::vector<CalendarOverride> &overrides = {})
{
    Result<BusinessCalendar> calendar = BusinessCalendar::shipped(overrides);
    if (!calendar.ok())
        qFatal("the shipped calendar does not load: %s", qPrintable(calendar.error().message));
    return std::move(calendar).value();
}

QByteArray shippedJson()
{
    QFile file(BusinessCalendar::shippedDataPath());
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no shipped holiday data in the test binary");
    return file.readAll();
}

QByteArray dataWith(const char *first, const char *last, const char *entries)
{
    return QByteArrayLiteral("{\"header\":{\"format\":1,\"first_day\":\"") + first + "\",\"last_day\":\"" + last
        + "\"},\"holidays\":[" + entries + "]}";
}

// The public holidays 2025-2030 as the law defines them, written out independently of the data
// file: how each day's substitute rule works (관공서의 공휴일에 관한 규정 제3조).
enum class Substitution { None, Weekend, WeekendOrOverlap, Period };
struct LunarDays {
    int year;
    QDate seollal, buddha, chuseok; // lunar 1/1, 4/8, 8/15 in the Korean calendar (KASI)
};
const LunarDays lunarTable[] = {
    {2025, QDate(2025, 1, 29), QDate(2025, 5, 5), QDate(2025, 10, 6)},
    {2026, QDate(2026, 2, 17), QDate(2026, 5, 24), QDate(2026, 9, 25)},
    {2027, QDate(2027, 2, 7), QDate(2027, 5, 13), QDate(2027, 9, 15)},
    {2028, QDate(2028, 1, 27), QDate(2028, 5, 2), QDate(2028, 10, 3)},
    {2029, QDate(2029, 2, 13), QDate(2029, 5, 20), QDate(2029, 9, 22)},
    {2030, QDate(2030, 2, 3), QDate(2030, 5, 9), QDate(2030, 9, 12)},
};
// Election and temporary days off in the data: no substitute.
const QDate specialDays[] = {QDate(2025, 1, 27), QDate(2025, 6, 3), QDate(2026, 6, 3)};

std::map<QDate, std::vector<Substitution>> statutoryDays(const LunarDays &l)
{
    std::map<QDate, std::vector<Substitution>> days;
    const int y = l.year;
    days[QDate(y, 1, 1)].push_back(Substitution::None);
    for (int d = -1; d <= 1; ++d) {
        days[l.seollal.addDays(d)].push_back(Substitution::Period);
        days[l.chuseok.addDays(d)].push_back(Substitution::Period);
    }
    for (const QDate &d : {QDate(y, 3, 1), QDate(y, 8, 15), QDate(y, 10, 3), QDate(y, 10, 9), QDate(y, 12, 25)})
        days[d].push_back(Substitution::Weekend);
    if (y >= 2026) { // 노동절 and 제헌절 are public holidays from 2026
        days[QDate(y, 5, 1)].push_back(Substitution::Weekend);
        days[QDate(y, 7, 17)].push_back(Substitution::Weekend);
    }
    days[QDate(y, 5, 5)].push_back(Substitution::WeekendOrOverlap);
    days[l.buddha].push_back(Substitution::WeekendOrOverlap);
    days[QDate(y, 6, 6)].push_back(Substitution::None);
    return days;
}

} // namespace

class TestBusinessCalendar : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QTimeZone(QByteArray("Asia/Seoul")).isValid(), "no time zone data (install tzdata)");
    }

    void dueAt_data()
    {
        QTest::addColumn<QDateTime>("submitted");
        QTest::addColumn<int>("minutes");
        QTest::addColumn<QString>("overrides");
        QTest::addColumn<QDateTime>("expected");
        const auto add
            = [](const char *name, const char *submitted, int minutes, const char *overrides, const char *expected) {
                  QTest::newRow(name) << at(submitted) << minutes << QString::fromLatin1(overrides) << at(expected);
              };
        // 2026-03-04 is a Wednesday; 03-06 Friday; 03-07/08 the weekend.
        add("at the opening", "2026-03-04T10:00:00", 180, "", "2026-03-04T13:00:00");
        add("09:59 waits for the opening", "2026-03-04T09:59:00", 180, "", "2026-03-04T13:00:00");
        add("18:59: one minute today", "2026-03-04T18:59:00", 180, "", "2026-03-05T12:59:00");
        add("19:00 is outside", "2026-03-04T19:00:00", 180, "", "2026-03-05T13:00:00");
        add("seconds are kept", "2026-03-04T14:30:15.250", 180, "", "2026-03-04T17:30:15.250");
        add("runs out at the closing", "2026-03-04T16:00:00", 180, "", "2026-03-04T19:00:00");
        add("one second past that", "2026-03-04T16:00:01", 180, "", "2026-03-05T10:00:01");
        add("friday afternoon", "2026-03-06T17:00:00", 180, "", "2026-03-09T11:00:00");
        add("saturday", "2026-03-07T12:00:00", 180, "", "2026-03-09T13:00:00");
        add("sunday night", "2026-03-08T23:59:59", 180, "", "2026-03-09T13:00:00");
        add("monday midnight", "2026-03-09T00:00:00", 180, "", "2026-03-09T13:00:00");
        // Seollal 2026: Mon 02-16 to Wed 02-18. Friday 18:00: 1 h, then Thursday.
        add("eve of seollal 2026", "2026-02-13T18:00:00", 180, "", "2026-02-19T12:00:00");
        add("during seollal 2026", "2026-02-17T11:00:00", 180, "", "2026-02-19T13:00:00");
        // Seollal 2027: Sat 02-06 to Mon 02-08; Sunday 02-07 gives the substitute Tue 02-09.
        add("eve of seollal 2027", "2027-02-05T17:30:00", 180, "", "2027-02-10T11:30:00");
        add("on the 2027 substitute", "2027-02-09T12:00:00", 180, "", "2027-02-10T13:00:00");
        // Chuseok 2026: Thu 09-24 to Sat 09-26, no substitute for the Saturday: Monday 09-28 works.
        add("eve of chuseok 2026", "2026-09-23T18:00:00", 180, "", "2026-09-28T12:00:00");
        // Chuseok 2027: Tue 09-14 to Thu 09-16.
        add("eve of chuseok 2027", "2027-09-13T17:00:00", 180, "", "2027-09-17T11:00:00");
        // 3·1절 2026 on a Sunday: substitute Mon 03-02.
        add("samiljeol substitute 2026", "2026-02-27T18:30:00", 180, "", "2026-03-03T12:30:00");
        // 2025: 개천절 Fri 10-03, weekend, Chuseok 10-05..07, substitute 10-08, 한글날 10-09.
        add("seven days off in a row", "2025-10-02T17:00:00", 180, "", "2025-10-10T11:00:00");
        // 2028: Chuseok 10-02..04 with 개천절 on 10-03: one substitute, Thu 10-05.
        add("chuseok on foundation day 2028", "2028-09-29T18:00:00", 180, "", "2028-10-06T12:00:00");
        // 2025: temporary holiday Mon 01-27, then Seollal 01-28..30.
        add("temporary holiday 2025", "2025-01-24T18:00:00", 180, "", "2025-01-31T12:00:00");
        add("labor day 2026", "2026-04-30T18:00:00", 180, "", "2026-05-04T12:00:00");
        add("local elections 2026", "2026-06-02T17:00:00", 180, "", "2026-06-04T11:00:00");
        // Other time zones: 01:00Z = 10:00 KST; 23:30Z = 08:30 KST the next day; 10:00Z = 19:00 KST.
        add("utc at the opening", "2026-03-04T01:00:00Z", 180, "", "2026-03-04T13:00:00");
        add("utc, the day before", "2026-03-03T23:30:00Z", 180, "", "2026-03-04T13:00:00");
        add("utc at the closing", "2026-03-04T10:00:00Z", 180, "", "2026-03-05T13:00:00");
        add("new york evening", "2026-03-04T20:59:00-05:00", 180, "", "2026-03-05T13:59:00");
        add("one-hour sla", "2026-03-04T18:30:00", 60, "", "2026-03-05T10:30:00");
        add("five business days", "2026-03-09T10:00:00", 5 * 540, "", "2026-03-13T19:00:00");
        // 2028-04-12 (Wednesday) is the expected National Assembly election: not shipped.
        add("election not added", "2028-04-11T18:00:00", 180, "", "2028-04-12T12:00:00");
        add("election added by an operator", "2028-04-11T18:00:00", 180, "+2028-04-12", "2028-04-13T12:00:00");
        add("labor day removed by an operator", "2026-04-30T18:00:00", 180, "-2026-05-01", "2026-05-01T12:00:00");
        add("on the last covered day", "2030-12-31T16:00:00", 180, "", "2030-12-31T19:00:00");
    }

    void dueAt()
    {
        QFETCH(QDateTime, submitted);
        QFETCH(int, minutes);
        QFETCH(QString, overrides);
        QFETCH(QDateTime, expected);
        const BusinessCalendar calendar = shippedCalendar(overridesFrom(overrides));
        const Result<QDateTime> due = calendar.dueAt(submitted, minutes);
        QVERIFY2(due.ok(), qPrintable(due ? QString() : due.error().message));
        QCOMPARE(due->toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
        QCOMPARE(due->timeZone().id(), QByteArray("Asia/Seoul"));
        // The clock ran for exactly the SLA's business time.
        QCOMPARE(calendar.businessSecondsBetween(submitted, *due), qint64(minutes) * 60);
    }

    void dueAtRefused_data()
    {
        QTest::addColumn<QDateTime>("submitted");
        QTest::addColumn<int>("minutes");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("fragment");
        const int notFound = int(ErrorCode::NotFound);
        const int invalid = int(ErrorCode::InvalidArgument);
        QTest::newRow("due after the data")
            << at("2030-12-31T16:00:01") << 180 << notFound << QStringLiteral("after 2030-12-31");
        QTest::newRow("submitted after closing on the last day")
            << at("2030-12-31T19:00:00") << 180 << notFound << QStringLiteral("after 2030-12-31");
        QTest::newRow("before the data") << at("2024-12-31T12:00:00") << 180 << notFound
                                         << QStringLiteral("before 2025-01-01");
        QTest::newRow("utc instant still in 2024 in seoul")
            << at("2024-12-31T14:59:59Z") << 180 << notFound << QStringLiteral("before 2025-01-01");
        QTest::newRow("invalid time") << QDateTime() << 180 << invalid << QStringLiteral("not valid");
        QTest::newRow("zero minutes") << at("2026-03-04T10:00:00") << 0 << invalid << QStringLiteral("positive");
        QTest::newRow("negative minutes") << at("2026-03-04T10:00:00") << -5 << invalid << QStringLiteral("positive");
    }

    void dueAtRefused()
    {
        QFETCH(QDateTime, submitted);
        QFETCH(int, minutes);
        QFETCH(int, code);
        QFETCH(QString, fragment);
        const Result<QDateTime> due = shippedCalendar().dueAt(submitted, minutes);
        QVERIFY2(!due.ok(), qPrintable(due ? due->toString(Qt::ISODate) : QString()));
        QCOMPARE(int(due.error().code), code);
        QVERIFY2(due.error().message.contains(fragment), qPrintable(due.error().message));
    }

    void businessSeconds_data()
    {
        QTest::addColumn<QDateTime>("from");
        QTest::addColumn<QDateTime>("to");
        QTest::addColumn<qint64>("expected");
        const auto add = [](const char *name, const char *from, const char *to, qint64 expected) {
            QTest::newRow(name) << at(from) << at(to) << expected;
        };
        add("within a day", "2026-03-04T10:00:00", "2026-03-04T13:00:00", 3 * 3600);
        add("over the night", "2026-03-04T18:00:00", "2026-03-05T11:00:00", 2 * 3600);
        add("over a weekend", "2026-03-06T18:00:00", "2026-03-09T11:00:00", 2 * 3600);
        add("outside hours only", "2026-03-04T19:00:00", "2026-03-05T10:00:00", 0);
        add("backwards is negative", "2026-03-04T13:00:00", "2026-03-04T10:00:00", -3 * 3600);
        add("a plain week", "2026-03-09T00:00:00", "2026-03-16T00:00:00", 5 * 9 * 3600);
        add("the seollal week 2026", "2026-02-16T00:00:00", "2026-02-23T00:00:00", 2 * 9 * 3600);
        add("utc instants", "2026-03-04T01:00:00Z", "2026-03-04T02:30:00Z", 5400);
        add("past the data counts nothing", "2030-12-31T18:00:00", "2031-01-10T00:00:00", 3600);
        add("milliseconds round down", "2026-03-04T10:00:00.000", "2026-03-04T10:00:01.999", 1);
    }

    void businessSeconds()
    {
        QFETCH(QDateTime, from);
        QFETCH(QDateTime, to);
        QFETCH(qint64, expected);
        QCOMPARE(shippedCalendar().businessSecondsBetween(from, to), expected);
    }

    void state_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QDateTime>("finished"); // invalid: still open
        QTest::addColumn<SlaState>("expected");
        const auto add = [](const char *name, const char *now, const char *finished, SlaState expected) {
            QTest::newRow(name) << at(now) << (finished ? at(finished) : QDateTime()) << expected;
        };
        // Due 2026-03-04 13:00 KST.
        add("an hour left", "2026-03-04T12:00:00", nullptr, SlaState::OnTrack);
        add("31 minutes left", "2026-03-04T12:29:00", nullptr, SlaState::OnTrack);
        add("exactly 30 minutes left", "2026-03-04T12:30:00", nullptr, SlaState::OnTrack);
        add("29:59 left", "2026-03-04T12:30:01", nullptr, SlaState::AtRisk);
        add("one second left", "2026-03-04T12:59:59", nullptr, SlaState::AtRisk);
        add("utc clock, 15 minutes left", "2026-03-04T03:45:00Z", nullptr, SlaState::AtRisk);
        add("due now", "2026-03-04T13:00:00", nullptr, SlaState::Breached);
        add("an hour late", "2026-03-04T14:00:00", nullptr, SlaState::Breached);
        add("finished early", "2026-03-04T15:00:00", "2026-03-04T12:00:00", SlaState::Met);
        add("finished on the dot", "2026-03-04T15:00:00", "2026-03-04T13:00:00", SlaState::Met);
        add("finished a second late", "2026-03-04T15:00:00", "2026-03-04T13:00:01", SlaState::Missed);
        add("finished late, looked at early", "2026-03-04T11:00:00", "2026-03-04T14:00:00", SlaState::Missed);
    }

    void state()
    {
        QFETCH(QDateTime, now);
        QFETCH(QDateTime, finished);
        QFETCH(SlaState, expected);
        const QDateTime due = at("2026-03-04T13:00:00");
        const std::optional<QDateTime> done = finished.isValid() ? std::optional<QDateTime>(finished) : std::nullopt;
        QCOMPARE(BusinessCalendar::state(due, now, done), expected);
    }

    void monthlyCompliance()
    {
        const QDateTime now = at("2026-03-20T12:00:00");
        const std::vector<SlaTicket> tickets = {
            {at("2026-03-05T13:00:00"), at("2026-03-05T12:00:00")}, // met
            {at("2026-03-10T13:00:00"), at("2026-03-10T13:00:00")}, // met on the dot
            {at("2026-03-12T13:00:00"), at("2026-03-12T14:00:00")}, // missed
            {at("2026-03-19T13:00:00"), std::nullopt}, // open and breached
            {at("2026-03-31T18:00:00"), std::nullopt}, // open, not due yet
            {at("2026-02-28T15:30:00Z"), at("2026-02-28T15:00:00Z")}, // 03-01 00:30 in Seoul: March, met
            {at("2026-03-31T15:30:00Z"), std::nullopt}, // 04-01 00:30 in Seoul: April
            {at("2026-02-27T13:00:00"), at("2026-02-27T15:00:00")}, // February
            {QDateTime(), std::nullopt}, // no due time
        };
        const SlaCompliance march = cairn::server::monthlyCompliance(tickets, 2026, 3, now);
        QCOMPARE(march.finished, 4);
        QCOMPARE(march.met, 3);
        QCOMPARE(march.missed, 1);
        QCOMPARE(march.open, 2);
        QCOMPARE(march.breachedOpen, 1);
        QCOMPARE(march.percent, 60.0); // 3 met of 3 met + 1 missed + 1 breached
        const SlaCompliance june = cairn::server::monthlyCompliance(tickets, 2026, 6, now);
        QCOMPARE(june.finished + june.open, 0);
        QCOMPARE(june.percent, 100.0);
    }

    void shippedDataIsWellFormed()
    {
        const QJsonObject root = QJsonDocument::fromJson(shippedJson()).object();
        const QJsonObject header = root.value(QLatin1String("header")).toObject();
        QCOMPARE(header.value(QLatin1String("first_day")).toString(), QStringLiteral("2025-01-01"));
        QCOMPARE(header.value(QLatin1String("last_day")).toString(), QStringLiteral("2030-12-31"));
        QVERIFY(!header.value(QLatin1String("sources")).toArray().isEmpty());
        std::set<QDate> dates;
        std::map<int, int> perYear;
        for (const QJsonValue &value : root.value(QLatin1String("holidays")).toArray()) {
            const QJsonObject entry = value.toObject();
            const QString text = entry.value(QLatin1String("date")).toString();
            const QDate date = QDate::fromString(text, QStringLiteral("yyyy-MM-dd"));
            QVERIFY2(date.isValid() && text.size() == 10, qPrintable(text));
            QVERIFY2(dates.insert(date).second, qPrintable(text + QStringLiteral(" twice")));
            QVERIFY2(date >= QDate(2025, 1, 1) && date <= QDate(2030, 12, 31), qPrintable(text));
            QVERIFY(!entry.value(QLatin1String("name_ko")).toString().isEmpty());
            QVERIFY(!entry.value(QLatin1String("name_en")).toString().isEmpty());
            ++perYear[date.year()];
        }
        for (int year = 2025; year <= 2030; ++year)
            QVERIFY2(perYear[year] >= 17, qPrintable(QStringLiteral("%1: %2 days").arg(year).arg(perYear[year])));
        const BusinessCalendar calendar = shippedCalendar();
        QCOMPARE(calendar.firstCoveredDay(), QDate(2025, 1, 1));
        QCOMPARE(calendar.lastCoveredDay(), QDate(2030, 12, 31));
    }

    // Every substitute falls on a weekday and exactly where 제3조 puts it, and the other days off
    // are the statutory ones (with the Korean lunar dates) plus the shipped election and temporary days.
    void shippedDataFollowsTheRules()
    {
        const BusinessCalendar calendar = shippedCalendar();
        for (const LunarDays &lunar : lunarTable) {
            const std::map<QDate, std::vector<Substitution>> days = statutoryDays(lunar);
            std::set<QDate> off;
            for (const auto &entry : days)
                off.insert(entry.first);
            for (const QDate &d : specialDays)
                if (d.year() == lunar.year)
                    off.insert(d);
            std::set<QDate> substitutes;
            for (const auto &[date, rules] : days) {
                int needed = 0;
                const int dow = date.dayOfWeek();
                for (Substitution rule : rules) {
                    if (dow == 6 && (rule == Substitution::Weekend || rule == Substitution::WeekendOrOverlap))
                        ++needed;
                    if (dow == 7 && rule != Substitution::None)
                        ++needed;
                }
                if (dow <= 5 && rules.size() >= 2) {
                    int overlapRules = 0;
                    for (Substitution rule : rules)
                        overlapRules += (rule == Substitution::Period || rule == Substitution::WeekendOrOverlap);
                    needed = std::min<int>(overlapRules, int(rules.size()) - 1);
                }
                for (int n = 0; n < needed; ++n) {
                    QDate s = date.addDays(1);
                    while (s.dayOfWeek() >= 6 || off.count(s) || substitutes.count(s))
                        s = s.addDays(1);
                    substitutes.insert(s);
                }
            }
            std::set<QDate> shippedOff, shippedSubstitutes;
            for (const Holiday &h : calendar.shippedHolidaysIn(lunar.year))
                (h.kind == HolidayKind::Substitute ? shippedSubstitutes : shippedOff).insert(h.date);
            QCOMPARE(shippedOff, off);
            QCOMPARE(shippedSubstitutes, substitutes);
            for (const QDate &s : shippedSubstitutes)
                QVERIFY2(s.dayOfWeek() <= 5, qPrintable(s.toString(Qt::ISODate)));
        }
    }

    void days_data()
    {
        QTest::addColumn<QDate>("date");
        QTest::addColumn<bool>("business");
        QTest::addColumn<QString>("nameEn");
        QTest::newRow("samiljeol substitute 2026")
            << day("2026-03-02") << false << QStringLiteral("Substitute holiday (Independence Movement Day)");
        QTest::newRow("seollal substitute 2027")
            << day("2027-02-09") << false << QStringLiteral("Substitute holiday (Seollal)");
        QTest::newRow("seollal eve 2028, korean calendar")
            << day("2028-01-26") << false << QStringLiteral("Day before Seollal");
        QTest::newRow("the day before that works") << day("2028-01-25") << true << QString();
        QTest::newRow("chuseok substitute 2028")
            << day("2028-10-05") << false << QStringLiteral("Substitute holiday (Chuseok)");
        QTest::newRow("no second substitute 2028") << day("2028-10-06") << true << QString();
        QTest::newRow("chuseok substitute 2029")
            << day("2029-09-24") << false << QStringLiteral("Substitute holiday (Chuseok)");
        QTest::newRow("seollal substitute 2030")
            << day("2030-02-05") << false << QStringLiteral("Substitute holiday (Seollal)");
        QTest::newRow("chuseok on saturday: none") << day("2026-09-28") << true << QString();
        QTest::newRow("memorial day on sunday: none") << day("2027-06-07") << true << QString();
        QTest::newRow("new year on saturday: none") << day("2028-01-03") << true << QString();
        QTest::newRow("constitution day substitute")
            << day("2027-07-19") << false << QStringLiteral("Substitute holiday (Constitution Day)");
        QTest::newRow("labor day substitute")
            << day("2027-05-03") << false << QStringLiteral("Substitute holiday (Labor Day)");
        QTest::newRow("temporary holiday 2025")
            << day("2025-01-27") << false << QStringLiteral("Temporary public holiday");
        QTest::newRow("2025-10-10 was not designated") << day("2025-10-10") << true << QString();
        QTest::newRow("local elections 2026") << day("2026-06-03") << false << QStringLiteral("Local elections day");
        QTest::newRow("an ordinary wednesday") << day("2026-03-04") << true << QString();
        QTest::newRow("an ordinary saturday") << day("2026-03-07") << false << QString();
        QTest::newRow("before the data") << day("2024-12-31") << false << QString();
        QTest::newRow("after the data") << day("2031-01-02") << false << QString();
    }

    void days()
    {
        QFETCH(QDate, date);
        QFETCH(bool, business);
        QFETCH(QString, nameEn);
        const BusinessCalendar calendar = shippedCalendar();
        QCOMPARE(calendar.isBusinessDay(date), business);
        QCOMPARE(calendar.holidayName(date, QStringLiteral("en")), nameEn);
    }

    void namesAndLists()
    {
        const BusinessCalendar calendar = shippedCalendar();
        QCOMPARE(calendar.holidayName(day("2026-02-17"), QStringLiteral("ko")), QStringLiteral("설날"));
        QCOMPARE(calendar.holidayName(day("2026-02-17"), QStringLiteral("ko_KR")), QStringLiteral("설날"));
        QCOMPARE(calendar.holidayName(day("2026-02-17"), QStringLiteral("en")), QStringLiteral("Seollal"));
        QCOMPARE(calendar.holidayName(day("2026-02-17"), QString()), QStringLiteral("Seollal"));
        QCOMPARE(calendar.holidayName(day("2027-02-09"), QStringLiteral("ko")), QStringLiteral("대체공휴일(설날)"));
        const std::vector<Holiday> list = calendar.holidaysIn(2026);
        QCOMPARE(list.size(), std::size_t(22));
        QCOMPARE(list.front().date, QDate(2026, 1, 1));
        QCOMPARE(list.back().date, QDate(2026, 12, 25));
        QVERIFY(std::is_sorted(
            list.begin(), list.end(), [](const Holiday &a, const Holiday &b) { return a.date < b.date; }));
        QVERIFY(calendar.holidaysIn(2031).empty());
    }

    void overrides()
    {
        const QString election = QStringLiteral("제23대 국회의원 선거일");
        const BusinessCalendar calendar = shippedCalendar(
            {{day("2028-04-12"), true, election}, {day("2026-05-01"), false, QStringLiteral("we work")},
                {day("2026-08-15"), false, QStringLiteral("a saturday")},
                {day("2026-03-04"), true, QStringLiteral("first")},
                {day("2026-03-04"), false, QStringLiteral("later wins")},
                {day("2031-06-04"), true, QStringLiteral("beyond the data")}});
        QVERIFY(!calendar.isBusinessDay(day("2028-04-12")));
        QCOMPARE(calendar.holidayName(day("2028-04-12"), QStringLiteral("ko")), election);
        QCOMPARE(calendar.holidayName(day("2028-04-12"), QStringLiteral("en")), election);
        QCOMPARE(calendar.holiday(day("2028-04-12"))->kind, HolidayKind::Operator);
        QVERIFY(calendar.isBusinessDay(day("2026-05-01")));
        QVERIFY(calendar.holidayName(day("2026-05-01"), QStringLiteral("en")).isEmpty());
        QVERIFY(!calendar.isBusinessDay(day("2026-08-15"))); // a Saturday stays closed
        QVERIFY(calendar.isBusinessDay(day("2026-03-04")));
        QCOMPARE(calendar.holidaysIn(2026).size(), std::size_t(20)); // 22 less 05-01 and 08-15
        QCOMPARE(calendar.shippedHolidaysIn(2026).size(), std::size_t(22));
        QCOMPARE(calendar.overrides().size(), std::size_t(6));
        QVERIFY(calendar.holidaysIn(2031).empty());

        const Result<BusinessCalendar> bad = BusinessCalendar::shipped({{QDate(), true, QStringLiteral("oops")}});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(bad.error().message.contains(QLatin1String("override 0 (oops)")), qPrintable(bad.error().message));
    }

    void checkOverride_data()
    {
        QTest::addColumn<QDate>("date");
        QTest::addColumn<bool>("closed");
        QTest::addColumn<QString>("fragment"); // empty: accepted
        QTest::newRow("close an election day") << day("2028-04-12") << true << QString();
        QTest::newRow("close a holiday") << day("2026-02-17") << true << QStringLiteral("already a day off (Seollal)");
        QTest::newRow("close a saturday") << day("2026-03-07") << true << QStringLiteral("Saturday or Sunday");
        QTest::newRow("open a holiday") << day("2026-05-01") << false << QString();
        QTest::newRow("open a business day") << day("2026-03-04") << false << QStringLiteral("not a holiday");
        QTest::newRow("open a saturday holiday") << day("2026-08-15") << false << QStringLiteral("Saturday or Sunday");
        QTest::newRow("beyond the data") << day("2031-01-06") << true << QStringLiteral("outside the days");
        QTest::newRow("no date") << QDate() << true << QStringLiteral("not valid");
    }

    void checkOverride()
    {
        QFETCH(QDate, date);
        QFETCH(bool, closed);
        QFETCH(QString, fragment);
        const Status status = shippedCalendar().checkOverride({date, closed, QStringLiteral("note")});
        if (fragment.isEmpty()) {
            QVERIFY2(status.ok(), qPrintable(status ? QString() : status.error().message));
            return;
        }
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(status.error().message.contains(fragment), qPrintable(status.error().message));
    }

    void brokenData_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("fragment");
        const int corrupt = int(ErrorCode::Corrupt);
        const char *seollal = R"({"date":"2026-02-17","name_ko":"설날","name_en":"Seollal","kind":"holiday"})";
        QTest::newRow("not json") << QByteArray("{\"header\":") << corrupt << QStringLiteral("not valid JSON");
        QTest::newRow("no header") << QByteArray(R"({"holidays":[]})") << corrupt << QStringLiteral("no \"header\"");
        QTest::newRow("unknown format") << QByteArray(R"({"header":{"format":2},"holidays":[]})")
                                        << int(ErrorCode::Unsupported) << QStringLiteral("format 2");
        QTest::newRow("range backwards") << dataWith("2026-01-01", "2025-12-31", "") << corrupt
                                         << QStringLiteral("is before");
        QTest::newRow("no list") << QByteArray(
            R"({"header":{"format":1,"first_day":"2026-01-01","last_day":"2026-12-31"}})")
                                 << corrupt << QStringLiteral("no \"holidays\"");
        QTest::newRow("bad date") << dataWith("2026-01-01", "2026-12-31",
            QByteArray(seollal).append(R"(,{"date":"2026-02-30","name_ko":"x","name_en":"x","kind":"holiday"})"))
                                  << corrupt << QStringLiteral("holidays[1] (2026-02-30): not a valid date");
        QTest::newRow("loose date") << dataWith(
            "2026-01-01", "2026-12-31", R"({"date":"2026-2-3","name_ko":"x","name_en":"x","kind":"holiday"})")
                                    << corrupt << QStringLiteral("holidays[0] (2026-2-3): not a valid date");
        QTest::newRow("no english name") << dataWith(
            "2026-01-01", "2026-12-31", R"({"date":"2026-02-17","name_ko":"설날","kind":"holiday"})")
                                         << corrupt << QStringLiteral("holidays[0] (2026-02-17): no \"name_en\"");
        QTest::newRow("unknown kind") << dataWith(
            "2026-01-01", "2026-12-31", R"({"date":"2026-02-17","name_ko":"x","name_en":"x","kind":"bank"})")
                                      << corrupt << QStringLiteral("unknown kind \"bank\"");
        QTest::newRow("date twice") << dataWith(
            "2026-01-01", "2026-12-31", QByteArray(seollal).append(',').append(seollal))
                                    << corrupt
                                    << QStringLiteral(
                                           "holidays[1] (2026-02-17): the date is listed twice (also holidays[0])");
        QTest::newRow("outside the range")
            << dataWith(
                   "2026-01-01", "2026-12-31", R"({"date":"2027-01-01","name_ko":"x","name_en":"x","kind":"holiday"})")
            << corrupt << QStringLiteral("holidays[0] (2027-01-01): outside the covered days");
        QTest::newRow("entry not an object")
            << dataWith("2026-01-01", "2026-12-31", "1") << corrupt << QStringLiteral("holidays[0]: not an object");
    }

    void brokenData()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, code);
        QFETCH(QString, fragment);
        const Result<BusinessCalendar> calendar = BusinessCalendar::fromJson(json);
        QVERIFY(!calendar.ok());
        QCOMPARE(int(calendar.error().code), code);
        QVERIFY2(calendar.error().message.contains(fragment), qPrintable(calendar.error().message));
    }

    void smallDataWorks()
    {
        // A one-year file read through fromJson: the same rules apply to any data.
        const Result<BusinessCalendar> calendar = BusinessCalendar::fromJson(dataWith("2026-01-01", "2026-12-31",
            R"({"date":"2026-03-05","name_ko":"가","name_en":"A day off","kind":"temporary"})"));
        QVERIFY(calendar.ok());
        QVERIFY(!calendar->isBusinessDay(day("2026-03-05")));
        QVERIFY(calendar->isBusinessDay(day("2026-02-17"))); // not in this data
        const Result<QDateTime> due = calendar->dueAt(at("2026-03-04T18:00:00"));
        QVERIFY(due.ok());
        QCOMPARE(*due, at("2026-03-06T12:00:00"));
    }
};

QTEST_GUILESS_MAIN(TestBusinessCalendar)
#include "TestBusinessCalendar.moc"
