// The policy editor against a real cairn-server: an administrator edits every field through the
// widgets and saves, and the server stores exactly that; invalid values (a relative path, no
// path, a bandwidth of 50) are refused in the form with a sentence, Save disabled and nothing
// sent; unsaved edits survive the live refresh; a member sees the form read-only; copying to
// another server stores the same policy there.
#include "ConsoleTestSupport.h"
#include "SimulatedAgent.h"

#include "user/PolicyForm.h"
#include "user/PolicyTab.h"
#include "user/ServerPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>

using namespace cairn::test;
using namespace cairn::console;

class TestConsolePolicy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void invalidValuesAreRefusedInTheForm();
    void editAndSaveEveryField();
    void unsavedEditsSurviveTheLiveRefresh();
    void copyToAnotherServer();
    void memberSeesTheFormReadOnly();

private:
    template <typename T> T *w(const char *name) const { return widget<T>(m_tab, name); }
    void openPolicy(qint64 server);
    void addPath(const QString &path);
    static void choose(QComboBox *combo, const QVariant &data);
    ApiReply storedPolicy(qint64 server);

    ConsoleFixture m_fixture;
    std::unique_ptr<cairn::test::ApiClient> m_admin;
    std::unique_ptr<SimulatedAgent> m_one, m_two;
    PolicyTab *m_tab = nullptr;
};

void TestConsolePolicy::initTestCase()
{
    isolateSettings();
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    m_admin = m_fixture.apiAs(QString::fromLatin1(ConsoleFixture::kAdmin));
    for (auto *agent : {&m_one, &m_two}) {
        const ApiReply code = m_admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
        QCOMPARE(code.status, 201);
        *agent = std::make_unique<SimulatedAgent>(m_fixture.server().baseUrl(), m_fixture.server().caPem());
        QCOMPARE((*agent)
                     ->enroll(code.json().value(QStringLiteral("code")).toString(),
                         agent == &m_one ? QStringLiteral("db-01") : QStringLiteral("db-02"))
                     .status,
            201);
    }
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    m_tab = static_cast<PolicyTab *>(m_fixture.window()->serverPage()->tab(Page::PolicyTabIndex));
    QVERIFY(m_tab);
}

void TestConsolePolicy::openPolicy(qint64 server)
{
    m_fixture.window()->openServer(server, Page::PolicyTabIndex);
    QCOMPARE(m_fixture.window()->serverPage()->tabs()->currentWidget(), static_cast<QWidget *>(m_tab));
    QTRY_VERIFY_WITH_TIMEOUT(!w<QLabel>("policyStatus")->text().startsWith(QLatin1String("Loading")), 10000);
}

void TestConsolePolicy::addPath(const QString &path)
{
    auto *input = w<QLineEdit>("policyPathInput");
    input->clear();
    QTest::keyClicks(input, path);
    QTest::mouseClick(w<QPushButton>("policyAddPath"), Qt::LeftButton);
}

void TestConsolePolicy::choose(QComboBox *combo, const QVariant &data)
{
    const int i = combo->findData(data);
    QVERIFY(i >= 0);
    combo->setCurrentIndex(i);
}

ApiReply TestConsolePolicy::storedPolicy(qint64 server)
{
    return m_admin->get(QStringLiteral("/api/v1/servers/%1/policy").arg(server));
}

void TestConsolePolicy::invalidValuesAreRefusedInTheForm()
{
    openPolicy(m_one->agentId());
    QVERIFY(w<QLabel>("policyStatus")->text().startsWith(QLatin1String("No policy yet")));
    auto *save = w<QPushButton>("policySave");
    auto *pathsError = w<QLabel>("policyPathsError");
    // No path at all: the defaults are not enough.
    QVERIFY(!save->isEnabled());
    QVERIFY(pathsError->isVisible());
    QCOMPARE(pathsError->text(), QStringLiteral("Add at least one folder to back up."));

    // A relative path is refused and not added.
    addPath(QStringLiteral("var/www"));
    QCOMPARE(w<QListWidget>("policyPaths")->count(), 0);
    QVERIFY(pathsError->isVisible());
    QVERIFY2(pathsError->text().contains(QLatin1String("not an absolute path")), qPrintable(pathsError->text()));
    QVERIFY(!save->isEnabled());

    addPath(QStringLiteral("/srv/app"));
    QCOMPARE(w<QListWidget>("policyPaths")->count(), 1);
    QVERIFY(!pathsError->isVisible());
    QVERIFY(save->isEnabled());

    // A bandwidth of 50 KiB/s is neither 0 nor 128 or more.
    auto *bandwidth = w<QSpinBox>("policyBandwidth");
    bandwidth->setFocus();
    bandwidth->selectAll();
    QTest::keyClicks(bandwidth, QStringLiteral("50"));
    QCOMPARE(bandwidth->value(), 50);
    auto *bandwidthError = w<QLabel>("policyBandwidthError");
    QVERIFY(bandwidthError->isVisible());
    QVERIFY(bandwidthError->text().startsWith(QLatin1String("The limit must be 0 (unlimited) or between 128")));
    QVERIFY(!save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton); // disabled: nothing is sent
    QTest::qWait(500);
    QCOMPARE(storedPolicy(m_one->agentId()).status, 404);

    // A path edited into a relative one in the list is refused too.
    QListWidgetItem *item = w<QListWidget>("policyPaths")->item(0);
    bandwidth->setValue(0);
    item->setText(QStringLiteral("relative"));
    QVERIFY(pathsError->isVisible());
    QVERIFY(!save->isEnabled());
    item->setText(QStringLiteral("/srv/app"));
    QVERIFY(save->isEnabled());

    // Only the allowed values can be chosen at all.
    QCOMPARE(w<QComboBox>("policyRetention")->count(), 4);
    QCOMPARE(w<QComboBox>("policyHour")->count(), 24);
    QCOMPARE(w<QComboBox>("policyInterval")->count(), 2);
    QCOMPARE(storedPolicy(m_one->agentId()).status, 404);
}

