// The operators' administration views in the console against a real cairn-server: a tenant and a
// user created through the forms (read back through the API); a day off added to the holiday
// calendar and removed again (needs GET/PUT/DELETE /operator/calendar: run with a server that has
// them, else the test says so and skips that case); prices saved; the CSV export equals the
// server's GET /operator/billing.csv bytes; and the audit log shows the ticket actions.
#include "ConsoleTestSupport.h"

#include "SimulatedAgent.h"

#include "operator/AllBillingPage.h"
#include "operator/AuditPage.h"
#include "operator/CalendarPage.h"
#include "operator/PricingPage.h"
#include "operator/TenantsPage.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace cairn::test;
using namespace cairn::console;
using cairn::SnapshotId;

class TestConsoleOperatorAdmin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void createTenantAndUserThroughTheForms();
    void calendarAddAndRemoveADayOff();
    void pricesAreSaved();
    void csvExportIsTheServersBytes();
    void auditShowsTheTicketActions();

private:
    static void type(QLineEdit *edit, const QString &text)
    {
        edit->clear();
        QTest::keyClicks(edit, text);
    }
    ConsoleFixture m_fixture;
    std::unique_ptr<cairn::test::ApiClient> m_kim, m_ops;
    QTemporaryDir m_tmp;
};

void TestConsoleOperatorAdmin::initTestCase()
{
    isolateSettings();
    QVERIFY(m_tmp.isValid());
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_kim = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    m_ops = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kOperator));
    m_fixture.window()->setRefreshInterval(500);
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kOperator)));
}

