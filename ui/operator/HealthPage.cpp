// HealthPage: store capacity, offline agents, failed runs and counts. GUI thread.
#include "operator/HealthPage.h"

#include "core/Format.h"
#include "widgets/MessageBanner.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
QTableWidget *table(QWidget *parent, const char *name, int columns)
{
    auto *t = new QTableWidget(0, columns, parent);
    t->setObjectName(QLatin1String(name));
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QString str(const QJsonObject &o, const char *k)
{
    return o.value(QLatin1String(k)).toString();
}
} // namespace

HealthPage::HealthPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_storeBox(new QGroupBox(this)),
      m_capacity(new QProgressBar(this)),
      m_capacityText(new QLabel(this)),
      m_counts(new QLabel(this)),
      m_offlineBox(new QGroupBox(this)),
      m_offline(table(this, "offlineAgents", 4)),
      m_failedBox(new QGroupBox(this)),
      m_failed(table(this, "failedRuns", 4))
{
    setObjectName(QStringLiteral("healthPage"));
    m_capacity->setObjectName(QStringLiteral("storeCapacity"));
    m_capacityText->setObjectName(QStringLiteral("storeCapacityText"));
    m_counts->setObjectName(QStringLiteral("healthCounts"));
    m_capacity->setRange(0, 1000);
    m_capacityText->setWordWrap(true);
    auto *store = new QVBoxLayout(m_storeBox);
    store->addWidget(m_capacity);
    store->addWidget(m_capacityText);
    (new QVBoxLayout(m_offlineBox))->addWidget(m_offline);
    (new QVBoxLayout(m_failedBox))->addWidget(m_failed);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(m_storeBox);
    layout->addWidget(m_counts);
    layout->addWidget(m_offlineBox, 1);
    layout->addWidget(m_failedBox, 2);
    retranslateUi();
}

void HealthPage::refresh()
{
    if (m_healthMissing) {
        fetchCapacity();
        return;
    }
    if (!beginLoad())
        return;
    api()
        ->get(QStringLiteral("/operator/health"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                banner()->clear();
                applyHealth(body.toObject());
            },
            [this](const ApiError &e) {
                endLoad();
                if (e.isHttp(404)) { // an older server: the capacity alone
                    m_healthMissing = true;
                    fetchCapacity();
                } else {
                    showError(e);
                }
            });
}

void HealthPage::fetchCapacity()
{
    if (!beginLoad())
        return;
    api()
        ->get(QStringLiteral("/operator/capacity"), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this](const QJsonValue &body) {
                endLoad();
                applyStore(body.toObject());
                m_offlineBox->hide();
                m_failedBox->hide();
                m_counts->setText(tr("This server shows only the store capacity (no health overview)."));
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
}

void HealthPage::applyStore(const QJsonObject &store)
{
    m_store = store;
    const QString level = str(store, "level");
    const double percent = store.value(QLatin1String("used_percent")).toDouble();
    m_capacity->setValue(int(qBound(0.0, percent * 10, 1000.0)));
    m_capacity->setFormat(format::percent(percent));
    const QString color = level == QLatin1String("full") ? QStringLiteral("#c62828")
        : level == QLatin1String("warning")              ? QStringLiteral("#b36b00")
                                                         : QStringLiteral("#1b7f3a");
    m_capacity->setStyleSheet(QStringLiteral("QProgressBar::chunk { background: %1; }").arg(color));
    const QString levelText = level == QLatin1String("full") ? tr("Full: new backups are refused")
        : level == QLatin1String("warning")                  ? tr("Warning: the store is filling up")
                                                             : tr("OK");
    m_capacityText->setText(
        tr("<b style=\"color:%1\">%2</b> — %3 used of %4 (%5 free). Operators are warned at %6% "
           "full; new backups are refused at %7% full.")
            .arg(color, levelText, format::bytes(store.value(QLatin1String("used_bytes")).toInteger()),
                format::bytes(store.value(QLatin1String("total_bytes")).toInteger()),
                format::bytes(store.value(QLatin1String("free_bytes")).toInteger()))
            .arg(store.value(QLatin1String("warn_percent")).toInt())
            .arg(store.value(QLatin1String("refuse_percent")).toInt()));
}

void HealthPage::setRows(QTableWidget *table, const QList<QStringList> &rows)
{
    table->setRowCount(int(rows.size())); // rows updated in place: the selection stays
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < rows[r].size(); ++c) {
            QTableWidgetItem *item = table->item(r, c);
            if (!item)
                table->setItem(r, c, item = new QTableWidgetItem);
            if (item->text() != rows[r][c])
                item->setText(rows[r][c]);
        }
}

void HealthPage::applyHealth(const QJsonObject &health)
{
    m_health = health;
    applyStore(health.value(QLatin1String("store")).toObject());
    m_offlineBox->show();
    m_failedBox->show();
    QList<QStringList> offline;
    for (const QJsonValue &v : health.value(QLatin1String("offline_agents")).toArray()) {
        const QJsonObject a = v.toObject();
        const QDateTime seen = format::parseIso(str(a, "last_seen"));
        offline << QStringList {str(a, "tenant_name"), str(a, "name"), str(a, "hostname"),
            seen.isValid()
                ? tr("%1 (%2)").arg(format::dateTime(seen), format::relative(seen, QDateTime::currentDateTimeUtc()))
                : tr("never")};
    }
    setRows(m_offline, offline);
    QList<QStringList> failed;
    for (const QJsonValue &v : health.value(QLatin1String("failed_runs")).toArray()) {
        const QJsonObject j = v.toObject();
        const QString when = str(j, "finished_at").isEmpty() ? str(j, "scheduled_at") : str(j, "finished_at");
        failed << QStringList {format::dateTimeIso(when), str(j, "tenant_name"),
            str(j, "server_name").isEmpty() ? QStringLiteral("#%1").arg(j.value(QLatin1String("server")).toInteger())
                                            : str(j, "server_name"),
            tr("%1: %2").arg(format::jobState(str(j, "state")), str(j, "error"))};
    }
    setRows(m_failed, failed);
    m_counts->setText(tr("Running jobs: %1 · Open tickets: %2 · Failed mails: %3")
                          .arg(format::number(health.value(QLatin1String("running_jobs")).toInteger()),
                              format::number(health.value(QLatin1String("open_tickets")).toInteger()),
                              format::number(health.value(QLatin1String("mail_failed")).toInteger())));
}

void HealthPage::retranslateUi()
{
    m_storeBox->setTitle(tr("Backup store capacity"));
    m_offlineBox->setTitle(tr("Offline agents"));
    m_failedBox->setTitle(tr("Failed runs of the last 24 hours"));
    m_offline->setHorizontalHeaderLabels({tr("Tenant"), tr("Server"), tr("Host name"), tr("Last seen")});
    m_failed->setHorizontalHeaderLabels({tr("Time"), tr("Tenant"), tr("Server"), tr("Error")});
    if (!m_health.isEmpty())
        applyHealth(m_health);
    else if (!m_store.isEmpty())
        applyStore(m_store);
}

QString HealthPage::title() const
{
    return tr("Service health");
}

} // namespace cairn::console
