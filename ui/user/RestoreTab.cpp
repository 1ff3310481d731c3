// RestoreTab implementation. GUI thread.
#include "user/RestoreTab.h"

#include "core/Format.h"
#include "user/RestoreRequestForm.h"
#include "user/SnapshotTreeModel.h"
#include "user/TicketListModel.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cairn::console {

namespace {

enum SnapshotColumn { TimeColumn, FilesColumn, SizeColumn };
constexpr int kSnapshotIdRole = Qt::UserRole;
constexpr int kSnapshotTimeRole = Qt::UserRole + 1;
constexpr int kPathRole = Qt::UserRole;

} // namespace

RestoreTab::RestoreTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent),
      m_treeModel(new SnapshotTreeModel(api, this)),
      m_tickets(new TicketListModel(this)),
      m_snapshotsHeading(new QLabel(this)),
      m_snapshots(new QTreeWidget(this)),
      m_snapshotsEmpty(new QLabel(this)),
      m_search(new QLineEdit(this)),
      m_searchButton(new QPushButton(this)),
      m_searchNote(new QLabel(this)),
      m_searchResults(new QListWidget(this)),
      m_tree(new QTreeView(this)),
      m_busy(new BusyIndicator(this)),
      m_chosen(new QLabel(this)),
      m_request(new QPushButton(this)),
      m_form(new RestoreRequestForm(api, this)),
      m_ticketsHeading(new QLabel(this)),
      m_ticketTable(new QTableView(this))
{
    setObjectName(QStringLiteral("restoreTab"));
    m_snapshots->setObjectName(QStringLiteral("snapshotList"));
    m_snapshotsEmpty->setObjectName(QStringLiteral("snapshotListEmpty"));
    m_search->setObjectName(QStringLiteral("snapshotSearch"));
    m_searchButton->setObjectName(QStringLiteral("snapshotSearchButton"));
    m_searchNote->setObjectName(QStringLiteral("snapshotSearchNote"));
    m_searchResults->setObjectName(QStringLiteral("snapshotSearchResults"));
    m_tree->setObjectName(QStringLiteral("snapshotTree"));
    m_chosen->setObjectName(QStringLiteral("restoreChosen"));
    m_request->setObjectName(QStringLiteral("requestRestore"));
    m_ticketTable->setObjectName(QStringLiteral("serverTickets"));

    QFont bold = m_snapshotsHeading->font();
    bold.setBold(true);
    m_snapshotsHeading->setFont(bold);
    m_ticketsHeading->setFont(bold);
    m_snapshots->setColumnCount(3);
    m_snapshots->setRootIsDecorated(false);
    m_snapshots->setSelectionMode(QAbstractItemView::SingleSelection);
    m_snapshots->setAllColumnsShowFocus(true);
    m_snapshots->setUniformRowHeights(true);
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true); // only rows in view are asked for (the "more" rows fetch then)
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_searchResults->hide();
    m_searchResults->setMaximumHeight(140);
    m_searchNote->hide();
    m_searchNote->setWordWrap(true);
    m_form->hide();
    m_ticketTable->setModel(m_tickets);
    m_ticketTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_ticketTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_ticketTable->verticalHeader()->hide();
    m_ticketTable->horizontalHeader()->setStretchLastSection(true);
    m_ticketTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ticketTable->setMaximumHeight(180);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_snapshotsHeading);
    leftLayout->addWidget(m_snapshots, 1);
    leftLayout->addWidget(m_snapshotsEmpty);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_searchButton);
    searchRow->addWidget(m_busy);
    rightLayout->addLayout(searchRow);
    rightLayout->addWidget(m_searchNote);
    rightLayout->addWidget(m_searchResults);
    rightLayout->addWidget(m_tree, 1);
    auto *chooseRow = new QHBoxLayout;
    chooseRow->addWidget(m_chosen, 1);
    chooseRow->addWidget(m_request);
    rightLayout->addLayout(chooseRow);
    rightLayout->addWidget(m_form);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(split, 1);
    layout->addWidget(m_ticketsHeading);
    layout->addWidget(m_ticketTable);
    setTabOrder(m_snapshots, m_search);
    setTabOrder(m_search, m_searchButton);
    setTabOrder(m_searchButton, m_searchResults);
    setTabOrder(m_searchResults, m_tree);
    setTabOrder(m_tree, m_request);

    connect(m_snapshots, &QTreeWidget::itemSelectionChanged, this, &RestoreTab::onSnapshotChosen);
    connect(m_search, &QLineEdit::returnPressed, this, &RestoreTab::search);
    connect(m_searchButton, &QPushButton::clicked, this, &RestoreTab::search);
    connect(m_searchResults, &QListWidget::itemChanged, this, &RestoreTab::onSearchItemChanged);
    connect(m_searchResults, &QListWidget::itemActivated, this, [](QListWidgetItem *item) {
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    });
    connect(m_treeModel, &SnapshotTreeModel::checkedChanged, this, &RestoreTab::syncChecked);
    connect(m_treeModel, &SnapshotTreeModel::loadingChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_treeModel, &SnapshotTreeModel::failed, this, [this](const ApiError &e) { showError(e); });
    connect(m_request, &QPushButton::clicked, this, &RestoreTab::openForm);
    connect(m_form, &RestoreRequestForm::closeRequested, this, [this] {
        m_form->hide();
        m_request->setFocus();
    });
    connect(m_form, &RestoreRequestForm::submitted, this, [this](const QJsonObject &ticket) {
        m_tickets->upsert(ticket);
        m_treeModel->clearChecked();
    });
    connect(m_ticketTable, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QJsonObject t = m_tickets->ticket(index.row());
        emit openTicketRequested(
            t.value(QLatin1String("id")).toInteger(), t.value(QLatin1String("tenant")).toInteger());
    });
    retranslateUi();
    syncChecked();
}