void TestConsolePolicy::editAndSaveEveryField()
{
    openPolicy(m_one->agentId());
    auto *paths = w<QListWidget>("policyPaths");
    while (paths->count() > 0) {
        paths->setCurrentRow(0);
        QTest::mouseClick(w<QPushButton>("policyRemovePath"), Qt::LeftButton);
    }
    addPath(QStringLiteral("/etc"));
    addPath(QStringLiteral("/var/www"));
    addPath(QStringLiteral("/tmp/remove-me"));
    paths->setCurrentRow(2);
    QTest::mouseClick(w<QPushButton>("policyRemovePath"), Qt::LeftButton);
    QCOMPARE(paths->count(), 2);

    auto *excludes = w<QPlainTextEdit>("policyExcludes");
    excludes->setFocus();
    QTest::keyClicks(excludes, QStringLiteral("*.tmp"));
    QTest::keyClick(excludes, Qt::Key_Return);
    QTest::keyClicks(excludes, QStringLiteral("/var/www/cache/*"));
    w<QCheckBox>("policyOneFileSystem")->click(); // default on → off
    auto *weekday = w<QComboBox>("policyWeekday");
    QVERIFY(!weekday->isEnabled()); // only for weekly
    choose(w<QComboBox>("policyInterval"), 7);
    QVERIFY(weekday->isEnabled());
    choose(weekday, 6);
    choose(w<QComboBox>("policyHour"), 22);
    choose(w<QComboBox>("policyRetention"), 14);
    auto *pre = w<QPlainTextEdit>("policyPreCommand");
    pre->setFocus();
    QTest::keyClicks(pre, QStringLiteral("pg_dump -Fc app > /var/backups/app.pgdump"));
    QTest::keyClick(pre, Qt::Key_Return);
    QTest::keyClicks(pre, QStringLiteral("sync"));
    auto *post = w<QPlainTextEdit>("policyPostCommand");
    post->setFocus();
    QTest::keyClicks(post, QStringLiteral("rm -f /var/backups/app.pgdump"));
    auto *timeout = w<QSpinBox>("policyCommandTimeout");
    timeout->setFocus();
    timeout->selectAll();
    QTest::keyClicks(timeout, QStringLiteral("900"));
    choose(w<QComboBox>("policyOnPreFailure"), QStringLiteral("continue"));
    auto *bandwidth = w<QSpinBox>("policyBandwidth");
    bandwidth->setFocus();
    bandwidth->selectAll();
    QTest::keyClicks(bandwidth, QStringLiteral("20480"));

    QVERIFY(w<QLabel>("policyStatus")->text().startsWith(QLatin1String("Unsaved changes")));
    QVERIFY(w<QLabel>("policyRootWarning")->text().contains(QLatin1String("as root")));
    auto *save = w<QPushButton>("policySave");
    QVERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(w<QLabel>("policyStatus")->text(), QStringLiteral("Saved."), 10000);
    QVERIFY(!save->isEnabled());

    const ApiReply r = storedPolicy(m_one->agentId());
    QCOMPARE(r.status, 200);
    const QJsonObject p = r.json();
    QCOMPARE(
        p.value(QStringLiteral("paths")).toArray(), (QJsonArray {QStringLiteral("/etc"), QStringLiteral("/var/www")}));
    QCOMPARE(p.value(QStringLiteral("excludes")).toArray(),
        (QJsonArray {QStringLiteral("*.tmp"), QStringLiteral("/var/www/cache/*")}));
    QCOMPARE(p.value(QStringLiteral("one_file_system")).toBool(true), false);
    QCOMPARE(p.value(QStringLiteral("interval_days")).toInt(), 7);
    QCOMPARE(p.value(QStringLiteral("weekday")).toInt(), 6);
    QCOMPARE(p.value(QStringLiteral("hour")).toInt(), 22);
    QCOMPARE(p.value(QStringLiteral("retention_days")).toInt(), 14);
    QCOMPARE(p.value(QStringLiteral("pre_command")).toString(),
        QStringLiteral("pg_dump -Fc app > /var/backups/app.pgdump\nsync"));
    QCOMPARE(p.value(QStringLiteral("post_command")).toString(), QStringLiteral("rm -f /var/backups/app.pgdump"));
    QCOMPARE(p.value(QStringLiteral("command_timeout_seconds")).toInt(), 900);
    QCOMPARE(p.value(QStringLiteral("on_pre_command_failure")).toString(), QStringLiteral("continue"));
    QCOMPARE(p.value(QStringLiteral("bandwidth_limit_kib")).toInt(), 20480);
}

