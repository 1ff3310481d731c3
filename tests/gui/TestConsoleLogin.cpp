// The console's connection and login against a real cairn-server: the certificate is trusted on
// first use only after the fingerprint was shown (and it is the server's), a different
// certificate later is refused with a warning, a wrong password, an unreachable server and an
// expired session each get their sentence, and the address and login are remembered.
#include "ConsoleTestSupport.h"

#include "api/TrustStore.h"
#include "shell/LoginPage.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTcpServer>
#include <QTest>
#include <QTreeWidget>

using namespace cairn::test;
using namespace cairn::console;

class TestConsoleLogin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void firstUseShowsTheFingerprintAndPinsOnlyWhenTrusted();
    void wrongPasswordIsASentence();
    void unreachableServerIsASentence();
    void aDifferentCertificateIsRefused();
    void aCommandLineCertificateIsForThisRunOnly();
    void expiredSessionReturnsToLogin();

private:
    QString bannerText() const
    {
        auto *b = m_fixture.window()->loginPage()->findChild<MessageBanner *>(QStringLiteral("messageBanner"));
        return b && b->isVisible() ? b->text() : QString();
    }
    bool onLoginPage() const
    {
        auto *central = qobject_cast<QStackedWidget *>(m_fixture.window()->centralWidget());
        return central->currentWidget() == m_fixture.window()->loginPage();
    }

    mutable ConsoleFixture m_fixture;
    QTemporaryDir m_clockDir;
    QString m_clockFile;
};

void TestConsoleLogin::initTestCase()
{
    isolateSettings();
    QVERIFY(m_clockDir.isValid());
    QFile::setPermissions(m_clockDir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    m_clockFile = QDir(m_clockDir.path()).filePath(QStringLiteral("clock"));
    QFile clock(m_clockFile);
    QVERIFY(clock.open(QIODevice::WriteOnly));
    clock.write("2026-11-27T10:00:00+09:00\n");
    clock.close();
    QVERIFY2(m_fixture.start("[testing]\nclock_file=" + m_clockFile.toUtf8() + "\n"), m_fixture.server().log().constData());
    m_fixture.window();
}

void TestConsoleLogin::firstUseShowsTheFingerprintAndPinsOnlyWhenTrusted()
{
    const QUrl url(m_fixture.server().baseUrl());
    TrustStore::forget(url);
    LoginPage *login = m_fixture.window()->loginPage();
    login->setLogin(QString::fromLatin1(ConsoleFixture::kAdmin));
    login->setPassword(QString::fromLatin1(ConsoleFixture::kPassword));
    login->submit();
    auto *panel = widget<QWidget>(login, "trustPanel");
    QVERIFY(panel);
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 10000);
    auto *fingerprint = widget<QLabel>(login, "trustFingerprint");
    QCOMPARE(fingerprint->text(), m_fixture.server().fingerprint());
    QVERIFY(onLoginPage());
    QVERIFY(TrustStore::pinned(url).isNull()); // nothing pinned before the user agrees

    // "Do not trust": stays on the login page, still nothing pinned.
    widget<QPushButton>(login, "trustReject")->click();
    QVERIFY(!panel->isVisible());
    QVERIFY(TrustStore::pinned(url).isNull());
    QVERIFY(bannerText().contains(QLatin1String("not trusted")));

    login->setPassword(QString::fromLatin1(ConsoleFixture::kPassword));
    login->submit();
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 10000);
    widget<QPushButton>(login, "trustAccept")->click();
    QTRY_VERIFY_WITH_TIMEOUT(!onLoginPage(), 10000);
    QCOMPARE(certificateFingerprint(TrustStore::pinned(url)), m_fixture.server().fingerprint());
    QCOMPARE(m_fixture.consoleApi()->user().login, QString::fromLatin1(ConsoleFixture::kAdmin));
    QVERIFY(m_fixture.window()->navigation()->topLevelItemCount() > 0);
    // Address and login are remembered for the next start.
    QCOMPARE(QSettings().value(QStringLiteral("login/login")).toString(), QString::fromLatin1(ConsoleFixture::kAdmin));
    QCOMPARE(QSettings().value(QStringLiteral("login/server")).toString(), m_fixture.server().baseUrl());

    m_fixture.window()->findChild<QAction *>(QStringLiteral("actionLogout"))->trigger();
    QVERIFY(onLoginPage());
}

