// TicketQueuePage: fetches GET /operator/ticket-queue on every tick, keeps the table in place and
// the handling view on the selected ticket. GUI thread.
#include "operator/TicketQueuePage.h"

#include "operator/TenantDirectory.h"
#include "operator/TicketHandlingView.h"
#include "operator/TicketQueueModel.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::console {

TicketQueuePage::TicketQueuePage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_directory(new TenantDirectory(api, this)),
      m_model(new TicketQueueModel(m_directory, this)),
      m_filter(new TicketQueueFilter(this)),
      m_filterLabel(new QLabel(this)),
      m_show(new QComboBox(this)),
      m_count(new QLabel(this)),
      m_busy(new BusyIndicator(this)),
      m_table(new QTableView(this)),
      m_view(new TicketHandlingView(api, m_directory, this)),
      m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setObjectName(QStringLiteral("ticketQueuePage"));
    m_show->setObjectName(QStringLiteral("ticketQueueFilter"));
    m_count->setObjectName(QStringLiteral("ticketQueueCount"));
    m_table->setObjectName(QStringLiteral("ticketQueue"));
    m_filterLabel->setBuddy(m_show);
    m_filter->setSourceModel(m_model);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TicketQueueModel::Due, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto *top = new QHBoxLayout;
    top->addWidget(m_filterLabel);
    top->addWidget(m_show);
    top->addWidget(m_count, 1);
    top->addWidget(m_busy);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_view);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(scroll);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);

    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TicketQueuePage::onCurrentChanged);
    connect(m_show, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &TicketQueuePage::applyFilter);
    connect(m_view, &TicketHandlingView::ticketChanged, this, [this] {
        endLoad(); // an action's answer: reload the queue now
        refresh();
    });
    // Only the count label: touching the model from the proxy's own signals would re-enter it.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &TicketQueuePage::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &TicketQueuePage::updateCount);
    setTabOrder(m_show, m_table);
    retranslateUi();
    applyFilter();
}

void TicketQueuePage::refresh()
{
    if (!beginLoad())
        return;
    m_busy->setBusy(true);
    api()
        ->get(QStringLiteral("/operator/ticket-queue"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                m_busy->setBusy(false);
                banner()->clear();
                // Rows that leave (a ticket closed) must not move the view to a neighbour.
                m_updating = true;
                m_model->setTickets(body.toObject().value(QLatin1String("items")).toArray());
                m_updating = false;
                keepSelectionOnView();
                updateCount();
            },
            [this](const ApiError &e) {
                endLoad();
                m_busy->setBusy(false);
                showError(e);
            });
    m_view->refresh();
}

void TicketQueuePage::showTicket(qint64 ticketId, qint64 tenantId)
{
    const int row = m_model->rowOf(ticketId);
    if (row >= 0) {
        const QModelIndex i = m_filter->mapFromSource(m_model->index(row, 0));
        if (i.isValid()) {
            m_table->selectionModel()->setCurrentIndex(
                i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->scrollTo(i);
        }
    }
    m_view->setTicket(ticketId, tenantId);
}

void TicketQueuePage::keepSelectionOnView()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (m_view->ticketId() <= 0
        || (current.isValid() && current.data(TicketQueueModel::TicketIdRole).toLongLong() == m_view->ticketId()))
        return;
    const int row = m_model->rowOf(m_view->ticketId());
    const QModelIndex i = row >= 0 ? m_filter->mapFromSource(m_model->index(row, 0)) : QModelIndex();
    const QSignalBlocker block(m_table->selectionModel());
    if (i.isValid())
        m_table->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else
        m_table->selectionModel()->clear();
    m_table->viewport()->update();
}

void TicketQueuePage::onCurrentChanged()
{
    if (m_updating)
        return;
    const QModelIndex i = m_table->selectionModel()->currentIndex();
    if (!i.isValid())
        return; // the view keeps the last ticket (e.g. one that just left the queue)
    m_view->setTicket(
        i.data(TicketQueueModel::TicketIdRole).toLongLong(), i.data(TicketQueueModel::TenantIdRole).toLongLong());
}

void TicketQueuePage::applyFilter()
{
    const int i = m_show->currentIndex();
    const auto show = i == 0 ? TicketQueueFilter::Show::Mine
        : i == 1             ? TicketQueueFilter::Show::Unassigned
                             : TicketQueueFilter::Show::All;
    m_updating = true;
    m_filter->setShow(show, api()->user().id);
    m_updating = false;
    keepSelectionOnView();
    updateCount();
}

void TicketQueuePage::updateCount()
{
    m_count->setText(tr("%n ticket(s) shown of %1 open", nullptr, m_filter->rowCount()).arg(m_model->rowCount()));
}

void TicketQueuePage::retranslateUi()
{
    m_filterLabel->setText(tr("S&how:"));
    const QStringList items {tr("Mine"), tr("Unassigned"), tr("All open tickets")};
    if (m_show->count() != items.size()) {
        const QSignalBlocker block(m_show);
        m_show->clear();
        m_show->addItems(items);
        m_show->setCurrentIndex(2);
    } else {
        for (int i = 0; i < items.size(); ++i)
            m_show->setItemText(i, items[i]);
    }
    updateCount();
    m_model->retranslate();
    m_view->retranslateUi();
}

QString TicketQueuePage::title() const
{
    return tr("Ticket queue");
}

} // namespace cairn::console
