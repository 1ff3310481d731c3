// CalendarPage: the business calendar restore tickets' due times are counted on — a year's days
// off (GET /operator/calendar?year=): the shipped Korean public holidays with their Korean and
// English names and the operators' changes (marked), in a table and highlighted in a calendar;
// the business hours (10:00–19:00 Asia/Seoul); and the changes an operator makes: add a day off
// (date and note), make a holiday a working day (PUT /operator/calendar/{date}), or remove an
// operator's change (DELETE). Until the server has these endpoints it shows that it cannot.
// GUI thread.
#pragma once

#include "shell/Page.h"

#include <QJsonArray>

class QCalendarWidget;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace cairn::console {

class CalendarPage : public Page {
    Q_OBJECT
public:
    explicit CalendarPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;

private:
    void apply(const QJsonObject &calendar);
    void fillTable();
    void change(bool closed);
    void removeChange();
    void onRowSelected();
    QJsonObject dayAt(const QDate &date) const;

    QJsonArray m_days;
    QJsonObject m_hours;
    bool m_dirtyYear = true;
    QLabel *m_yearLabel;
    QSpinBox *m_year;
    QLabel *m_hoursLabel;
    QTableWidget *m_table;
    QCalendarWidget *m_calendar;
    QLabel *m_dateLabel;
    QDateEdit *m_date;
    QLabel *m_noteLabel;
    QLineEdit *m_note;
    QPushButton *m_addDayOff;
    QPushButton *m_makeWorkingDay;
    QPushButton *m_remove;
};

} // namespace cairn::console
