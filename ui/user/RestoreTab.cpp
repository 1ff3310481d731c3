// RestoreTab: placeholder. GUI thread.
#include "user/RestoreTab.h"

namespace cairn::console {

RestoreTab::RestoreTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent)
{
    setObjectName(QStringLiteral("restoreTab"));
    retranslateUi();
}

void RestoreTab::retranslateUi()
{
}

QString RestoreTab::title() const
{
    return tr("Restore");
}

} // namespace cairn::console