void RestoreTab::setServer(qint64 id, const QJsonObject &server)
{
    const bool other = id != serverId();
    ServerTab::setServer(id, server);
    if (!other)
        return;
    banner()->clear();
    m_snapshots->clear();
    m_snapshot.clear();
    m_treeModel->setSnapshot(QString());
    m_searchResults->clear();
    m_searchResults->hide();
    m_searchNote->hide();
    m_form->hide();
    m_form->resetResult();
    m_form->setSource(id, QString(), QString());
    m_tickets->setServerFilter(id);
}

void RestoreTab::fetchOnce()
{
    if (m_fetchedOnce)
        return;
    m_fetchedOnce = true;
    api()
        ->get(QStringLiteral("/session/me"))
        ->then(
            this,
            [this](const QJsonValue &me) {
                const QJsonObject user = me[QLatin1String("user")].toObject();
                const QString name = user.value(QLatin1String("display_name")).toString();
                m_form->setContact(name.isEmpty() ? user.value(QLatin1String("login")).toString() : name,
                    user.value(QLatin1String("email")).toString());
            },
            [](const ApiError &) {});
}

void RestoreTab::refresh()
{
    if (serverId() <= 0)
        return;
    fetchOnce();
    refreshTickets();
    if (!beginLoad())
        return;
    const qint64 server = serverId();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("server"), QString::number(server));
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("200"));
    api()
        ->get(QStringLiteral("/snapshots"), q)
        ->then(
            this,
            [this, server](const QJsonValue &answer) {
                endLoad();
                if (server == serverId())
                    applySnapshots(answer[QLatin1String("items")].toArray());
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
    api()
        ->get(QStringLiteral("/servers"))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                const QJsonArray servers
                    = answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray();
                m_form->setServers(servers);
                m_tickets->setServers(servers);
            },
            [](const ApiError &) {});
}

void RestoreTab::refreshTickets()
{
    if (m_ticketsLoading > 0)
        return;
    ++m_ticketsLoading;
    const qint64 server = serverId();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("200"));
    api()
        ->get(QStringLiteral("/restore-tickets"), q)
        ->then(
            this,
            [this, server](const QJsonValue &answer) {
                --m_ticketsLoading;
                if (server == serverId())
                    m_tickets->mergeTop(answer[QLatin1String("items")].toArray());
            },
            [this](const ApiError &e) {
                --m_ticketsLoading;
                showError(e);
            });
}

