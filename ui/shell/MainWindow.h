// MainWindow: the console's window — the login page until a session exists, then the workspace:
// navigation on the left (dashboard, each server, tickets, billing, recipients; for operators
// also the operator views and a tenant selector), the current page on the right, a status bar
// with the busy spinner and who is logged in, and menus (File, View, Language, Help). A live
// timer refreshes the visible page every few seconds. The layout, sizes and the last page are
// restored on start (QSettings "ui/…"). GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QJsonArray>
#include <QMainWindow>
#include <QTimer>

class QActionGroup;
class QComboBox;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace cairn::console {

class BusyIndicator;
class LoginPage;
class Page;
class ServerPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(ApiClient *api, QWidget *parent = nullptr);

    LoginPage *loginPage() const { return m_login; }
    ServerPage *serverPage() const { return m_serverPage; }
    Page *currentPage() const;
    // Shows a page by its object name ("dashboardPage", "ticketQueuePage", …); false if unknown
    // or not available to this user.
    bool showPage(const QString &objectName);
    void openServer(qint64 serverId, int tab = -1);
    void openTicket(qint64 ticketId, qint64 tenantId);
    void openJob(qint64 serverId, qint64 jobId);
    // Live refresh period (ms); CAIRN_CONSOLE_REFRESH_MS overrides the default of 5000.
    void setRefreshInterval(int ms);
    QTreeWidget *navigation() const { return m_nav; }
    QComboBox *tenantSelector() const { return m_tenant; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildMenus();
    void retranslateUi();
    void onLoggedIn();
    void onLoggedOut(const QString &why, bool error);
    void addPage(Page *page, QTreeWidgetItem *parentItem = nullptr);
    void rebuildNavigation();
    void refreshServers();
    void refreshTenants();
    void applyServers(const QJsonArray &servers);
    void onNavigationChanged();
    void tick();
    void updateStatus();

    ApiClient *m_api;
    QStackedWidget *m_central;
    LoginPage *m_login;
    QSplitter *m_workspace;
    QTreeWidget *m_nav;
    QStackedWidget *m_pages;
    QWidget *m_tenantBar;
    QLabel *m_tenantLabel;
    QComboBox *m_tenant;
    ServerPage *m_serverPage;
    QList<Page *> m_allPages;
    QTreeWidgetItem *m_serversItem = nullptr;
    QTreeWidgetItem *m_operatorItem = nullptr;
    QTreeWidgetItem *m_tenantItem = nullptr;
    BusyIndicator *m_busy;
    QLabel *m_statusUser;
    QLabel *m_statusMessage;
    QTimer m_tick;
    QTimer m_clearMessage;
    QJsonArray m_servers;
    bool m_serversLoading = false;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_logoutAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QActionGroup *m_languages = nullptr;
};

} // namespace cairn::console
