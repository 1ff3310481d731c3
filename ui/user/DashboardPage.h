// DashboardPage: every server of the tenant at a glance — a sortable, filterable table (name, host
// and OS, online state, last result, next run, stored bytes, the running job's progress), totals
// (servers, failed last runs, stored bytes) and two charts over the last 30 days: stored bytes and
// new data per day. One GET /dashboard per refresh (GET /servers while the server has no
// dashboard endpoint); the table updates in place so that selection and scrolling survive the
// live refresh. Double-click or Enter opens the server page. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QDateTime>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace cairn::console {

class BusyIndicator;
class ServerSummaryModel;
class TimeSeriesChart;

class DashboardPage : public Page {
    Q_OBJECT
public:
    explicit DashboardPage(ApiClient *api, QWidget *parent = nullptr);
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

    ServerSummaryModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    TimeSeriesChart *storedChart() const { return m_storedChart; }
    TimeSeriesChart *newDataChart() const { return m_newChart; }

private:
    void applyDashboard(const QJsonObject &answer);
    void applyServers(const QJsonArray &servers, const QDateTime &now);
    void updateTotals();
    void openCurrent(const QModelIndex &proxyIndex);

    ServerSummaryModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QLabel *m_filterLabel;
    QLabel *m_servers;
    QLabel *m_failed;
    QLabel *m_stored;
    QLabel *m_empty;
    BusyIndicator *m_busy;
    TimeSeriesChart *m_storedChart;
    TimeSeriesChart *m_newChart;
    bool m_loaded = false;
};

} // namespace cairn::console
