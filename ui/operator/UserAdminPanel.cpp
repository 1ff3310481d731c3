// UserAdminPanel: lists users and operators, creates either. GUI thread.
#include "operator/UserAdminPanel.h"

#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
QTableWidget *userTable(QWidget *parent, const char *name)
{
    auto *t = new QTableWidget(0, 4, parent);
    t->setObjectName(QLatin1String(name));
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QString roleText(const QString &role)
{
    if (role == QLatin1String("operator"))
        return UserAdminPanel::tr("Operator");
    if (role == QLatin1String("admin"))
        return UserAdminPanel::tr("Administrator");
    return UserAdminPanel::tr("Member");
}
} // namespace

UserAdminPanel::UserAdminPanel(ApiClient *api, QWidget *parent)
    : QWidget(parent),
      m_api(api),
      m_usersBox(new QGroupBox(this)),
      m_users(userTable(this, "usersTable")),
      m_operatorsBox(new QGroupBox(this)),
      m_operators(userTable(this, "operatorsTable")),
      m_formBox(new QGroupBox(this)),
      m_banner(new MessageBanner(this)),
      m_login(new QLineEdit(this)),
      m_displayName(new QLineEdit(this)),
      m_email(new QLineEdit(this)),
      m_role(new QComboBox(this)),
      m_password(new QLineEdit(this)),
      m_confirm(new QLineEdit(this)),
      m_create(new QPushButton(this))
{
    m_login->setObjectName(QStringLiteral("userLogin"));
    m_displayName->setObjectName(QStringLiteral("userDisplayName"));
    m_email->setObjectName(QStringLiteral("userEmail"));
    m_role->setObjectName(QStringLiteral("userRole"));
    m_password->setObjectName(QStringLiteral("userPassword"));
    m_confirm->setObjectName(QStringLiteral("userPasswordConfirm"));
    m_create->setObjectName(QStringLiteral("userCreate"));
    m_password->setEchoMode(QLineEdit::Password);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_login->setMaxLength(64);
    m_displayName->setMaxLength(200);
    m_email->setMaxLength(254);
    m_role->addItem(QString(), QStringLiteral("member"));
    m_role->addItem(QString(), QStringLiteral("admin"));
    m_role->addItem(QString(), QStringLiteral("operator"));

    (new QVBoxLayout(m_usersBox))->addWidget(m_users);
    (new QVBoxLayout(m_operatorsBox))->addWidget(m_operators);
    auto *form = new QFormLayout(m_formBox);
    form->addRow(m_banner);
    QWidget *fields[] = {m_login, m_displayName, m_email, m_role, m_password, m_confirm};
    for (int i = 0; i < 6; ++i) {
        m_caption[i] = new QLabel(m_formBox);
        m_caption[i]->setBuddy(fields[i]);
        form->addRow(m_caption[i], fields[i]);
    }
    form->addRow(QString(), m_create);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_usersBox, 2);
    layout->addWidget(m_operatorsBox, 1);
    layout->addWidget(m_formBox);

    connect(m_create, &QPushButton::clicked, this, &UserAdminPanel::create);
    for (QLineEdit *e : {m_login, m_displayName, m_email, m_password, m_confirm})
        connect(e, &QLineEdit::returnPressed, this, &UserAdminPanel::create);
    connect(m_role, QOverload<int>::of(&QComboBox::currentIndexChanged), this, [this] { retranslateUi(); });
    retranslateUi();
}

void UserAdminPanel::setTenant(qint64 tenant, const QString &name)
{
    m_tenantName = name;
    if (tenant != m_tenant) {
        m_tenant = tenant;
        m_users->setRowCount(0);
        m_loading = false;
    }
    retranslateUi();
    refresh();
}

void UserAdminPanel::fill(QTableWidget *table, const QJsonArray &users)
{
    // In place: rows stay where they are (the list is ordered by the server), cells are updated.
    table->setRowCount(int(users.size()));
    for (int row = 0; row < users.size(); ++row) {
        const QJsonObject u = users[row].toObject();
        const QStringList cells {u.value(QLatin1String("login")).toString(),
            u.value(QLatin1String("display_name")).toString(), u.value(QLatin1String("email")).toString(),
            roleText(u.value(QLatin1String("role")).toString())};
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = table->item(row, col);
            if (!item)
                table->setItem(row, col, item = new QTableWidgetItem);
            if (item->text() != cells[col])
                item->setText(cells[col]);
        }
        table->item(row, 0)->setData(Qt::UserRole, u.value(QLatin1String("id")).toInteger());
    }
}