void TestConsolePolicy::unsavedEditsSurviveTheLiveRefresh()
{
    m_fixture.window()->setRefreshInterval(300);
    openPolicy(m_one->agentId());
    auto *excludes = w<QPlainTextEdit>("policyExcludes");
    excludes->setFocus();
    excludes->moveCursor(QTextCursor::End);
    QTest::keyClick(excludes, Qt::Key_Return);
    QTest::keyClicks(excludes, QStringLiteral("*.swp"));
    QTest::qWait(1500); // several live refreshes
    QVERIFY(excludes->toPlainText().endsWith(QLatin1String("\n*.swp")));
    QVERIFY(w<QLabel>("policyStatus")->text().startsWith(QLatin1String("Unsaved changes")));
    // Revert brings back the stored policy.
    QTest::mouseClick(w<QPushButton>("policyRevert"), Qt::LeftButton);
    QCOMPARE(excludes->toPlainText(), QStringLiteral("*.tmp\n/var/www/cache/*"));
    QVERIFY(!m_tab->hasUnsavedChanges());
    m_fixture.window()->setRefreshInterval(5000);
}

void TestConsolePolicy::copyToAnotherServer()
{
    openPolicy(m_one->agentId());
    auto *targets = w<QListWidget>("policyCopyTargets");
    QTRY_COMPARE_WITH_TIMEOUT(targets->count(), 1, 10000); // the other server, not this one
    QCOMPARE(targets->item(0)->text(), QStringLiteral("db-02"));
    auto *copy = w<QPushButton>("policyCopy");
    QVERIFY(!copy->isEnabled()); // nothing chosen
    targets->item(0)->setCheckState(Qt::Checked);
    QVERIFY(copy->isEnabled());
    QTest::mouseClick(copy, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        w<QLabel>("policyCopyResult")->text().startsWith(QLatin1String("The policy was copied to 1 server")), 10000);
    QJsonObject original = storedPolicy(m_one->agentId()).json(), copied = storedPolicy(m_two->agentId()).json();
    original.remove(QStringLiteral("updated_at"));
    copied.remove(QStringLiteral("updated_at"));
    QVERIFY(!copied.isEmpty());
    QCOMPARE(copied, original);
}

void TestConsolePolicy::memberSeesTheFormReadOnly()
{
    m_fixture.window()->findChild<QAction *>(QStringLiteral("actionLogout"))->trigger();
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kMember)));
    openPolicy(m_two->agentId());
    QTRY_COMPARE_WITH_TIMEOUT(w<QListWidget>("policyPaths")->count(), 2, 10000);
    QVERIFY(w<QLabel>("policyReadOnlyNote")->isVisible());
    QVERIFY(w<QLabel>("policyReadOnlyNote")->text().contains(QLatin1String("only administrators")));
    QVERIFY(!w<QPushButton>("policySave")->isVisible());
    QVERIFY(!w<QWidget>("policyCopyBox")->isVisible());
    QVERIFY(!w<QLineEdit>("policyPathInput")->isEnabled());
    QVERIFY(!w<QPushButton>("policyAddPath")->isEnabled());
    QVERIFY(!w<QComboBox>("policyHour")->isEnabled());
    QVERIFY(!w<QComboBox>("policyRetention")->isEnabled());
    QVERIFY(w<QPlainTextEdit>("policyPreCommand")->isReadOnly());
    QVERIFY(!(w<QListWidget>("policyPaths")->item(0)->flags() & Qt::ItemIsEditable));
    QCOMPARE(w<QComboBox>("policyHour")->currentData().toInt(), 22);
}

QTEST_MAIN(TestConsolePolicy)
#include "TestConsolePolicy.moc"
