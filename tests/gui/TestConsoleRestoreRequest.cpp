// The Restore tab's request form against a real cairn-server, with snapshots committed by
// simulated agents: what the form refuses before sending (nothing chosen, a relative destination,
// a bad e-mail — each a sentence in the form, no ticket made), another server of the tenant
// offered as the destination, the submitted ticket as the server stored it and in the server's
// ticket list, and cancelling it from My tickets. Test main thread.
#include "ConsoleTestSupport.h"
#include "SimulatedAgent.h"

#include "core/Format.h"
#include "user/MyTicketsPage.h"
#include "user/RestoreRequestForm.h"
#include "user/RestoreTab.h"
#include "user/ServerPage.h"
#include "user/SnapshotTreeModel.h"
#include "user/TicketListModel.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

using namespace cairn;
using namespace cairn::test;
using namespace cairn::console;

class TestConsoleRestoreRequest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void formRefusesWhatItCannotSend();
    void anotherServerIsOfferedAndTheTicketIsStored();
    void cancelFromMyTickets();

private:
    std::unique_ptr<SimulatedAgent> agentWithSnapshot(const QString &host, quint64 seed, SnapshotId *snapshot)
    {
        auto agent = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
        if (agent->enroll(m_fixture.server().enrollmentCode(QStringLiteral("acme")), host).status != 201)
            qWarning("enroll failed");
        const auto pack = agent->buildPack(seed, 2, 5000, true);
        if (agent->uploadPack(pack).status != 201 || agent->commitSnapshot(*pack.tree, snapshot).status != 201)
            qWarning("snapshot failed");
        return agent;
    }
    RestoreTab *restore()
    {
        return static_cast<RestoreTab *>(m_fixture.window()->serverPage()->tab(Page::RestoreTabIndex));
    }
    int ticketsOnServer()
    {
        return int(
            m_kim->get(QStringLiteral("/api/v1/restore-tickets")).json()[QLatin1String("items")].toArray().size());
    }
    void submit() { widget<QPushButton>(restore(), "requestSubmit")->click(); }
    QString formError() { return restore()->requestForm()->errorText(); }

    ConsoleFixture m_fixture;
    std::unique_ptr<cairn::test::ApiClient> m_kim;
    std::unique_ptr<SimulatedAgent> m_web, m_db;
    SnapshotId m_snapWeb, m_snapDb;
    qint64 m_ticket = 0;
};

void TestConsoleRestoreRequest::initTestCase()
{
    isolateSettings();
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_web = agentWithSnapshot(QStringLiteral("web-01"), 11, &m_snapWeb);
    m_db = agentWithSnapshot(QStringLiteral("db-01"), 12, &m_snapDb);
    m_kim = m_fixture.apiAs(QStringLiteral("kim"));
    m_fixture.window()->setRefreshInterval(500);
    QVERIFY(m_fixture.logIn(QStringLiteral("kim")));
    m_fixture.window()->openServer(m_web->agentId(), Page::RestoreTabIndex);
    auto *list = widget<QTreeWidget>(restore(), "snapshotList");
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 1, 10000);
    QVERIFY(restore()->selectSnapshot(m_snapWeb.toHex()));
    QTRY_VERIFY_WITH_TIMEOUT(restore()->treeModel()->rowCount() >= 1, 10000);
}

