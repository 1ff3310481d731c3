// The operators' ticket queue in the console against a real cairn-server whose clock is a test
// clock file (testing/clock_file): tickets are listed soonest due first (not in submission
// order); the SLA column names and colours on-track (green), at-risk (amber) and overdue (red)
// as the server decides them; the business time left ticks down every second between fetches;
// the mine/unassigned filter; and a rejection needs a reason (nothing is sent without one).
#include "ConsoleTestSupport.h"

#include "SimulatedAgent.h"

#include "core/Format.h"
#include "operator/TicketHandlingView.h"
#include "operator/TicketQueueModel.h"
#include "operator/TicketQueuePage.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>

using namespace cairn::test;
using namespace cairn::console;
using cairn::SnapshotId;

class TestConsoleTicketQueue : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void queueIsOrderedByDueWithSlaColours();
    void remainingTimeTicksWithoutAFetch();
    void filterMineAndUnassigned();
    void rejectNeedsAReason();
    void cleanupTestCase();

private:
    void setClock(const char *kst)
    {
        QFile f(m_clockFile);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray(kst) + "+09:00\n");
    }
    qint64 submit(const QString &note)
    {
        const ApiReply r = m_kim->post(QStringLiteral("/api/v1/restore-tickets"),
            QJsonObject {{QStringLiteral("server"), m_agent->agentId()},
                {QStringLiteral("snapshot"), m_snapshot.toHex()}, {QStringLiteral("note"), note}});
        if (r.status != 201)
            qWarning("submit: %s", qPrintable(r.describe()));
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    QString cell(int row, int column) const { return m_table->model()->index(row, column).data().toString(); }
    qint64 rowTicket(int row) const
    {
        return m_table->model()->index(row, 0).data(TicketQueueModel::TicketIdRole).toLongLong();
    }
    int rowOf(qint64 ticket) const
    {
        for (int row = 0; row < m_table->model()->rowCount(); ++row)
            if (rowTicket(row) == ticket)
                return row;
        return -1;
    }
    // "1:02:03 left" → 3723; "overdue by 0:10:00" → -600.
    static qint64 seconds(const QString &text)
    {
        const auto m = QRegularExpression(QStringLiteral("(\\d+):(\\d\\d):(\\d\\d)")).match(text);
        if (!m.hasMatch())
            return std::numeric_limits<qint64>::min();
        const qint64 s
            = m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 + m.captured(3).toLongLong();
        return text.contains(QLatin1String("overdue")) ? -s : s;
    }
    void selectTicket(qint64 id)
    {
        const int row = rowOf(id);
        QVERIFY(row >= 0);
        m_table->selectionModel()->setCurrentIndex(
            m_table->model()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTRY_COMPARE_WITH_TIMEOUT(m_page->handlingView()->ticket().value(QStringLiteral("id")).toInteger(), id, 10000);
    }

    ConsoleFixture m_fixture;
    QTemporaryDir m_clockDir;
    QString m_clockFile;
    std::unique_ptr<cairn::test::ApiClient> m_kim, m_ops;
    std::unique_ptr<SimulatedAgent> m_agent;
    SnapshotId m_snapshot;
    qint64 m_a = 0, m_b = 0, m_c = 0; // due 13:00, 13:20, 13:40
    TicketQueuePage *m_page = nullptr;
    QTableView *m_table = nullptr;
};

void TestConsoleTicketQueue::initTestCase()
{
    isolateSettings();
    QVERIFY(m_clockDir.isValid());
    QFile::setPermissions(m_clockDir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_clockFile = QDir(m_clockDir.path()).filePath(QStringLiteral("clock"));
    setClock("2026-11-09T10:40:00");
    QVERIFY2(m_fixture.start("[testing]\nclock_file=" + m_clockFile.toUtf8() + "\n[session]\nlifetime_hours=100000\n"),
        m_fixture.server().log().constData());
    m_kim = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    m_ops = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kOperator));
    m_agent = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    QCOMPARE(m_agent
                 ->enroll(m_fixture.server().enrollmentCode(QString::fromLatin1(ConsoleFixture::kTenant)),
                     QStringLiteral("web-01"))
                 .status,
        201);
    const auto pack = m_agent->buildPack(7, 2, 4000, true);
    QCOMPARE(m_agent->uploadPack(pack).status, 201);
    QCOMPARE(m_agent->commitSnapshot(*pack.tree, &m_snapshot).status, 201);

    // Submitted out of due order: C (10:40, due 13:40), A (10:00, due 13:00), B (10:20, due 13:20).
    m_c = submit(QStringLiteral("C"));
    setClock("2026-11-09T10:00:00");
    m_a = submit(QStringLiteral("A"));
    setClock("2026-11-09T10:20:00");
    m_b = submit(QStringLiteral("B"));
    QVERIFY(m_a > 0 && m_b > 0 && m_c > 0);
    QVERIFY(m_c < m_a && m_a < m_b);
    // 13:05: A is 5 minutes overdue, B has 15 minutes (at risk), C 35 (on track).
    setClock("2026-11-09T13:05:00");

    m_fixture.window()->setRefreshInterval(400);
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kOperator)));
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("ticketQueuePage")));
    m_page = widget<TicketQueuePage>(m_fixture.window(), "ticketQueuePage");
    QVERIFY(m_page);
    m_table = widget<QTableView>(m_page, "ticketQueue");
    QTRY_COMPARE_WITH_TIMEOUT(m_table->model()->rowCount(), 3, 15000);
}

