// MyTicketsPage: the tenant's restore tickets ("My tickets") — a paged list (state, SLA state in
// colour, due time, server, requested) and the selected ticket's detail: what was asked, the
// contact, the restore job's progress while it runs, the resolution, the message thread
// (TicketThread) and Cancel for a ticket still submitted (its requester or a tenant admin,
// confirmed inline). Live ticks merge the first page and the open ticket in place. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonObject>

class QLabel;
class QPushButton;
class QTableView;
class QWidget;

namespace cairn::console {

class JobProgressBar;
class TicketListModel;
class TicketThread;

class MyTicketsPage : public Page {
    Q_OBJECT
public:
    explicit MyTicketsPage(ApiClient *api, QWidget *parent = nullptr);
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;
    // Shows one ticket (its thread and actions); tenant is needed by operators.
    void showTicket(qint64 ticketId, qint64 tenantId);

    TicketListModel *model() const { return m_model; }
    qint64 currentTicketId() const;

private:
    void loadMore();
    void selectTicket(qint64 id);
    void onCurrentChanged();
    void showDetail(const QJsonObject &ticket);
    void fetchTicket(qint64 id);
    void cancelTicket();
    QString requestText(const QJsonObject &ticket) const;

    TicketListModel *m_model;
    QTableView *m_table;
    QPushButton *m_more;
    QLabel *m_empty;
    QWidget *m_detail;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_request;
    QLabel *m_contact;
    QLabel *m_jobText;
    JobProgressBar *m_jobProgress;
    QLabel *m_resolution;
    QPushButton *m_cancel;
    QWidget *m_confirmRow;
    QLabel *m_confirmText;
    QPushButton *m_confirm;
    QPushButton *m_keep;
    TicketThread *m_thread;
    QJsonObject m_ticket;
    QJsonValue m_next;
    qint64 m_wanted = 0;
    bool m_loadingMore = false;
};

} // namespace cairn::console
