// RecipientsPage: placeholder. GUI thread.
#include "user/RecipientsPage.h"

namespace cairn::console {

RecipientsPage::RecipientsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("recipientsPage"));
    retranslateUi();
}

void RecipientsPage::retranslateUi()
{
}

QString RecipientsPage::title() const
{
    return tr("Report recipients");
}

} // namespace cairn::console
