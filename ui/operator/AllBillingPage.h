// AllBillingPage: every tenant's statement for one month (default: the previous one) and the
// export of those statements as CSV. The page fetches GET /operator/billing.csv?month= once and
// parses it for the table: one request for all tenants (not one per tenant), and the table shows
// exactly the rows the export writes. Export writes the server's CSV bytes unchanged (a fresh
// fetch, through a non-modal file dialog). GUI thread.
#pragma once

#include "shell/Page.h"

class QDateEdit;
class QFileDialog;
class QLabel;
class QPushButton;
class QTableWidget;

namespace cairn::console {

class BusyIndicator;

class AllBillingPage : public Page {
    Q_OBJECT
public:
    explicit AllBillingPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;

    // Writes the CSV the page shows (the server's bytes of the shown month); false if none is
    // loaded yet or the file cannot be written (the banner says why).
    bool exportCsvTo(const QString &path);
    QString month() const; // "YYYY-MM"
    void setMonth(const QDate &firstDay);

    // RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF line ends).
    static QList<QStringList> parseCsv(const QByteArray &csv);

private:
    bool writeCsv(const QString &path, const QString &csvMonth, const QByteArray &csv);
    void apply(const QByteArray &csv);
    void exportCsv();

    QByteArray m_csv;
    QString m_csvMonth;
    QLabel *m_monthLabel;
    QDateEdit *m_month;
    BusyIndicator *m_busy;
    QTableWidget *m_table;
    QLabel *m_summary;
    QPushButton *m_export;
    QFileDialog *m_dialog = nullptr;
};

} // namespace cairn::console
