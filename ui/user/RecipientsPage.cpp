// RecipientsPage implementation. GUI thread.
#include "user/RecipientsPage.h"

#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kMaxRecipients = 50;
}

RecipientsPage::RecipientsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_timeZone(new QLabel(this)),
      m_timeZoneCaption(new QLabel(this)),
      m_table(new QTableWidget(0, 2, this)),
      m_addressLabel(new QLabel(this)),
      m_address(new QLineEdit(this)),
      m_language(new QComboBox(this)),
      m_add(new QPushButton(this)),
      m_remove(new QPushButton(this)),
      m_error(new QLabel(this)),
      m_timeLabel(new QLabel(this)),
      m_time(new QTimeEdit(this)),
      m_status(new QLabel(this)),
      m_save(new QPushButton(this)),
      m_revert(new QPushButton(this)),
      m_readOnlyNote(new QLabel(this))
{
    setObjectName(QStringLiteral("recipientsPage"));
    m_timeZone->setObjectName(QStringLiteral("recipientsTimeZone"));
    m_table->setObjectName(QStringLiteral("recipientsTable"));
    m_address->setObjectName(QStringLiteral("recipientsAddress"));
    m_language->setObjectName(QStringLiteral("recipientsLanguage"));
    m_add->setObjectName(QStringLiteral("recipientsAdd"));
    m_remove->setObjectName(QStringLiteral("recipientsRemove"));
    m_error->setObjectName(QStringLiteral("recipientsError"));
    m_time->setObjectName(QStringLiteral("recipientsReportTime"));
    m_status->setObjectName(QStringLiteral("recipientsStatus"));
    m_save->setObjectName(QStringLiteral("recipientsSave"));
    m_revert->setObjectName(QStringLiteral("recipientsRevert"));
    m_readOnlyNote->setObjectName(QStringLiteral("recipientsReadOnlyNote"));

    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_time->setDisplayFormat(QStringLiteral("HH:mm"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    m_readOnlyNote->setWordWrap(true);
    m_status->setWordWrap(true);
    m_addressLabel->setBuddy(m_address);
    m_timeLabel->setBuddy(m_time);

    auto *addRowLayout = new QHBoxLayout;
    addRowLayout->addWidget(m_addressLabel);
    addRowLayout->addWidget(m_address, 1);
    addRowLayout->addWidget(m_language);
    addRowLayout->addWidget(m_add);
    addRowLayout->addWidget(m_remove);

    auto *form = new QFormLayout;
    form->addRow(m_timeZoneCaption, m_timeZone);
    form->addRow(m_timeLabel, m_time);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(m_readOnlyNote);
    layout->addWidget(m_table, 1);
    layout->addLayout(addRowLayout);
    layout->addWidget(m_error);
    layout->addLayout(form);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &RecipientsPage::addRecipient);
    connect(m_address, &QLineEdit::returnPressed, this, &RecipientsPage::addRecipient);
    connect(m_address, &QLineEdit::textChanged, this, &RecipientsPage::validate);
    connect(m_remove, &QPushButton::clicked, this, &RecipientsPage::removeRecipient);
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling) {
            m_justSaved = false;
            validate();
        }
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, &RecipientsPage::updateState);
    connect(m_time, &QTimeEdit::timeChanged, this, [this] {
        if (!m_filling) {
            m_justSaved = false;
            updateState();
        }
    });
    connect(m_save, &QPushButton::clicked, this, &RecipientsPage::save);
    connect(m_revert, &QPushButton::clicked, this, &RecipientsPage::revert);
    setTabOrder(m_table, m_address);
    setTabOrder(m_address, m_language);
    setTabOrder(m_language, m_add);
    setTabOrder(m_add, m_remove);
    setTabOrder(m_remove, m_time);
    setTabOrder(m_time, m_revert);
    setTabOrder(m_revert, m_save);
    retranslateUi();
}

