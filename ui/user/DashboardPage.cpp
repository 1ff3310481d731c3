// DashboardPage: placeholder. GUI thread.
#include "user/DashboardPage.h"

namespace cairn::console {

DashboardPage::DashboardPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("dashboardPage"));
    retranslateUi();
}

void DashboardPage::retranslateUi()
{
}

QString DashboardPage::title() const
{
    return tr("Dashboard");
}

} // namespace cairn::console
