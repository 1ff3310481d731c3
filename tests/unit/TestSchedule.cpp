// The shared schedule calculation (agentcore/schedule): daily and weekly slots at a local hour,
// the per-server offset (also across the UTC midnight and week boundary), a zone without DST
// (Asia/Seoul), a zone with DST (America/New_York: the skipped 02:00 of spring-forward, the
// repeated 01:00 of fall-back), unknown zones as UTC, latestSlot/nextSlot agreeing over a year of
// random instants, and the offset hash (a published formula, deterministic, spread evenly).
// Runs on the test's main thread.
#include "schedule/Schedule.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>
#include <QtEndian>

using namespace cairn;

namespace {

QDateTime utc(const char *iso)
{
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    return t.toUTC();
}

ScheduleRule daily(int hour, const char *zone, qint64 offset = 0)
{
    ScheduleRule r;
    r.intervalDays = 1;
    r.hour = hour;
    r.timeZone = zone;
    r.offsetSeconds = offset;
    return r;
}

ScheduleRule weekly(int weekday, int hour, const char *zone, qint64 offset = 0)
{
    ScheduleRule r = daily(hour, zone, offset);
    r.intervalDays = 7;
    r.weekday = weekday;
    return r;
}

} // namespace

Q_DECLARE_METATYPE(cairn::ScheduleRule)

