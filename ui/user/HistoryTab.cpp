// HistoryTab: placeholder. GUI thread.
#include "user/HistoryTab.h"

namespace cairn::console {

HistoryTab::HistoryTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent)
{
    setObjectName(QStringLiteral("historyTab"));
    retranslateUi();
}

void HistoryTab::retranslateUi()
{
}

QString HistoryTab::title() const
{
    return tr("History");
}

void HistoryTab::showJob(qint64)
{
}

} // namespace cairn::console
