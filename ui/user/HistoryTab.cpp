// HistoryTab implementation. GUI thread.
#include "user/HistoryTab.h"

#include "core/Format.h"
#include "user/HistoryModel.h"
#include "user/JobDetailView.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::console {

namespace {

const QDate kAnyDate(2000, 1, 1); // the date edits' "any" value

const char *const kStates[] = {"", "pending", "running", "succeeded", "warning", "failed", "missed", "cancelled"};
const char *const kKinds[] = {"", "backup", "restore"};

bool isOpen(const QJsonObject &job)
{
    const QString s = job.value(QLatin1String("state")).toString();
    return s == QLatin1String("running") || s == QLatin1String("pending");
}

} // namespace

HistoryTab::HistoryTab(ApiClient *api, QWidget *parent)
    : ServerTab(api, parent),
      m_model(new HistoryModel(api, this)),
      m_state(new QComboBox(this)),
      m_kind(new QComboBox(this)),
      m_stateLabel(new QLabel(this)),
      m_kindLabel(new QLabel(this)),
      m_fromLabel(new QLabel(this)),
      m_toLabel(new QLabel(this)),
      m_from(new QDateEdit(this)),
      m_to(new QDateEdit(this)),
      m_backupNow(new QPushButton(this)),
      m_count(new QLabel(this)),
      m_busy(new BusyIndicator(this)),
      m_split(new QSplitter(Qt::Horizontal, this)),
      m_table(new QTableView(m_split)),
      m_detail(new JobDetailView(api, this))
{
    setObjectName(QStringLiteral("historyTab"));
    m_state->setObjectName(QStringLiteral("historyState"));
    m_kind->setObjectName(QStringLiteral("historyKind"));
    m_from->setObjectName(QStringLiteral("historyFrom"));
    m_to->setObjectName(QStringLiteral("historyTo"));
    m_backupNow->setObjectName(QStringLiteral("historyBackupNow"));
    m_count->setObjectName(QStringLiteral("historyCount"));
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_split->setObjectName(QStringLiteral("historySplit"));
    m_stateLabel->setBuddy(m_state);
    m_kindLabel->setBuddy(m_kind);
    m_fromLabel->setBuddy(m_from);
    m_toLabel->setBuddy(m_to);
    for (QDateEdit *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setMinimumDate(kAnyDate);
        d->setDate(kAnyDate);
    }

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionsClickable(true);
    m_table->horizontalHeader()->setSortIndicatorShown(true);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(110);

    auto *detailScroll = new QScrollArea(m_split);
    detailScroll->setWidget(m_detail);
    detailScroll->setWidgetResizable(true);
    detailScroll->setFrameShape(QFrame::NoFrame);
    m_split->addWidget(m_table);
    m_split->addWidget(detailScroll);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_stateLabel);
    filters->addWidget(m_state);
    filters->addWidget(m_kindLabel);
    filters->addWidget(m_kind);
    filters->addWidget(m_fromLabel);
    filters->addWidget(m_from);
    filters->addWidget(m_toLabel);
    filters->addWidget(m_to);
    filters->addStretch(1);
    filters->addWidget(m_busy);
    filters->addWidget(m_count);
    filters->addWidget(m_backupNow);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(filters);
    layout->addWidget(m_split, 1);
    setTabOrder(m_state, m_kind);
    setTabOrder(m_kind, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_backupNow);
    setTabOrder(m_backupNow, m_table);

    connect(m_state, &QComboBox::currentIndexChanged, this, &HistoryTab::applyFilter);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &HistoryTab::applyFilter);
    connect(m_from, &QDateEdit::dateChanged, this, &HistoryTab::applyFilter);
    connect(m_to, &QDateEdit::dateChanged, this, &HistoryTab::applyFilter);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, &HistoryTab::onHeaderClicked);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &HistoryTab::onCurrentChanged);
    connect(m_backupNow, &QPushButton::clicked, this, &HistoryTab::backUpNow);
    connect(m_model, &HistoryModel::loadingChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_model, &HistoryModel::failed, this, [this](const ApiError &e) { showError(e); });
    connect(m_model, &HistoryModel::rowsInserted, this, &HistoryTab::updateCount);
    connect(m_model, &HistoryModel::modelReset, this, &HistoryTab::updateCount);
    connect(m_model, &HistoryModel::rowsRemoved, this, &HistoryTab::updateCount);
    connect(m_model, &HistoryModel::topRefreshed, this, &HistoryTab::updateCount); // the total may change alone
    connect(m_model, &HistoryModel::firstPageLoaded, this, [this] {
        updateCount();
        if (m_wanted > 0)
            selectJob(m_wanted);
        else if (m_detail->jobId() > 0 && m_model->rowOfJob(m_detail->jobId()) >= 0)
            selectJob(m_detail->jobId());
    });
    connect(m_model, &HistoryModel::jobUpdated, this, [this](const QJsonObject &job) {
        if (job.value(QLatin1String("id")).toInteger() == m_detail->jobId())
            m_detail->showJob(job);
    });
    connect(m_model, &HistoryModel::topRefreshed, this, &HistoryTab::keepDetailSelected);
    connect(m_model, &HistoryModel::rowsInserted, this, [this] {
        if (!m_model->isDroppingRows())
            keepDetailSelected(); // a page that holds the detail's run came in
    });
    connect(m_detail, &JobDetailView::jobChanged, this, [this](const QJsonObject &job) {
        if (m_model->rowOfJob(job.value(QLatin1String("id")).toInteger()) >= 0)
            m_model->upsertJob(job);
    });
    connect(m_detail, &JobDetailView::failed, this, [this](const ApiError &e) { showError(e); });

    m_follow.setInterval(2000);
    connect(&m_follow, &QTimer::timeout, this, &HistoryTab::followTick);
    retranslateUi();
}

