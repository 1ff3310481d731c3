// AllBillingPage: the month's statements of every tenant from the operators' CSV. GUI thread.
#include "operator/AllBillingPage.h"

#include "core/Format.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"

#include <QDateEdit>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cairn::console {

AllBillingPage::AllBillingPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_monthLabel(new QLabel(this)),
      m_month(new QDateEdit(this)),
      m_busy(new BusyIndicator(this)),
      m_table(new QTableWidget(0, 6, this)),
      m_summary(new QLabel(this)),
      m_export(new QPushButton(this))
{
    setObjectName(QStringLiteral("allBillingPage"));
    m_month->setObjectName(QStringLiteral("billingMonth"));
    m_table->setObjectName(QStringLiteral("allBillingTable"));
    m_summary->setObjectName(QStringLiteral("billingSummary"));
    m_export->setObjectName(QStringLiteral("exportCsv"));
    m_month->setDisplayFormat(QStringLiteral("yyyy-MM"));
    m_month->setCalendarPopup(true);
    const QDate today = QDate::currentDate();
    m_month->setDate(QDate(today.year(), today.month(), 1).addMonths(-1));
    m_monthLabel->setBuddy(m_month);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_export->setEnabled(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_monthLabel);
    top->addWidget(m_month);
    top->addWidget(m_busy);
    top->addStretch();
    top->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(m_month, &QDateEdit::dateChanged, this, [this] {
        endLoad();
        refresh();
    });
    connect(m_export, &QPushButton::clicked, this, &AllBillingPage::exportCsv);
    setTabOrder(m_month, m_table);
    setTabOrder(m_table, m_export);
    retranslateUi();
}

QString AllBillingPage::month() const
{
    return m_month->date().toString(QStringLiteral("yyyy-MM"));
}

void AllBillingPage::setMonth(const QDate &firstDay)
{
    m_month->setDate(firstDay);
}

void AllBillingPage::refresh()
{
    if (!beginLoad())
        return;
    m_busy->setBusy(true);
    QUrlQuery q;
    const QString wanted = month();
    q.addQueryItem(QStringLiteral("month"), wanted);
    api()
        ->get(QStringLiteral("/operator/billing.csv"), q, ApiClient::Scope::Global)
        ->thenBytes(
            this,
            [this, wanted](const QByteArray &csv) {
                endLoad();
                m_busy->setBusy(false);
                if (wanted != month())
                    return;
                banner()->clear();
                m_csvMonth = wanted;
                apply(csv);
            },
            [this](const ApiError &e) {
                endLoad();
                m_busy->setBusy(false);
                showError(e);
            });
}

QList<QStringList> AllBillingPage::parseCsv(const QByteArray &csv)
{
    QList<QStringList> rows;
    const QString text = QString::fromUtf8(csv);
    QStringList row;
    QString field;
    bool quoted = false;
    bool any = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
            any = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            any = true;
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            if (any || !field.isEmpty()) {
                row << field;
                rows << row;
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

void AllBillingPage::apply(const QByteArray &csv)
{
    m_csv = csv;
    m_export->setEnabled(true);
    const QList<QStringList> rows = parseCsv(csv);
    const QStringList header = rows.value(0);
    const auto col = [&](const char *name) { return int(header.indexOf(QLatin1String(name))); };
    const int tenant = col("tenant"), kind = col("kind"), currency = col("currency"), days = col("active_days"),
              base = col("base_fee"), total = col("total");
    m_table->setRowCount(int(qMax<qsizetype>(0, rows.size() - 1)));
    QMap<QString, double> sums; // per currency
    for (int r = 1; r < rows.size(); ++r) {
        const QStringList &row = rows[r];
        const QString kindText
            = row.value(kind) == QLatin1String("estimate") ? tr("Estimate (month not over)") : tr("Final");
        const QStringList cells {row.value(tenant), kindText, row.value(days), row.value(base),
            row.value(total) + QLatin1Char(' ') + row.value(currency), row.value(currency)};
        for (int c = 0; c < cells.size(); ++c) {
            QTableWidgetItem *item = m_table->item(r - 1, c);
            if (!item)
                m_table->setItem(r - 1, c, item = new QTableWidgetItem);
            item->setText(cells[c]);
            if (c >= 2 && c <= 4)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }
        sums[row.value(currency)] += row.value(total).toDouble();
    }
    QStringList totals;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        totals << QStringLiteral("%1 %2").arg(
            QLocale().toString(
                it.value(), 'f', it.key() == QLatin1String("KRW") || it.key() == QLatin1String("JPY") ? 0 : 2),
            it.key());
    m_summary->setText(rows.size() <= 1
            ? tr("No statements for %1: no tenant was active that month, or no prices are set.").arg(m_csvMonth)
            : tr("%n statement(s) for %1; total %2", nullptr, int(rows.size() - 1))
                  .arg(m_csvMonth, totals.join(QStringLiteral(", "))));
}

bool AllBillingPage::exportCsvTo(const QString &path)
{
    if (m_csvMonth.isEmpty() || m_csvMonth != month()) {
        banner()->showError(tr("The statements of %1 are not loaded yet.").arg(month()));
        return false;
    }
    return writeCsv(path, m_csvMonth, m_csv);
}

bool AllBillingPage::writeCsv(const QString &path, const QString &csvMonth, const QByteArray &csv)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size() || !file.commit()) {
        banner()->showError(tr("%1 could not be written: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return false;
    }
    showInfo(tr("Statements of %1 saved to %2.").arg(csvMonth, QDir::toNativeSeparators(path)));
    return true;
}

void AllBillingPage::exportCsv()
{
    if (!m_dialog) {
        m_dialog = new QFileDialog(this);
        m_dialog->setObjectName(QStringLiteral("exportCsvDialog"));
        m_dialog->setAcceptMode(QFileDialog::AcceptSave);
        m_dialog->setDefaultSuffix(QStringLiteral("csv"));
        connect(m_dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            // A fresh fetch, so that the file holds what the server says now.
            QUrlQuery q;
            const QString wanted = month();
            q.addQueryItem(QStringLiteral("month"), wanted);
            api()
                ->get(QStringLiteral("/operator/billing.csv"), q, ApiClient::Scope::Global)
                ->thenBytes(
                    this,
                    [this, wanted, path](const QByteArray &csv) {
                        if (wanted == month()) {
                            m_csvMonth = wanted;
                            apply(csv);
                        }
                        writeCsv(path, wanted, csv); // the month asked for, even if another is shown now
                    },
                    [this](const ApiError &e) { showError(e); });
        });
    }
    m_dialog->setWindowTitle(tr("Export statements as CSV"));
    m_dialog->setNameFilter(tr("CSV files (*.csv)"));
    m_dialog->selectFile(QStringLiteral("cairn-statements-%1.csv").arg(month()));
    m_dialog->open();
}

void AllBillingPage::retranslateUi()
{
    m_monthLabel->setText(tr("&Month:"));
    m_table->setHorizontalHeaderLabels(
        {tr("Tenant"), tr("Statement"), tr("Active days"), tr("Base fee"), tr("Total"), tr("Currency")});
    m_export->setText(tr("&Export CSV…"));
    m_export->setToolTip(tr("Save every tenant's statement of this month as a CSV file"));
    if (!m_csv.isEmpty())
        apply(m_csv);
}

QString AllBillingPage::title() const
{
    return tr("Billing (all tenants)");
}

} // namespace cairn::console
