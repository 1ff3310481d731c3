// BillingPage implementation. GUI thread.
#include "user/BillingPage.h"

#include "core/Format.h"
#include "widgets/MessageBanner.h"

#include <QDate>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace cairn::console {

namespace {
QTableWidget *linesTable(QWidget *parent, const char *name)
{
    auto *t = new QTableWidget(0, 4, parent);
    t->setObjectName(QLatin1String(name));
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    t->setMaximumHeight(t->verticalHeader()->defaultSectionSize() * 4 + t->horizontalHeader()->sizeHint().height() + 6);
    return t;
}

QString quantityText(const QString &decimal)
{
    // "0.966667" → the locale's decimal point, as many decimals as the server gave.
    const qsizetype dot = decimal.indexOf(QLatin1Char('.'));
    const int decimals = dot < 0 ? 0 : int(decimal.size() - dot - 1);
    return QLocale().toString(decimal.toDouble(), 'f', decimals);
}
} // namespace

BillingPage::BillingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_estimateBox(new QGroupBox(this)),
      m_estimateStatus(new QLabel(this)),
      m_estimateLines(linesTable(this, "billingEstimateLines")),
      m_estimateTotal(new QLabel(this)),
      m_usageBox(new QGroupBox(this)),
      m_usageServers(new QLabel(this)),
      m_usageStored(new QLabel(this)),
      m_usageSnapshots(new QLabel(this)),
      m_statementsBox(new QGroupBox(this)),
      m_membersNote(new QLabel(this)),
      m_months(new QListWidget(this)),
      m_statementLines(linesTable(this, "billingStatementLines")),
      m_statementTotal(new QLabel(this)),
      m_statementsEmpty(new QLabel(this))
{
    setObjectName(QStringLiteral("billingPage"));
    m_estimateStatus->setObjectName(QStringLiteral("billingEstimateStatus"));
    m_estimateTotal->setObjectName(QStringLiteral("billingEstimateTotal"));
    m_usageServers->setObjectName(QStringLiteral("billingUsageServers"));
    m_usageStored->setObjectName(QStringLiteral("billingUsageStored"));
    m_usageSnapshots->setObjectName(QStringLiteral("billingUsageSnapshots"));
    m_statementsBox->setObjectName(QStringLiteral("billingStatementsBox"));
    m_membersNote->setObjectName(QStringLiteral("billingMembersNote"));
    m_months->setObjectName(QStringLiteral("billingMonths"));
    m_statementTotal->setObjectName(QStringLiteral("billingStatementTotal"));
    m_statementsEmpty->setObjectName(QStringLiteral("billingStatementsEmpty"));
    for (QLabel *l : {m_estimateStatus, m_membersNote, m_statementsEmpty})
        l->setWordWrap(true);
    QFont bold = m_estimateTotal->font();
    bold.setBold(true);
    m_estimateTotal->setFont(bold);
    m_statementTotal->setFont(bold);

    auto *estimate = new QVBoxLayout(m_estimateBox);
    estimate->addWidget(m_estimateStatus);
    estimate->addWidget(m_estimateLines);
    estimate->addWidget(m_estimateTotal, 0, Qt::AlignRight);

    auto *usage = new QFormLayout(m_usageBox);
    QLabel *usageValues[] = {m_usageServers, m_usageStored, m_usageSnapshots};
    for (int i = 0; i < 3; ++i) {
        m_usageCaptions[i] = new QLabel(this);
        usage->addRow(m_usageCaptions[i], usageValues[i]);
    }

    m_months->setMaximumWidth(220);
    auto *statementRight = new QVBoxLayout;
    statementRight->addWidget(m_statementLines);
    statementRight->addWidget(m_statementTotal, 0, Qt::AlignRight);
    statementRight->addStretch(1);
    auto *statements = new QVBoxLayout(m_statementsBox);
    statements->addWidget(m_statementsEmpty);
    auto *split = new QHBoxLayout;
    split->addWidget(m_months);
    split->addLayout(statementRight, 1);
    statements->addLayout(split);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(m_estimateBox);
    layout->addWidget(m_usageBox);
    layout->addWidget(m_statementsBox, 1);
    layout->addWidget(m_membersNote);
    layout->addStretch(0);

    connect(m_months, &QListWidget::currentRowChanged, this, &BillingPage::showSelectedStatement);
    retranslateUi();
}