void HistoryTab::setServer(qint64 id, const QJsonObject &server)
{
    const bool other = id != serverId();
    ServerTab::setServer(id, server);
    if (!other)
        return;
    m_wanted = 0;
    m_detail->clear();
    banner()->clear();
    m_model->setServer(id);
}

void HistoryTab::refresh()
{
    if (serverId() <= 0)
        return;
    m_model->refreshTop();
}

void HistoryTab::applyFilter()
{
    HistoryModel::Filter f;
    f.state = QLatin1String(kStates[std::max(0, m_state->currentIndex())]);
    f.kind = QLatin1String(kKinds[std::max(0, m_kind->currentIndex())]);
    f.from = m_from->date() == kAnyDate ? QDate() : m_from->date();
    f.to = m_to->date() == kAnyDate ? QDate() : m_to->date();
    if (m_detail->jobId() > 0)
        m_wanted = m_detail->jobId(); // keep the detail's run selected if the new list has it
    m_model->setFilter(f);
}

void HistoryTab::onHeaderClicked(int column)
{
    QHeaderView *header = m_table->horizontalHeader();
    if (HistoryModel::sortKey(column).isEmpty()) {
        // The server cannot sort by this column: keep the indicator where the order really is.
        header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
        return;
    }
    Qt::SortOrder order
        = column == HistoryModel::Kind || column == HistoryModel::State ? Qt::AscendingOrder : Qt::DescendingOrder;
    if (column == m_model->sortColumn())
        order = m_model->sortOrder() == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder;
    if (m_detail->jobId() > 0)
        m_wanted = m_detail->jobId();
    m_model->sort(column, order);
    header->setSortIndicator(column, order);
}

void HistoryTab::onCurrentChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    // A refresh dropping the current row moves the current index to a neighbour: that is not the
    // user choosing another run, and the detail stays (keepDetailSelected tidies the table after).
    if (!current.isValid() || m_model->isDroppingRows())
        return;
    const QJsonObject job = m_model->job(current.row());
    if (job.value(QLatin1String("id")).toInteger() == m_wanted)
        m_wanted = 0;
    m_detail->showJob(job);
    m_following = isOpen(job);
    if (m_following && isVisible())
        m_follow.start();
}

void HistoryTab::selectJob(qint64 jobId)
{
    const int row = m_model->rowOfJob(jobId);
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    m_wanted = 0;
}

