// MyTicketsPage: placeholder. GUI thread.
#include "user/MyTicketsPage.h"

namespace cairn::console {

MyTicketsPage::MyTicketsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("myTicketsPage"));
    retranslateUi();
}

void MyTicketsPage::retranslateUi()
{
}

QString MyTicketsPage::title() const
{
    return tr("My restore tickets");
}

void MyTicketsPage::showTicket(qint64, qint64)
{
}

} // namespace cairn::console
