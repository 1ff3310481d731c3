// The console's language switch at runtime, against a real cairn-server: the Language menu's
// Korean and English actions change the whole window without a restart — menu titles, the
// navigation, the status line, a page's table headers and the login page — and back again; the
// choice is remembered for the next start (QSettings ui/language), dates and weekday names follow
// the language's locale, and Qt's own standard texts are translated too. Expected texts come from
// QCoreApplication::translate() where a view's translation may still be missing, and are literal
// Korean for the shell's own strings (translated in translations/cairn_ko.ts). Test main thread.
#include "ConsoleTestSupport.h"

#include "core/Format.h"
#include "core/Language.h"
#include "shell/LoginPage.h"
#include "shell/Page.h"

#include <QAbstractItemModel>
#include <QAbstractProxyModel>
#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace cairn::test;
using namespace cairn::console;

namespace {
QString mw(const char *source)
{
    return QCoreApplication::translate("cairn::console::MainWindow", source);
}
} // namespace

class TestConsoleLanguage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void menusNavigationAndStatusSwitchToKoreanAndBack();
    void tableHeadersFollowTheLanguage();
    void loginPageSwitches();
    void choiceIsRemembered();
    void datesAndNumbersFollowTheLocale();
    void qtStandardTextsAreTranslated();
    void cleanupTestCase();

private:
    void switchTo(const char *code);
    QStringList menuTitles();
    QStringList navigationTexts();
    QStringList headerTexts(QTableView *table);
    QTableView *dashboardTable();

    ConsoleFixture m_fixture;
};

void TestConsoleLanguage::initTestCase()
{
    isolateSettings();
    QVERIFY(Language::apply(QStringLiteral("en")));
    QVERIFY2(m_fixture.start(), m_fixture.server().log().constData());
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    QVERIFY(m_fixture.window()->showPage(QStringLiteral("dashboardPage")));
}

void TestConsoleLanguage::init()
{
    switchTo("en"); // every test starts in English, whatever the previous one left
}

void TestConsoleLanguage::cleanupTestCase()
{
    Language::apply(QStringLiteral("en"));
}

void TestConsoleLanguage::switchTo(const char *code)
{
    auto *action = m_fixture.window()->findChild<QAction *>(QStringLiteral("actionLanguage_") + QLatin1String(code));
    QVERIFY(action);
    action->trigger();
    QCOMPARE(Language::current(), QLatin1String(code));
    QVERIFY(action->isChecked());
    QCoreApplication::processEvents(); // LanguageChange reaches every widget
}

QStringList TestConsoleLanguage::menuTitles()
{
    QStringList titles;
    for (QAction *a : m_fixture.window()->menuBar()->actions())
        titles << a->text();
    return titles;
}

QStringList TestConsoleLanguage::navigationTexts()
{
    QStringList texts;
    for (QTreeWidgetItemIterator it(m_fixture.window()->navigation()); *it; ++it)
        texts << (*it)->text(0);
    return texts;
}

QStringList TestConsoleLanguage::headerTexts(QTableView *table)
{
    QStringList texts;
    QAbstractItemModel *model = table->model();
    for (int c = 0; c < model->columnCount(); ++c)
        texts << model->headerData(c, Qt::Horizontal).toString();
    return texts;
}

QTableView *TestConsoleLanguage::dashboardTable()
{
    return m_fixture.window()->findChild<QTableView *>(QStringLiteral("dashboardServers"));
}

void TestConsoleLanguage::menusNavigationAndStatusSwitchToKoreanAndBack()
{
    MainWindow *w = m_fixture.window();
    const QStringList englishMenus {
        QStringLiteral("&File"), QStringLiteral("&View"), QStringLiteral("&Language"), QStringLiteral("&Help")};
    QCOMPARE(menuTitles(), englishMenus);
    QVERIFY(navigationTexts().contains(QStringLiteral("Servers")));
    auto *dashboard = w->findChild<Page *>(QStringLiteral("dashboardPage"));
    QVERIFY(dashboard);
    const QString dashboardEn = dashboard->title();
    QVERIFY(navigationTexts().contains(dashboardEn));
    auto *statusUser = w->findChild<QLabel *>(QStringLiteral("statusUser"));
    QVERIFY(statusUser->text().contains(QLatin1String("administrator")));

    switchTo("ko");
    QTRY_COMPARE(menuTitles(),
        (QStringList {QStringLiteral("파일(&F)"), QStringLiteral("보기(&V)"), QStringLiteral("언어(&L)"),
            QStringLiteral("도움말(&H)")}));
    QCOMPARE(menuTitles(), (QStringList {mw("&File"), mw("&View"), mw("&Language"), mw("&Help")}));
    QVERIFY(navigationTexts().contains(QStringLiteral("서버")));
    QVERIFY(!navigationTexts().contains(QStringLiteral("Servers")));
    // The navigation follows the pages' titles in the new language.
    QCOMPARE(dashboard->title(), QCoreApplication::translate("cairn::console::DashboardPage", "Dashboard"));
    QVERIFY(navigationTexts().contains(dashboard->title()));
    QVERIFY2(statusUser->text().contains(QStringLiteral("관리자")), qPrintable(statusUser->text()));
    QCOMPARE(w->findChild<QAction *>(QStringLiteral("actionLogout"))->text(), QStringLiteral("로그아웃(&O)"));
    QCOMPARE(w->findChild<QAction *>(QStringLiteral("actionRefresh"))->text(), QStringLiteral("새로 고침(&R)"));
    QVERIFY2(w->windowTitle().startsWith(QStringLiteral("Cairn — ")), qPrintable(w->windowTitle()));
    QVERIFY(w->windowTitle().endsWith(dashboard->title()));

    switchTo("en");
    QTRY_COMPARE(menuTitles(), englishMenus);
    QVERIFY(navigationTexts().contains(QStringLiteral("Servers")));
    QCOMPARE(dashboard->title(), dashboardEn);
    QVERIFY(navigationTexts().contains(dashboardEn));
    QVERIFY(statusUser->text().contains(QLatin1String("administrator")));
    QCOMPARE(w->findChild<QAction *>(QStringLiteral("actionLogout"))->text(), QStringLiteral("Log &out"));
}

