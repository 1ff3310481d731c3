// PolicyTab: placeholder until the view is written. GUI thread.
#pragma once

#include "user/ServerTab.h"

namespace cairn::console {

class PolicyTab : public ServerTab {
    Q_OBJECT
public:
    explicit PolicyTab(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
};

} // namespace cairn::console
