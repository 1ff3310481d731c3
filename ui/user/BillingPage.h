// BillingPage ("Usage and billing"): the current month's estimate (its lines and total, or a
// sentence saying why there is none: service not activated, no prices set), the tenant's usage
// (servers, stored bytes, snapshots) and, for administrators, the past statements: a month list
// and the chosen month's lines (item, quantity, unit price, amount) in the locale's money format.
// GET /billing/estimate, /usage and /billing/statements. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonArray>
#include <QJsonObject>

class QGroupBox;
class QLabel;
class QListWidget;
class QTableWidget;

namespace cairn::console {

class BillingPage : public Page {
    Q_OBJECT
public:
    explicit BillingPage(ApiClient *api, QWidget *parent = nullptr);
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

private:
    void showEstimate();
    void showUsage();
    void showStatements();
    void showSelectedStatement();
    void fillLines(QTableWidget *table, QLabel *total, const QJsonObject &statement);
    QString monthName(const QString &yyyyMm) const;

    QGroupBox *m_estimateBox;
    QLabel *m_estimateStatus;
    QTableWidget *m_estimateLines;
    QLabel *m_estimateTotal;
    QGroupBox *m_usageBox;
    QLabel *m_usageServers;
    QLabel *m_usageStored;
    QLabel *m_usageSnapshots;
    QLabel *m_usageCaptions[3];
    QGroupBox *m_statementsBox;
    QLabel *m_membersNote;
    QListWidget *m_months;
    QTableWidget *m_statementLines;
    QLabel *m_statementTotal;
    QLabel *m_statementsEmpty;

    QJsonObject m_estimate;
    QJsonObject m_usage;
    QJsonArray m_statements;
    bool m_estimateLoaded = false;
    bool m_statementsLoaded = false;
    int m_pending = 0;
};

} // namespace cairn::console