void TestConsoleRestoreRequest::formRefusesWhatItCannotSend()
{
    widget<QPushButton>(restore(), "requestRestore")->click();
    QVERIFY(restore()->requestForm()->isVisible());

    // Nothing chosen yet.
    submit();
    QVERIFY2(formError().startsWith(QStringLiteral("Choose at least one file or folder")), qPrintable(formError()));

    // Tick the snapshot's file in the tree.
    SnapshotTreeModel *tree = restore()->treeModel();
    const QModelIndex file = tree->index(0, 0);
    QCOMPARE(file.data().toString(), QStringLiteral("file-11"));
    QVERIFY(tree->setData(file, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(widget<QListWidget>(restore(), "requestPaths")->count(), 1);
    QCOMPARE(widget<QListWidget>(restore(), "requestPaths")->item(0)->text(), QStringLiteral("/file-11"));
    QCOMPARE(widget<QLabel>(restore(), "restoreChosen")->text(), QStringLiteral("1 item(s) chosen to restore."));

    // A relative destination folder.
    auto *target = widget<QLineEdit>(restore(), "requestTargetPath");
    target->setFocus();
    QTest::keyClicks(target, QStringLiteral("restored/here"));
    QTest::keyClick(target, Qt::Key_Return); // Enter submits
    QVERIFY2(formError().contains(QStringLiteral("absolute path")), qPrintable(formError()));
    QCOMPARE(QApplication::focusWidget(), target);
    target->clear();
    QTest::keyClicks(target, QStringLiteral("/var/tmp/restore"));

    // A bad e-mail address.
    auto *email = widget<QLineEdit>(restore(), "requestContactEmail");
    email->clear();
    QTest::keyClicks(email, QStringLiteral("kim-at-example"));
    submit();
    QCOMPARE(formError(), QStringLiteral("\"kim-at-example\" is not an e-mail address."));
    // A bad phone number.
    email->clear();
    QTest::keyClicks(email, QStringLiteral("kim@example.com"));
    auto *phone = widget<QLineEdit>(restore(), "requestContactPhone");
    QTest::keyClicks(phone, QStringLiteral("call me"));
    submit();
    QVERIFY2(formError().contains(QStringLiteral("phone number")), qPrintable(formError()));
    phone->clear();
    QTest::keyClicks(phone, QStringLiteral("+82 10-1234-5678"));

    QTest::qWait(300);
    QCOMPARE(ticketsOnServer(), 0); // nothing was sent
    QVERIFY(restore()->requestForm()->resultText().isEmpty());
}

void TestConsoleRestoreRequest::anotherServerIsOfferedAndTheTicketIsStored()
{
    auto *servers = widget<QComboBox>(restore(), "requestTargetServer");
    QTRY_COMPARE_WITH_TIMEOUT(servers->count(), 2, 10000);
    QCOMPARE(servers->currentData().toLongLong(), m_web->agentId()); // this server first, the default
    QVERIFY(servers->itemText(0).contains(QStringLiteral("this server")));
    const int db = servers->findData(m_db->agentId());
    QVERIFY(db > 0);
    QVERIFY(servers->itemText(db).contains(QStringLiteral("db-01")));
    servers->setCurrentIndex(db);
    auto *existing = widget<QComboBox>(restore(), "requestExisting");
    existing->setCurrentIndex(2); // keep both
    QTest::keyClicks(widget<QWidget>(restore(), "requestNote"), QStringLiteral("the October files"));
    submit();
    QTRY_VERIFY_WITH_TIMEOUT(!restore()->requestForm()->resultText().isEmpty(), 10000);
    QVERIFY2(formError().isEmpty(), qPrintable(formError()));
    const QString result = restore()->requestForm()->resultText();
    QVERIFY2(result.startsWith(QStringLiteral("Request submitted as ticket #")), qPrintable(result));
    QVERIFY(result.contains(QStringLiteral("3 business hours")));

    const QJsonArray tickets
        = m_kim->get(QStringLiteral("/api/v1/restore-tickets")).json()[QLatin1String("items")].toArray();
    QCOMPARE(tickets.size(), 1);
    const QJsonObject t = tickets.first().toObject();
    m_ticket = t[QLatin1String("id")].toInteger();
    QVERIFY(result.contains(QStringLiteral("#%1;").arg(m_ticket)));
    const QString due = t[QLatin1String("due_at")].toString();
    if (!due.isEmpty())
        QVERIFY2(result.contains(format::dateTimeIso(due)), qPrintable(result));
    const QJsonObject request = t[QLatin1String("request")].toObject();
    QCOMPARE(t[QLatin1String("server")].toInteger(), m_web->agentId());
    QCOMPARE(request[QLatin1String("snapshot")].toString(), m_snapWeb.toHex());
    QCOMPARE(request[QLatin1String("paths")].toArray(), QJsonArray {QStringLiteral("/file-11")});
    QCOMPARE(request[QLatin1String("target")].toString(), QStringLiteral("/var/tmp/restore"));
    QCOMPARE(request[QLatin1String("target_server")].toInteger(), m_db->agentId());
    QCOMPARE(request[QLatin1String("existing")].toString(), QStringLiteral("keep-both"));
    QCOMPARE(request[QLatin1String("note")].toString(), QStringLiteral("the October files"));
    const QJsonObject contact = request[QLatin1String("contact")].toObject();
    QCOMPARE(contact[QLatin1String("email")].toString(), QStringLiteral("kim@example.com"));
    QCOMPARE(contact[QLatin1String("phone")].toString(), QStringLiteral("+82 10-1234-5678"));

    // This server's ticket list shows it (and keeps showing it across live refreshes).
    TicketListModel *list = restore()->ticketModel();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 1, 10000);
    QCOMPARE(list->index(0, TicketListModel::Number).data().toString(), QStringLiteral("#%1").arg(m_ticket));
    QCOMPARE(
        list->index(0, TicketListModel::State).data().toString(), format::ticketState(QStringLiteral("submitted")));
    QTest::qWait(1200);
    QCOMPARE(list->rowCount(), 1);
    // A double-click opens the ticket.
    QSignalSpy opened(restore(), &Page::openTicketRequested);
    auto *table = widget<QTableView>(restore(), "serverTickets");
    emit table->doubleClicked(list->index(0, 0));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().at(0).toLongLong(), m_ticket);
}

void TestConsoleRestoreRequest::cancelFromMyTickets()
{
    QVERIFY(m_ticket > 0);
    m_fixture.window()->openTicket(m_ticket, m_fixture.tenantId());
    auto *page = m_fixture.window()->findChild<MyTicketsPage *>(QStringLiteral("myTicketsPage"));
    QVERIFY(page);
    QTRY_COMPARE_WITH_TIMEOUT(page->currentTicketId(), m_ticket, 10000);
    QVERIFY(widget<QLabel>(page, "ticketRequest")->text().contains(QStringLiteral("/file-11")));
    QVERIFY(widget<QLabel>(page, "ticketContact")->text().contains(QStringLiteral("kim@example.com")));
    auto *cancel = widget<QPushButton>(page, "ticketCancel");
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible(), 5000);
    cancel->click();
    auto *confirm = widget<QPushButton>(page, "ticketCancelConfirm");
    QVERIFY(confirm->isVisible());
    QCOMPARE(m_kim->get(QStringLiteral("/api/v1/restore-tickets/%1").arg(m_ticket))
                 .json()[QLatin1String("state")]
                 .toString(),
        QStringLiteral("submitted")); // nothing happens before the confirmation
    confirm->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_kim->get(QStringLiteral("/api/v1/restore-tickets/%1").arg(m_ticket))
                                  .json()[QLatin1String("state")]
                                  .toString(),
        QStringLiteral("cancelled"), 10000);
    const int row = page->model()->rowOfTicket(m_ticket);
    QVERIFY(row >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->index(row, TicketListModel::State).data().toString(),
        format::ticketState(QStringLiteral("cancelled")), 10000);
    QVERIFY(!cancel->isVisible());
}

QTEST_MAIN(TestConsoleRestoreRequest)
#include "TestConsoleRestoreRequest.moc"
