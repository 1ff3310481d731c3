// HealthPage: placeholder. GUI thread.
#include "operator/HealthPage.h"

namespace cairn::console {

HealthPage::HealthPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("healthPage"));
    retranslateUi();
}

void HealthPage::retranslateUi()
{
}

QString HealthPage::title() const
{
    return tr("Service health");
}

} // namespace cairn::console