void RestoreTab::applySnapshots(const QJsonArray &items)
{
    // Newest first; existing items are updated in place so the selection stays.
    QList<QJsonObject> list;
    for (const QJsonValue &v : items)
        list.append(v.toObject());
    std::sort(list.begin(), list.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return format::parseIso(a.value(QLatin1String("time")).toString())
            > format::parseIso(b.value(QLatin1String("time")).toString());
    });
    QHash<QString, QTreeWidgetItem *> existing;
    for (int i = 0; i < m_snapshots->topLevelItemCount(); ++i)
        existing.insert(
            m_snapshots->topLevelItem(i)->data(TimeColumn, kSnapshotIdRole).toString(), m_snapshots->topLevelItem(i));
    for (int i = 0; i < list.size(); ++i) {
        const QJsonObject &s = list[i];
        const QString id = s.value(QLatin1String("id")).toString();
        QTreeWidgetItem *item = existing.take(id);
        if (!item) {
            item = new QTreeWidgetItem;
            item->setData(TimeColumn, kSnapshotIdRole, id);
            m_snapshots->insertTopLevelItem(std::min(i, m_snapshots->topLevelItemCount()), item);
        }
        const QJsonObject stats = s.value(QLatin1String("stats")).toObject();
        const QString time = s.value(QLatin1String("time")).toString();
        item->setData(TimeColumn, kSnapshotTimeRole, time);
        item->setText(TimeColumn, format::dateTimeIso(time));
        item->setText(FilesColumn,
            stats.contains(QLatin1String("files")) ? format::number(stats.value(QLatin1String("files")).toInteger())
                                                   : QString());
        const qint64 bytes = stats.contains(QLatin1String("bytes_scanned"))
            ? stats.value(QLatin1String("bytes_scanned")).toInteger()
            : stats.value(QLatin1String("bytes")).toInteger();
        item->setText(SizeColumn, stats.isEmpty() ? QString() : format::bytes(bytes));
        item->setTextAlignment(FilesColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(TimeColumn, id);
    }
    for (QTreeWidgetItem *gone : std::as_const(existing)) // removed by retention
        delete gone;
    m_snapshotsEmpty->setVisible(m_snapshots->topLevelItemCount() == 0);
}

