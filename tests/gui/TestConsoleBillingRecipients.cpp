// Usage and billing and the report recipients against a real cairn-server: recipients with their
// languages and the report time are saved and read back; an invalid address is refused in the
// form (Save disabled, nothing stored); the estimate says in a sentence why there is none (not
// activated, no prices) and shows its lines and total once an operator has set the prices.
#include "ConsoleTestSupport.h"

#include "core/Format.h"
#include "user/BillingPage.h"
#include "user/RecipientsPage.h"

#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTimeEdit>

using namespace cairn::test;
using namespace cairn::console;

class TestConsoleBillingRecipients : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void recipientsAreSavedAndReadBack();
    void anInvalidAddressIsRefused();
    void estimateSaysWhyThereIsNoneThenShowsTheTotal();

private:
    QJsonObject tenant() { return m_admin->get(QStringLiteral("/api/v1/tenants/%1").arg(m_fixture.tenantId())).json(); }
    void typeAddress(RecipientsPage *page, const QString &address);

    ConsoleFixture m_fixture;
    std::unique_ptr<cairn::test::ApiClient> m_admin;
};

void TestConsoleBillingRecipients::initTestCase()
{
    isolateSettings();
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_admin = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    m_fixture.window()->setRefreshInterval(500);
}

void TestConsoleBillingRecipients::typeAddress(RecipientsPage *page, const QString &address)
{
    auto *input = widget<QLineEdit>(page, "recipientsAddress");
    input->clear();
    QTest::keyClicks(input, address);
}

void TestConsoleBillingRecipients::recipientsAreSavedAndReadBack()
{
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("recipientsPage")));
    auto *page = m_fixture.window()->findChild<RecipientsPage *>(QStringLiteral("recipientsPage"));
    QVERIFY(page);
    auto *add = widget<QPushButton>(page, "recipientsAdd");
    QTRY_VERIFY_WITH_TIMEOUT(add->isEnabled(), 10000); // loaded
    QVERIFY(!widget<QLabel>(page, "recipientsTimeZone")->text().isEmpty());
    auto *table = widget<QTableWidget>(page, "recipientsTable");
    auto *language = widget<QComboBox>(page, "recipientsLanguage");

    typeAddress(page, QStringLiteral("ops@acme.example"));
    language->setCurrentIndex(language->findData(QStringLiteral("en")));
    QTest::mouseClick(add, Qt::LeftButton);
    typeAddress(page, QStringLiteral("kim@acme.example"));
    language->setCurrentIndex(language->findData(QStringLiteral("ko")));
    QTest::keyClick(widget<QLineEdit>(page, "recipientsAddress"), Qt::Key_Return); // Enter adds too
    QCOMPARE(table->rowCount(), 2);
    auto *time = widget<QTimeEdit>(page, "recipientsReportTime");
    time->setTime(QTime(7, 30));
    auto *save = widget<QPushButton>(page, "recipientsSave");
    QVERIFY(save->isEnabled());
    QCOMPARE(widget<QLabel>(page, "recipientsStatus")->text(), QStringLiteral("Unsaved changes."));
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        widget<QLabel>(page, "recipientsStatus")->text().startsWith(QLatin1String("Saved.")), 10000);

    const QJsonObject t = tenant();
    QCOMPARE(t.value(QStringLiteral("report_recipients")).toArray(),
        (QJsonArray {QStringLiteral("ops@acme.example"), QStringLiteral("kim@acme.example")}));
    const QJsonObject languages = t.value(QStringLiteral("recipient_languages")).toObject();
    QCOMPARE(languages.value(QStringLiteral("ops@acme.example")).toString(), QStringLiteral("en"));
    QCOMPARE(languages.value(QStringLiteral("kim@acme.example")).toString(), QStringLiteral("ko"));
    QCOMPARE(t.value(QStringLiteral("report_time")).toString(), QStringLiteral("07:30"));

    // A live refresh shows the same (the stored state) and nothing is unsaved.
    QTest::qWait(1200);
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(!page->hasUnsavedChanges());
}

