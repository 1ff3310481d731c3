// TenantsPage: tenants list, create/edit form and enrollment codes; users in UserAdminPanel.
// GUI thread.
#include "operator/TenantsPage.h"

#include "core/Format.h"
#include "operator/UserAdminPanel.h"
#include "widgets/MessageBanner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
QLabel *resultLabel(QWidget *parent, const char *name)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QLatin1String(name));
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setWordWrap(true);
    return l;
}
} // namespace

TenantsPage::TenantsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_table(new QTableWidget(0, 4, this)),
      m_formBox(new QGroupBox(this)),
      m_name(new QLineEdit(this)),
      m_timeZone(new QComboBox(this)),
      m_language(new QComboBox(this)),
      m_activated(new QCheckBox(this)),
      m_activatedAt(new QDateTimeEdit(this)),
      m_create(new QPushButton(this)),
      m_save(new QPushButton(this)),
      m_enrollBox(new QGroupBox(this)),
      m_enroll(new QPushButton(this)),
      m_code(resultLabel(this, "enrollmentCode")),
      m_expiry(resultLabel(this, "enrollmentExpiry")),
      m_fingerprint(resultLabel(this, "enrollmentFingerprint")),
      m_users(new UserAdminPanel(api, this))
{
    setObjectName(QStringLiteral("tenantsPage"));
    m_table->setObjectName(QStringLiteral("tenantsTable"));
    m_name->setObjectName(QStringLiteral("tenantName"));
    m_timeZone->setObjectName(QStringLiteral("tenantTimeZone"));
    m_language->setObjectName(QStringLiteral("tenantLanguage"));
    m_activated->setObjectName(QStringLiteral("tenantActivated"));
    m_activatedAt->setObjectName(QStringLiteral("tenantActivatedAt"));
    m_create->setObjectName(QStringLiteral("tenantCreate"));
    m_save->setObjectName(QStringLiteral("tenantSave"));
    m_enroll->setObjectName(QStringLiteral("enrollmentCreate"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_name->setMaxLength(200);
    m_timeZone->setEditable(true);
    m_timeZone->setInsertPolicy(QComboBox::NoInsert);
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        m_timeZone->addItem(QString::fromLatin1(id));
    m_timeZone->setCurrentText(QStringLiteral("Asia/Seoul"));
    m_language->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_activatedAt->setCalendarPopup(true);
    m_activatedAt->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_activatedAt->setTimeSpec(Qt::UTC);
    m_activatedAt->setDateTime(QDateTime::currentDateTimeUtc());
    m_activatedAt->setEnabled(false);
    connect(m_activated, &QCheckBox::toggled, m_activatedAt, &QWidget::setEnabled);

    auto *form = new QFormLayout(m_formBox);
    QWidget *fields[] = {m_name, m_timeZone, m_language, m_activated};
    for (int i = 0; i < 4; ++i) {
        m_caption[i] = new QLabel(m_formBox);
        m_caption[i]->setBuddy(fields[i]);
        if (i < 3)
            form->addRow(m_caption[i], fields[i]);
    }
    auto *activation = new QHBoxLayout;
    activation->addWidget(m_activated);
    activation->addWidget(m_activatedAt, 1);
    form->addRow(m_caption[3], activation);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_save);
    buttons->addStretch();
    form->addRow(buttons);

    auto *enroll = new QFormLayout(m_enrollBox);
    enroll->addRow(m_enroll);
    enroll->addRow(m_code);
    enroll->addRow(m_expiry);
    enroll->addRow(m_fingerprint);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addWidget(m_formBox);
    leftLayout->addWidget(m_enrollBox);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(m_users);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(splitter, 1);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &TenantsPage::onSelectionChanged);
    connect(m_create, &QPushButton::clicked, this, &TenantsPage::createTenant);
    connect(m_save, &QPushButton::clicked, this, &TenantsPage::saveTenant);
    connect(m_name, &QLineEdit::returnPressed, this, &TenantsPage::createTenant);
    connect(m_enroll, &QPushButton::clicked, this, &TenantsPage::createEnrollmentCode);
    connect(m_users, &UserAdminPanel::userCreated, this, [this] { banner()->clear(); });
    setTabOrder(m_table, m_name);
    setTabOrder(m_name, m_timeZone);
    setTabOrder(m_timeZone, m_language);
    setTabOrder(m_language, m_activated);
    setTabOrder(m_activated, m_activatedAt);
    setTabOrder(m_activatedAt, m_create);
    setTabOrder(m_create, m_save);
    setTabOrder(m_save, m_enroll);
    retranslateUi();
    onSelectionChanged();
}

qint64 TenantsPage::selectedTenant() const
{
    const auto rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_table->item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
}

void TenantsPage::selectTenant(qint64 id)
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->data(Qt::UserRole).toLongLong() == id)
            m_table->selectRow(row);
}

void TenantsPage::refresh()
{
    if (!beginLoad())
        return;
    api()
        ->get(QStringLiteral("/tenants"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                applyTenants(body.toObject().value(QLatin1String("items")).toArray());
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
    m_users->refresh();
}

void TenantsPage::applyTenants(const QJsonArray &tenants)
{
    m_tenants = tenants;
    const qint64 selected = selectedTenant();
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(tenants.size())); // the server's order (by id) is stable: rows stay
    for (int row = 0; row < tenants.size(); ++row) {
        const QJsonObject t = tenants[row].toObject();
        const QString activated = t.value(QLatin1String("activated_at")).toString();
        const QStringList cells {t.value(QLatin1String("name")).toString(),
            t.value(QLatin1String("time_zone")).toString(), t.value(QLatin1String("language")).toString(),
            activated.isEmpty() ? tr("not activated") : format::dateTimeIso(activated)};
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = m_table->item(row, col);
            if (!item)
                m_table->setItem(row, col, item = new QTableWidgetItem);
            if (item->text() != cells[col])
                item->setText(cells[col]);
        }
        m_table->item(row, 0)->setData(Qt::UserRole, t.value(QLatin1String("id")).toInteger());
    }
    if (selected > 0)
        selectTenant(selected);
}

