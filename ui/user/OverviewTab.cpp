// OverviewTab: placeholder. GUI thread.
#include "user/OverviewTab.h"

namespace cairn::console {

OverviewTab::OverviewTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent)
{
    setObjectName(QStringLiteral("overviewTab"));
    retranslateUi();
}

void OverviewTab::retranslateUi()
{
}

QString OverviewTab::title() const
{
    return tr("Overview");
}

} // namespace cairn::console
