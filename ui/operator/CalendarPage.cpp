// CalendarPage: the year's days off in a table and a calendar, and the operator's changes.
// GUI thread.
#include "operator/CalendarPage.h"

#include "core/Format.h"
#include "core/Language.h"
#include "widgets/MessageBanner.h"

#include <QCalendarWidget>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextCharFormat>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
QString s(const QJsonObject &o, const char *k)
{
    return o.value(QLatin1String(k)).toString();
}
} // namespace

CalendarPage::CalendarPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_yearLabel(new QLabel(this)),
      m_year(new QSpinBox(this)),
      m_hoursLabel(new QLabel(this)),
      m_table(new QTableWidget(0, 5, this)),
      m_calendar(new QCalendarWidget(this)),
      m_dateLabel(new QLabel(this)),
      m_date(new QDateEdit(this)),
      m_noteLabel(new QLabel(this)),
      m_note(new QLineEdit(this)),
      m_addDayOff(new QPushButton(this)),
      m_makeWorkingDay(new QPushButton(this)),
      m_remove(new QPushButton(this))
{
    setObjectName(QStringLiteral("calendarPage"));
    m_year->setObjectName(QStringLiteral("calendarYear"));
    m_hoursLabel->setObjectName(QStringLiteral("calendarBusinessHours"));
    m_table->setObjectName(QStringLiteral("calendarDays"));
    m_calendar->setObjectName(QStringLiteral("calendarWidget"));
    m_date->setObjectName(QStringLiteral("calendarDate"));
    m_note->setObjectName(QStringLiteral("calendarNote"));
    m_addDayOff->setObjectName(QStringLiteral("calendarAddDayOff"));
    m_makeWorkingDay->setObjectName(QStringLiteral("calendarMakeWorkingDay"));
    m_remove->setObjectName(QStringLiteral("calendarRemoveChange"));
    const QDate today = QDate::currentDate();
    m_year->setRange(2000, 2100);
    m_year->setValue(today.year());
    m_yearLabel->setBuddy(m_year);
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_date->setDate(today);
    m_dateLabel->setBuddy(m_date);
    m_noteLabel->setBuddy(m_note);
    m_note->setMaxLength(200);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_calendar->setGridVisible(true);
    m_calendar->setFirstDayOfWeek(Qt::Monday);

    auto *top = new QHBoxLayout;
    top->addWidget(m_yearLabel);
    top->addWidget(m_year);
    top->addSpacing(24);
    top->addWidget(m_hoursLabel, 1);

    auto *form = new QFormLayout;
    form->addRow(m_dateLabel, m_date);
    form->addRow(m_noteLabel, m_note);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addDayOff);
    buttons->addWidget(m_makeWorkingDay);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    form->addRow(buttons);

    auto *right = new QVBoxLayout;
    right->addWidget(m_calendar);
    right->addLayout(form);
    right->addStretch();
    auto *body = new QHBoxLayout;
    body->addWidget(m_table, 3);
    body->addLayout(right, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addLayout(top);
    layout->addLayout(body, 1);

    connect(m_year, QOverload<int>::of(&QSpinBox::valueChanged), this, [this](int year) {
        m_dirtyYear = true;
        m_calendar->setCurrentPage(year, m_calendar->monthShown());
        endLoad();
        refresh();
    });
    connect(m_calendar, &QCalendarWidget::clicked, this, [this](const QDate &d) {
        m_date->setDate(d);
        const QJsonObject day = dayAt(d);
        if (!day.isEmpty())
            m_note->setText(s(day, "note"));
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &CalendarPage::onRowSelected);
    connect(m_date, &QDateEdit::dateChanged, this,
        [this](const QDate &d) { m_remove->setEnabled(s(dayAt(d), "source") == QLatin1String("operator")); });
    connect(m_addDayOff, &QPushButton::clicked, this, [this] { change(true); });
    connect(m_makeWorkingDay, &QPushButton::clicked, this, [this] { change(false); });
    connect(m_remove, &QPushButton::clicked, this, &CalendarPage::removeChange);
    connect(m_note, &QLineEdit::returnPressed, this, [this] { change(true); });
    setTabOrder(m_year, m_table);
    setTabOrder(m_table, m_calendar);
    setTabOrder(m_calendar, m_date);
    setTabOrder(m_date, m_note);
    setTabOrder(m_note, m_addDayOff);
    retranslateUi();
}

void CalendarPage::refresh()
{
    if (!beginLoad())
        return;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("year"), QString::number(m_year->value()));
    const int year = m_year->value();
    api()
        ->get(QStringLiteral("/operator/calendar"), q, ApiClient::Scope::Global)
        ->then(
            this,
            [this, year](const QJsonValue &body) {
                endLoad();
                if (year != m_year->value())
                    return;
                banner()->clear();
                apply(body.toObject());
            },
            [this](const ApiError &e) {
                endLoad();
                if (e.isHttp(404) && e.code == QLatin1String("not_found") && m_days.isEmpty())
                    banner()->showError(tr("This server does not offer the holiday calendar yet. "
                                           "Use \"cairn-server calendar\" on the server host."));
                else
                    showError(e);
            });
}

