// DashboardPage implementation: fetch, in-place model update, totals, charts. GUI thread.
#include "user/DashboardPage.h"

#include "core/Format.h"
#include "user/ServerSummaryModel.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"
#include "widgets/TimeSeriesChart.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kDays = 30;
}

DashboardPage::DashboardPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_model(new ServerSummaryModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_table(new QTableView(this)),
      m_filter(new QLineEdit(this)),
      m_filterLabel(new QLabel(this)),
      m_servers(new QLabel(this)),
      m_failed(new QLabel(this)),
      m_stored(new QLabel(this)),
      m_empty(new QLabel(this)),
      m_busy(new BusyIndicator(this)),
      m_storedChart(new TimeSeriesChart(TimeSeriesChart::Style::Line, this)),
      m_newChart(new TimeSeriesChart(TimeSeriesChart::Style::Bars, this))
{
    setObjectName(QStringLiteral("dashboardPage"));
    m_table->setObjectName(QStringLiteral("dashboardServers"));
    m_filter->setObjectName(QStringLiteral("dashboardFilter"));
    m_servers->setObjectName(QStringLiteral("dashboardTotalServers"));
    m_failed->setObjectName(QStringLiteral("dashboardTotalFailed"));
    m_stored->setObjectName(QStringLiteral("dashboardTotalStored"));
    m_empty->setObjectName(QStringLiteral("dashboardEmpty"));
    m_storedChart->setObjectName(QStringLiteral("dashboardStoredChart"));
    m_newChart->setObjectName(QStringLiteral("dashboardNewDataChart"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ServerSummaryModel::SortRole);
    m_proxy->setFilterKeyColumn(ServerSummaryModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ServerSummaryModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Uniform rows: fixed height, no measuring of 500 rows' contents.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int widths[] = {14, 18, 7, 20, 12, 8, 14};
    for (int c = 0; c < ServerSummaryModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c] * em);

    for (TimeSeriesChart *chart : {m_storedChart, m_newChart})
        chart->setValueFormatter([](qint64 v) { return format::bytes(v); });
    m_filterLabel->setBuddy(m_filter);
    m_filter->setClearButtonEnabled(true);
    m_empty->setWordWrap(true);
    m_empty->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(m_filterLabel);
    top->addWidget(m_filter, 1);
    top->addSpacing(12);
    top->addWidget(m_servers);
    top->addSpacing(12);
    top->addWidget(m_failed);
    top->addSpacing(12);
    top->addWidget(m_stored);
    top->addWidget(m_busy);

    auto *charts = new QWidget(this);
    auto *chartLayout = new QHBoxLayout(charts);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addWidget(m_storedChart);
    chartLayout->addWidget(m_newChart);

    auto *tableBox = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_empty);
    tableLayout->addWidget(m_table, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(tableBox);
    split->addWidget(charts);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table, &QAbstractItemView::activated, this, &DashboardPage::openCurrent);
    setTabOrder(m_filter, m_table);
    retranslateUi();
    updateTotals();
}

void DashboardPage::refresh()
{
    if (!api()->isLoggedIn() || !beginLoad())
        return;
    m_busy->setBusy(true);
    const auto done = [this] {
        endLoad();
        m_busy->setBusy(false);
        m_loaded = true;
        updateTotals();
    };
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("days"), QString::number(kDays));
    api()
        ->get(QStringLiteral("/dashboard"), q)
        ->then(
            this,
            [this, done](const QJsonValue &answer) {
                applyDashboard(answer.toObject());
                banner()->clear();
                done();
            },
            [this, done](const ApiError &e) {
                if (!e.isHttp(404)) {
                    showError(e);
                    done();
                    return;
                }
                // A server without the dashboard endpoint: the list of servers, no charts.
                api()
                    ->get(QStringLiteral("/servers"))
                    ->then(
                        this,
                        [this, done](const QJsonValue &answer) {
                            applyServers(answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray(),
                                QDateTime::currentDateTimeUtc());
                            m_stored->setProperty("storedBytes", QVariant());
                            banner()->clear();
                            done();
                        },
                        [this, done](const ApiError &e2) {
                            showError(e2);
                            done();
                        });
            });
}

void DashboardPage::applyDashboard(const QJsonObject &answer)
{
    QDateTime now = format::parseIso(answer.value(QLatin1String("generated_at")).toString());
    if (!now.isValid())
        now = QDateTime::currentDateTimeUtc();
    applyServers(answer.value(QLatin1String("servers")).toArray(), now);
    const QJsonValue stored = answer.value(QLatin1String("stored_bytes"));
    m_stored->setProperty("storedBytes", stored.isDouble() ? QVariant(stored.toInteger()) : QVariant());

    QList<TimeSeriesChart::Point> storedPoints, newPoints;
    for (const QJsonValue &v : answer.value(QLatin1String("series")).toArray()) {
        const QJsonObject day = v.toObject();
        const QDate date = QDate::fromString(day.value(QLatin1String("day")).toString(), Qt::ISODate);
        const QJsonValue s = day.value(QLatin1String("stored_bytes"));
        const QJsonValue n = day.value(QLatin1String("new_bytes"));
        storedPoints.append({date, s.isDouble() ? std::optional<qint64>(s.toInteger()) : std::nullopt});
        newPoints.append({date, n.isDouble() ? std::optional<qint64>(n.toInteger()) : std::nullopt});
    }
    m_storedChart->setPoints(storedPoints);
    m_newChart->setPoints(newPoints);
}

void DashboardPage::applyServers(const QJsonArray &servers, const QDateTime &now)
{
    m_model->setServers(servers, now);
}

void DashboardPage::updateTotals()
{
    m_servers->setText(tr("Servers: %1").arg(format::number(m_model->rowCount())));
    const int failed = m_model->failedCount();
    m_failed->setText(tr("Failed last runs: %1").arg(format::number(failed)));
    m_failed->setStyleSheet(failed > 0 ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
    const QVariant stored = m_stored->property("storedBytes");
    m_stored->setText(
        tr("Stored: %1").arg(format::bytes(stored.isValid() ? stored.toLongLong() : m_model->storedBytes())));
    const bool none = m_loaded && m_model->rowCount() == 0;
    m_empty->setVisible(none);
}

void DashboardPage::openCurrent(const QModelIndex &proxyIndex)
{
    if (!proxyIndex.isValid())
        return;
    const qint64 id = m_proxy->data(proxyIndex, ServerSummaryModel::IdRole).toLongLong();
    if (id > 0)
        emit openServerRequested(id, OverviewTabIndex);
}

void DashboardPage::retranslateUi()
{
    m_filterLabel->setText(tr("&Find server:"));
    m_filter->setPlaceholderText(tr("Part of a server's name"));
    m_table->setToolTip(tr("Double-click a server or press Enter to open it."));
    m_empty->setText(tr("No servers yet. Install the Cairn agent on a server and enrol it with an enrollment code."));
    m_storedChart->setTitle(tr("Stored data over the last %n days", nullptr, kDays));
    m_newChart->setTitle(tr("New data per day"));
    for (TimeSeriesChart *chart : {m_storedChart, m_newChart})
        chart->setEmptyText(tr("No data yet"));
    m_model->retranslate();
    updateTotals();
}

QString DashboardPage::title() const
{
    return tr("Dashboard");
}

} // namespace cairn::console