void BillingPage::refresh()
{
    if (!api()->isLoggedIn() || !beginLoad())
        return;
    const bool admin = api()->user().isAdmin();
    m_pending = admin ? 3 : 2;
    const auto done = [this] {
        if (--m_pending == 0)
            endLoad();
    };
    api()
        ->get(QStringLiteral("/billing/estimate"))
        ->then(
            this,
            [this, done](const QJsonValue &answer) {
                m_estimate = answer.toObject();
                m_estimateLoaded = true;
                showEstimate();
                done();
            },
            [this, done](const ApiError &e) {
                showError(e);
                done();
            });
    api()
        ->get(QStringLiteral("/usage"))
        ->then(
            this,
            [this, done](const QJsonValue &answer) {
                m_usage = answer.toObject();
                showUsage();
                done();
            },
            [this, done](const ApiError &e) {
                showError(e);
                done();
            });
    if (admin) {
        api()
            ->get(QStringLiteral("/billing/statements"))
            ->then(
                this,
                [this, done](const QJsonValue &answer) {
                    const QJsonArray items = answer[QLatin1String("items")].toArray();
                    if (!m_statementsLoaded || items != m_statements) {
                        m_statements = items;
                        m_statementsLoaded = true;
                        showStatements();
                    }
                    done();
                },
                [this, done](const ApiError &e) {
                    showError(e);
                    done();
                });
    }
    m_statementsBox->setVisible(admin);
    m_membersNote->setVisible(!admin);
}

void BillingPage::fillLines(QTableWidget *table, QLabel *total, const QJsonObject &s)
{
    const QString currency = s.value(QLatin1String("currency")).toString();
    const int digits = s.value(QLatin1String("minorDigits")).toInt();
    const QJsonArray lines = s.value(QLatin1String("lines")).toArray();
    table->setRowCount(int(lines.size()));
    for (int r = 0; r < lines.size(); ++r) {
        const QJsonObject l = lines[r].toObject();
        const QString kind = l.value(QLatin1String("kind")).toString();
        const QString unit = l.value(QLatin1String("unit")).toString();
        const QString name = kind == QLatin1String("base") ? tr("Base fee")
            : kind == QLatin1String("servers")             ? tr("Extra servers")
            : kind == QLatin1String("storage")             ? tr("Extra storage")
                                                           : kind;
        const QString unitName = unit == QLatin1String("month") ? tr("months")
            : unit == QLatin1String("server-month")             ? tr("server-months")
            : unit == QLatin1String("GB-month")                 ? tr("GB-months")
                                                                : unit;
        const QString cells[]
            = {name, tr("%1 %2").arg(quantityText(l.value(QLatin1String("quantity")).toString()), unitName),
                format::money(l.value(QLatin1String("unitPriceMinor")).toInteger(), currency, digits),
                format::money(l.value(QLatin1String("amountMinor")).toInteger(), currency, digits)};
        for (int c = 0; c < 4; ++c) {
            QTableWidgetItem *item = table->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                table->setItem(r, c, item);
            }
            item->setText(cells[c]);
            item->setTextAlignment(c == 0 ? (Qt::AlignLeft | Qt::AlignVCenter) : (Qt::AlignRight | Qt::AlignVCenter));
        }
    }
    total->setText(tr("Total: %1").arg(format::money(s.value(QLatin1String("totalMinor")).toInteger(), currency, digits)));
}