void CalendarPage::apply(const QJsonObject &calendar)
{
    const QJsonArray days = calendar.value(QLatin1String("days")).toArray();
    m_hours = calendar.value(QLatin1String("business_hours")).toObject();
    if (days == m_days && !m_dirtyYear) {
        retranslateUi();
        return;
    }
    // Clear the old highlights, then mark the days off.
    for (const QJsonValue &v : m_days)
        m_calendar->setDateTextFormat(QDate::fromString(s(v.toObject(), "date"), Qt::ISODate), QTextCharFormat());
    m_days = days;
    m_dirtyYear = false;
    for (const QJsonValue &v : m_days) {
        const QJsonObject d = v.toObject();
        QTextCharFormat f;
        if (d.value(QLatin1String("closed")).toBool()) {
            f.setForeground(QColor(0xc6, 0x28, 0x28));
            f.setBackground(QColor(0xfd, 0xec, 0xea));
            f.setFontWeight(QFont::Bold);
        } else {
            f.setForeground(QColor(0x1b, 0x7f, 0x3a)); // a holiday made a working day
            f.setFontUnderline(true);
        }
        f.setToolTip(s(d, Language::current() == QLatin1String("ko") ? "name_ko" : "name_en"));
        m_calendar->setDateTextFormat(QDate::fromString(s(d, "date"), Qt::ISODate), f);
    }
    fillTable();
    retranslateUi();
    m_remove->setEnabled(s(dayAt(m_date->date()), "source") == QLatin1String("operator"));
}

void CalendarPage::fillTable()
{
    const QString selected = m_table->currentRow() >= 0 && m_table->item(m_table->currentRow(), 0)
        ? m_table->item(m_table->currentRow(), 0)->data(Qt::UserRole).toString()
        : QString();
    const QSignalBlocker block(m_table);
    m_table->setRowCount(int(m_days.size()));
    const bool korean = Language::current() == QLatin1String("ko");
    for (int row = 0; row < m_days.size(); ++row) {
        const QJsonObject d = m_days[row].toObject();
        const QDate date = QDate::fromString(s(d, "date"), Qt::ISODate);
        const bool op = s(d, "source") == QLatin1String("operator");
        QString name = korean ? s(d, "name_ko") : s(d, "name_en");
        const QString other = korean ? s(d, "name_en") : s(d, "name_ko");
        if (!other.isEmpty() && other != name)
            name = name.isEmpty() ? other : tr("%1 (%2)").arg(name, other);
        const QStringList cells {format::date(date) + QStringLiteral(" ") + format::weekday(date.dayOfWeek()), name,
            d.value(QLatin1String("closed")).toBool() ? tr("Day off") : tr("Working day"),
            op ? tr("Changed by an operator") : tr("Public holiday (shipped)"), s(d, "note")};
        for (int col = 0; col < cells.size(); ++col) {
            QTableWidgetItem *item = m_table->item(row, col);
            if (!item)
                m_table->setItem(row, col, item = new QTableWidgetItem);
            item->setText(cells[col]);
            QFont f = item->font();
            f.setBold(op);
            item->setFont(f);
        }
        m_table->item(row, 0)->setData(Qt::UserRole, s(d, "date"));
        if (s(d, "date") == selected)
            m_table->selectRow(row);
    }
}

