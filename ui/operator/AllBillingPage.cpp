// AllBillingPage: placeholder. GUI thread.
#include "operator/AllBillingPage.h"

namespace cairn::console {

AllBillingPage::AllBillingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("allBillingPage"));
    retranslateUi();
}

void AllBillingPage::retranslateUi()
{
}

QString AllBillingPage::title() const
{
    return tr("Billing (all tenants)");
}

} // namespace cairn::console