void TestConsoleTicketQueue::queueIsOrderedByDueWithSlaColours()
{
    QCOMPARE(rowTicket(0), m_a);
    QCOMPARE(rowTicket(1), m_b);
    QCOMPARE(rowTicket(2), m_c);
    QCOMPARE(cell(0, TicketQueueModel::Sla), format::slaState(QStringLiteral("breached")));
    QCOMPARE(cell(1, TicketQueueModel::Sla), format::slaState(QStringLiteral("at-risk")));
    QCOMPARE(cell(2, TicketQueueModel::Sla), format::slaState(QStringLiteral("on-track")));
    QCOMPARE(cell(0, TicketQueueModel::Sla), QStringLiteral("Overdue"));
    QCOMPARE(cell(1, TicketQueueModel::Sla), QStringLiteral("At risk"));
    QCOMPARE(cell(2, TicketQueueModel::Sla), QStringLiteral("On track"));
    const auto colour = [&](int row) {
        return m_table->model()->index(row, TicketQueueModel::Sla).data(Qt::ForegroundRole).value<QColor>();
    };
    const QColor red = colour(0), amber = colour(1), green = colour(2);
    QVERIFY(red.red() > 150 && red.green() < 80);
    QVERIFY(amber.red() > 150 && amber.green() > 80 && amber.blue() < 50);
    QVERIFY(green.green() > 100 && green.red() < 80);
    QVERIFY(cell(0, TicketQueueModel::Remaining).startsWith(QLatin1String("overdue by 0:0")));
    QVERIFY(cell(1, TicketQueueModel::Remaining).endsWith(QLatin1String(" left")));
    QTRY_COMPARE_WITH_TIMEOUT(cell(0, TicketQueueModel::Tenant), QString::fromLatin1(ConsoleFixture::kTenant), 10000); // names arrive after the rows
    QTRY_COMPARE_WITH_TIMEOUT(cell(0, TicketQueueModel::Server), QStringLiteral("web-01"), 10000);
    QCOMPARE(cell(0, TicketQueueModel::State), QStringLiteral("Submitted"));
}

