// Support for the console's GUI tests: an isolated settings folder, a real cairn-server with a
// tenant ("acme"), a tenant admin, a member and an operator, and a console MainWindow (offscreen)
// pointed at it with the server's certificate pinned; helpers to log in and to find widgets by
// object name. Test main thread.
#pragma once

#include "ApiClient.h"
#include "ServerProcess.h"

#include "api/ApiClient.h"
#include "shell/MainWindow.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace cairn::test {

// Call first in initTestCase(): QSettings of this process go to a fresh temporary folder.
void isolateSettings();

class ConsoleFixture {
public:
    static constexpr const char *kTenant = "acme";
    static constexpr const char *kAdmin = "kim";      // tenant admin
    static constexpr const char *kMember = "lee";     // member
    static constexpr const char *kOperator = "ops";   // operator
    static constexpr const char *kPassword = "console-test-password";

    // Starts the server (init, serve with `extraConfig` INI text), adds the tenant and users.
    bool start(const QByteArray &extraConfig = {});
    ServerProcess &server() { return m_server; }
    qint64 tenantId() const { return m_tenantId; }
    // A synchronous API client logged in as `login` (to prepare or check data behind the GUI).
    std::unique_ptr<ApiClient> apiAs(const QString &login);

    // A console window (shown, offscreen) with the server's CA pinned, not logged in yet.
    console::MainWindow *window();
    console::ApiClient *consoleApi() { return m_consoleApi.get(); }
    // Fills the login page and presses "Log in"; waits until the workspace shows.
    bool logIn(const QString &login, const QString &password = QString::fromLatin1(kPassword), int timeoutMs = 15000);

private:
    ServerProcess m_server;
    qint64 m_tenantId = -1;
    std::unique_ptr<console::ApiClient> m_consoleApi;
    std::unique_ptr<console::MainWindow> m_window;
};

// The widget of type T named `name` below `root`, or nullptr (QTest prints what is missing).
template <typename T>
T *widget(QObject *root, const char *name)
{
    T *w = root->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return w;
}

} // namespace cairn::test
