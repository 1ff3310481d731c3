// TicketQueuePage: the operators' work queue — every tenant's open restore tickets, soonest due
// first, with SLA state in colour and the business time left ticking each second; a filter for
// mine / unassigned / all; the selected ticket opens in the handling view beside the table
// (TicketHandlingView). Refreshed every live tick (in place: selection and scroll stay).
// GUI thread.
#pragma once

#include "shell/Page.h"

class QComboBox;
class QLabel;
class QSplitter;
class QTableView;

namespace cairn::console {

class BusyIndicator;
class TenantDirectory;
class TicketHandlingView;
class TicketQueueFilter;
class TicketQueueModel;

class TicketQueuePage : public Page {
    Q_OBJECT
public:
    explicit TicketQueuePage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;
    // Shows one ticket (its thread and actions); tenant is needed by operators.
    void showTicket(qint64 ticketId, qint64 tenantId);

    TicketQueueModel *model() const { return m_model; }
    TicketHandlingView *handlingView() const { return m_view; }

private:
    void onCurrentChanged();
    void applyFilter();
    void updateCount();
    void keepSelectionOnView();

    TenantDirectory *m_directory;
    TicketQueueModel *m_model;
    TicketQueueFilter *m_filter;
    QLabel *m_filterLabel;
    QComboBox *m_show;
    QLabel *m_count;
    BusyIndicator *m_busy;
    QTableView *m_table;
    TicketHandlingView *m_view;
    QSplitter *m_splitter;
    bool m_updating = false; // the model is being updated from a fetch
};

} // namespace cairn::console
