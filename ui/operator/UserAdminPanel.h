// UserAdminPanel: the users of one tenant (GET /users?tenant=) and the operators (role operator,
// no tenant), with a form to create either (login, display name, e-mail, role, password typed
// twice) — POST /users. Part of the operators' TenantsPage. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cairn::console {

class MessageBanner;

class UserAdminPanel : public QWidget {
    Q_OBJECT
public:
    explicit UserAdminPanel(ApiClient *api, QWidget *parent = nullptr);
    void setTenant(qint64 tenant, const QString &name); // 0: none selected
    void refresh();
    void retranslateUi();

signals:
    void userCreated(const QJsonObject &user);

protected:
    void changeEvent(QEvent *event) override;

private:
    void create();
    static void fill(QTableWidget *table, const QJsonArray &users);

    ApiClient *m_api;
    qint64 m_tenant = 0;
    QString m_tenantName;
    bool m_loading = false;
    QGroupBox *m_usersBox;
    QTableWidget *m_users;
    QGroupBox *m_operatorsBox;
    QTableWidget *m_operators;
    QGroupBox *m_formBox;
    MessageBanner *m_banner;
    QLabel *m_caption[6];
    QLineEdit *m_login;
    QLineEdit *m_displayName;
    QLineEdit *m_email;
    QComboBox *m_role;
    QLineEdit *m_password;
    QLineEdit *m_confirm;
    QPushButton *m_create;
};

} // namespace cairn::console
