// AllBillingPage: placeholder until the view is written. GUI thread.
#pragma once

#include "shell/Page.h"

namespace cairn::console {

class AllBillingPage : public Page {
    Q_OBJECT
public:
    explicit AllBillingPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
};

} // namespace cairn::console
