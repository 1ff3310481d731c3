// OverviewTab: placeholder until the view is written. GUI thread.
#pragma once

#include "user/ServerTab.h"

namespace cairn::console {

class OverviewTab : public ServerTab {
    Q_OBJECT
public:
    explicit OverviewTab(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
};

} // namespace cairn::console
