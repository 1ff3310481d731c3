// PolicyTab: placeholder. GUI thread.
#include "user/PolicyTab.h"

namespace cairn::console {

PolicyTab::PolicyTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent)
{
    setObjectName(QStringLiteral("policyTab"));
    retranslateUi();
}

void PolicyTab::retranslateUi()
{
}

QString PolicyTab::title() const
{
    return tr("Policy");
}

} // namespace cairn::console