bool RestoreTab::selectSnapshot(const QString &snapshotId)
{
    for (int i = 0; i < m_snapshots->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_snapshots->topLevelItem(i);
        if (item->data(TimeColumn, kSnapshotIdRole).toString() == snapshotId) {
            m_snapshots->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

void RestoreTab::onSnapshotChosen()
{
    const QList<QTreeWidgetItem *> selected = m_snapshots->selectedItems();
    const QString id = selected.isEmpty() ? QString() : selected.first()->data(TimeColumn, kSnapshotIdRole).toString();
    if (id == m_snapshot)
        return;
    m_snapshot = id;
    m_treeModel->setSnapshot(id);
    m_searchResults->clear();
    m_searchResults->hide();
    m_searchNote->hide();
    const QString time = selected.isEmpty()
        ? QString()
        : format::dateTimeIso(selected.first()->data(TimeColumn, kSnapshotTimeRole).toString());
    m_form->setSource(serverId(), id, time);
    m_form->resetResult();
    syncChecked();
}

void RestoreTab::search()
{
    const QString text = m_search->text().trimmed();
    if (m_snapshot.isEmpty() || text.isEmpty())
        return;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("q"), text);
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("200"));
    m_searchButton->setEnabled(false);
    m_busy->setBusy(true);
    const QString snapshot = m_snapshot;
    api()
        ->get(QStringLiteral("/snapshots/%1/search").arg(snapshot), q)
        ->then(
            this,
            [this, snapshot](const QJsonValue &answer) {
                m_searchButton->setEnabled(true);
                m_busy->setBusy(m_treeModel->isLoading());
                if (snapshot == m_snapshot)
                    applySearch(answer.toObject());
            },
            [this](const ApiError &e) {
                m_searchButton->setEnabled(true);
                m_busy->setBusy(m_treeModel->isLoading());
                showError(e);
            });
}

void RestoreTab::applySearch(const QJsonObject &answer)
{
    m_syncing = true;
    m_searchResults->clear();
    const QJsonArray items = answer.value(QLatin1String("items")).toArray();
    for (const QJsonValue &v : items) {
        const QJsonObject e = v.toObject();
        const QByteArray path = e.contains(QLatin1String("path_b64"))
            ? QByteArray::fromBase64(e.value(QLatin1String("path_b64")).toString().toLatin1())
            : e.value(QLatin1String("path")).toString().toUtf8();
        const bool dir = e.value(QLatin1String("type")).toString() == QLatin1String("dir");
        auto *item = new QListWidgetItem(dir
                ? QString::fromUtf8(path) + QLatin1Char('/')
                : tr("%1 (%2)").arg(QString::fromUtf8(path), format::bytes(e.value(QLatin1String("size")).toInteger())),
            m_searchResults);
        item->setData(kPathRole, path);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(m_treeModel->isChecked(path) ? Qt::Checked : Qt::Unchecked);
    }
    m_syncing = false;
    m_searchResults->setVisible(!items.isEmpty());
    const bool truncated = answer.value(QLatin1String("truncated")).toBool();
    m_searchNote->setText(items.isEmpty() ? tr("No file or folder of this snapshot has \"%1\" in its name.")
                                                .arg(answer.value(QLatin1String("query")).toString())
            : truncated
            ? tr("%n match(es) shown; there may be more — search for a longer name.", nullptr, int(items.size()))
            : tr("%n match(es). Tick one to restore it.", nullptr, int(items.size())));
    m_searchNote->show();
}

void RestoreTab::onSearchItemChanged(QListWidgetItem *item)
{
    if (m_syncing)
        return;
    m_treeModel->setChecked(item->data(kPathRole).toByteArray(), item->checkState() == Qt::Checked);
}

void RestoreTab::syncChecked()
{
    const QList<QByteArray> paths = m_treeModel->checkedPaths();
    m_chosen->setText(paths.isEmpty() ? tr("Tick the files and folders to restore.")
                                      : tr("%n item(s) chosen to restore.", nullptr, int(paths.size())));
    m_request->setEnabled(!m_snapshot.isEmpty());
    m_form->setPaths(paths);
    m_syncing = true;
    for (int i = 0; i < m_searchResults->count(); ++i) {
        QListWidgetItem *item = m_searchResults->item(i);
        item->setCheckState(m_treeModel->isChecked(item->data(kPathRole).toByteArray()) ? Qt::Checked : Qt::Unchecked);
    }
    m_syncing = false;
}

void RestoreTab::openForm()
{
    m_form->setPaths(m_treeModel->checkedPaths());
    m_form->resetResult();
    m_form->show();
    m_form->setFocus();
    if (QWidget *first = m_form->findChild<QWidget *>(QStringLiteral("requestTargetServer")))
        first->setFocus();
}

void RestoreTab::retranslateUi()
{
    m_snapshotsHeading->setText(tr("Snapshots"));
    m_snapshots->setHeaderLabels({tr("Time"), tr("Files"), tr("Size")});
    m_snapshotsEmpty->setText(tr("No snapshots of this server yet."));
    m_search->setPlaceholderText(tr("Search file names in this snapshot"));
    m_searchButton->setText(tr("Sea&rch"));
    m_request->setText(tr("Request &restore…"));
    m_ticketsHeading->setText(tr("Restore requests for this server"));
    m_treeModel->retranslate();
    m_tickets->retranslate();
    syncChecked();
}

QString RestoreTab::title() const
{
    return tr("Restore");
}

} // namespace cairn::console
