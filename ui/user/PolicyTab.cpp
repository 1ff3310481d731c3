// PolicyTab implementation: load, dirty tracking, save, revert, copy. GUI thread.
#include "user/PolicyTab.h"

#include "core/Format.h"
#include "user/PolicyForm.h"
#include "widgets/MessageBanner.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

PolicyTab::PolicyTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent),
      m_form(new PolicyForm),
      m_scroll(new QScrollArea(this)),
      m_status(new QLabel(this)),
      m_readOnlyNote(new QLabel(this)),
      m_save(new QPushButton(this)),
      m_revert(new QPushButton(this)),
      m_copyBox(new QGroupBox(this)),
      m_copyHint(new QLabel(this)),
      m_targets(new QListWidget(this)),
      m_copy(new QPushButton(this)),
      m_copyResult(new QLabel(this))
{
    setObjectName(QStringLiteral("policyTab"));
    m_form->setObjectName(QStringLiteral("policyForm"));
    m_status->setObjectName(QStringLiteral("policyStatus"));
    m_readOnlyNote->setObjectName(QStringLiteral("policyReadOnlyNote"));
    m_save->setObjectName(QStringLiteral("policySave"));
    m_revert->setObjectName(QStringLiteral("policyRevert"));
    m_copyBox->setObjectName(QStringLiteral("policyCopyBox"));
    m_targets->setObjectName(QStringLiteral("policyCopyTargets"));
    m_copy->setObjectName(QStringLiteral("policyCopy"));
    m_copyResult->setObjectName(QStringLiteral("policyCopyResult"));

    m_scroll->setWidget(m_form);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_readOnlyNote->setWordWrap(true);
    m_status->setWordWrap(true);
    m_copyHint->setWordWrap(true);
    m_copyResult->setWordWrap(true);
    m_targets->setMaximumHeight(110);
    m_save->setDefault(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto *copyLayout = new QVBoxLayout(m_copyBox);
    copyLayout->addWidget(m_copyHint);
    copyLayout->addWidget(m_targets);
    auto *copyRow = new QHBoxLayout;
    copyRow->addWidget(m_copyResult, 1);
    copyRow->addWidget(m_copy);
    copyLayout->addLayout(copyRow);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(m_readOnlyNote);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_copyBox);

    connect(m_form, &PolicyForm::edited, this, [this] {
        m_justSaved = false;
        updateState();
    });
    connect(m_form, &PolicyForm::validityChanged, this, &PolicyTab::updateState);
    connect(m_save, &QPushButton::clicked, this, &PolicyTab::save);
    connect(m_revert, &QPushButton::clicked, this, &PolicyTab::revert);
    connect(m_copy, &QPushButton::clicked, this, &PolicyTab::copy);
    connect(m_targets, &QListWidget::itemChanged, this, &PolicyTab::updateState);
    setTabOrder(m_form, m_revert);
    setTabOrder(m_revert, m_save);
    setTabOrder(m_save, m_targets);
    setTabOrder(m_targets, m_copy);
    retranslateUi();
    applyRole();
}

bool PolicyTab::hasUnsavedChanges() const
{
    return m_loaded && m_form->policy() != m_baseline;
}

void PolicyTab::setServer(qint64 id, const QJsonObject &server)
{
    const bool other = id != serverId();
    ServerTab::setServer(id, server);
    if (!other)
        return;
    // Another server: what was shown (and typed) belongs to the previous one.
    m_loaded = false;
    m_hasPolicy = false;
    m_justSaved = false;
    m_changedElsewhere = false;
    m_serverPolicy = QJsonObject();
    m_form->setDefaults();
    m_baseline = m_form->policy();
    m_targets->clear();
    m_copyResult->clear();
    banner()->clear();
    applyRole();
    updateState();
}

void PolicyTab::applyRole()
{
    const bool admin = api()->user().isAdmin();
    m_form->setReadOnly(!admin);
    m_readOnlyNote->setVisible(!admin);
    m_save->setVisible(admin);
    m_revert->setVisible(admin);
    m_copyBox->setVisible(admin);
}