void HistoryTab::keepDetailSelected()
{
    const qint64 id = m_detail->jobId();
    if (id <= 0)
        return;
    QItemSelectionModel *selection = m_table->selectionModel();
    const int row = m_model->rowOfJob(id);
    if (row < 0) {
        if (selection->currentIndex().isValid())
            selection->clear(); // the run is not in the loaded rows: no other row looks chosen
        return;
    }
    if (selection->currentIndex().row() != row)
        selection->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void HistoryTab::showJob(qint64 jobId)
{
    if (m_model->rowOfJob(jobId) >= 0) {
        selectJob(jobId);
        return;
    }
    m_wanted = jobId;
    api()
        ->get(QStringLiteral("/jobs/%1").arg(jobId))
        ->then(
            this,
            [this, jobId](const QJsonValue &answer) {
                const QJsonObject job = answer.toObject();
                if (m_wanted != jobId || job.value(QLatin1String("server")).toInteger() != serverId())
                    return;
                if (m_model->rowOfJob(jobId) >= 0) {
                    m_model->upsertJob(job); // a page holding it came in meanwhile
                    selectJob(jobId);
                    return;
                }
                // Not among the loaded rows (an old run, or outside the filter): the detail shows
                // it and the table keeps the server's order rather than holding it out of place.
                m_wanted = 0;
                m_table->selectionModel()->clear();
                m_detail->showJob(job);
                m_following = isOpen(job);
                if (m_following && isVisible())
                    m_follow.start();
            },
            [this](const ApiError &e) { showError(e); });
}

void HistoryTab::backUpNow()
{
    if (serverId() <= 0)
        return;
    m_backupNow->setEnabled(false);
    const qint64 server = serverId();
    api()
        ->post(QStringLiteral("/servers/%1/backup").arg(server))
        ->then(
            this,
            [this, server](const QJsonValue &answer) {
                m_backupNow->setEnabled(true);
                if (server != serverId())
                    return;
                const QJsonObject job = answer.toObject();
                m_model->upsertJob(job, HistoryModel::Placement::OnTop);
                selectJob(job.value(QLatin1String("id")).toInteger());
                m_table->scrollToTop();
                showInfo(tr("Backup requested. It starts when the server's agent next checks in."));
            },
            [this](const ApiError &e) {
                m_backupNow->setEnabled(true);
                showError(e);
            });
}

void HistoryTab::followTick()
{
    const qint64 id = m_detail->jobId();
    if (!m_following || id <= 0 || !isVisible()) {
        m_follow.stop();
        return;
    }
    api()
        ->get(QStringLiteral("/jobs/%1").arg(id))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                const QJsonObject job = answer.toObject();
                const qint64 id = job.value(QLatin1String("id")).toInteger();
                if (job.value(QLatin1String("server")).toInteger() != serverId())
                    return;
                if (m_model->rowOfJob(id) >= 0)
                    m_model->upsertJob(job); // and the detail through jobUpdated
                else if (id == m_detail->jobId())
                    m_detail->showJob(job);
                if (id != m_detail->jobId())
                    return; // a late answer for a run the detail has left: it follows another
                if (!isOpen(job)) {
                    m_following = false;
                    m_follow.stop();
                    m_model->refreshTop(); // the finished run's neighbours may have changed too
                }
            },
            [](const ApiError &) {});
}

void HistoryTab::showEvent(QShowEvent *event)
{
    ServerTab::showEvent(event);
    if (m_following)
        m_follow.start();
}

void HistoryTab::hideEvent(QHideEvent *event)
{
    m_follow.stop();
    ServerTab::hideEvent(event);
}

void HistoryTab::updateCount()
{
    const int shown = m_model->rowCount();
    if (m_model->total() >= 0)
        m_count->setText(
            tr("%1 of %2 runs").arg(format::number(shown), format::number(std::max<qint64>(shown, m_model->total()))));
    else
        m_count->setText(tr("%n run(s)", nullptr, shown));
}

void HistoryTab::fillCombos()
{
    const int state = std::max(0, m_state->currentIndex());
    const int kind = std::max(0, m_kind->currentIndex());
    const QSignalBlocker b1(m_state), b2(m_kind);
    m_state->clear();
    for (const char *s : kStates)
        m_state->addItem(*s ? format::jobState(QLatin1String(s)) : tr("All states"));
    m_kind->clear();
    for (const char *k : kKinds)
        m_kind->addItem(*k ? format::jobKind(QLatin1String(k)) : tr("Backups and restores"));
    m_state->setCurrentIndex(state);
    m_kind->setCurrentIndex(kind);
}

void HistoryTab::retranslateUi()
{
    fillCombos();
    m_stateLabel->setText(tr("&State:"));
    m_kindLabel->setText(tr("&Kind:"));
    m_fromLabel->setText(tr("&From:"));
    m_toLabel->setText(tr("&To:"));
    m_from->setSpecialValueText(tr("Any day"));
    m_to->setSpecialValueText(tr("Any day"));
    m_backupNow->setText(tr("&Back up now"));
    m_backupNow->setToolTip(tr("Start a backup of this server now, outside its schedule."));
    m_model->retranslate();
    updateCount();
}

QString HistoryTab::title() const
{
    return tr("History");
}

} // namespace cairn::console
