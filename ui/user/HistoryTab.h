// HistoryTab: placeholder until the view is written. GUI thread.
#pragma once

#include "user/ServerTab.h"

namespace cairn::console {

class HistoryTab : public ServerTab {
    Q_OBJECT
public:
    explicit HistoryTab(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    // Opens the detail of one run of this server (selects it in the table when loaded).
    void showJob(qint64 jobId);
};

} // namespace cairn::console
