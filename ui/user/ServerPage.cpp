// ServerPage implementation. GUI thread.
#include "user/ServerPage.h"

#include "user/HistoryTab.h"
#include "user/OverviewTab.h"
#include "user/PolicyTab.h"
#include "user/RestoreTab.h"
#include "widgets/MessageBanner.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace cairn::console {

ServerPage::ServerPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
    , m_heading(new QLabel(this))
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("serverPage"));
    m_tabs->setObjectName(QStringLiteral("serverTabs"));
    QFont f = m_heading->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    m_heading->setFont(f);
    m_tabPages = {new OverviewTab(api, this), new PolicyTab(api, this), new HistoryTab(api, this), new RestoreTab(api, this)};
    for (ServerTab *t : std::as_const(m_tabPages)) {
        m_tabs->addTab(t, t->title());
        connect(t, &Page::openServerRequested, this, &Page::openServerRequested);
        connect(t, &Page::openTicketRequested, this, &Page::openTicketRequested);
        connect(t, &Page::openJobRequested, this, &Page::openJobRequested);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(m_heading);
    layout->addWidget(m_tabs, 1);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (ServerTab *t = tab(index))
            t->refresh();
    });
    retranslateUi();
}

ServerTab *ServerPage::tab(int index) const
{
    return index >= 0 && index < m_tabPages.size() ? m_tabPages[index] : nullptr;
}

HistoryTab *ServerPage::historyTab() const
{
    return static_cast<HistoryTab *>(m_tabPages[HistoryTabIndex]);
}

void ServerPage::showServer(qint64 id, int tabIndex)
{
    if (id != m_id) {
        m_id = id;
        m_server = QJsonObject {{QStringLiteral("id"), id}};
        banner()->clear();
        for (ServerTab *t : std::as_const(m_tabPages))
            t->setServer(id, m_server);
        m_heading->setText(tr("Server %1").arg(id));
    }
    if (tabIndex >= 0 && tabIndex < m_tabs->count())
        m_tabs->setCurrentIndex(tabIndex);
    refresh();
}

void ServerPage::applyServer(const QJsonObject &server)
{
    m_server = server;
    const QString name = server[QLatin1String("name")].toString();
    const QString host = server[QLatin1String("hostname")].toString();
    m_heading->setText(host.isEmpty() || host == name ? name : QStringLiteral("%1 (%2)").arg(name, host));
    for (ServerTab *t : std::as_const(m_tabPages))
        t->setServer(m_id, server);
}

void ServerPage::refresh()
{
    if (m_id <= 0)
        return;
    if (ServerTab *t = tab(m_tabs->currentIndex()))
        t->refresh();
    if (!beginLoad())
        return;
    const qint64 id = m_id;
    api()->get(QStringLiteral("/servers/%1").arg(id))
        ->then(
            this,
            [this, id](const QJsonValue &answer) {
                endLoad();
                if (id == m_id)
                    applyServer(answer.toObject());
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
}

void ServerPage::retranslateUi()
{
    for (int i = 0; i < m_tabPages.size(); ++i)
        m_tabs->setTabText(i, m_tabPages[i]->title());
}

QString ServerPage::title() const
{
    const QString name = m_server[QLatin1String("name")].toString();
    return name.isEmpty() ? tr("Server") : name;
}

} // namespace cairn::console