void UserAdminPanel::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    // Every user (operators see all): the tenant's rows and the operators come from one answer.
    m_api->get(QStringLiteral("/users"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                m_loading = false;
                QJsonArray users, operators;
                for (const QJsonValue &v : body.toObject().value(QLatin1String("items")).toArray()) {
                    const QJsonObject u = v.toObject();
                    if (u.value(QLatin1String("role")).toString() == QLatin1String("operator"))
                        operators.append(u);
                    else if (m_tenant > 0 && u.value(QLatin1String("tenant")).toInteger() == m_tenant)
                        users.append(u);
                }
                fill(m_users, users);
                fill(m_operators, operators);
            },
            [this](const ApiError &e) {
                m_loading = false;
                m_banner->showError(e);
            });
}

void UserAdminPanel::create()
{
    const QString role = m_role->currentData().toString();
    const bool isOperator = role == QLatin1String("operator");
    if (m_login->text().trimmed().isEmpty()) {
        m_banner->showError(tr("Enter a login."));
        m_login->setFocus();
        return;
    }
    if (!isOperator && m_tenant <= 0) {
        m_banner->showError(tr("Select the tenant the user belongs to."));
        return;
    }
    if (m_password->text().isEmpty() || m_password->text() != m_confirm->text()) {
        m_banner->showError(
            m_password->text().isEmpty() ? tr("Enter a password.") : tr("The two passwords are not the same."));
        m_confirm->clear();
        m_password->setFocus();
        return;
    }
    QJsonObject body {{QStringLiteral("login"), m_login->text().trimmed()},
        {QStringLiteral("password"), m_password->text()}, {QStringLiteral("role"), role},
        {QStringLiteral("display_name"), m_displayName->text().trimmed()},
        {QStringLiteral("email"), m_email->text().trimmed()}};
    if (!isOperator)
        body.insert(QStringLiteral("tenant"), m_tenant);
    m_create->setEnabled(false);
    m_api->post(QStringLiteral("/users"), body, {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_create->setEnabled(true);
                const QJsonObject u = answer.toObject();
                m_banner->showInfo(tr("User %1 created.").arg(u.value(QLatin1String("login")).toString()));
                for (QLineEdit *e : {m_login, m_displayName, m_email, m_password, m_confirm})
                    e->clear();
                m_loading = false;
                refresh();
                emit userCreated(u);
            },
            [this](const ApiError &e) {
                m_create->setEnabled(true);
                m_banner->showError(e);
            });
}

void UserAdminPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void UserAdminPanel::retranslateUi()
{
    m_usersBox->setTitle(m_tenant > 0 ? tr("Users of %1").arg(m_tenantName) : tr("Users (select a tenant)"));
    m_operatorsBox->setTitle(tr("Operators"));
    const bool isOperator = m_role->currentData().toString() == QLatin1String("operator");
    m_formBox->setTitle(isOperator ? tr("New operator (belongs to no tenant)")
            : m_tenant > 0         ? tr("New user of %1").arg(m_tenantName)
                                   : tr("New user"));
    const QStringList headers {tr("Login"), tr("Name"), tr("E-mail"), tr("Role")};
    m_users->setHorizontalHeaderLabels(headers);
    m_operators->setHorizontalHeaderLabels(headers);
    const char *captions[] = {QT_TR_NOOP("&Login:"), QT_TR_NOOP("&Display name:"), QT_TR_NOOP("&E-mail:"),
        QT_TR_NOOP("R&ole:"), QT_TR_NOOP("&Password:"), QT_TR_NOOP("Con&firm password:")};
    for (int i = 0; i < 6; ++i)
        m_caption[i]->setText(tr(captions[i]));
    m_role->setItemText(0, tr("Member"));
    m_role->setItemText(1, tr("Administrator"));
    m_role->setItemText(2, tr("Operator"));
    m_create->setText(isOperator ? tr("Create &operator") : tr("Create &user"));
}

} // namespace cairn::console
