// PricingPage: placeholder. GUI thread.
#include "operator/PricingPage.h"

namespace cairn::console {

PricingPage::PricingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("pricingPage"));
    retranslateUi();
}

void PricingPage::retranslateUi()
{
}

QString PricingPage::title() const
{
    return tr("Pricing");
}

} // namespace cairn::console
