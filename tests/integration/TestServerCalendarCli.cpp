// `cairn-server calendar` against a real data folder: the due time of a restore ticket (the
// example of the issue: submitted on the eve of Chuseok 2026), an election day an operator adds,
// a shipped holiday an operator makes a working day and the undoing of that change, the list of a
// year, and refused input (a Saturday, a time without offset, a date past the data, no data
// folder) with exit codes 1 and 2. The test's main thread; cairn-server runs as a child process.
#include "ServerProcess.h"

#include <QtTest>

using namespace cairn;
using namespace cairn::test;

class TestServerCalendarCli : public QObject {
    Q_OBJECT

    ProcessResult calendar(const QStringList &args)
    {
        return m_server.admin(QStringList {QStringLiteral("calendar")} + args);
    }
    QString due(const QString &from)
    {
        const ProcessResult r = calendar({QStringLiteral("due"), QStringLiteral("--from"), from});
        if (r.exitCode != 0)
            return QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
        return QString::fromUtf8(r.out).trimmed();
    }

    ServerProcess m_server;

private slots:
    void initTestCase() { QVERIFY2(m_server.init(), m_server.log().constData()); }

    void dueTimes()
    {
        // Wednesday 18:30: 30 minutes that day; Chuseok Thu-Sat, Sunday; 2 h 30 on Monday.
        QCOMPARE(due(QStringLiteral("2026-09-23T18:30:00+09:00")), QStringLiteral("2026-09-28T12:30:00+09:00"));
        QCOMPARE(due(QStringLiteral("2026-03-04T01:00:00Z")), QStringLiteral("2026-03-04T13:00:00+09:00")); // 10:00 KST
        const ProcessResult half = calendar({QStringLiteral("due"), QStringLiteral("--from"),
            QStringLiteral("2026-03-04T10:00:00+09:00"), QStringLiteral("--minutes"), QStringLiteral("30")});
        QCOMPARE(half.exitCode, 0);
        QCOMPARE(half.out.trimmed(), QByteArray("2026-03-04T10:30:00+09:00"));
    }

    void operatorChanges()
    {
        // The 2028 National Assembly election is not shipped; an operator adds it.
        QCOMPARE(due(QStringLiteral("2028-04-11T18:00:00+09:00")), QStringLiteral("2028-04-12T12:00:00+09:00"));
        ProcessResult r = calendar({QStringLiteral("add"), QStringLiteral("--date"), QStringLiteral("2028-04-12"),
            QStringLiteral("--note"), QStringLiteral("국회의원 선거")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(due(QStringLiteral("2028-04-11T18:00:00+09:00")), QStringLiteral("2028-04-13T12:00:00+09:00"));
        r = calendar({QStringLiteral("list"), QStringLiteral("--year"), QStringLiteral("2028")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("2028-04-12 Wed  국회의원 선거"), r.out.constData());
        QVERIFY2(r.out.contains("2028-01-27 Thu"), r.out.constData()); // Seollal 2028

        // Labor Day 2026 (Friday) worked: due on the day itself; undone by adding it back.
        QCOMPARE(due(QStringLiteral("2026-04-30T18:00:00+09:00")), QStringLiteral("2026-05-04T12:00:00+09:00"));
        r = calendar({QStringLiteral("remove"), QStringLiteral("--date"), QStringLiteral("2026-05-01"),
            QStringLiteral("--note"), QStringLiteral("service desk open")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(due(QStringLiteral("2026-04-30T18:00:00+09:00")), QStringLiteral("2026-05-01T12:00:00+09:00"));
        r = calendar({QStringLiteral("list"), QStringLiteral("--year"), QStringLiteral("2026")});
        QVERIFY2(r.out.contains("2026-05-01 Fri  worked: service desk open (changed by cli)"), r.out.constData());
        r = calendar({QStringLiteral("add"), QStringLiteral("--date"), QStringLiteral("2026-05-01"),
            QStringLiteral("--note"), QStringLiteral("x")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("as shipped again"), r.out.constData());
        QCOMPARE(due(QStringLiteral("2026-04-30T18:00:00+09:00")), QStringLiteral("2026-05-04T12:00:00+09:00"));
    }

    void refusedInput()
    {
        ProcessResult r = calendar({QStringLiteral("add"), QStringLiteral("--date"), QStringLiteral("2026-03-07"),
            QStringLiteral("--note"), QStringLiteral("a Saturday")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!r.err.isEmpty(), r.out.constData());
        r = calendar({QStringLiteral("due"), QStringLiteral("--from"), QStringLiteral("2026-03-04T10:00:00")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("offset"), r.err.constData());
        r = calendar({QStringLiteral("due"), QStringLiteral("--from"), QStringLiteral("2030-12-31T18:00:00+09:00")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("2030-12-31"), r.err.constData());
        r = calendar({QStringLiteral("remove"), QStringLiteral("--date"), QStringLiteral("2026-03-04")});
        QCOMPARE(r.exitCode, 1); // an ordinary Wednesday is not a day off
        r = calendar({QStringLiteral("add"), QStringLiteral("--date"), QStringLiteral("2026-02-30"), QStringLiteral("--note"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2);
        r = calendar({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QProcess none;
        none.start(serverBinary(), {QStringLiteral("calendar"), QStringLiteral("due"), QStringLiteral("--data"),
                                       QStringLiteral("/nonexistent"), QStringLiteral("--from"),
                                       QStringLiteral("2026-03-04T10:00:00+09:00")});
        QVERIFY(none.waitForFinished(30000));
        QCOMPARE(none.exitCode(), 1);
        const QByteArray err = none.readAllStandardError();
        QVERIFY2(err.contains("not a Cairn data folder"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServerCalendarCli)
#include "TestServerCalendarCli.moc"
