// Console GUI test support. Test main thread.
#include "ConsoleTestSupport.h"

#include "api/TrustStore.h"
#include "shell/LoginPage.h"

#include <QCoreApplication>
#include <QPushButton>
#include <QSslCertificate>
#include <QStackedWidget>

namespace cairn::test {

void isolateSettings()
{
    static QTemporaryDir settingsDir;
    qputenv("XDG_CONFIG_HOME", settingsDir.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("CairnTest"));
    QCoreApplication::setApplicationName(QStringLiteral("cairn-console-test"));
}

bool ConsoleFixture::start(const QByteArray &extraConfig)
{
    if (!m_server.init())
        return false;
    QStringList args;
    if (!extraConfig.isEmpty()) {
        const QString config = m_server.writeConfig(extraConfig);
        if (config.isEmpty())
            return false;
        args << QStringLiteral("--config") << config;
    }
    if (!m_server.start(args))
        return false;
    m_tenantId = m_server.addTenant(QString::fromLatin1(kTenant));
    return m_tenantId > 0 && m_server.addUser(QString::fromLatin1(kAdmin), kPassword, QString::fromLatin1(kTenant), QStringLiteral("admin"))
        && m_server.addUser(QString::fromLatin1(kMember), kPassword, QString::fromLatin1(kTenant), QStringLiteral("member"))
        && m_server.addUser(QString::fromLatin1(kOperator), kPassword, QString(), QStringLiteral("operator"));
}

std::unique_ptr<ApiClient> ConsoleFixture::apiAs(const QString &login)
{
    auto client = std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
    const ApiReply r = client->login(login, QString::fromLatin1(kPassword));
    if (r.status != 200)
        qWarning("login of %s failed: %s", qPrintable(login), qPrintable(r.describe()));
    return client;
}

console::MainWindow *ConsoleFixture::window()
{
    if (!m_window) {
        m_consoleApi = std::make_unique<console::ApiClient>();
        const QList<QSslCertificate> ca = QSslCertificate::fromData(m_server.caPem(), QSsl::Pem);
        if (!ca.isEmpty())
            console::TrustStore::pin(QUrl(m_server.baseUrl()), ca.first());
        m_window = std::make_unique<console::MainWindow>(m_consoleApi.get());
        m_window->loginPage()->setServer(m_server.baseUrl());
        m_window->show();
    }
    return m_window.get();
}

bool ConsoleFixture::logIn(const QString &login, const QString &password, int timeoutMs)
{
    console::MainWindow *w = window();
    w->loginPage()->setLogin(login);
    w->loginPage()->setPassword(password);
    w->loginPage()->submit();
    auto *central = qobject_cast<QStackedWidget *>(w->centralWidget());
    return QTest::qWaitFor([&] { return central && central->currentWidget() != w->loginPage(); }, timeoutMs);
}

} // namespace cairn::test
