// HealthPage: the service at a glance for operators (GET /operator/health): the pack store's fill
// level (bar with used/total, the warning and refusal thresholds, the level in colour), agents
// that are offline, the failed backup runs of the last 24 hours (tenant, server, error), and the
// counts of running jobs, open tickets and failed mails. While the server does not offer
// /operator/health (404) it shows the store capacity from GET /operator/capacity. GUI thread.
#pragma once

#include "shell/Page.h"

class QLabel;
class QProgressBar;
class QTableWidget;
class QGroupBox;

namespace cairn::console {

class HealthPage : public Page {
    Q_OBJECT
public:
    explicit HealthPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;

private:
    void applyStore(const QJsonObject &store);
    void applyHealth(const QJsonObject &health);
    void fetchCapacity();
    static void setRows(QTableWidget *table, const QList<QStringList> &rows);

    bool m_healthMissing = false; // the server answered 404 for /operator/health
    QJsonObject m_store;
    QJsonObject m_health;
    QGroupBox *m_storeBox;
    QProgressBar *m_capacity;
    QLabel *m_capacityText;
    QLabel *m_counts;
    QGroupBox *m_offlineBox;
    QTableWidget *m_offline;
    QGroupBox *m_failedBox;
    QTableWidget *m_failed;
};

} // namespace cairn::console