void PolicyTab::refresh()
{
    const qint64 id = serverId();
    if (id <= 0 || !api()->isLoggedIn())
        return;
    applyRole();
    if (api()->user().isAdmin() && !m_targetsLoading) {
        m_targetsLoading = true;
        api()
            ->get(QStringLiteral("/servers"))
            ->then(
                this,
                [this](const QJsonValue &answer) {
                    m_targetsLoading = false;
                    applyTargets(answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray());
                },
                [this](const ApiError &) { m_targetsLoading = false; });
    }
    if (!beginLoad())
        return;
    if (!m_loaded)
        m_status->setText(tr("Loading…"));
    const int saves = m_saves;
    api()
        ->get(QStringLiteral("/servers/%1/policy").arg(id))
        ->then(
            this,
            [this, id, saves](const QJsonValue &answer) {
                endLoad();
                if (saves == m_saves) // a save since this was asked for: its answer is newer
                    applyPolicy(id, answer.toObject(), true);
            },
            [this, id, saves](const ApiError &e) {
                endLoad();
                if (e.isHttp(404) && saves == m_saves)
                    applyPolicy(id, QJsonObject(), false);
                else
                    showError(e);
            });
}

void PolicyTab::applyPolicy(qint64 id, const QJsonObject &policy, bool exists)
{
    if (id != serverId() || m_saving)
        return;
    const bool changed = !m_loaded || exists != m_hasPolicy || policy != m_serverPolicy;
    if (!changed)
        return;
    if (hasUnsavedChanges()) {
        // Keep what the user typed; say that the stored policy moved on (Revert shows it).
        m_changedElsewhere = true;
    } else {
        if (exists)
            m_form->setPolicy(policy);
        else
            m_form->setDefaults();
        m_baseline = m_form->policy();
        m_changedElsewhere = false;
    }
    m_serverPolicy = policy;
    m_hasPolicy = exists;
    m_loaded = true;
    updateState();
}