QJsonObject CalendarPage::dayAt(const QDate &date) const
{
    const QString iso = date.toString(Qt::ISODate);
    for (const QJsonValue &v : m_days)
        if (s(v.toObject(), "date") == iso)
            return v.toObject();
    return {};
}

void CalendarPage::onRowSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || !m_table->item(row, 0))
        return;
    const QDate date = QDate::fromString(m_table->item(row, 0)->data(Qt::UserRole).toString(), Qt::ISODate);
    m_date->setDate(date);
    m_calendar->setSelectedDate(date);
    m_note->setText(s(dayAt(date), "note"));
}

void CalendarPage::change(bool closed)
{
    const QString note = m_note->text().trimmed();
    if (closed && note.isEmpty()) {
        banner()->showError(tr("Write what the day off is (e.g. \"National Assembly election\")."));
        m_note->setFocus();
        return;
    }
    const QDate date = m_date->date();
    api()
        ->put(QStringLiteral("/operator/calendar/%1").arg(date.toString(Qt::ISODate)),
            QJsonObject {{QStringLiteral("closed"), closed}, {QStringLiteral("note"), note}}, {},
            ApiClient::Scope::Global)
        ->then(
            this,
            [this, date, closed](const QJsonValue &) {
                showInfo(closed ? tr("%1 is now a day off. Tickets submitted from now on count with it.")
                                      .arg(format::date(date))
                                : tr("%1 is now a working day.").arg(format::date(date)));
                m_dirtyYear = true;
                endLoad();
                refresh();
            },
            [this](const ApiError &e) { showError(e); });
}

void CalendarPage::removeChange()
{
    const QDate date = m_date->date();
    api()
        ->del(QStringLiteral("/operator/calendar/%1").arg(date.toString(Qt::ISODate)), {}, ApiClient::Scope::Global)
        ->then(
            this,
            [this, date](const QJsonValue &) {
                showInfo(tr("The operators' change of %1 was removed.").arg(format::date(date)));
                m_dirtyYear = true;
                endLoad();
                refresh();
            },
            [this](const ApiError &e) { showError(e); });
}

void CalendarPage::retranslateUi()
{
    m_yearLabel->setText(tr("&Year:"));
    m_table->setHorizontalHeaderLabels({tr("Date"), tr("Name"), tr("Status"), tr("Source"), tr("Note")});
    const QString open = m_hours.isEmpty() ? QStringLiteral("10:00") : s(m_hours, "open");
    const QString close = m_hours.isEmpty() ? QStringLiteral("19:00") : s(m_hours, "close");
    const QString zone = m_hours.isEmpty() ? QStringLiteral("Asia/Seoul") : s(m_hours, "time_zone");
    m_hoursLabel->setText(tr("Business hours: Monday to Friday, %1–%2 (%3), except the days off below. "
                             "Ticket due times count only business time.")
                              .arg(open, close, zone));
    m_dateLabel->setText(tr("&Date:"));
    m_noteLabel->setText(tr("&Note:"));
    m_note->setPlaceholderText(tr("Name of the day off, e.g. National Assembly election"));
    m_addDayOff->setText(tr("&Add day off"));
    m_makeWorkingDay->setText(tr("Make a &working day"));
    m_makeWorkingDay->setToolTip(tr("The selected holiday counts as a business day"));
    m_remove->setText(tr("&Remove operator change"));
    m_remove->setToolTip(tr("The day is again as the shipped holiday data says"));
    m_remove->setEnabled(s(dayAt(m_date->date()), "source") == QLatin1String("operator"));
    if (!m_days.isEmpty())
        fillTable();
}

QString CalendarPage::title() const
{
    return tr("Holiday calendar");
}

} // namespace cairn::console
