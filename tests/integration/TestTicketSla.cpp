// The SLA clock of restore tickets in a real cairn-server whose clock follows the documented test
// setting testing/clock_file: due times of tickets submitted on a Chuseok eve, on a Friday at
// 18:59, at 19:00, at 09:59 and at 16:10 (due 10:10 the next morning); on-track, at-risk (by wall
// time, and by business time overnight) and breached as the clock moves; a day off an operator adds
// with `cairn-server calendar add` moving the due time of the next ticket; and the monthly
// compliance report with met, missed, open-breached and cancelled tickets, against figures worked
// out by hand below. Main thread; the server is a child process.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <QtTest>

using namespace cairn;
using namespace cairn::test;

class TestTicketSla : public QObject {
    Q_OBJECT

    ServerProcess m_server;
    QString m_clockPath;
    qint64 m_tenant = 0;
    std::unique_ptr<ApiClient> m_user, m_ops;
    std::unique_ptr<SimulatedAgent> m_agent;
    SnapshotId m_snapshot;
    QHash<QString, qint64> m_tickets; // name → id

    // Sets the server's clock (KST); it takes effect at the next request.
    void setClock(const QString &kst)
    {
        QThread::msleep(1100); // a new modification time (1 s resolution on some file systems)
        QFile f(m_clockPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write((kst + QStringLiteral("+09:00")).toLatin1());
    }

    // Submits a ticket at the current clock; its view.
    QJsonObject submit(const QString &name)
    {
        const ApiReply r = m_user->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {
                {QStringLiteral("server"), m_agent->agentId()}, {QStringLiteral("snapshot"), m_snapshot.toHex()}});
        if (r.status != 201)
            qWarning("submit %s: %s", qPrintable(name), qPrintable(r.describe()));
        m_tickets.insert(name, r.json().value(QStringLiteral("id")).toInteger());
        return r.json();
    }

    QJsonObject view(const QString &name)
    {
        return m_user->get(QStringLiteral("/api/v1/restore-tickets/%1").arg(m_tickets.value(name))).json();
    }

    ApiReply act(const QString &name, const QString &action, const QJsonObject &body = {})
    {
        return m_ops->post(QStringLiteral("/api/v1/restore-tickets/%1/%2?tenant=%3")
                               .arg(m_tickets.value(name))
                               .arg(action)
                               .arg(m_tenant),
            body);
    }

