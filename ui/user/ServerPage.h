// ServerPage: one protected server in tabs — Overview, Policy, History, Restore. The main window
// opens it for a server (from the navigation or the dashboard) and it passes the server to its
// tabs; refresh() refreshes the server's summary and the visible tab. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonObject>

class QLabel;
class QTabWidget;

namespace cairn::console {

class ServerTab;
class HistoryTab;

class ServerPage : public Page {
    Q_OBJECT
public:
    explicit ServerPage(ApiClient *api, QWidget *parent = nullptr);

    void showServer(qint64 id, int tab = -1); // tab: a Page::ServerTabIndex, -1 keeps the current
    qint64 serverId() const { return m_id; }
    ServerTab *tab(int index) const;
    HistoryTab *historyTab() const;
    QTabWidget *tabs() const { return m_tabs; }

    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

private:
    void applyServer(const QJsonObject &server);

    QLabel *m_heading;
    QTabWidget *m_tabs;
    QList<ServerTab *> m_tabPages;
    qint64 m_id = 0;
    QJsonObject m_server;
};

} // namespace cairn::console