void TestConsoleBillingRecipients::anInvalidAddressIsRefused()
{
    auto *page = m_fixture.window()->findChild<RecipientsPage *>(QStringLiteral("recipientsPage"));
    auto *table = widget<QTableWidget>(page, "recipientsTable");
    auto *save = widget<QPushButton>(page, "recipientsSave");
    auto *error = widget<QLabel>(page, "recipientsError");
    const int before = table->rowCount();

    typeAddress(page, QStringLiteral("not-an-address"));
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("“not-an-address” is not an e-mail address."));
    QTest::mouseClick(widget<QPushButton>(page, "recipientsAdd"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), before); // not added
    widget<QLineEdit>(page, "recipientsAddress")->clear();
    QVERIFY(!error->isVisible());

    // An address changed in the table into a wrong one: Save is disabled, nothing is sent.
    table->item(0, 0)->setText(QStringLiteral("ops at acme"));
    QVERIFY(error->isVisible());
    QVERIFY(!save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QTest::qWait(1200); // live refreshes keep the edit
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("ops at acme"));
    QCOMPARE(tenant().value(QStringLiteral("report_recipients")).toArray().first().toString(),
        QStringLiteral("ops@acme.example"));
    QTest::mouseClick(widget<QPushButton>(page, "recipientsRevert"), Qt::LeftButton);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("ops@acme.example"));
    QVERIFY(!error->isVisible());
}

void TestConsoleBillingRecipients::estimateSaysWhyThereIsNoneThenShowsTheTotal()
{
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("billingPage")));
    auto *page = m_fixture.window()->findChild<BillingPage *>(QStringLiteral("billingPage"));
    auto *status = widget<QLabel>(page, "billingEstimateStatus");
    auto *total = widget<QLabel>(page, "billingEstimateTotal");
    QTRY_COMPARE_WITH_TIMEOUT(status->text(),
        QStringLiteral("There is no estimate yet: the service of your organisation is not activated."), 10000);
    QVERIFY(!total->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!widget<QLabel>(page, "billingUsageServers")->text().isEmpty(), 10000);
    QCOMPARE(widget<QLabel>(page, "billingUsageServers")->text(), QStringLiteral("0"));
    QVERIFY(widget<QWidget>(page, "billingStatementsBox")->isVisible()); // an administrator

    auto ops = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kOperator));
    const QString activated = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate);
    ApiReply r = ops->patch(QStringLiteral("/api/v1/tenants/%1").arg(m_fixture.tenantId()),
        QJsonObject {{QStringLiteral("activated_at"), activated}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(),
        QStringLiteral("There is no estimate yet: no prices are set. The service operator sets them."), 10000);

    r = ops->putJson(QStringLiteral("/api/v1/operator/prices"),
        QJsonObject {{QStringLiteral("currency"), QStringLiteral("KRW")},
            {QStringLiteral("baseFeePerMonth"), QStringLiteral("50000")},
            {QStringLiteral("extraServerPerMonth"), QStringLiteral("10000")},
            {QStringLiteral("extraGbPerMonth"), QStringLiteral("100")}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QTRY_VERIFY_WITH_TIMEOUT(total->isVisible(), 10000);
    QVERIFY2(status->text().startsWith(QLatin1String("Estimate for ")), qPrintable(status->text()));
    // The server's own figure, in the locale's money format.
    const QJsonObject estimate = m_admin->get(QStringLiteral("/api/v1/billing/estimate")).json();
    const qint64 totalMinor
        = estimate.value(QStringLiteral("statement")).toObject().value(QStringLiteral("totalMinor")).toInteger();
    QVERIFY(totalMinor > 0);
    QCOMPARE(total->text(), QStringLiteral("Total: %1").arg(format::money(totalMinor, QStringLiteral("KRW"), 0)));
    QVERIFY(total->text().contains(QStringLiteral("₩")));
    auto *lines = widget<QTableWidget>(page, "billingEstimateLines");
    QCOMPARE(lines->rowCount(), 3);
    QCOMPARE(lines->item(0, 0)->text(), QStringLiteral("Base fee"));
    QVERIFY(lines->item(0, 2)->text().contains(QStringLiteral("50,000")));
}

QTEST_MAIN(TestConsoleBillingRecipients)
#include "TestConsoleBillingRecipients.moc"