void TestConsoleTicketQueue::remainingTimeTicksWithoutAFetch()
{
    m_fixture.window()->setRefreshInterval(600000); // no fetch during the measurement
    QTest::qWait(600); // a fetch under way ends
    const QJsonObject before = m_page->model()->ticket(2);
    const qint64 first = seconds(cell(2, TicketQueueModel::Remaining));
    // 35 business minutes were left at the fetch (to the second now: the server sends seconds).
    QVERIFY2(first > 30 * 60 && first <= 35 * 60 + 5, qPrintable(cell(2, TicketQueueModel::Remaining)));
    QTest::qWait(2500);
    const qint64 second = seconds(cell(2, TicketQueueModel::Remaining));
    QVERIFY2(second <= first - 2 && second >= first - 4, qPrintable(QStringLiteral("%1 → %2").arg(first).arg(second)));
    QCOMPARE(m_page->model()->ticket(2), before); // the same data: no fetch happened
    const qint64 overdue = seconds(cell(0, TicketQueueModel::Remaining));
    QVERIFY(overdue < 0);
    m_fixture.window()->setRefreshInterval(400);
}

void TestConsoleTicketQueue::filterMineAndUnassigned()
{
    m_fixture.window()->setRefreshInterval(400); // also when the test before stopped early
    QCOMPARE(
        m_ops->post(
                 QStringLiteral("/api/v1/restore-tickets/%1/accept?tenant=%2").arg(m_b).arg(m_fixture.tenantId()), {})
            .status,
        200);
    auto *show = widget<QComboBox>(m_page, "ticketQueueFilter");
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOf(m_b), TicketQueueModel::State), QStringLiteral("Accepted"), 10000);
    show->setCurrentIndex(0); // mine
    QTRY_COMPARE(m_table->model()->rowCount(), 1);
    QCOMPARE(rowTicket(0), m_b);
    show->setCurrentIndex(1); // unassigned
    QTRY_COMPARE(m_table->model()->rowCount(), 2);
    QCOMPARE(rowTicket(0), m_a);
    QCOMPARE(rowTicket(1), m_c);
    show->setCurrentIndex(2); // all
    QTRY_COMPARE(m_table->model()->rowCount(), 3);
}

void TestConsoleTicketQueue::rejectNeedsAReason()
{
    selectTicket(m_a);
    TicketHandlingView *view = m_page->handlingView();
    auto *reject = widget<QPushButton>(view, "ticketReject");
    auto *reason = widget<QLineEdit>(view, "ticketRejectReason");
    QVERIFY(reject->isVisible() && reason->isVisible());
    QVERIFY(widget<QPushButton>(view, "ticketAccept")->isVisible());
    QVERIFY(!widget<QPushButton>(view, "ticketStart")->isVisible()); // not accepted yet
    reason->clear();
    QTest::mouseClick(reject, Qt::LeftButton);
    QVERIFY2(view->bannerText().contains(QLatin1String("reason")), qPrintable(view->bannerText()));
    QTest::qWait(800); // nothing was sent: the ticket is still submitted
    const QString path = QStringLiteral("/api/v1/restore-tickets/%1").arg(m_a);
    QCOMPARE(m_kim->get(path).json().value(QStringLiteral("state")).toString(), QStringLiteral("submitted"));

    QTest::keyClicks(reason, QStringLiteral("The snapshot does not hold these files."));
    QTest::mouseClick(reject, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_kim->get(path).json().value(QStringLiteral("state")).toString(), QStringLiteral("rejected"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(widget<QLabel>(view, "ticketStateText")->text(), QStringLiteral("Rejected"), 10000);
    QVERIFY(!reject->isVisible());
    // The reason is in the thread the requester reads, and the ticket left the queue.
    const QJsonArray messages
        = m_kim->get(path + QStringLiteral("/messages")).json().value(QStringLiteral("items")).toArray();
    QCOMPARE(messages.last().toObject().value(QStringLiteral("body")).toString(),
        QStringLiteral("The snapshot does not hold these files."));
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(m_a), -1, 10000);
}

void TestConsoleTicketQueue::cleanupTestCase()
{
    m_agent.reset();
}

QTEST_MAIN(TestConsoleTicketQueue)
#include "TestConsoleTicketQueue.moc"