void TestConsoleLanguage::tableHeadersFollowTheLanguage()
{
    QTableView *table = dashboardTable();
    QVERIFY(table);
    QTRY_VERIFY(table->isVisible());
    const QStringList english = headerTexts(table);
    QVERIFY(!english.isEmpty());
    QVERIFY(!english.contains(QString()));
    // The context lupdate gives the header texts: the model's class, or the page's.
    QAbstractItemModel *model = table->model();
    while (auto *proxy = qobject_cast<QAbstractProxyModel *>(model))
        model = proxy->sourceModel();
    const QByteArray modelContext = model->metaObject()->className();

    switchTo("ko");
    QStringList expected;
    for (const QString &en : english) {
        const QByteArray source = en.toUtf8();
        QString ko = QCoreApplication::translate(modelContext.constData(), source.constData());
        if (ko == en)
            ko = QCoreApplication::translate("cairn::console::DashboardPage", source.constData());
        expected << ko;
    }
    QVERIFY2(expected != english, "no header text of the dashboard has a Korean translation");
    QTRY_COMPARE(headerTexts(table), expected);
    // What the header shows is what the model says (headerDataChanged reached the view).
    QHeaderView *header = table->horizontalHeader();
    for (int c = 0; c < expected.size(); ++c)
        QCOMPARE(header->model()->headerData(c, Qt::Horizontal).toString(), expected[c]);

    switchTo("en");
    QTRY_COMPARE(headerTexts(table), english);
}

void TestConsoleLanguage::loginPageSwitches()
{
    MainWindow *w = m_fixture.window();
    w->findChild<QAction *>(QStringLiteral("actionLogout"))->trigger();
    auto *central = qobject_cast<QStackedWidget *>(w->centralWidget());
    QCOMPARE(central->currentWidget(), w->loginPage());
    auto *submit = w->loginPage()->findChild<QPushButton *>(QStringLiteral("loginSubmit"));
    auto *loginName = w->loginPage()->findChild<QWidget *>(QStringLiteral("loginName"));
    QLabel *loginLabel = nullptr;
    for (QLabel *l : w->loginPage()->findChildren<QLabel *>()) {
        if (l->buddy() == loginName)
            loginLabel = l;
    }
    QVERIFY(submit && loginLabel);
    QCOMPARE(submit->text(), QStringLiteral("Log in"));
    QCOMPARE(loginLabel->text(), QStringLiteral("&Login:"));

    switchTo("ko");
    QTRY_COMPARE(submit->text(), QStringLiteral("로그인"));
    QCOMPARE(loginLabel->text(), QStringLiteral("로그인 ID(&L):"));
    QCOMPARE(w->windowTitle(), QStringLiteral("Cairn"));
    QCOMPARE(w->findChild<QLabel *>(QStringLiteral("statusUser"))->text(), QStringLiteral("로그인하지 않음"));

    switchTo("en");
    QTRY_COMPARE(submit->text(), QStringLiteral("Log in"));
    QCOMPARE(loginLabel->text(), QStringLiteral("&Login:"));
    // Logging in again works in the switched language.
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
}

void TestConsoleLanguage::choiceIsRemembered()
{
    switchTo("ko");
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("ko"));
    QCOMPARE(Language::initial(), QStringLiteral("ko")); // what the next start uses
    switchTo("en");
    QCOMPARE(QSettings().value(QStringLiteral("ui/language")).toString(), QStringLiteral("en"));
    QCOMPARE(Language::initial(), QStringLiteral("en"));
}

void TestConsoleLanguage::datesAndNumbersFollowTheLocale()
{
    const QDate day(2026, 11, 27);
    switchTo("ko");
    QCOMPARE(QLocale().language(), QLocale::Korean);
    QCOMPARE(format::weekday(1), QStringLiteral("월요일"));
    QCOMPARE(format::date(day), QLocale(QLocale::Korean, QLocale::SouthKorea).toString(day, QLocale::ShortFormat));
    QCOMPARE(format::number(100000), QLocale(QLocale::Korean).toString(100000));
    QCOMPARE(format::duration(3725), QStringLiteral("1시간 02분"));
    const QString koDate = format::date(day);

    switchTo("en");
    QCOMPARE(QLocale().language(), QLocale::English);
    QCOMPARE(format::weekday(1), QStringLiteral("Monday"));
    QCOMPARE(format::date(day), QLocale(QLocale::English, QLocale::UnitedStates).toString(day, QLocale::ShortFormat));
    QVERIFY(format::date(day) != koDate);
    QCOMPARE(format::number(100000), QStringLiteral("100,000"));
    QCOMPARE(format::duration(3725), QStringLiteral("1 h 02 min"));
    QCOMPARE(
        format::bytes(1536 * 1024), QLocale().formattedDataSize(1536 * 1024, 1, QLocale::DataSizeTraditionalFormat));
}

void TestConsoleLanguage::qtStandardTextsAreTranslated()
{
    // Qt's own translation (qtbase_ko.qm, package qt6-translations-l10n) is loaded with ours.
    switchTo("ko");
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("취소"));
    switchTo("en");
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
}

QTEST_MAIN(TestConsoleLanguage)
#include "TestConsoleLanguage.moc"
