// PricingPage: placeholder until the view is written. GUI thread.
#pragma once

#include "shell/Page.h"

namespace cairn::console {

class PricingPage : public Page {
    Q_OBJECT
public:
    explicit PricingPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
};

} // namespace cairn::console