    // The due time, to the minute (the clock keeps running for the seconds a test step takes).
    static QString dueMinute(const QJsonObject &ticket)
    {
        const QString due = ticket.value(QStringLiteral("due_at")).toString();
        return due.size() == 25 ? due.left(16) + due.right(6) : due; // 2026-11-09T12:59+09:00
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.init(), m_server.log().constData());
        m_tenant = m_server.addTenant(QStringLiteral("acme"));
        QVERIFY(m_tenant > 0);
        QVERIFY(m_server.addUser(
            QStringLiteral("kim"), "kim's password", QStringLiteral("acme"), QStringLiteral("member")));
        QVERIFY(m_server.addUser(QStringLiteral("ops"), "ops password", QString(), QStringLiteral("operator")));
        m_clockPath = QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("clock"));
        {
            QFile f(m_clockPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("2026-09-23T09:00:00+09:00");
        }
        const QString config = m_server.writeConfig(
            QByteArray("[testing]\nclock_file=") + m_clockPath.toUtf8() + "\n[session]\nlifetime_hours=100000\n");
        QVERIFY(!config.isEmpty());
        QVERIFY2(m_server.start({QStringLiteral("--config"), config}), m_server.log().constData());
        m_user = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        m_ops = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_user->login(QStringLiteral("kim"), QStringLiteral("kim's password")).status, 200);
        QCOMPARE(m_ops->login(QStringLiteral("ops"), QStringLiteral("ops password")).status, 200);
        m_agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        QCOMPARE(m_agent->enroll(m_server.enrollmentCode(QStringLiteral("acme")), QStringLiteral("web01")).status, 201);
        const auto pack = m_agent->buildPack(7, 2, 4000, true);
        QCOMPARE(m_agent->uploadPack(pack).status, 201);
        QCOMPARE(m_agent->commitSnapshot(*pack.tree, &m_snapshot).status, 201);
    }

    // Wednesday 2026-09-23 18:30, the eve of Chuseok (Thu 24 – Sat 26): 30 minutes that evening,
    // the rest from Monday 28 10:00.
    void holidayEve()
    {
        setClock(QStringLiteral("2026-09-23T18:30:00"));
        const QJsonObject t = submit(QStringLiteral("eve"));
        QCOMPARE(dueMinute(t), QStringLiteral("2026-09-28T12:30+09:00"));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("on-track"));
    }

    // Friday 2026-11-06 18:59: one minute that day, 2 h 59 min on Monday.
    void friday1859()
    {
        setClock(QStringLiteral("2026-11-06T18:59:00"));
        const QJsonObject t = submit(QStringLiteral("friday"));
        QCOMPARE(dueMinute(t), QStringLiteral("2026-11-09T12:59+09:00"));
        const qint64 left = t.value(QStringLiteral("business_minutes_left")).toInteger();
        QVERIFY2(left == 179 || left == 180, qPrintable(QString::number(left)));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("on-track"));
        QVERIFY(t.value(QStringLiteral("sla_clock_running")).toBool()); // 18:59: still business time
        const qint64 seconds = t.value(QStringLiteral("business_seconds_left")).toInteger();
        QVERIFY2(seconds > 179 * 60 && seconds <= 180 * 60, qPrintable(QString::number(seconds)));
        // At 19:30 the clock stands still until Monday 10:00, with the same time left.
        setClock(QStringLiteral("2026-11-06T19:30:00"));
        const QJsonObject evening = view(QStringLiteral("friday"));
        QVERIFY(!evening.value(QStringLiteral("sla_clock_running")).toBool());
        const qint64 eveningLeft = evening.value(QStringLiteral("business_seconds_left")).toInteger();
        QVERIFY2(eveningLeft == 179 * 60, qPrintable(QString::number(eveningLeft)));
    }

    // Monday 2026-11-09: on track at 12:00, at risk at 12:35 (24 minutes left), breached at
    // 13:00; completed at 13:10, it is missed.
    void fridayTicketAtRiskThenBreached()
    {
        setClock(QStringLiteral("2026-11-09T12:00:00"));
        QJsonObject t = view(QStringLiteral("friday"));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("on-track"));
        qint64 left = t.value(QStringLiteral("business_minutes_left")).toInteger();
        QVERIFY2(left == 58 || left == 59, qPrintable(QString::number(left))); // whole minutes, rounded down
        setClock(QStringLiteral("2026-11-09T12:35:00"));
        t = view(QStringLiteral("friday"));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("at-risk"));
        left = t.value(QStringLiteral("business_minutes_left")).toInteger();
        QVERIFY2(left == 23 || left == 24, qPrintable(QString::number(left)));
        setClock(QStringLiteral("2026-11-09T13:00:00"));
        t = view(QStringLiteral("friday"));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("breached"));
        QVERIFY(t.value(QStringLiteral("business_minutes_left")).toInteger() <= 0);
        setClock(QStringLiteral("2026-11-09T13:10:00"));
        QCOMPARE(act(QStringLiteral("friday"), QStringLiteral("accept")).status, 200);
        const ApiReply r = act(
            QStringLiteral("friday"), QStringLiteral("complete"), {{QStringLiteral("note"), QStringLiteral("late")}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("sla")).toString(), QStringLiteral("missed"));
        QVERIFY(r.json().value(QStringLiteral("business_minutes_left")).toInteger() <= -10);
    }

    // Tuesday 2026-11-10 16:10: due Wednesday 10:10. At 18:50 Tuesday 15 hours of wall time are
    // left but only 20 business minutes: at risk. Completed then, it is met.
    void overnightAtRisk()
    {
        setClock(QStringLiteral("2026-11-10T16:10:00"));
        QCOMPARE(dueMinute(submit(QStringLiteral("overnight"))), QStringLiteral("2026-11-11T10:10+09:00"));
        setClock(QStringLiteral("2026-11-10T18:50:00"));
        const QJsonObject t = view(QStringLiteral("overnight"));
        QCOMPARE(t.value(QStringLiteral("sla")).toString(), QStringLiteral("at-risk"));
        const qint64 left = t.value(QStringLiteral("business_minutes_left")).toInteger();
        QVERIFY2(left == 19 || left == 20, qPrintable(QString::number(left)));
        QCOMPARE(act(QStringLiteral("overnight"), QStringLiteral("accept")).status, 200);
        const ApiReply r = act(QStringLiteral("overnight"), QStringLiteral("complete"),
            {{QStringLiteral("note"), QStringLiteral("done")}});
        QCOMPARE(r.json().value(QStringLiteral("sla")).toString(), QStringLiteral("met"));
    }

    // At 19:00 (closed): due 13:00 the next day. At 09:59 (not yet open): 13:00 that day.
    void closingAndOpening()
    {
        setClock(QStringLiteral("2026-11-10T19:00:00"));
        QCOMPARE(submit(QStringLiteral("at1900")).value(QStringLiteral("due_at")).toString(),
            QStringLiteral("2026-11-11T13:00:00+09:00"));
        setClock(QStringLiteral("2026-11-11T09:59:00"));
        QCOMPARE(submit(QStringLiteral("at0959")).value(QStringLiteral("due_at")).toString(),
            QStringLiteral("2026-11-11T13:00:00+09:00"));
        QCOMPARE(
            m_user
                ->post(
                    QStringLiteral("/api/v1/restore-tickets/%1/cancel").arg(m_tickets.value(QStringLiteral("at0959"))),
                    {})
                .status,
            200);
    }

    // Wednesday 17:00: due Thursday 11:00. An operator makes Thursday 2026-11-12 a day off; a
    // ticket at 18:00 is then due Friday 12:00 (1 h Wednesday, 2 h Friday), and the earlier
    // ticket keeps its due time.
    void operatorAddedHoliday()
    {
        setClock(QStringLiteral("2026-11-11T17:00:00"));
        QCOMPARE(dueMinute(submit(QStringLiteral("before"))), QStringLiteral("2026-11-12T11:00+09:00"));
        const ProcessResult added
            = m_server.admin({QStringLiteral("calendar"), QStringLiteral("add"), QStringLiteral("--date"),
                QStringLiteral("2026-11-12"), QStringLiteral("--note"), QStringLiteral("company day off")});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        setClock(QStringLiteral("2026-11-11T18:00:00"));
        QCOMPARE(dueMinute(submit(QStringLiteral("after"))), QStringLiteral("2026-11-13T12:00+09:00"));
        QCOMPARE(dueMinute(view(QStringLiteral("before"))), QStringLiteral("2026-11-12T11:00+09:00"));
    }

    // At 2026-11-11 18:00, November's tickets: friday missed, overnight met, at1900 open and past
    // due (13:00), at0959 cancelled (left out), before and after open and not yet due. Counted
    // are met 1, missed 1 and breached-open 1: 1 / 3 = 33.3 %. September: the eve ticket was
    // never handled: 0 %. October: nothing due, 100 %.
    void monthlyCompliance()
    {
        ApiReply r = m_ops->get(QStringLiteral("/api/v1/operator/sla?month=2026-11"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QJsonObject c = r.json();
        QCOMPARE(c.value(QStringLiteral("month")).toString(), QStringLiteral("2026-11"));
        QCOMPARE(c.value(QStringLiteral("due")).toInt(), 5);
        QCOMPARE(c.value(QStringLiteral("met")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("missed")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("open")).toInt(), 3);
        QCOMPARE(c.value(QStringLiteral("breached_open")).toInt(), 1);
        QVERIFY(qAbs(c.value(QStringLiteral("percent")).toDouble() - 100.0 / 3) < 1e-6);
        QStringList slas;
        for (const QJsonValue &v : c.value(QStringLiteral("tickets")).toArray())
            slas << v.toObject().value(QStringLiteral("sla")).toString();
        QCOMPARE(slas,
            (QStringList {QStringLiteral("missed"), QStringLiteral("met"), QStringLiteral("breached"),
                QStringLiteral("on-track"), QStringLiteral("on-track")})); // by due time

        r = m_ops->get(QStringLiteral("/api/v1/operator/sla?month=2026-09&tenant=%1").arg(m_tenant));
        c = r.json();
        QCOMPARE(c.value(QStringLiteral("due")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("breached_open")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("percent")).toDouble(), 0.0);
        r = m_ops->get(QStringLiteral("/api/v1/operator/sla?month=2026-10"));
        QCOMPARE(r.json().value(QStringLiteral("due")).toInt(), 0);
        QCOMPARE(r.json().value(QStringLiteral("percent")).toDouble(), 100.0);
        // The default month is the server clock's.
        QCOMPARE(m_ops->get(QStringLiteral("/api/v1/operator/sla")).json().value(QStringLiteral("month")).toString(),
            QStringLiteral("2026-11"));
    }

    // The operators' queue holds the open tickets only, soonest due first: the September eve
    // ticket (never handled), then November's at1900, before and after; friday, overnight (done)
    // and at0959 (cancelled) are not in it. Members may not see it.
    void operatorQueueByDueTime()
    {
        const ApiReply r = m_ops->get(QStringLiteral("/api/v1/operator/ticket-queue"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QList<qint64> ids;
        QString previous;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject t = v.toObject();
            ids << t.value(QStringLiteral("id")).toInteger();
            const QString due = QDateTime::fromString(t.value(QStringLiteral("due_at")).toString(), Qt::ISODate)
                                    .toUTC()
                                    .toString(Qt::ISODate);
            QVERIFY2(previous.isEmpty() || previous <= due, qPrintable(previous + QStringLiteral(" > ") + due));
            previous = due;
            const QString state = t.value(QStringLiteral("state")).toString();
            QVERIFY2(state == u"submitted" || state == u"accepted" || state == u"running", qPrintable(state));
        }
        for (const char *open : {"at1900", "before", "after"})
            QVERIFY2(ids.contains(m_tickets.value(QLatin1String(open))), open);
        for (const char *closed : {"friday", "overnight", "at0959"})
            QVERIFY2(!ids.contains(m_tickets.value(QLatin1String(closed))), closed);
        QVERIFY(ids.indexOf(m_tickets.value(QStringLiteral("at1900"))) < ids.indexOf(m_tickets.value(QStringLiteral("before"))));
        QVERIFY(ids.indexOf(m_tickets.value(QStringLiteral("before"))) < ids.indexOf(m_tickets.value(QStringLiteral("after"))));
        QCOMPARE(m_user->get(QStringLiteral("/api/v1/operator/ticket-queue")).status, 403);
        QCOMPARE(m_ops->get(QStringLiteral("/api/v1/operator/ticket-queue?limit=0")).status, 400);
    }

    void cleanupTestCase()
    {
        QVERIFY(m_server.stop());
        // A sanitizer build of the server reports at exit; any report, leaks included, fails.
        QVERIFY2(noSanitizerReport(m_server.log()), "the server's output has a sanitizer report (above)");
    }
};

QTEST_GUILESS_MAIN(TestTicketSla)
#include "TestTicketSla.moc"