void TestConsoleOperatorAdmin::createTenantAndUserThroughTheForms()
{
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("tenantsPage")));
    auto *page = widget<TenantsPage>(m_fixture.window(), "tenantsPage");
    auto *tenants = widget<QTableWidget>(page, "tenantsTable");
    QTRY_COMPARE_WITH_TIMEOUT(tenants->rowCount(), 1, 10000); // acme

    type(widget<QLineEdit>(page, "tenantName"), QStringLiteral("globex"));
    widget<QComboBox>(page, "tenantTimeZone")->setCurrentText(QStringLiteral("Europe/Berlin"));
    auto *language = widget<QComboBox>(page, "tenantLanguage");
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    QTest::mouseClick(widget<QPushButton>(page, "tenantCreate"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tenants->rowCount(), 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(page->selectedTenant() > 0, 5000);
    const qint64 globex = page->selectedTenant();
    QJsonObject created;
    for (const QJsonValue &v :
        m_ops->get(QStringLiteral("/api/v1/tenants")).json().value(QStringLiteral("items")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == u"globex")
            created = v.toObject();
    QCOMPARE(created.value(QStringLiteral("id")).toInteger(), globex);
    QCOMPARE(created.value(QStringLiteral("time_zone")).toString(), QStringLiteral("Europe/Berlin"));
    QCOMPARE(created.value(QStringLiteral("language")).toString(), QStringLiteral("en"));

    // A user of globex: the password must be typed the same twice.
    type(widget<QLineEdit>(page, "userLogin"), QStringLiteral("hank"));
    type(widget<QLineEdit>(page, "userDisplayName"), QStringLiteral("Hank Scorpio"));
    type(widget<QLineEdit>(page, "userEmail"), QStringLiteral("hank@globex.example"));
    auto *role = widget<QComboBox>(page, "userRole");
    role->setCurrentIndex(role->findData(QStringLiteral("admin")));
    type(widget<QLineEdit>(page, "userPassword"), QStringLiteral("a long password"));
    type(widget<QLineEdit>(page, "userPasswordConfirm"), QStringLiteral("another password"));
    QTest::mouseClick(widget<QPushButton>(page, "userCreate"), Qt::LeftButton);
    QTest::qWait(500);
    const QString users = QStringLiteral("/api/v1/users?tenant=%1").arg(globex);
    QVERIFY(m_ops->get(users).json().value(QStringLiteral("items")).toArray().isEmpty());
    type(widget<QLineEdit>(page, "userPasswordConfirm"), QStringLiteral("a long password"));
    QTest::mouseClick(widget<QPushButton>(page, "userCreate"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_ops->get(users).json().value(QStringLiteral("items")).toArray().size(), 1, 10000);
    const QJsonObject hank = m_ops->get(users).json().value(QStringLiteral("items")).toArray().first().toObject();
    QCOMPARE(hank.value(QStringLiteral("login")).toString(), QStringLiteral("hank"));
    QCOMPARE(hank.value(QStringLiteral("display_name")).toString(), QStringLiteral("Hank Scorpio"));
    QCOMPARE(hank.value(QStringLiteral("email")).toString(), QStringLiteral("hank@globex.example"));
    QCOMPARE(hank.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
    cairn::test::ApiClient hankApi(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    QCOMPARE(hankApi.login(QStringLiteral("hank"), QStringLiteral("a long password")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(widget<QTableWidget>(page, "usersTable")->rowCount(), 1, 10000);

    // An enrollment code for globex, with the server's fingerprint to hand out.
    QTest::mouseClick(widget<QPushButton>(page, "enrollmentCreate"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!widget<QLabel>(page, "enrollmentCode")->text().isEmpty(), 10000);
    QVERIFY(widget<QLabel>(page, "enrollmentFingerprint")->text().contains(m_fixture.server().fingerprint()));
}

void TestConsoleOperatorAdmin::calendarAddAndRemoveADayOff()
{
    if (m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=2026")).status == 404)
        QSKIP("this cairn-server has no /operator/calendar (set CAIRN_SERVER to a server that has it)");
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("calendarPage")));
    auto *page = widget<CalendarPage>(m_fixture.window(), "calendarPage");
    widget<QSpinBox>(page, "calendarYear")->setValue(2026);
    auto *days = widget<QTableWidget>(page, "calendarDays");
    QTRY_VERIFY_WITH_TIMEOUT(days->rowCount() > 10, 10000); // the shipped holidays of 2026
    const int shipped = days->rowCount();
    QVERIFY(widget<QLabel>(page, "calendarBusinessHours")->text().contains(QLatin1String("10:00")));

    widget<QDateEdit>(page, "calendarDate")->setDate(QDate(2026, 12, 16));
    type(widget<QLineEdit>(page, "calendarNote"), QStringLiteral("Company founding day"));
    QTest::mouseClick(widget<QPushButton>(page, "calendarAddDayOff"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(days->rowCount(), shipped + 1, 10000);
    bool shown = false;
    for (int row = 0; row < days->rowCount(); ++row)
        shown = shown
            || (days->item(row, 0)->data(Qt::UserRole).toString() == u"2026-12-16"
                && days->item(row, 3)->text() == u"Changed by an operator" && days->item(row, 2)->text() == u"Day off");
    QVERIFY(shown);
    bool stored = false;
    for (const QJsonValue &v : m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=2026"))
                                   .json()
                                   .value(QStringLiteral("days"))
                                   .toArray())
        stored = stored
            || (v.toObject().value(QStringLiteral("date")).toString() == u"2026-12-16"
                && v.toObject().value(QStringLiteral("closed")).toBool()
                && v.toObject().value(QStringLiteral("note")).toString() == u"Company founding day");
    QVERIFY(stored);

    auto *remove = widget<QPushButton>(page, "calendarRemoveChange");
    QTRY_VERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(days->rowCount(), shipped, 10000);
    for (const QJsonValue &v : m_ops->get(QStringLiteral("/api/v1/operator/calendar?year=2026"))
                                   .json()
                                   .value(QStringLiteral("days"))
                                   .toArray())
        QVERIFY(v.toObject().value(QStringLiteral("date")).toString() != u"2026-12-16");
}

void TestConsoleOperatorAdmin::pricesAreSaved()
{
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("pricingPage")));
    auto *page = widget<PricingPage>(m_fixture.window(), "pricingPage");
    QTest::qWait(800); // the first fetch (no prices yet)
    widget<QComboBox>(page, "priceCurrency")->setCurrentText(QStringLiteral("KRW"));
    type(widget<QLineEdit>(page, "priceBaseFee"), QStringLiteral("50000"));
    type(widget<QLineEdit>(page, "priceExtraServer"), QStringLiteral("10000"));
    type(widget<QLineEdit>(page, "priceExtraGb"), QStringLiteral("100"));
    widget<QSpinBox>(page, "priceIncludedServers")->setValue(3);
    type(widget<QLineEdit>(page, "priceIncludedGb"), QStringLiteral("200"));
    QTest::mouseClick(widget<QPushButton>(page, "priceSave"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_ops->get(QStringLiteral("/api/v1/operator/prices"))
                                  .json()
                                  .value(QStringLiteral("prices"))
                                  .toObject()
                                  .isEmpty(),
        10000);
    const QJsonObject p
        = m_ops->get(QStringLiteral("/api/v1/operator/prices")).json().value(QStringLiteral("prices")).toObject();
    QCOMPARE(p.value(QStringLiteral("currency")).toString(), QStringLiteral("KRW"));
    QCOMPARE(p.value(QStringLiteral("baseFeePerMonthMinor")).toInteger(), 50000);
    QCOMPARE(p.value(QStringLiteral("extraServerPerMonthMinor")).toInteger(), 10000);
    QCOMPARE(p.value(QStringLiteral("extraGbPerMonthMinor")).toInteger(), 100);
    QCOMPARE(p.value(QStringLiteral("includedServers")).toInt(), 3);
    QCOMPARE(p.value(QStringLiteral("includedBytes")).toInteger(), 200000000000LL);
    QTRY_VERIFY(widget<QLabel>(page, "priceChanged")->text().contains(QLatin1String("operator:")));
}

void TestConsoleOperatorAdmin::csvExportIsTheServersBytes()
{
    // acme active since long ago, so that last month has a statement.
    QCOMPARE(m_ops
                 ->patch(QStringLiteral("/api/v1/tenants/%1").arg(m_fixture.tenantId()),
                     QJsonObject {{QStringLiteral("activated_at"), QStringLiteral("2025-01-01T00:00:00Z")}})
                 .status,
        200);
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("allBillingPage")));
    auto *page = widget<AllBillingPage>(m_fixture.window(), "allBillingPage");
    auto *table = widget<QTableWidget>(page, "allBillingTable");
    QTRY_VERIFY_WITH_TIMEOUT(table->rowCount() >= 1, 10000);
    QCOMPARE(table->item(0, 0)->text(), QString::fromLatin1(ConsoleFixture::kTenant));
    const QString file = m_tmp.filePath(QStringLiteral("statements.csv"));
    QVERIFY(page->exportCsvTo(file));
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const ApiReply server = m_ops->get(QStringLiteral("/api/v1/operator/billing.csv?month=%1").arg(page->month()));
    QCOMPARE(server.status, 200);
    QCOMPARE(written.readAll(), server.body);
    QVERIFY(widget<QPushButton>(page, "exportCsv")->isEnabled());
}

void TestConsoleOperatorAdmin::auditShowsTheTicketActions()
{
    // A ticket kim submits and the operator accepts (through the API).
    SimulatedAgent agent(m_fixture.server().baseUrl(), m_fixture.server().caPem());
    QCOMPARE(agent
                 .enroll(m_fixture.server().enrollmentCode(QString::fromLatin1(ConsoleFixture::kTenant)),
                     QStringLiteral("db-01"))
                 .status,
        201);
    const auto pack = agent.buildPack(3, 2, 3000, true);
    QCOMPARE(agent.uploadPack(pack).status, 201);
    SnapshotId snapshot;
    QCOMPARE(agent.commitSnapshot(*pack.tree, &snapshot).status, 201);
    const ApiReply t = m_kim->post(QStringLiteral("/api/v1/restore-tickets"),
        QJsonObject {{QStringLiteral("server"), agent.agentId()}, {QStringLiteral("snapshot"), snapshot.toHex()}});
    QCOMPARE(t.status, 201);
    const qint64 id = t.json().value(QStringLiteral("id")).toInteger();
    QCOMPARE(
        m_ops->post(QStringLiteral("/api/v1/restore-tickets/%1/accept?tenant=%2").arg(id).arg(m_fixture.tenantId()), {})
            .status,
        200);

    QVERIFY(m_fixture.window()->showPage(QStringLiteral("auditPage")));
    auto *page = widget<AuditPage>(m_fixture.window(), "auditPage");
    auto *table = widget<QTableView>(page, "auditTable");
    type(widget<QLineEdit>(page, "auditActionFilter"), QStringLiteral("ticket."));
    const auto actions = [&] {
        QStringList out;
        for (int row = 0; row < table->model()->rowCount(); ++row)
            out << table->model()->index(row, AuditModel::Action).data().toString();
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(actions().contains(QLatin1String("ticket.accept")), 10000);
    QCOMPARE(actions(), (QStringList {QStringLiteral("ticket.accept"), QStringLiteral("ticket.add")}));
    const QString object = QStringLiteral("ticket:%1").arg(id);
    QVERIFY(table->model()->index(0, AuditModel::Detail).data().toString().startsWith(object));
    QCOMPARE(
        table->model()->index(0, AuditModel::Tenant).data().toString(), QString::fromLatin1(ConsoleFixture::kTenant));
    QCOMPARE(table->model()->index(0, AuditModel::Actor).data().toString().section(QLatin1Char(' '), 0, 0),
        QString::fromLatin1(ConsoleFixture::kOperator));
    // Without the filter the other entries are there too (tenant.add, user.add, …).
    widget<QLineEdit>(page, "auditActionFilter")->clear();
    QTRY_VERIFY(actions().contains(QLatin1String("user.add")));
}

QTEST_MAIN(TestConsoleOperatorAdmin)
#include "TestConsoleOperatorAdmin.moc"