void PolicyTab::applyTargets(const QJsonArray &servers)
{
    QHash<qint64, QString> names;
    QList<qint64> order;
    for (const QJsonValue &v : servers) {
        const QJsonObject s = v.toObject();
        const qint64 id = s.value(QLatin1String("id")).toInteger();
        if (id > 0 && id != serverId()) {
            names.insert(id, s.value(QLatin1String("name")).toString());
            order.append(id);
        }
    }
    const QSignalBlocker block(m_targets);
    for (int i = m_targets->count() - 1; i >= 0; --i) {
        if (!names.contains(m_targets->item(i)->data(kIdRole).toLongLong()))
            delete m_targets->takeItem(i);
    }
    QSet<qint64> listed;
    for (int i = 0; i < m_targets->count(); ++i) {
        QListWidgetItem *item = m_targets->item(i);
        const qint64 id = item->data(kIdRole).toLongLong();
        listed.insert(id);
        if (item->text() != names.value(id))
            item->setText(names.value(id));
    }
    for (qint64 id : std::as_const(order)) {
        if (listed.contains(id))
            continue;
        auto *item = new QListWidgetItem(names.value(id), m_targets);
        item->setData(kIdRole, id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    updateState();
}

void PolicyTab::updateState()
{
    const bool admin = api()->user().isAdmin();
    const bool dirty = hasUnsavedChanges();
    const bool valid = m_form->isValid();
    m_save->setEnabled(admin && m_loaded && valid && (dirty || !m_hasPolicy) && !m_saving);
    m_revert->setEnabled(admin && dirty && !m_saving);
    QString status;
    if (!m_loaded)
        status = tr("Loading…");
    else if (m_saving)
        status = tr("Saving…");
    else if (dirty && m_changedElsewhere)
        status = tr("Unsaved changes. The policy was also changed elsewhere; Revert shows the stored one.");
    else if (dirty)
        status = tr("Unsaved changes.");
    else if (m_justSaved)
        status = tr("Saved.");
    else if (!m_hasPolicy)
        status = admin ? tr("No policy yet: this server is not backed up. The defaults are filled in; add the paths to "
                            "back up and save.")
                       : tr("No policy yet: this server is not backed up.");
    else
        status = tr("Last changed %1.")
                     .arg(format::dateTimeIso(m_serverPolicy.value(QLatin1String("updated_at")).toString()));
    if (dirty && !valid)
        status += QLatin1Char(' ') + tr("Correct the marked fields to save.");
    m_status->setText(status);
    m_status->setStyleSheet(dirty ? QStringLiteral("font-weight: bold;") : QString());

    int checked = 0;
    for (int i = 0; i < m_targets->count(); ++i)
        checked += m_targets->item(i)->checkState() == Qt::Checked ? 1 : 0;
    m_copy->setEnabled(admin && m_hasPolicy && !dirty && checked > 0 && !m_copying);
    m_targets->setEnabled(!m_copying);
}

void PolicyTab::save()
{
    if (!m_save->isEnabled() || !m_form->isValid())
        return;
    const qint64 id = serverId();
    m_saving = true;
    ++m_saves;
    banner()->clear();
    updateState();
    api()
        ->put(QStringLiteral("/servers/%1/policy").arg(id), m_form->policy())
        ->then(
            this,
            [this, id](const QJsonValue &answer) {
                m_saving = false;
                if (id != serverId())
                    return;
                m_serverPolicy = answer.toObject();
                m_hasPolicy = true;
                m_form->setPolicy(m_serverPolicy);
                m_baseline = m_form->policy();
                m_justSaved = true;
                m_changedElsewhere = false;
                updateState();
            },
            [this](const ApiError &e) {
                m_saving = false;
                updateState();
                if (!e.field.isEmpty() && m_form->showServerError(e.field, errorSentence(e)))
                    banner()->showError(tr("The policy was not saved: %1").arg(fieldLabel(e.field)));
                else
                    showError(e);
            });
}

void PolicyTab::revert()
{
    if (m_hasPolicy)
        m_form->setPolicy(m_serverPolicy);
    else
        m_form->setDefaults();
    m_baseline = m_form->policy();
    m_changedElsewhere = false;
    m_justSaved = false;
    banner()->clear();
    updateState();
}

void PolicyTab::copy()
{
    QJsonArray ids;
    QStringList names;
    for (int i = 0; i < m_targets->count(); ++i) {
        if (m_targets->item(i)->checkState() == Qt::Checked) {
            ids.append(m_targets->item(i)->data(kIdRole).toLongLong());
            names << m_targets->item(i)->text();
        }
    }
    if (ids.isEmpty() || hasUnsavedChanges())
        return;
    m_copying = true;
    m_copyResult->setText(tr("Copying…"));
    updateState();
    api()
        ->post(
            QStringLiteral("/servers/%1/policy/copy").arg(serverId()), QJsonObject {{QStringLiteral("servers"), ids}})
        ->then(
            this,
            [this, names](const QJsonValue &) {
                m_copying = false;
                m_copyResult->setStyleSheet(QString());
                m_copyResult->setText(tr("The policy was copied to %n server(s): %1.", nullptr, int(names.size()))
                                          .arg(names.join(QStringLiteral(", "))));
                const QSignalBlocker block(m_targets);
                for (int i = 0; i < m_targets->count(); ++i)
                    m_targets->item(i)->setCheckState(Qt::Unchecked);
                updateState();
            },
            [this](const ApiError &e) {
                m_copying = false;
                m_copyResult->setStyleSheet(QStringLiteral("color: #c62828;"));
                m_copyResult->setText(tr("Nothing was copied: %1").arg(errorSentence(e)));
                updateState();
            });
}

void PolicyTab::retranslateUi()
{
    m_readOnlyNote->setText(tr("You can see this policy but not change it: only administrators of your organisation "
                               "change backup policies."));
    m_save->setText(tr("&Save"));
    m_revert->setText(tr("Re&vert"));
    m_save->setToolTip(tr("Store the policy; the agent uses it from its next check."));
    m_revert->setToolTip(tr("Discard the changes and show the stored policy."));
    m_copyBox->setTitle(tr("Copy to other servers"));
    m_copyHint->setText(tr("Give the chosen servers this server's stored policy. Either all of them get it or none."));
    m_copy->setText(tr("&Copy to the chosen servers"));
    updateState();
}

QString PolicyTab::title() const
{
    return tr("Policy");
}

} // namespace cairn::console
