// AuditPage: placeholder. GUI thread.
#include "operator/AuditPage.h"

namespace cairn::console {

AuditPage::AuditPage(ApiClient *api, QWidget *parent)
    : Page(api, parent)
{
    setObjectName(QStringLiteral("auditPage"));
    retranslateUi();
}

void AuditPage::retranslateUi()
{
}

QString AuditPage::title() const
{
    return tr("Audit log");
}

} // namespace cairn::console