void TestConsoleLogin::wrongPasswordIsASentence()
{
    LoginPage *login = m_fixture.window()->loginPage();
    login->setServer(m_fixture.server().baseUrl());
    login->setLogin(QString::fromLatin1(ConsoleFixture::kAdmin));
    login->setPassword(QStringLiteral("not-the-password"));
    login->submit();
    QTRY_COMPARE_WITH_TIMEOUT(bannerText(), QStringLiteral("The login or password is wrong."), 10000);
    QVERIFY(onLoginPage());
    QVERIFY(!m_fixture.consoleApi()->isLoggedIn());
}

void TestConsoleLogin::unreachableServerIsASentence()
{
    QTcpServer closed; // a port nobody listens on: bind, note, close
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    LoginPage *login = m_fixture.window()->loginPage();
    login->setServer(QStringLiteral("https://127.0.0.1:%1").arg(port));
    login->setPassword(QString::fromLatin1(ConsoleFixture::kPassword));
    login->submit();
    QTRY_VERIFY_WITH_TIMEOUT(bannerText().startsWith(QLatin1String("The server cannot be reached.")), 10000);
    QVERIFY(onLoginPage());
    login->setServer(m_fixture.server().baseUrl());
}

void TestConsoleLogin::aDifferentCertificateIsRefused()
{
    // Another server's CA pinned for this address: the real one must not be accepted silently.
    ServerProcess other;
    QVERIFY(other.init());
    const QUrl url(m_fixture.server().baseUrl());
    const QSslCertificate real = TrustStore::pinned(url);
    const QSslCertificate wrong = QSslCertificate::fromData(other.caPem(), QSsl::Pem).first();
    TrustStore::pin(url, wrong);
    LoginPage *login = m_fixture.window()->loginPage();
    login->setServer(m_fixture.server().baseUrl());
    login->setPassword(QString::fromLatin1(ConsoleFixture::kPassword));
    login->submit();
    auto *panel = widget<QWidget>(login, "trustPanel");
    QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 10000);
    // What is shown is the fingerprint of what the server presents, for the user to compare.
    QCOMPARE(widget<QLabel>(login, "trustFingerprint")->text(), m_fixture.server().fingerprint());
    bool warned = false;
    for (QLabel *l : panel->findChildren<QLabel *>())
        warned = warned || l->text().contains(QLatin1String("DIFFERENT certificate"));
    QVERIFY(warned);
    QVERIFY(onLoginPage());
    QVERIFY(!m_fixture.consoleApi()->isLoggedIn());
    widget<QPushButton>(login, "trustReject")->click();
    QCOMPARE(TrustStore::pinned(url), wrong); // refusing changes nothing
    TrustStore::pin(url, real);
}

void TestConsoleLogin::aCommandLineCertificateIsForThisRunOnly()
{
    // --ca: trusted for the session, never written to the settings.
    const QUrl url(m_fixture.server().baseUrl());
    const QSslCertificate real = TrustStore::pinned(url);
    TrustStore::forget(url);
    LoginPage *login = m_fixture.window()->loginPage();
    login->setSessionCertificate(url, QSslCertificate::fromData(m_fixture.server().caPem(), QSsl::Pem).last());
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    QVERIFY(TrustStore::pinned(url).isNull());
    m_fixture.window()->findChild<QAction *>(QStringLiteral("actionLogout"))->trigger();
    login->setSessionCertificate(QUrl(), QSslCertificate());
    TrustStore::pin(url, real);
}

void TestConsoleLogin::expiredSessionReturnsToLogin()
{
    m_fixture.window()->setRefreshInterval(300);
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin)));
    QFile clock(m_clockFile);
    QVERIFY(clock.open(QIODevice::WriteOnly | QIODevice::Truncate));
    clock.write("2026-11-28T00:00:00+09:00\n"); // 14 h later: the 12 h session has expired
    clock.close();
    QTRY_VERIFY_WITH_TIMEOUT(onLoginPage(), 15000);
    QCOMPARE(bannerText(), QStringLiteral("Your session has expired. Please log in again."));
    QVERIFY(m_fixture.logIn(QString::fromLatin1(ConsoleFixture::kAdmin))); // and one can log in again
}

QTEST_MAIN(TestConsoleLogin)
#include "TestConsoleLogin.moc"
