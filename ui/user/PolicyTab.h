// PolicyTab: the server's backup policy in a PolicyForm. Administrators edit it (Save → PUT
// /servers/{id}/policy, Revert, an unsaved-changes marker, the server's refusal shown next to the
// field) and copy the stored policy to other servers (POST /servers/{id}/policy/copy, all or
// nothing); members see it read-only with a sentence saying why. A server without a policy
// shows "No policy yet" with the defaults filled in. A live refresh never overwrites unsaved
// edits. GUI thread.
#pragma once

#include "user/ServerTab.h"

class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QScrollArea;

namespace cairn::console {

class PolicyForm;

class PolicyTab : public ServerTab {
    Q_OBJECT
public:
    explicit PolicyTab(ApiClient *api, QWidget *parent = nullptr);
    void setServer(qint64 id, const QJsonObject &server) override;
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

    PolicyForm *form() const { return m_form; }
    bool hasUnsavedChanges() const;

private:
    void applyRole();
    void applyPolicy(qint64 id, const QJsonObject &policy, bool exists);
    void applyTargets(const QJsonArray &servers);
    void save();
    void revert();
    void copy();
    void updateState();

    PolicyForm *m_form;
    QScrollArea *m_scroll;
    QLabel *m_status;
    QLabel *m_readOnlyNote;
    QPushButton *m_save;
    QPushButton *m_revert;
    QGroupBox *m_copyBox;
    QLabel *m_copyHint;
    QListWidget *m_targets;
    QPushButton *m_copy;
    QLabel *m_copyResult;

    QJsonObject m_serverPolicy; // as last fetched or saved
    QJsonObject m_baseline; // the form's policy() right after it was filled
    bool m_hasPolicy = false;
    bool m_loaded = false;
    bool m_saving = false;
    int m_saves = 0; // bumped by every save: a policy fetched before it is stale
    bool m_copying = false;
    bool m_targetsLoading = false;
    bool m_justSaved = false;
    bool m_changedElsewhere = false;
};

} // namespace cairn::console