void TenantsPage::onSelectionChanged()
{
    const qint64 id = selectedTenant();
    QJsonObject t;
    for (const QJsonValue &v : m_tenants)
        if (v.toObject().value(QLatin1String("id")).toInteger() == id)
            t = v.toObject();
    m_save->setEnabled(id > 0);
    m_enroll->setEnabled(id > 0);
    if (id != m_formTenant && id > 0) { // load the form only when the selection changes (typing stays)
        m_formTenant = id;
        m_name->setText(t.value(QLatin1String("name")).toString());
        m_timeZone->setCurrentText(t.value(QLatin1String("time_zone")).toString());
        m_language->setCurrentIndex(qMax(0, m_language->findData(t.value(QLatin1String("language")).toString())));
        const QDateTime activated = format::parseIso(t.value(QLatin1String("activated_at")).toString());
        m_activated->setChecked(activated.isValid());
        m_activatedAt->setDateTime(activated.isValid() ? activated : QDateTime::currentDateTimeUtc());
        m_code->clear();
        m_expiry->clear();
        m_fingerprint->clear();
    }
    m_users->setTenant(id, t.value(QLatin1String("name")).toString());
}

void TenantsPage::createTenant()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        banner()->showError(tr("Enter the new tenant's name."));
        m_name->setFocus();
        return;
    }
    for (const QJsonValue &v : m_tenants)
        if (v.toObject().value(QLatin1String("name")).toString() == name) {
            banner()->showError(tr("A tenant named %1 exists already.").arg(name));
            return;
        }
    m_create->setEnabled(false);
    const QJsonObject body {{QStringLiteral("name"), name},
        {QStringLiteral("time_zone"), m_timeZone->currentText().trimmed()},
        {QStringLiteral("language"), m_language->currentData().toString()}};
    api()
        ->post(QStringLiteral("/tenants"), body, {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_create->setEnabled(true);
                const QJsonObject t = answer.toObject();
                showInfo(tr("Tenant %1 created.").arg(t.value(QLatin1String("name")).toString()));
                m_tenants.append(t);
                applyTenants(m_tenants);
                m_formTenant = -1;
                selectTenant(t.value(QLatin1String("id")).toInteger());
            },
            [this](const ApiError &e) {
                m_create->setEnabled(true);
                showError(e);
            });
}

void TenantsPage::saveTenant()
{
    const qint64 id = selectedTenant();
    if (id <= 0)
        return;
    QJsonObject body {{QStringLiteral("time_zone"), m_timeZone->currentText().trimmed()},
        {QStringLiteral("language"), m_language->currentData().toString()}};
    if (m_activated->isChecked())
        body.insert(QStringLiteral("activated_at"), m_activatedAt->dateTime().toUTC().toString(Qt::ISODate));
    m_save->setEnabled(false);
    api()
        ->patch(QStringLiteral("/tenants/%1").arg(id), body, {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_save->setEnabled(true);
                showInfo(tr("Settings of %1 saved.").arg(answer.toObject().value(QLatin1String("name")).toString()));
                endLoad();
                refresh();
            },
            [this](const ApiError &e) {
                m_save->setEnabled(true);
                showError(e);
            });
}

void TenantsPage::createEnrollmentCode()
{
    const qint64 id = selectedTenant();
    if (id <= 0)
        return;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("tenant"), QString::number(id));
    m_enroll->setEnabled(false);
    api()
        ->post(QStringLiteral("/enrollment-codes"), QJsonObject(), q, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_enroll->setEnabled(true);
                const QJsonObject c = answer.toObject();
                m_code->setText(c.value(QLatin1String("code")).toString());
                m_expiry->setText(tr("Valid until %1 (single use)")
                                      .arg(format::dateTimeIso(c.value(QLatin1String("expires_at")).toString())));
                m_fingerprint->setText(
                    tr("Server certificate fingerprint: %1").arg(c.value(QLatin1String("fingerprint")).toString()));
            },
            [this](const ApiError &e) {
                m_enroll->setEnabled(true);
                showError(e);
            });
}

void TenantsPage::retranslateUi()
{
    m_table->setHorizontalHeaderLabels({tr("Tenant"), tr("Time zone"), tr("Language"), tr("Activated")});
    m_formBox->setTitle(tr("Tenant"));
    const char *captions[]
        = {QT_TR_NOOP("&Name:"), QT_TR_NOOP("&Time zone:"), QT_TR_NOOP("&Language:"), QT_TR_NOOP("Activated:")};
    for (int i = 0; i < 4; ++i)
        m_caption[i]->setText(tr(captions[i]));
    m_activated->setText(tr("A&ctivated (billing starts) at, UTC:"));
    m_create->setText(tr("Create &new tenant"));
    m_create->setToolTip(tr("Creates a tenant with this name, time zone and language (and its keys)"));
    m_save->setText(tr("&Save changes"));
    m_save->setToolTip(tr("Saves the time zone, language and activation date of the selected tenant"));
    m_enrollBox->setTitle(tr("Enrollment code for the selected tenant"));
    m_enroll->setText(tr("Create &enrollment code"));
    m_name->setPlaceholderText(tr("e.g. acme"));
}

QString TenantsPage::title() const
{
    return tr("Tenants and users");
}

} // namespace cairn::console
