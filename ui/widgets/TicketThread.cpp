// TicketThread: placeholder until written. GUI thread.
#include "widgets/TicketThread.h"

#include <QEvent>

namespace cairn::console {

TicketThread::TicketThread(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
{
    setObjectName(QStringLiteral("ticketThread"));
}

void TicketThread::setTicket(qint64 ticketId, std::optional<qint64> tenant)
{
    m_ticket = ticketId;
    m_tenant = tenant;
}

void TicketThread::refresh()
{
}

void TicketThread::setComposeEnabled(bool)
{
}

void TicketThread::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TicketThread::retranslateUi()
{
}

} // namespace cairn::console
