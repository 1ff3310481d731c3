// HistoryTab: the History tab of a server page — the server's runs in a lazily paged, server-side
// sorted and filtered table (HistoryModel), the selected run's detail beside it (JobDetailView,
// with live progress and Cancel for a running job), and "Back up now". Live ticks merge the first
// page in place (selection and scroll survive); the followed running job is polled every 2 s while
// the tab is visible. GUI thread.
#pragma once

#include "user/ServerTab.h"

#include <QTimer>

class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace cairn::console {

class BusyIndicator;
class HistoryModel;
class JobDetailView;

class HistoryTab : public ServerTab {
    Q_OBJECT
public:
    explicit HistoryTab(ApiClient *api, QWidget *parent = nullptr);
    void setServer(qint64 id, const QJsonObject &server) override;
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;
    // Opens the detail of one run of this server (selects it in the table when loaded; a run that
    // is not loaded is shown in the detail only).
    void showJob(qint64 jobId);

    HistoryModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    JobDetailView *detail() const { return m_detail; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void applyFilter();
    void onHeaderClicked(int column);
    void onCurrentChanged();
    void selectJob(qint64 jobId);
    // Puts the table's selection on the detail's run after the rows changed under it, or clears
    // it when that run is not loaded.
    void keepDetailSelected();
    void backUpNow();
    void followTick();
    void updateCount();
    void fillCombos();

    HistoryModel *m_model;
    QComboBox *m_state;
    QComboBox *m_kind;
    QLabel *m_stateLabel;
    QLabel *m_kindLabel;
    QLabel *m_fromLabel;
    QLabel *m_toLabel;
    QDateEdit *m_from;
    QDateEdit *m_to;
    QPushButton *m_backupNow;
    QLabel *m_count;
    BusyIndicator *m_busy;
    QSplitter *m_split;
    QTableView *m_table;
    JobDetailView *m_detail;
    QTimer m_follow;
    qint64 m_wanted = 0; // the job to select once it is loaded
    bool m_following = false;
};

} // namespace cairn::console
