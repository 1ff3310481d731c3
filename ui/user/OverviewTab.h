// OverviewTab: one server at a glance — its identity (name, hostname, OS, kernel, architecture,
// agent version, enrolled, last seen and online), its policy in words ("Every day at 02:00, keep
// 30 days"), the next run, the last run with a button to its detail, and the stored bytes;
// "Back up now" (starts a job and shows it in History) and, for administrators, an inline
// rename. Fetches the policy, the latest job and the dashboard's stored bytes on each refresh.
// GUI thread.
#pragma once

#include "user/ServerTab.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QWidget;

namespace cairn::console {

class OverviewTab : public ServerTab {
    Q_OBJECT
public:
    explicit OverviewTab(ApiClient *api, QWidget *parent = nullptr);
    void setServer(qint64 id, const QJsonObject &server) override;
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

    // The policy in words, e.g. "Every day at 02:00, keep 30 days" (empty object: no policy).
    static QString policySummary(const QJsonObject &policy);

private:
    void showIdentity();
    void showPolicy();
    void showLastJob();
    void backUpNow();
    void startRename();
    void saveRename();
    void cancelRename();

    QLabel *m_caption[12];
    QLabel *m_name;
    QLabel *m_hostname;
    QLabel *m_os;
    QLabel *m_kernel;
    QLabel *m_architecture;
    QLabel *m_version;
    QLabel *m_enrolled;
    QLabel *m_lastSeen;
    QLabel *m_policy;
    QLabel *m_nextRun;
    QLabel *m_lastJob;
    QLabel *m_stored;
    QPushButton *m_openJob;
    QPushButton *m_backupNow;
    QPushButton *m_rename;
    QWidget *m_renameRow;
    QLineEdit *m_renameEdit;
    QPushButton *m_renameSave;
    QPushButton *m_renameCancel;
    QLabel *m_backupState;

    QJsonObject m_policyJson;
    bool m_policyKnown = false;
    QJsonObject m_job;
    QJsonValue m_storedBytes;
    int m_pending = 0; // requests of the current refresh still out
};

} // namespace cairn::console
