// Page: the base of every console view (dashboard, server tabs, operator views). The main window
// shows one page at a time and calls refresh() when it is shown and on every live tick while it
// stays visible (default every 5 s), so what changes on the server appears without a manual
// refresh. A page fetches asynchronously through the ApiClient, shows failures in its own
// MessageBanner (never a modal box) and retranslates itself on LanguageChange. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QWidget>

namespace cairn::console {

class MessageBanner;

class Page : public QWidget {
    Q_OBJECT
public:
    explicit Page(ApiClient *api, QWidget *parent = nullptr);

    // Fetch what the page shows. Called when shown, on live ticks and by View > Refresh (F5).
    // Implementations skip a tick while their previous fetch is still running (see loading()).
    virtual void refresh() {}
    // Set every visible text again in the current language (also the first time).
    virtual void retranslateUi() = 0;
    // The page's name in the navigation and the window title.
    virtual QString title() const = 0;

    ApiClient *api() const { return m_api; }

    // Tabs of the server page, for openServerRequested.
    enum ServerTabIndex { OverviewTabIndex = 0, PolicyTabIndex, HistoryTabIndex, RestoreTabIndex };

signals:
    // Ask the main window to show another place (the pages do not know each other).
    void openServerRequested(qint64 serverId, int tab);
    void openTicketRequested(qint64 ticketId, qint64 tenantId);
    void openJobRequested(qint64 serverId, qint64 jobId); // the server's History tab, that run's detail

protected:
    void changeEvent(QEvent *event) override;
    // A banner to put at the top of the page's layout; showError() fills it.
    MessageBanner *banner();
    void showError(const ApiError &error);
    void showInfo(const QString &text);
    // A simple guard for overlapping fetches: beginLoad() returns false while one is running.
    // An error shown by a fetch's handler (after endLoad()) is cleared by the next endLoad()
    // of a fetch that succeeds; errors of user actions stay until closed or replaced.
    bool beginLoad();
    void endLoad();
    bool loading() const { return m_loading > 0; }

private:
    ApiClient *m_api;
    MessageBanner *m_banner = nullptr;
    int m_loading = 0;
    bool m_loadEnding = false;   // inside the handler that called endLoad()
    bool m_loadErrorShown = false; // the banner shows a fetch's error: the next good fetch clears it
    quint64 m_loadNumber = 0;      // counts beginLoad()s
    quint64 m_errorLoad = 0;       // the fetch whose error the banner shows
};

} // namespace cairn::console
