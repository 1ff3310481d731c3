// RecipientsPage ("Report recipients", administrators): who gets the daily report and the failure
// mails, each address with its language (Korean or English), the time of the daily report in the
// tenant's time zone (shown). Addresses are checked in the form (invalid or repeated ones are
// refused with a sentence, Save disabled); Save → PATCH /tenants/{id} with a "Saved" confirmation.
// A live refresh never overwrites unsaved edits. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTimeEdit;

namespace cairn::console {

class RecipientsPage : public Page {
    Q_OBJECT
public:
    explicit RecipientsPage(ApiClient *api, QWidget *parent = nullptr);
    void refresh() override;
    void retranslateUi() override;
    QString title() const override;

    static bool isMailAddress(const QString &address);
    bool hasUnsavedChanges() const;

private:
    void applyTenant(const QJsonObject &tenant);
    void addRow(const QString &address, const QString &language);
    void addRecipient();
    void removeRecipient();
    QJsonObject payload() const;
    void validate();
    void updateState();
    void save();
    void revert();
    void fillLanguageCombo(QComboBox *combo);

    QLabel *m_timeZone;
    QLabel *m_timeZoneCaption;
    QTableWidget *m_table;
    QLabel *m_addressLabel;
    QLineEdit *m_address;
    QComboBox *m_language;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_error;
    QLabel *m_timeLabel;
    QTimeEdit *m_time;
    QLabel *m_status;
    QPushButton *m_save;
    QPushButton *m_revert;
    QLabel *m_readOnlyNote;

    QJsonObject m_tenant;
    QJsonObject m_baseline;
    bool m_loaded = false;
    bool m_valid = true;
    bool m_saving = false;
    bool m_justSaved = false;
    bool m_filling = false;
};

} // namespace cairn::console
