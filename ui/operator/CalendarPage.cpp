// CalendarPage: placeholder. GUI thread.
#include "operator/CalendarPage.h"

namespace cairn::console {

CalendarPage::CalendarPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("calendarPage"));
    retranslateUi();
}

void CalendarPage::retranslateUi()
{
}

QString CalendarPage::title() const
{
    return tr("Holiday calendar");
}

} // namespace cairn::console