class TestSchedule : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // The DST cases need the system's time zone database.
        QVERIFY2(QTimeZone(QByteArray("America/New_York")).isValid(), "no time zone data (install tzdata)");
        QVERIFY(QTimeZone(QByteArray("Asia/Seoul")).isValid());
    }

    void nextSlot_data()
    {
        QTest::addColumn<ScheduleRule>("rule");
        QTest::addColumn<QDateTime>("after");
        QTest::addColumn<QDateTime>("expected");

        // Daily, UTC: strictly after — a slot equal to `after` is not the next one.
        QTest::newRow("daily utc, before the hour")
            << daily(2, "UTC") << utc("2024-03-01T01:59:59Z") << utc("2024-03-01T02:00:00Z");
        QTest::newRow("daily utc, at the slot")
            << daily(2, "UTC") << utc("2024-03-01T02:00:00Z") << utc("2024-03-02T02:00:00Z");
        QTest::newRow("daily utc, month end")
            << daily(2, "UTC") << utc("2024-02-29T02:00:00Z") << utc("2024-03-01T02:00:00Z");
        QTest::newRow("daily utc, last second of the offset")
            << daily(23, "UTC", 3599) << utc("2024-03-01T23:59:58Z") << utc("2024-03-01T23:59:59Z");
        QTest::newRow("daily utc, past the offset")
            << daily(23, "UTC", 3599) << utc("2024-03-01T23:59:59Z") << utc("2024-03-02T23:59:59Z");

        // Asia/Seoul is UTC+9 all year: 02:00 KST is 17:00 UTC of the day before.
        QTest::newRow("daily seoul") << daily(2, "Asia/Seoul") << utc("2024-03-01T00:00:00Z")
                                     << utc("2024-03-01T17:00:00Z");
        QTest::newRow("daily seoul, summer")
            << daily(2, "Asia/Seoul") << utc("2024-07-01T18:00:00Z") << utc("2024-07-02T17:00:00Z");
        // 08:50 KST is 23:50 UTC of the day before: the offset carries the slot over the UTC midnight.
        QTest::newRow("seoul offset over utc midnight")
            << daily(8, "Asia/Seoul", 3000) << utc("2024-03-01T23:49:59Z") << utc("2024-03-01T23:50:00Z");
        QTest::newRow("seoul offset over utc midnight, next")
            << daily(8, "Asia/Seoul", 3000) << utc("2024-03-01T23:50:00Z") << utc("2024-03-02T23:50:00Z");

        // Weekly. 2024-03-01 is a Friday; Wednesday (3) 22:00 KST = 13:00 UTC.
        QTest::newRow("weekly seoul") << weekly(3, 22, "Asia/Seoul") << utc("2024-03-01T00:00:00Z")
                                      << utc("2024-03-06T13:00:00Z");
        QTest::newRow("weekly seoul, at the slot")
            << weekly(3, 22, "Asia/Seoul") << utc("2024-03-06T13:00:00Z") << utc("2024-03-13T13:00:00Z");
        QTest::newRow("weekly utc, same day later")
            << weekly(5, 18, "UTC") << utc("2024-03-01T09:00:00Z") << utc("2024-03-01T18:00:00Z");
        QTest::newRow("weekly sunday") << weekly(7, 0, "UTC") << utc("2024-03-01T09:00:00Z")
                                       << utc("2024-03-03T00:00:00Z");
        // Monday 08:50 KST is Sunday 23:50 UTC: the slot is in the previous UTC week.
        QTest::newRow("weekly offset over week boundary")
            << weekly(1, 8, "Asia/Seoul", 3000) << utc("2024-03-01T00:00:00Z") << utc("2024-03-03T23:50:00Z");
        QTest::newRow("weekly offset over week boundary, next")
            << weekly(1, 8, "Asia/Seoul", 3000) << utc("2024-03-03T23:50:00Z") << utc("2024-03-10T23:50:00Z");
        // The UTC date of `after` is Sunday, the local date already Monday: this Monday's slot.
        QTest::newRow("weekly, local date ahead of utc")
            << weekly(1, 9, "Asia/Seoul", 600) << utc("2024-03-03T23:30:00Z") << utc("2024-03-04T00:10:00Z");

        // America/New_York, spring forward on 2024-03-10: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        QTest::newRow("ny before spring forward")
            << daily(2, "America/New_York") << utc("2024-03-09T06:00:00Z") << utc("2024-03-09T07:00:00Z");
        QTest::newRow("ny skipped 02:00 is the end of the jump")
            << daily(2, "America/New_York") << utc("2024-03-09T07:00:00Z") << utc("2024-03-10T07:00:00Z");
        QTest::newRow("ny skipped 02:00 plus offset")
            << daily(2, "America/New_York", 1200) << utc("2024-03-09T08:00:00Z") << utc("2024-03-10T07:20:00Z");
        QTest::newRow("ny after spring forward")
            << daily(2, "America/New_York") << utc("2024-03-10T07:00:00Z") << utc("2024-03-11T06:00:00Z");
        QTest::newRow("ny 03:00 on the jump day")
            << daily(3, "America/New_York") << utc("2024-03-09T09:00:00Z") << utc("2024-03-10T07:00:00Z");
        // Fall back on 2024-11-03: 02:00 EDT goes back to 01:00 EST; 01:xx happens twice.
        QTest::newRow("ny repeated 01:00, first occurrence")
            << daily(1, "America/New_York") << utc("2024-11-02T05:00:00Z") << utc("2024-11-03T05:00:00Z");
        QTest::newRow("ny repeated 01:00, no second slot")
            << daily(1, "America/New_York") << utc("2024-11-03T05:00:00Z") << utc("2024-11-04T06:00:00Z");
        QTest::newRow("ny 02:00 on the fall-back day")
            << daily(2, "America/New_York") << utc("2024-11-02T06:00:00Z") << utc("2024-11-03T07:00:00Z");
        QTest::newRow("ny weekly sunday over spring forward")
            << weekly(7, 2, "America/New_York", 60) << utc("2024-03-04T00:00:00Z") << utc("2024-03-10T07:01:00Z");

        // Unknown or empty zones are UTC.
        QTest::newRow("unknown zone is utc")
            << daily(2, "Not/A_Zone") << utc("2024-03-01T03:00:00Z") << utc("2024-03-02T02:00:00Z");
        QTest::newRow("empty zone is utc")
            << daily(2, "") << utc("2024-03-01T01:00:00Z") << utc("2024-03-01T02:00:00Z");
    }

    void nextSlot()
    {
        QFETCH(ScheduleRule, rule);
        QFETCH(QDateTime, after);
        QFETCH(QDateTime, expected);
        const QDateTime got = cairn::nextSlot(rule, after);
        QVERIFY(got.isValid());
        QCOMPARE(got.timeSpec(), Qt::UTC);
        QCOMPARE(got, expected);
        // The same instant given in another zone gives the same slot.
        QCOMPARE(cairn::nextSlot(rule, after.toTimeZone(QTimeZone(QByteArray("Europe/Berlin")))), expected);
        // The slot found is the latest slot at its own instant.
        QCOMPARE(cairn::latestSlot(rule, got), got);
    }

    void unknownZoneMatchesUtc()
    {
        const QDateTime start = utc("2024-01-01T00:00:00Z");
        for (int h = 0; h < 24 * 30; h += 7) {
            const QDateTime t = start.addSecs(qint64(h) * 3600);
            QCOMPARE(cairn::nextSlot(weekly(4, 5, "Mars/Olympus", 99), t), cairn::nextSlot(weekly(4, 5, "UTC", 99), t));
            QCOMPARE(cairn::latestSlot(daily(5, "", 99), t), cairn::latestSlot(daily(5, "UTC", 99), t));
        }
    }

    void latestSlotBasics()
    {
        QCOMPARE(cairn::latestSlot(daily(2, "UTC"), utc("2024-03-01T02:00:00Z")), utc("2024-03-01T02:00:00Z"));
        QCOMPARE(cairn::latestSlot(daily(2, "UTC"), utc("2024-03-01T01:59:59Z")), utc("2024-02-29T02:00:00Z"));
        QCOMPARE(cairn::latestSlot(weekly(1, 8, "Asia/Seoul", 3000), utc("2024-03-04T00:10:00Z")),
            utc("2024-03-03T23:50:00Z"));
        QCOMPARE(cairn::latestSlot(weekly(1, 8, "Asia/Seoul", 3000), utc("2024-03-03T23:49:59Z")),
            utc("2024-02-25T23:50:00Z"));
        // Fall-back: at the second 01:00 (06:00 UTC) the latest slot is still the first 01:00.
        QCOMPARE(
            cairn::latestSlot(daily(1, "America/New_York"), utc("2024-11-03T06:30:00Z")), utc("2024-11-03T05:00:00Z"));
    }

    // Over a year of random instants and several zones: latest ≤ t < next, nothing between them.
    void latestAndNextAgree_data()
    {
        QTest::addColumn<ScheduleRule>("rule");
        QTest::newRow("daily seoul") << daily(2, "Asia/Seoul", 1234);
        QTest::newRow("weekly seoul") << weekly(6, 23, "Asia/Seoul", 3599);
        QTest::newRow("daily new york 02") << daily(2, "America/New_York", 600);
        QTest::newRow("daily new york 01") << daily(1, "America/New_York");
        QTest::newRow("weekly new york") << weekly(7, 2, "America/New_York", 17);
        QTest::newRow("daily london") << daily(1, "Europe/London", 2000);
        QTest::newRow("daily lord howe (30 min dst)") << daily(2, "Australia/Lord_Howe", 45);
        QTest::newRow("weekly utc") << weekly(1, 0, "UTC");
    }

    void latestAndNextAgree()
    {
        QFETCH(ScheduleRule, rule);
        QRandomGenerator rng(0x5ced);
        const qint64 start = utc("2024-01-01T00:00:00Z").toMSecsSinceEpoch();
        const qint64 span = 366LL * 24 * 3600 * 1000;
        const qint64 period = qint64(rule.intervalDays) * 24 * 3600 * 1000;
        for (int i = 0; i < 3000; ++i) {
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(start + qint64(rng.bounded(quint64(span))), Qt::UTC);
            const QDateTime latest = cairn::latestSlot(rule, t), next = cairn::nextSlot(rule, t);
            QVERIFY2(latest.isValid() && next.isValid(), qPrintable(t.toString(Qt::ISODate)));
            QVERIFY(latest <= t);
            QVERIFY(t < next);
            QCOMPARE(cairn::nextSlot(rule, latest), next);
            QCOMPARE(cairn::nextSlot(rule, latest.addMSecs(-1)), latest);
            QCOMPARE(cairn::latestSlot(rule, next.addMSecs(-1)), latest);
            QCOMPARE(cairn::latestSlot(rule, next), next);
            // One slot per period, give or take a DST change.
            const qint64 gap = latest.msecsTo(next);
            QVERIFY2(gap >= period - 3600 * 1000 && gap <= period + 3600 * 1000,
                qPrintable(QStringLiteral("%1 → %2").arg(latest.toString(Qt::ISODate), next.toString(Qt::ISODate))));
            const QDateTime local = next.addSecs(-rule.offsetSeconds).toTimeZone(QTimeZone(rule.timeZone));
            if (rule.intervalDays == 7)
                QCOMPARE(local.date().dayOfWeek(), rule.weekday);
            QVERIFY2(local.time().hour() == rule.hour || local.time().hour() == rule.hour + 1,
                qPrintable(local.toString(Qt::ISODate)));
        }
    }

    void invalidRulesHaveNoSlots()
    {
        const QDateTime t = utc("2024-03-01T00:00:00Z");
        ScheduleRule r = daily(2, "UTC");
        QVERIFY(isValid(r));
        r.intervalDays = 3;
        QVERIFY(!isValid(r));
        QVERIFY(!cairn::nextSlot(r, t).isValid());
        r = daily(24, "UTC");
        QVERIFY(!cairn::nextSlot(r, t).isValid());
        r = weekly(8, 2, "UTC");
        QVERIFY(!cairn::latestSlot(r, t).isValid());
        r = daily(2, "UTC", 3600);
        QVERIFY(!cairn::nextSlot(r, t).isValid());
        r = daily(2, "UTC", -1);
        QVERIFY(!cairn::latestSlot(r, t).isValid());
        QVERIFY(!cairn::nextSlot(daily(2, "UTC"), QDateTime()).isValid());
    }

    // The published formula, computed here independently of the crypto wrapper.
    void offsetFollowsTheFormula()
    {
        for (qint64 tenant : {1, 2, 77}) {
            for (qint64 agent : {1, 5, 123456}) {
                const QByteArray digest = QCryptographicHash::hash(
                    QStringLiteral("cairn-schedule-offset:%1:%2").arg(tenant).arg(agent).toUtf8(),
                    QCryptographicHash::Sha256);
                const quint64 first8 = qFromBigEndian<quint64>(digest.constData());
                QCOMPARE(scheduleOffsetSeconds(tenant, agent), qint64(first8 % 3600));
                QCOMPARE(scheduleOffsetSeconds(tenant, agent, 600), qint64(first8 % 600));
                QCOMPARE(scheduleOffsetSeconds(tenant, agent), scheduleOffsetSeconds(tenant, agent));
            }
        }
        QCOMPARE(scheduleOffsetSeconds(3, 4, 0), qint64(0));
        QCOMPARE(scheduleOffsetSeconds(3, 4, -5), qint64(0));
        QCOMPARE(scheduleOffsetSeconds(3, 4, 1), qint64(0));
        QVERIFY(scheduleOffsetSeconds(1, 2) != scheduleOffsetSeconds(2, 1)); // order matters
    }

    // 1000 servers of one tenant spread over the hour: every 100-second bucket gets some (27.8 on
    // average), none gets crowded, and the values are mostly distinct.
    void offsetsSpreadOverTheHour()
    {
        constexpr int kAgents = 1000, kBuckets = 36;
        QVector<int> buckets(kBuckets, 0);
        QSet<qint64> distinct;
        for (qint64 agent = 1; agent <= kAgents; ++agent) {
            const qint64 o = scheduleOffsetSeconds(42, agent);
            QVERIFY(o >= 0 && o < 3600);
            ++buckets[int(o / 100)];
            distinct.insert(o);
        }
        double chi2 = 0;
        const double expected = double(kAgents) / kBuckets;
        for (int n : buckets) {
            QVERIFY2(n >= 10 && n <= 50, qPrintable(QStringLiteral("bucket with %1 of %2").arg(n).arg(kAgents)));
            chi2 += (n - expected) * (n - expected) / expected;
        }
        QVERIFY2(chi2 < 70, qPrintable(QString::number(chi2))); // 35 degrees of freedom: p < 0.001
        QVERIFY(distinct.size() > 800);
        // Other tenants get other offsets for the same agent ids.
        int same = 0;
        for (qint64 agent = 1; agent <= 100; ++agent)
            same += scheduleOffsetSeconds(42, agent) == scheduleOffsetSeconds(43, agent);
        QVERIFY(same < 5);
    }
};

QTEST_GUILESS_MAIN(TestSchedule)
#include "TestSchedule.moc"
