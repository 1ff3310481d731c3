// AuditPage: the audit log, paged lazily, new entries on top. GUI thread.
#include "operator/AuditPage.h"

#include "core/Format.h"
#include "operator/TenantDirectory.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kPage = 100;
}

AuditModel::AuditModel(ApiClient *api, TenantDirectory *directory, QObject *parent)
    : QAbstractTableModel(parent), m_api(api), m_directory(directory)
{
    connect(directory, &TenantDirectory::changed, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, Tenant), index(m_rows.size() - 1, Tenant));
    });
}

QUrlQuery AuditModel::baseQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(kPage));
    if (m_tenant)
        q.addQueryItem(QStringLiteral("tenant"), QString::number(*m_tenant));
    return q;
}

void AuditModel::setTenant(std::optional<qint64> tenant)
{
    beginResetModel();
    m_tenant = tenant;
    m_rows.clear();
    m_next = QJsonValue(QJsonValue::Null);
    m_started = false;
    m_fetching = m_topFetching = false;
    ++m_generation;
    endResetModel();
    fetchMore({});
}

void AuditModel::setUserNames(const QHash<qint64, QString> &names)
{
    m_users = names;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Actor), index(m_rows.size() - 1, Actor));
}

bool AuditModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && (!m_started || !m_next.isNull());
}

void AuditModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    QUrlQuery q = baseQuery();
    if (m_started)
        q.addQueryItem(QStringLiteral("before"), QString::number(m_next.toInteger()));
    const quint64 generation = m_generation;
    m_api->get(QStringLiteral("/audit"), q, ApiClient::Scope::Global)
        ->then(
            this,
            [this, generation](const QJsonValue &body) {
                if (generation != m_generation)
                    return;
                m_fetching = false;
                m_started = true;
                const QJsonObject o = body.toObject();
                m_next = o.value(QLatin1String("next"));
                const QJsonArray items = o.value(QLatin1String("items")).toArray();
                if (items.isEmpty())
                    return;
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + items.size() - 1));
                for (const QJsonValue &v : items)
                    m_rows.append(v.toObject());
                endInsertRows();
            },
            [this, generation](const ApiError &e) {
                if (generation != m_generation)
                    return;
                m_fetching = false;
                emit failed(e);
            });
}

void AuditModel::refreshTop()
{
    if (!m_started) {
        fetchMore({});
        return;
    }
    if (m_topFetching)
        return;
    m_topFetching = true;
    const quint64 generation = m_generation;
    m_api->get(QStringLiteral("/audit"), baseQuery(), ApiClient::Scope::Global)
        ->then(
            this,
            [this, generation](const QJsonValue &body) {
                if (generation != m_generation)
                    return;
                m_topFetching = false;
                const qint64 top = m_rows.isEmpty() ? 0 : m_rows.first().value(QLatin1String("id")).toInteger();
                QList<QJsonObject> fresh;
                for (const QJsonValue &v : body.toObject().value(QLatin1String("items")).toArray())
                    if (v.toObject().value(QLatin1String("id")).toInteger() > top)
                        fresh.append(v.toObject());
                if (fresh.isEmpty())
                    return;
                // More than a page of news: the gap cannot be filled by this page; start over.
                if (fresh.size() >= kPage && top > 0) {
                    setTenant(m_tenant);
                    return;
                }
                beginInsertRows({}, 0, int(fresh.size() - 1));
                m_rows = fresh + m_rows;
                endInsertRows();
            },
            [this, generation](const ApiError &e) {
                if (generation != m_generation)
                    return;
                m_topFetching = false;
                emit failed(e);
            });
}

void AuditModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(m_rows.size() - 1, ColumnCount - 1));
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &e = m_rows[index.row()];
    if (role == Qt::ToolTipRole && index.column() == Detail)
        return QString::fromUtf8(
            QJsonDocument(e.value(QLatin1String("detail")).toObject()).toJson(QJsonDocument::Indented));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return format::dateTimeIso(e.value(QLatin1String("at")).toString());
    case Actor: {
        const QJsonValue user = e.value(QLatin1String("user"));
        const QJsonValue agent = e.value(QLatin1String("agent"));
        QString who;
        if (user.isDouble())
            who = m_users.value(user.toInteger(), tr("user %1").arg(user.toInteger()));
        else if (agent.isDouble())
            who = tr("agent %1").arg(agent.toInteger());
        else
            who = tr("Cairn");
        const QString peer = e.value(QLatin1String("peer")).toString();
        return peer.isEmpty() ? who : tr("%1 from %2").arg(who, peer);
    }
    case Action: return e.value(QLatin1String("action")).toString();
    case Tenant: {
        const QJsonValue t = e.value(QLatin1String("tenant"));
        return t.isDouble() ? m_directory->tenantName(t.toInteger()) : tr("—");
    }
    case Detail: {
        QString object = e.value(QLatin1String("object")).toString();
        const QJsonObject d = e.value(QLatin1String("detail")).toObject();
        const QString detail
            = d.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(d).toJson(QJsonDocument::Compact));
        return detail.isEmpty() ? object : object + QLatin1Char(' ') + detail;
    }
    }
    return {};
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time");
    case Actor: return tr("Actor");
    case Action: return tr("Action");
    case Tenant: return tr("Tenant");
    case Detail: return tr("Detail");
    }
    return {};
}

AuditPage::AuditPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_directory(new TenantDirectory(api, this)),
      m_model(new AuditModel(api, m_directory, this)),
      m_filter(new QSortFilterProxyModel(this)),
      m_tenantLabel(new QLabel(this)),
      m_tenant(new QComboBox(this)),
      m_actionLabel(new QLabel(this)),
      m_action(new QLineEdit(this)),
      m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("auditPage"));
    m_tenant->setObjectName(QStringLiteral("auditTenant"));
    m_action->setObjectName(QStringLiteral("auditActionFilter"));
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_tenantLabel->setBuddy(m_tenant);
    m_actionLabel->setBuddy(m_action);
    m_action->setClearButtonEnabled(true);
    m_filter->setSourceModel(m_model);
    m_filter->setFilterKeyColumn(AuditModel::Action);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_tenant->addItem(QString());

    auto *top = new QHBoxLayout;
    top->addWidget(m_tenantLabel);
    top->addWidget(m_tenant);
    top->addSpacing(16);
    top->addWidget(m_actionLabel);
    top->addWidget(m_action, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    connect(m_action, &QLineEdit::textChanged, m_filter, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_tenant, QOverload<int>::of(&QComboBox::activated), this, [this] {
        const QVariant t = m_tenant->currentData();
        m_model->setTenant(t.isValid() ? std::optional<qint64>(t.toLongLong()) : std::nullopt);
    });
    connect(m_model, &AuditModel::failed, this, [this](const ApiError &e) { showError(e); });
    connect(m_directory, &TenantDirectory::changed, this, &AuditPage::fillTenants);
    // The filter hides rows: keep loading older pages while the view is not full.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_action->text().isEmpty() && m_filter->rowCount() < 50 && m_model->canFetchMore({}))
            m_model->fetchMore({});
    });
    setTabOrder(m_tenant, m_action);
    setTabOrder(m_action, m_table);
    retranslateUi();
}

void AuditPage::fillTenants()
{
    const QVariant current = m_tenant->currentData();
    const QSignalBlocker block(m_tenant);
    while (m_tenant->count() > 1)
        m_tenant->removeItem(1);
    for (const QJsonValue &v : m_directory->tenants()) {
        const QJsonObject t = v.toObject();
        m_tenant->addItem(t.value(QLatin1String("name")).toString(), t.value(QLatin1String("id")).toInteger());
    }
    m_tenant->setCurrentIndex(current.isValid() ? qMax(0, m_tenant->findData(current)) : 0);
}

void AuditPage::refresh()
{
    if (m_directory->tenants().isEmpty())
        m_directory->refreshTenants();
    if (!beginLoad())
        return;
    // User names for the actor column (operators see every user).
    api()
        ->get(QStringLiteral("/users"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                QHash<qint64, QString> names;
                for (const QJsonValue &v : body.toObject().value(QLatin1String("items")).toArray()) {
                    const QJsonObject u = v.toObject();
                    names.insert(u.value(QLatin1String("id")).toInteger(), u.value(QLatin1String("login")).toString());
                }
                m_model->setUserNames(names);
            },
            [this](const ApiError &) { endLoad(); });
    m_model->refreshTop();
}

void AuditPage::retranslateUi()
{
    m_tenantLabel->setText(tr("&Tenant:"));
    m_tenant->setItemText(0, tr("All tenants"));
    m_actionLabel->setText(tr("&Action contains:"));
    m_action->setPlaceholderText(tr("e.g. ticket. or policy"));
    m_model->retranslate();
}

QString AuditPage::title() const
{
    return tr("Audit log");
}

} // namespace cairn::console
