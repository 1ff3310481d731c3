// TicketQueuePage: placeholder. GUI thread.
#include "operator/TicketQueuePage.h"

namespace cairn::console {

TicketQueuePage::TicketQueuePage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("ticketQueuePage"));
    retranslateUi();
}

void TicketQueuePage::retranslateUi()
{
}

QString TicketQueuePage::title() const
{
    return tr("Ticket queue");
}

void TicketQueuePage::showTicket(qint64, qint64)
{
}

} // namespace cairn::console