void BillingPage::showEstimate()
{
    if (!m_estimateLoaded) {
        m_estimateStatus->setText(tr("Loading…"));
        m_estimateLines->hide();
        m_estimateTotal->hide();
        return;
    }
    const QJsonObject s = m_estimate.value(QLatin1String("statement")).toObject();
    if (s.isEmpty()) {
        const QString reason = m_estimate.value(QLatin1String("reason")).toString();
        QString sentence;
        if (reason.contains(QLatin1String("not activated")))
            sentence = tr("There is no estimate yet: the service of your organisation is not activated.");
        else if (reason.contains(QLatin1String("no prices")))
            sentence = tr("There is no estimate yet: no prices are set. The service operator sets them.");
        else
            sentence = tr("There is no estimate for this month yet.");
        m_estimateStatus->setText(sentence);
        m_estimateLines->hide();
        m_estimateTotal->hide();
        return;
    }
    const QDate through = QDate::fromString(s.value(QLatin1String("throughDay")).toString(), Qt::ISODate);
    m_estimateStatus->setText(
        tr("Estimate for %1, counted through %2. The final statement is made when the month is over.")
            .arg(monthName(s.value(QLatin1String("month")).toString()), format::date(through)));
    fillLines(m_estimateLines, m_estimateTotal, s);
    m_estimateLines->show();
    m_estimateTotal->show();
}

void BillingPage::showUsage()
{
    m_usageServers->setText(format::number(m_usage.value(QLatin1String("servers")).toInteger()));
    m_usageStored->setText(format::bytes(m_usage.value(QLatin1String("stored_bytes")).toInteger()));
    m_usageSnapshots->setText(format::number(m_usage.value(QLatin1String("snapshots")).toInteger()));
}

QString BillingPage::monthName(const QString &yyyyMm) const
{
    const QDate d = QDate::fromString(yyyyMm + QStringLiteral("-01"), Qt::ISODate);
    if (!d.isValid())
        return yyyyMm;
    return tr("%1 %2", "month name, year").arg(QLocale().standaloneMonthName(d.month()), QString::number(d.year()));
}

void BillingPage::showStatements()
{
    const QString selected
        = m_months->currentItem() ? m_months->currentItem()->data(Qt::UserRole).toString() : QString();
    const QSignalBlocker block(m_months);
    m_months->clear();
    int select = m_statements.isEmpty() ? -1 : 0;
    for (const QJsonValue &v : std::as_const(m_statements)) {
        const QString month = v[QLatin1String("month")].toString();
        auto *item = new QListWidgetItem(monthName(month), m_months);
        item->setData(Qt::UserRole, month);
        if (month == selected)
            select = m_months->count() - 1;
    }
    m_months->setCurrentRow(select);
    m_statementsEmpty->setVisible(m_statements.isEmpty());
    m_statementsEmpty->setText(
        tr("No statements yet: the first one is made when your first month of service is over."));
    showSelectedStatement();
}

void BillingPage::showSelectedStatement()
{
    const int row = m_months->currentRow();
    const bool any = row >= 0 && row < m_statements.size();
    m_statementLines->setVisible(any);
    m_statementTotal->setVisible(any);
    if (any)
        fillLines(m_statementLines, m_statementTotal, m_statements[row][QLatin1String("statement")].toObject());
}

void BillingPage::retranslateUi()
{
    m_estimateBox->setTitle(tr("This month"));
    m_usageBox->setTitle(tr("Usage now"));
    m_statementsBox->setTitle(tr("Past statements"));
    m_usageCaptions[0]->setText(tr("Servers:"));
    m_usageCaptions[1]->setText(tr("Stored data:"));
    m_usageCaptions[2]->setText(tr("Snapshots:"));
    m_membersNote->setText(tr("Past statements are shown to the administrators of your organisation."));
    const QStringList headers {tr("Item"), tr("Quantity"), tr("Unit price"), tr("Amount")};
    m_estimateLines->setHorizontalHeaderLabels(headers);
    m_statementLines->setHorizontalHeaderLabels(headers);
    showEstimate();
    if (!m_usage.isEmpty())
        showUsage();
    if (m_statementsLoaded)
        showStatements();
}

QString BillingPage::title() const
{
    return tr("Usage and billing");
}

} // namespace cairn::console
