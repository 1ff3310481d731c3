// MyTicketsPage: placeholder until the view is written. GUI thread.
#pragma once

#include "shell/Page.h"

namespace cairn::console {

class MyTicketsPage : public Page {
    Q_OBJECT
public:
    explicit MyTicketsPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    // Shows one ticket (its thread and actions); tenant is needed by operators.
    void showTicket(qint64 ticketId, qint64 tenantId);
};

} // namespace cairn::console
