// SqlCatalog: operators' changes to the business calendar (calendar_days, one row per date).
// Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

Result<QList<CalendarDay>> SqlCatalog::calendarDays()
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d, QStringLiteral("SELECT day, closed, note, changed_by, changed_at FROM calendar_days ORDER BY day"),
        QStringLiteral("list calendar days"), {});
    if (!st)
        return st.error();
    QList<CalendarDay> out;
    while (st->next()) {
        CalendarDay c;
        c.day = QDate::fromString(st->value(0).toString(), Qt::ISODate);
        if (!c.day.isValid())
            return Error(ErrorCode::Corrupt, QStringLiteral("calendar day \"%1\" is not a date").arg(st->value(0).toString()));
        c.closed = st->value(1).toInt() != 0;
        c.note = st->value(2).toString();
        c.changedBy = st->value(3).toString();
        c.changedAt = sql::timeFrom(st->value(4));
        out.append(c);
    }
    CAIRN_TRY(st->rowsDone());
    return out;
}

Status SqlCatalog::setCalendarDay(const CalendarDay &day)
{
    const QString what = QStringLiteral("set calendar day %1").arg(day.day.toString(Qt::ISODate));
    if (!day.day.isValid())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("set calendar day: not a date"));
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto st = Statement::run(*d,
        QStringLiteral("INSERT INTO calendar_days (day, closed, note, changed_by, changed_at) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (day) DO UPDATE SET closed = excluded.closed, note = excluded.note, "
                       "changed_by = excluded.changed_by, changed_at = excluded.changed_at"),
        what,
        {day.day.toString(Qt::ISODate), day.closed ? 1 : 0, sql::text(day.note), sql::text(day.changedBy),
            sql::timeValue(day.changedAt.isValid() ? day.changedAt : QDateTime::currentDateTimeUtc())});
    if (!st)
        return st.error();
    return tx.commit();
}

Status SqlCatalog::removeCalendarDay(const QDate &day)
{
    const QString what = QStringLiteral("remove calendar day %1").arg(day.toString(Qt::ISODate));
    auto d = db();
    if (!d)
        return d.error();
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());
    auto st = Statement::run(*d, QStringLiteral("DELETE FROM calendar_days WHERE day = ?"), what, {day.toString(Qt::ISODate)});
    if (!st)
        return st.error();
    if (st->rowsAffected() == 0)
        return sql::notFound(QStringLiteral("calendar day %1").arg(day.toString(Qt::ISODate)));
    return tx.commit();
}

} // namespace cairn::server