bool RecipientsPage::isMailAddress(const QString &address)
{
    static const QRegularExpression mail(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    return address.size() <= 254 && mail.match(address).hasMatch();
}

void RecipientsPage::fillLanguageCombo(QComboBox *combo)
{
    const QVariant current = combo->currentData();
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(tr("Korean"), QStringLiteral("ko"));
    combo->addItem(tr("English"), QStringLiteral("en"));
    const int i = combo->findData(current);
    combo->setCurrentIndex(i >= 0 ? i : 0);
}

bool RecipientsPage::hasUnsavedChanges() const
{
    return m_loaded && payload() != m_baseline;
}

void RecipientsPage::refresh()
{
    const std::optional<qint64> tenant = api()->currentTenant();
    if (!api()->isLoggedIn() || !tenant || !beginLoad())
        return;
    api()
        ->get(QStringLiteral("/tenants/%1").arg(*tenant), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                endLoad();
                applyTenant(answer.toObject());
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
}

void RecipientsPage::applyTenant(const QJsonObject &tenant)
{
    if (m_saving)
        return;
    const bool otherTenant = tenant.value(QLatin1String("id")) != m_tenant.value(QLatin1String("id"));
    if (m_loaded && !otherTenant && (tenant == m_tenant || hasUnsavedChanges())) {
        m_tenant = tenant; // Revert shows the newest
        m_timeZone->setText(tenant.value(QLatin1String("time_zone")).toString());
        return;
    }
    m_tenant = tenant;
    m_filling = true;
    m_table->setRowCount(0);
    const QJsonObject languages = tenant.value(QLatin1String("recipient_languages")).toObject();
    const QString fallback = tenant.value(QLatin1String("language")).toString(QStringLiteral("ko"));
    for (const QJsonValue &v : tenant.value(QLatin1String("report_recipients")).toArray())
        addRow(v.toString(), languages.value(v.toString()).toString(fallback));
    QTime t = QTime::fromString(tenant.value(QLatin1String("report_time")).toString(), QStringLiteral("HH:mm"));
    m_time->setTime(t.isValid() ? t : QTime(8, 0));
    m_timeZone->setText(tenant.value(QLatin1String("time_zone")).toString());
    const int i = m_language->findData(fallback);
    if (i >= 0)
        m_language->setCurrentIndex(i);
    m_filling = false;
    m_loaded = true;
    m_baseline = payload();
    validate();
}

void RecipientsPage::addRow(const QString &address, const QString &language)
{
    const bool was = m_filling;
    m_filling = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(address));
    auto *combo = new QComboBox(m_table);
    combo->setObjectName(QStringLiteral("recipientsLanguage%1").arg(row));
    fillLanguageCombo(combo);
    combo->setCurrentIndex(std::max(0, combo->findData(language)));
    connect(combo, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling) {
            m_justSaved = false;
            updateState();
        }
    });
    m_table->setCellWidget(row, 1, combo);
    m_filling = was;
}

void RecipientsPage::addRecipient()
{
    const QString address = m_address->text().trimmed();
    validate();
    if (address.isEmpty() || !m_error->isHidden())
        return;
    addRow(address, m_language->currentData().toString());
    m_address->clear();
    m_justSaved = false;
    validate();
}

void RecipientsPage::removeRecipient()
{
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    m_table->removeRow(row);
    m_justSaved = false;
    validate();
}

QJsonObject RecipientsPage::payload() const
{
    QJsonArray recipients;
    QJsonObject languages;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString address = m_table->item(r, 0) ? m_table->item(r, 0)->text().trimmed() : QString();
        auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(r, 1));
        recipients.append(address);
        if (!address.isEmpty() && combo)
            languages.insert(address, combo->currentData().toString());
    }
    return QJsonObject {{QStringLiteral("report_recipients"), recipients},
        {QStringLiteral("recipient_languages"), languages},
        {QStringLiteral("report_time"), m_time->time().toString(QStringLiteral("HH:mm"))}};
}

