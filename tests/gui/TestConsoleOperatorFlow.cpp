// Acceptance, the operator's half of a restore ticket, in the console against a real cairn-server
// and a real cairn-agent: the agent has backed up a small tree; kim (tenant admin) asks, through
// the API, for it to be restored into a new folder on the tenant's spare server; the operator
// logs in to the console, finds the ticket in the queue with its SLA state, opens it, accepts it,
// writes a message (kim reads it through the API), chooses the real agent as the target instead of
// the spare, and starts the restore; the view shows the job's progress and reaches "Completed"
// without a manual refresh; and the restored files are identical to the source.
#include "ConsoleTestSupport.h"

#include "AgentProcess.h"
#include "FixtureTree.h"
#include "SimulatedAgent.h"
#include "TestSupport.h"

#include "core/Format.h"
#include "operator/TicketHandlingView.h"
#include "operator/TicketQueueModel.h"
#include "operator/TicketQueuePage.h"

#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace cairn::test;
using namespace cairn::console;

class TestConsoleOperatorFlow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void operatorHandlesTheTicketToCompletion();
    void cleanupTestCase();

private:
    ConsoleFixture m_fixture;
    QTemporaryDir m_tmp;
    QByteArray m_source, m_target;
    FixtureTree m_tree;
    AgentProcess m_agent;
    std::unique_ptr<SimulatedAgent> m_spare;
    std::unique_ptr<cairn::test::ApiClient> m_kim, m_ops;
    qint64 m_agentId = 0;
    QString m_snapshot;
};

void TestConsoleOperatorFlow::initTestCase()
{
    isolateSettings();
    QVERIFY(m_tmp.isValid());
    m_source = QFile::encodeName(m_tmp.path()) + "/src";
    m_target = QFile::encodeName(m_tmp.path()) + "/restored";
    FixtureOptions options;
    options.bigSparseFile = false;
    options.smallFiles = 300;
    options.smallDirs = 6;
    options.seed = testSeed();
    QVERIFY2(m_tree.build(m_source, options), qPrintable(m_tree.error));
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_kim = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    m_ops = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kOperator));
    m_agentId = m_agent.enroll(
        m_fixture.server(), QString::fromLatin1(ConsoleFixture::kTenant), QStringLiteral("file-server"));
    QVERIFY2(m_agentId > 0, qPrintable(describe(m_agent.lastResult())));
    QVERIFY2(m_agent.start(), m_agent.log().constData());
    m_spare = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    QCOMPARE(m_spare
                 ->enroll(m_fixture.server().enrollmentCode(QString::fromLatin1(ConsoleFixture::kTenant)),
                     QStringLiteral("spare-01"))
                 .status,
        201);

    // One backup, "back up now", with the tree as the policy's path (its schedule far away).
    const int farHour = (QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone("Asia/Seoul")).time().hour() + 12) % 24;
    const ApiReply put = m_kim->putJson(QStringLiteral("/api/v1/servers/%1/policy").arg(m_agentId),
        QJsonObject {{QStringLiteral("paths"), QJsonArray {QString::fromLocal8Bit(m_source)}},
            {QStringLiteral("interval_days"), 1}, {QStringLiteral("hour"), farHour},
            {QStringLiteral("retention_days"), 30}});
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    const ApiReply now = m_kim->post(QStringLiteral("/api/v1/servers/%1/backup").arg(m_agentId), QJsonObject {});
    QVERIFY2(now.status == 201, qPrintable(now.describe()));
    const QJsonObject job = waitForJobEnd(*m_kim, now.json().value(QStringLiteral("id")).toInteger(), 120000);
    QVERIFY2(job.value(QStringLiteral("state")).toString() == u"succeeded", m_agent.log().right(4000).constData());
    m_snapshot = job.value(QStringLiteral("snapshot")).toString();
    QCOMPARE(m_snapshot.size(), 64);
}

