// TenantsPage: placeholder. GUI thread.
#include "operator/TenantsPage.h"

namespace cairn::console {

TenantsPage::TenantsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("tenantsPage"));
    retranslateUi();
}

void TenantsPage::retranslateUi()
{
}

QString TenantsPage::title() const
{
    return tr("Tenants and users");
}

} // namespace cairn::console