void RecipientsPage::validate()
{
    QString problem;
    QSet<QString> seen;
    for (int r = 0; r < m_table->rowCount() && problem.isEmpty(); ++r) {
        const QString a = m_table->item(r, 0) ? m_table->item(r, 0)->text().trimmed() : QString();
        if (!isMailAddress(a))
            problem = tr("“%1” is not an e-mail address.").arg(a);
        else if (seen.contains(a.toLower()))
            problem = tr("%1 is listed twice.").arg(a);
        seen.insert(a.toLower());
    }
    const QString typed = m_address->text().trimmed();
    if (problem.isEmpty() && !typed.isEmpty()) {
        if (!isMailAddress(typed))
            problem = tr("“%1” is not an e-mail address.").arg(typed);
        else if (seen.contains(typed.toLower()))
            problem = tr("%1 is already a recipient.").arg(typed);
        else if (m_table->rowCount() >= kMaxRecipients)
            problem = tr("At most %1 addresses can receive the reports.").arg(kMaxRecipients);
    }
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    m_valid = problem.isEmpty();
    updateState();
}

void RecipientsPage::updateState()
{
    const bool admin = api()->user().isAdmin();
    const bool dirty = hasUnsavedChanges();
    for (QWidget *w : std::initializer_list<QWidget *> {m_address, m_language, m_add, m_time, m_table})
        w->setEnabled(admin && m_loaded);
    m_remove->setEnabled(admin && m_table->currentRow() >= 0);
    m_save->setEnabled(admin && m_loaded && dirty && m_valid && !m_saving);
    m_revert->setEnabled(admin && dirty && !m_saving);
    m_readOnlyNote->setVisible(!admin);
    if (!api()->currentTenant())
        m_status->setText(tr("Choose a tenant first."));
    else if (!m_loaded)
        m_status->setText(tr("Loading…"));
    else if (m_saving)
        m_status->setText(tr("Saving…"));
    else if (dirty)
        m_status->setText(
            m_valid ? tr("Unsaved changes.") : tr("Unsaved changes. Correct the marked address to save."));
    else if (m_justSaved)
        m_status->setText(tr("Saved. The next reports go to these addresses."));
    else
        m_status->setText(m_table->rowCount() == 0 ? tr("Nobody receives the reports yet.") : QString());
}

void RecipientsPage::save()
{
    const std::optional<qint64> tenant = api()->currentTenant();
    if (!tenant || !m_save->isEnabled())
        return;
    m_saving = true;
    banner()->clear();
    updateState();
    api()
        ->patch(QStringLiteral("/tenants/%1").arg(*tenant), payload(), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_saving = false;
                m_loaded = false; // take the stored state as it is now
                m_tenant = QJsonObject();
                applyTenant(answer.toObject());
                m_justSaved = true;
                updateState();
            },
            [this](const ApiError &e) {
                m_saving = false;
                updateState();
                showError(e);
            });
}

void RecipientsPage::revert()
{
    const QJsonObject t = m_tenant;
    m_loaded = false;
    m_tenant = QJsonObject();
    m_justSaved = false;
    m_address->clear();
    applyTenant(t);
}

void RecipientsPage::retranslateUi()
{
    m_table->setHorizontalHeaderLabels({tr("E-mail address"), tr("Language")});
    m_timeZoneCaption->setText(tr("Time zone:"));
    m_addressLabel->setText(tr("&New address:"));
    m_address->setPlaceholderText(tr("name@example.com"));
    m_add->setText(tr("&Add"));
    m_remove->setText(tr("&Remove"));
    m_timeLabel->setText(tr("Daily report &time:"));
    m_time->setToolTip(tr("In the time zone shown above."));
    m_save->setText(tr("&Save"));
    m_revert->setText(tr("Re&vert"));
    m_readOnlyNote->setText(tr("Only administrators of your organisation change who receives the reports."));
    m_table->setToolTip(tr("Double-click an address to change it."));
    fillLanguageCombo(m_language);
    const bool was = m_filling;
    m_filling = true;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(r, 1)))
            fillLanguageCombo(combo);
    }
    m_filling = was;
    updateState();
}

QString RecipientsPage::title() const
{
    return tr("Report recipients");
}

} // namespace cairn::console
