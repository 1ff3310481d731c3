// RestoreTab: the Restore tab of a server page — the server's snapshots newest first (time,
// files, size), the chosen snapshot's files as a lazily loaded, checkable tree with a name
// search, the "Request restore" form (RestoreRequestForm) for what is ticked, and below it this
// server's restore tickets (double-click opens one). Live ticks update the lists in place.
// GUI thread.
#pragma once

#include "user/ServerTab.h"

#include <QJsonArray>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QTableView;
class QTreeView;
class QTreeWidget;

namespace cairn::console {

class BusyIndicator;
class RestoreRequestForm;
class SnapshotTreeModel;
class TicketListModel;

class RestoreTab : public ServerTab {
    Q_OBJECT
public:
    explicit RestoreTab(ApiClient *api, QWidget *parent = nullptr);
    void setServer(qint64 id, const QJsonObject &server) override;
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

    SnapshotTreeModel *treeModel() const { return m_treeModel; }
    TicketListModel *ticketModel() const { return m_tickets; }
    RestoreRequestForm *requestForm() const { return m_form; }
    // Selects a snapshot of the list by id (true if it is listed).
    bool selectSnapshot(const QString &snapshotId);

private:
    void applySnapshots(const QJsonArray &items);
    void onSnapshotChosen();
    void search();
    void applySearch(const QJsonObject &answer);
    void onSearchItemChanged(QListWidgetItem *item);
    void syncChecked();
    void openForm();
    void refreshTickets();
    void fetchOnce();

    SnapshotTreeModel *m_treeModel;
    TicketListModel *m_tickets;
    QLabel *m_snapshotsHeading;
    QTreeWidget *m_snapshots;
    QLabel *m_snapshotsEmpty;
    QLineEdit *m_search;
    QPushButton *m_searchButton;
    QLabel *m_searchNote;
    QListWidget *m_searchResults;
    QTreeView *m_tree;
    BusyIndicator *m_busy;
    QLabel *m_chosen;
    QPushButton *m_request;
    RestoreRequestForm *m_form;
    QLabel *m_ticketsHeading;
    QTableView *m_ticketTable;
    QString m_snapshot;
    bool m_fetchedOnce = false;
    bool m_syncing = false;
    int m_ticketsLoading = 0;
};

} // namespace cairn::console
