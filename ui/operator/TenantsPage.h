// TenantsPage: the operators' administration of tenants — every tenant (GET /tenants) with a form
// to create one (name, time zone, language) or change the selected one (time zone, language,
// activation date; PATCH /tenants/{id}); the selected tenant's users and the operators
// (UserAdminPanel); and enrollment codes for the selected tenant (POST /enrollment-codes?tenant=)
// shown with their expiry and the server's certificate fingerprint to hand out. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonArray>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cairn::console {

class UserAdminPanel;

class TenantsPage : public Page {
    Q_OBJECT
public:
    explicit TenantsPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;

    qint64 selectedTenant() const;
    void selectTenant(qint64 id);

private:
    void applyTenants(const QJsonArray &tenants);
    void onSelectionChanged();
    void createTenant();
    void saveTenant();
    void createEnrollmentCode();

    QJsonArray m_tenants;
    QTableWidget *m_table;
    QGroupBox *m_formBox;
    QLabel *m_caption[4];
    QLineEdit *m_name;
    QComboBox *m_timeZone;
    QComboBox *m_language;
    QCheckBox *m_activated;
    QDateTimeEdit *m_activatedAt;
    QPushButton *m_create;
    QPushButton *m_save;
    QGroupBox *m_enrollBox;
    QPushButton *m_enroll;
    QLabel *m_code;
    QLabel *m_expiry;
    QLabel *m_fingerprint;
    UserAdminPanel *m_users;
    qint64 m_formTenant = -1; // the tenant whose values the form shows
};

} // namespace cairn::console