void TestConsoleOperatorFlow::operatorHandlesTheTicketToCompletion()
{
    ApiReply r = m_kim->post(QStringLiteral("/api/v1/restore-tickets"),
        QJsonObject {{QStringLiteral("server"), m_agentId}, {QStringLiteral("snapshot"), m_snapshot},
            {QStringLiteral("target"), QString::fromLocal8Bit(m_target)},
            {QStringLiteral("target_server"), m_spare->agentId()},
            {QStringLiteral("existing"), QStringLiteral("overwrite")},
            {QStringLiteral("note"), QStringLiteral("the whole tree into a new folder")}});
    QVERIFY2(r.status == 201, qPrintable(r.describe()));
    const qint64 id = r.json().value(QStringLiteral("id")).toInteger();
    const QString sla = r.json().value(QStringLiteral("sla")).toString();
    const QString path = QStringLiteral("/api/v1/restore-tickets/%1").arg(id);

    m_fixture.window()->setRefreshInterval(500);
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kOperator)));
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("ticketQueuePage")));
    auto *page = widget<TicketQueuePage>(m_fixture.window(), "ticketQueuePage");
    auto *table = widget<QTableView>(page, "ticketQueue");
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, 15000);
    const QModelIndex row = table->model()->index(0, 0);
    QCOMPARE(row.data(TicketQueueModel::TicketIdRole).toLongLong(), id);
    QCOMPARE(table->model()->index(0, TicketQueueModel::Sla).data().toString(), format::slaState(sla));
    QVERIFY(!table->model()->index(0, TicketQueueModel::Sla).data().toString().isEmpty());

    // Open it: the request as kim made it.
    table->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    TicketHandlingView *view = page->handlingView();
    QTRY_COMPARE_WITH_TIMEOUT(widget<QLabel>(view, "ticketStateText")->text(), QStringLiteral("Submitted"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(widget<QLabel>(view, "requestTarget")->text().contains(QLatin1String("spare-01")), 10000);
    QVERIFY(widget<QLabel>(view, "requestTarget")->text().contains(QString::fromLocal8Bit(m_target)));
    QCOMPARE(widget<QLabel>(view, "requestNote")->text(), QStringLiteral("the whole tree into a new folder"));

    // Accept.
    QTest::mouseClick(widget<QPushButton>(view, "ticketAccept"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(widget<QLabel>(view, "ticketStateText")->text(), QStringLiteral("Accepted"), 10000);
    r = m_kim->get(path);
    QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
    QCOMPARE(r.json().value(QStringLiteral("assignee")).toObject().value(QStringLiteral("login")).toString(),
        QString::fromLatin1(ConsoleFixture::kOperator));

    // A message: typed, sent with Ctrl+Enter; kim reads it; the thread shows it.
    auto *text = widget<QPlainTextEdit>(view, "ticketMessageText");
    text->setFocus();
    QTest::keyClicks(text, QStringLiteral("Restoring it onto the file server now."));
    QTest::keyClick(text, Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &m :
                m_kim->get(path + QStringLiteral("/messages")).json().value(QStringLiteral("items")).toArray())
                if (m.toObject().value(QStringLiteral("body")).toString() == u"Restoring it onto the file server now.")
                    return true;
            return false;
        }(),
        10000);
    QTRY_VERIFY(text->toPlainText().isEmpty());
    auto *messages = widget<QListWidget>(view, "ticketMessages");
    QTRY_VERIFY_WITH_TIMEOUT(messages->count() > 0
            && messages->item(messages->count() - 1)
                   ->text()
                   .contains(QLatin1String("Restoring it onto the file server now.")),
        10000);

    // The target: the real agent instead of the spare the request names (the default).
    auto *target = widget<QComboBox>(view, "ticketTargetServer");
    QTRY_COMPARE_WITH_TIMEOUT(target->count(), 2, 10000);
    QCOMPARE(target->currentData().toLongLong(), m_spare->agentId());
    const int agentIndex = target->findData(m_agentId);
    QVERIFY(agentIndex >= 0);
    target->setCurrentIndex(agentIndex);
    emit target->activated(agentIndex);
    QTest::qWait(1200); // refreshes keep the choice
    QCOMPARE(target->currentData().toLongLong(), m_agentId);

    // Start: the job goes to the agent; the view follows it to "Completed" by itself.
    QTest::mouseClick(widget<QPushButton>(view, "ticketStart"), Qt::LeftButton);
    auto *progress = widget<QProgressBar>(view, "ticketProgress");
    QTRY_VERIFY2_WITH_TIMEOUT(progress->isVisible(), qPrintable(view->bannerText()), 10000);
    r = m_kim->get(path);
    QCOMPARE(r.json().value(QStringLiteral("job")).toObject().value(QStringLiteral("server")).toInteger(), m_agentId);
    // The view says where the restore runs now, and what was asked for.
    QTRY_VERIFY_WITH_TIMEOUT(widget<QLabel>(view, "requestTarget")->text().contains(QLatin1String("changed by the operator")), 10000);
    QVERIFY(widget<QLabel>(view, "requestTarget")->text().startsWith(target->itemText(agentIndex).section(QStringLiteral(" ("), 0, 0)));
    QTRY_COMPARE_WITH_TIMEOUT(widget<QLabel>(view, "ticketStateText")->text(), QStringLiteral("Completed"), 120000);
    QCOMPARE(progress->value(), progress->maximum());
    QVERIFY2(widget<QLabel>(view, "ticketProgressText")->text().contains(QLatin1String("Succeeded")),
        qPrintable(widget<QLabel>(view, "ticketProgressText")->text()));
    QVERIFY(widget<QLabel>(view, "ticketResolution")->text().contains(QLatin1String("succeeded")));
    QCOMPARE(m_kim->get(path).json().value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 0, 10000); // it left the queue

    // The files: identical to the source, under the chosen folder on the agent's machine.
    const QStringList diffs = compareTrees(m_source, m_target + m_source);
    QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
}

void TestConsoleOperatorFlow::cleanupTestCase()
{
    m_agent.stop();
    QVERIFY(removeTree(QFile::encodeName(m_tmp.path()))); // the fixture has read-only files
}

QTEST_MAIN(TestConsoleOperatorFlow)
#include "TestConsoleOperatorFlow.moc"
