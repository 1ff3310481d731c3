// MainWindow implementation. GUI thread.
#include "shell/MainWindow.h"

#include "core/Format.h"
#include "core/Language.h"
#include "operator/AllBillingPage.h"
#include "operator/AuditPage.h"
#include "operator/CalendarPage.h"
#include "operator/HealthPage.h"
#include "operator/PricingPage.h"
#include "operator/TenantsPage.h"
#include "operator/TicketQueuePage.h"
#include "shell/LoginPage.h"
#include "user/BillingPage.h"
#include "user/DashboardPage.h"
#include "user/HistoryTab.h"
#include "user/MyTicketsPage.h"
#include "user/RecipientsPage.h"
#include "user/ServerPage.h"
#include "widgets/BusyIndicator.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kPageRole = Qt::UserRole;       // Page* as quintptr
constexpr int kServerRole = Qt::UserRole + 1; // agent id
} // namespace

MainWindow::MainWindow(ApiClient *api, QWidget *parent)
    : QMainWindow(parent)
    , m_api(api)
    , m_central(new QStackedWidget(this))
    , m_login(new LoginPage(api, this))
    , m_workspace(new QSplitter(Qt::Horizontal, this))
    , m_nav(new QTreeWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_tenantBar(new QWidget(this))
    , m_tenantLabel(new QLabel(this))
    , m_tenant(new QComboBox(this))
    , m_serverPage(new ServerPage(api, this))
    , m_busy(new BusyIndicator(this))
    , m_statusUser(new QLabel(this))
    , m_statusMessage(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_tenant->setObjectName(QStringLiteral("tenantSelector"));
    m_pages->setObjectName(QStringLiteral("pages"));
    m_statusMessage->setObjectName(QStringLiteral("statusMessage"));
    m_statusUser->setObjectName(QStringLiteral("statusUser"));

    m_nav->setHeaderHidden(true);
    m_nav->setRootIsDecorated(true);
    m_nav->setUniformRowHeights(true);
    m_nav->setMinimumWidth(200);

    auto *tenantLayout = new QHBoxLayout(m_tenantBar);
    tenantLayout->setContentsMargins(0, 0, 0, 0);
    tenantLayout->addWidget(m_tenantLabel);
    tenantLayout->addWidget(m_tenant, 1);
    m_tenantLabel->setBuddy(m_tenant);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(4, 4, 0, 4);
    leftLayout->addWidget(m_tenantBar);
    leftLayout->addWidget(m_nav, 1);
    m_workspace->addWidget(left);
    m_workspace->addWidget(m_pages);
    m_workspace->setStretchFactor(1, 1);
    m_workspace->setChildrenCollapsible(false);

    m_central->addWidget(m_login);
    m_central->addWidget(m_workspace);
    setCentralWidget(m_central);

    statusBar()->addWidget(m_busy);
    statusBar()->addWidget(m_statusMessage, 1);
    statusBar()->addPermanentWidget(m_statusUser);

    // Every page exists once; the navigation shows those the user may use.
    addPage(new DashboardPage(api, this));
    addPage(m_serverPage);
    addPage(new MyTicketsPage(api, this));
    addPage(new BillingPage(api, this));
    addPage(new RecipientsPage(api, this));
    addPage(new TicketQueuePage(api, this));
    addPage(new TenantsPage(api, this));
    addPage(new CalendarPage(api, this));
    addPage(new PricingPage(api, this));
    addPage(new AllBillingPage(api, this));
    addPage(new AuditPage(api, this));
    addPage(new HealthPage(api, this));

    buildMenus();

    connect(m_nav, &QTreeWidget::currentItemChanged, this, &MainWindow::onNavigationChanged);
    connect(m_login, &LoginPage::loginSucceeded, this, &MainWindow::onLoggedIn);
    connect(m_api, &ApiClient::sessionExpired, this, [this] {
        ApiError expired;
        expired.kind = ApiError::Kind::Http;
        expired.status = 401;
        expired.code = QStringLiteral("unauthorized");
        onLoggedOut(errorSentence(expired), true);
    });
    connect(m_api, &ApiClient::busyChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_api, &ApiClient::errorOccurred, this, [this](const ApiError &e) {
        m_statusMessage->setText(errorSentence(e));
        m_clearMessage.start(15000);
    });
    connect(m_tenant, &QComboBox::activated, this, [this](int index) {
        const QVariant id = m_tenant->itemData(index);
        m_api->setTenantScope(id.isValid() ? std::optional<qint64>(id.toLongLong()) : std::nullopt);
        QSettings().setValue(QStringLiteral("ui/operatorTenant"), id);
        // Operators see every time in their own zone, in the tenant views too, so that the
        // all-tenant views (queue, health, audit) and the tenant views agree.
        refreshServers();
        if (Page *p = currentPage())
            p->refresh();
    });
    m_clearMessage.setSingleShot(true);
    connect(&m_clearMessage, &QTimer::timeout, m_statusMessage, &QLabel::clear);
    connect(&m_tick, &QTimer::timeout, this, &MainWindow::tick);
    bool ok = false;
    const int envMs = qEnvironmentVariableIntValue("CAIRN_CONSOLE_REFRESH_MS", &ok);
    setRefreshInterval(ok && envMs > 0 ? envMs : 5000);

    const QSettings settings;
    resize(1200, 780);
    restoreGeometry(settings.value(QStringLiteral("ui/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("ui/state")).toByteArray());
    if (!m_workspace->restoreState(settings.value(QStringLiteral("ui/splitter")).toByteArray()))
        m_workspace->setSizes({240, 960});
    retranslateUi();
    m_central->setCurrentWidget(m_login);
    m_tenantBar->hide();
}

void MainWindow::addPage(Page *page, QTreeWidgetItem *)
{
    m_allPages.append(page);
    m_pages->addWidget(page);
    connect(page, &Page::openServerRequested, this, &MainWindow::openServer);
    connect(page, &Page::openTicketRequested, this, &MainWindow::openTicket);
    connect(page, &Page::openJobRequested, this, &MainWindow::openJob);
}

Page *MainWindow::currentPage() const
{
    return m_central->currentWidget() == m_workspace ? qobject_cast<Page *>(m_pages->currentWidget()) : nullptr;
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_logoutAction = m_fileMenu->addAction(QString(), this, [this] { m_api->logout(); onLoggedOut(QString(), false); });
    m_logoutAction->setObjectName(QStringLiteral("actionLogout"));
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(QString());
    m_refreshAction = m_viewMenu->addAction(QString(), this, [this] {
        refreshServers();
        if (Page *p = currentPage())
            p->refresh();
    });
    m_refreshAction->setObjectName(QStringLiteral("actionRefresh"));
    m_refreshAction->setShortcut(QKeySequence::Refresh);

    m_languageMenu = menuBar()->addMenu(QString());
    m_languages = new QActionGroup(this);
    m_languages->setExclusive(true);
    for (const QString &code : Language::available()) {
        QAction *a = m_languageMenu->addAction(Language::nativeName(code));
        a->setObjectName(QStringLiteral("actionLanguage_") + code);
        a->setCheckable(true);
        a->setData(code);
        a->setChecked(code == Language::current());
        m_languages->addAction(a);
    }
    connect(m_languages, &QActionGroup::triggered, this, [](QAction *a) { Language::apply(a->data().toString()); });

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(QString(), this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("About Cairn"),
            tr("Cairn console %1\nDeduplicating, encrypted backup for your servers.").arg(QStringLiteral(CAIRN_VERSION)),
            QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_logoutAction->setText(tr("Log &out"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_refreshAction->setText(tr("&Refresh"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Cairn"));
    m_tenantLabel->setText(tr("&Tenant:"));
    for (QAction *a : m_languages->actions())
        a->setChecked(a->data().toString() == Language::current());
    // Navigation texts follow the pages' titles.
    for (QTreeWidgetItemIterator it(m_nav); *it; ++it) {
        if (auto *page = reinterpret_cast<Page *>((*it)->data(0, kPageRole).value<quintptr>()); page && page != m_serverPage)
            (*it)->setText(0, page->title());
    }
    if (m_serversItem)
        m_serversItem->setText(0, tr("Servers"));
    if (m_operatorItem)
        m_operatorItem->setText(0, tr("Operations"));
    if (m_tenantItem)
        m_tenantItem->setText(0, tr("Tenant"));
    updateStatus();
    if (Page *p = currentPage())
        setWindowTitle(tr("Cairn — %1").arg(p->title()));
    else
        setWindowTitle(tr("Cairn"));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::rebuildNavigation()
{
    const QSignalBlocker block(m_nav);
    m_nav->clear();
    m_serversItem = m_operatorItem = m_tenantItem = nullptr;
    auto item = [this](QTreeWidgetItem *parent, const QString &name) {
        Page *page = m_pages->findChild<Page *>(name, Qt::FindDirectChildrenOnly);
        auto *it = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_nav);
        it->setData(0, kPageRole, QVariant::fromValue(quintptr(page)));
        it->setText(0, page->title());
        return it;
    };
    QTreeWidgetItem *tenantRoot = nullptr;
    if (m_api->user().isOperator()) {
        m_operatorItem = new QTreeWidgetItem(m_nav);
        m_operatorItem->setFlags(Qt::ItemIsEnabled);
        for (const char *name : {"ticketQueuePage", "healthPage", "tenantsPage", "calendarPage", "pricingPage", "allBillingPage",
                 "auditPage"})
            item(m_operatorItem, QLatin1String(name));
        m_tenantItem = new QTreeWidgetItem(m_nav);
        m_tenantItem->setFlags(Qt::ItemIsEnabled);
        tenantRoot = m_tenantItem;
    }
    item(tenantRoot, QStringLiteral("dashboardPage"));
    m_serversItem = tenantRoot ? new QTreeWidgetItem(tenantRoot) : new QTreeWidgetItem(m_nav);
    m_serversItem->setFlags(Qt::ItemIsEnabled);
    item(tenantRoot, QStringLiteral("myTicketsPage"));
    item(tenantRoot, QStringLiteral("billingPage"));
    if (m_api->user().isAdmin())
        item(tenantRoot, QStringLiteral("recipientsPage"));
    m_nav->expandAll();
    m_servers = QJsonArray();
    retranslateUi();
}

void MainWindow::onLoggedIn()
{
    const SessionUser &u = m_api->user();
    // Customers see their tenant's time (policies and reports speak of it); operators their own.
    format::setDisplayTimeZone(u.isOperator() || u.tenantTimeZone.isEmpty() ? QTimeZone() : QTimeZone(u.tenantTimeZone.toUtf8()));
    m_tenantBar->setVisible(u.isOperator());
    rebuildNavigation();
    m_central->setCurrentWidget(m_workspace);
    if (u.isOperator())
        refreshTenants();
    refreshServers();
    const QString last = QSettings().value(QStringLiteral("ui/page")).toString();
    if (last.isEmpty() || last == QLatin1String("serverPage") || !showPage(last))
        showPage(u.isOperator() ? QStringLiteral("ticketQueuePage") : QStringLiteral("dashboardPage"));
    m_tick.start();
    updateStatus();
}

void MainWindow::onLoggedOut(const QString &why, bool error)
{
    m_tick.stop();
    m_central->setCurrentWidget(m_login);
    if (!why.isEmpty())
        m_login->showMessage(why, error);
    updateStatus();
    setWindowTitle(tr("Cairn"));
}

bool MainWindow::showPage(const QString &objectName)
{
    for (QTreeWidgetItemIterator it(m_nav); *it; ++it) {
        auto *page = reinterpret_cast<Page *>((*it)->data(0, kPageRole).value<quintptr>());
        if (page && page->objectName() == objectName) {
            m_nav->setCurrentItem(*it);
            return true;
        }
    }
    return false;
}

void MainWindow::openServer(qint64 serverId, int tab)
{
    if (!m_serversItem)
        return;
    for (int i = 0; i < m_serversItem->childCount(); ++i) {
        if (m_serversItem->child(i)->data(0, kServerRole).toLongLong() == serverId) {
            const QSignalBlocker block(m_nav);
            m_nav->setCurrentItem(m_serversItem->child(i));
            break;
        }
    }
    m_pages->setCurrentWidget(m_serverPage);
    m_serverPage->showServer(serverId, tab);
    setWindowTitle(tr("Cairn — %1").arg(m_serverPage->title()));
}

void MainWindow::openTicket(qint64 ticketId, qint64 tenantId)
{
    if (m_api->user().isOperator()) {
        showPage(QStringLiteral("ticketQueuePage"));
        m_pages->findChild<TicketQueuePage *>()->showTicket(ticketId, tenantId);
    } else {
        showPage(QStringLiteral("myTicketsPage"));
        m_pages->findChild<MyTicketsPage *>()->showTicket(ticketId, tenantId);
    }
}

void MainWindow::openJob(qint64 serverId, qint64 jobId)
{
    openServer(serverId, Page::HistoryTabIndex);
    m_serverPage->historyTab()->showJob(jobId);
}

void MainWindow::onNavigationChanged()
{
    QTreeWidgetItem *it = m_nav->currentItem();
    if (!it)
        return;
    if (const qint64 server = it->data(0, kServerRole).toLongLong(); server > 0) {
        openServer(server, -1);
        return;
    }
    auto *page = reinterpret_cast<Page *>(it->data(0, kPageRole).value<quintptr>());
    if (!page)
        return;
    m_pages->setCurrentWidget(page);
    QSettings().setValue(QStringLiteral("ui/page"), page->objectName());
    setWindowTitle(tr("Cairn — %1").arg(page->title()));
    page->refresh();
}

void MainWindow::refreshServers()
{
    if (!m_api->isLoggedIn() || m_serversLoading)
        return;
    if (m_api->user().isOperator() && !m_api->tenantScope()) {
        applyServers(QJsonArray());
        return;
    }
    m_serversLoading = true;
    m_api->get(QStringLiteral("/servers"))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_serversLoading = false;
                applyServers(answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray());
            },
            [this](const ApiError &e) {
                m_serversLoading = false;
                m_statusMessage->setText(errorSentence(e));
                m_clearMessage.start(15000);
            });
}

void MainWindow::applyServers(const QJsonArray &servers)
{
    if (!m_serversItem || servers == m_servers)
        return;
    m_servers = servers;
    const qint64 current = m_nav->currentItem() ? m_nav->currentItem()->data(0, kServerRole).toLongLong() : 0;
    const QSignalBlocker block(m_nav);
    qDeleteAll(m_serversItem->takeChildren());
    for (const QJsonValue &v : servers) {
        const QJsonObject s = v.toObject();
        auto *it = new QTreeWidgetItem(m_serversItem);
        it->setText(0, s[QLatin1String("name")].toString());
        it->setToolTip(0, s[QLatin1String("hostname")].toString());
        it->setData(0, kServerRole, s[QLatin1String("id")].toInteger());
        if (s[QLatin1String("id")].toInteger() == current)
            m_nav->setCurrentItem(it);
    }
}

void MainWindow::refreshTenants()
{
    m_api->get(QStringLiteral("/tenants"), {}, ApiClient::Scope::Global)->then(this, [this](const QJsonValue &answer) {
        const QJsonArray tenants = answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray();
        const QVariant saved = QSettings().value(QStringLiteral("ui/operatorTenant"));
        const QVariant current = m_api->tenantScope() ? QVariant(*m_api->tenantScope()) : saved;
        m_tenant->clear();
        int select = tenants.isEmpty() ? -1 : 0;
        for (const QJsonValue &v : tenants) {
            const QJsonObject t = v.toObject();
            m_tenant->addItem(t[QLatin1String("name")].toString(), t[QLatin1String("id")].toInteger());
            m_tenant->setItemData(m_tenant->count() - 1, t[QLatin1String("time_zone")].toString(), Qt::UserRole + 1);
            if (current.isValid() && t[QLatin1String("id")].toInteger() == current.toLongLong())
                select = m_tenant->count() - 1;
        }
        if (select >= 0) {
            m_tenant->setCurrentIndex(select);
            emit m_tenant->activated(select);
        }
    });
}

void MainWindow::tick()
{
    if (!m_api->isLoggedIn())
        return;
    refreshServers();
    if (Page *p = currentPage(); p && p->isVisible())
        p->refresh();
}

void MainWindow::setRefreshInterval(int ms)
{
    m_tick.setInterval(ms);
}

void MainWindow::updateStatus()
{
    if (!m_api->isLoggedIn()) {
        m_statusUser->setText(tr("Not logged in"));
        return;
    }
    const SessionUser &u = m_api->user();
    const QString role = u.isOperator() ? tr("operator") : u.isAdmin() ? tr("administrator") : tr("member");
    const QString who = u.displayName.isEmpty() ? u.login : u.displayName;
    m_statusUser->setText(u.tenantName.isEmpty() ? tr("%1 (%2) on %3").arg(who, role, m_api->server().host())
                                                 : tr("%1 (%2, %3) on %4").arg(who, role, u.tenantName, m_api->server().host()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("ui/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("ui/state"), saveState());
    settings.setValue(QStringLiteral("ui/splitter"), m_workspace->saveState());
    event->accept();
}

} // namespace cairn::console
