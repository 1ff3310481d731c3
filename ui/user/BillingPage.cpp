// BillingPage: placeholder. GUI thread.
#include "user/BillingPage.h"

namespace cairn::console {

BillingPage::BillingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("billingPage"));
    retranslateUi();
}

void BillingPage::retranslateUi()
{
}

QString BillingPage::title() const
{
    return tr("Usage and billing");
}

} // namespace cairn::console
