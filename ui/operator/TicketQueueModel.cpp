// TicketQueueModel: in-place updates of the ticket queue and the ticking remaining time. GUI thread.
#include "operator/TicketQueueModel.h"

#include "core/Format.h"
#include "operator/TenantDirectory.h"

#include <QColor>
#include <QFont>

#include <limits>

namespace cairn::console {

namespace {
qint64 key(const QJsonObject &t)
{
    return t.value(QLatin1String("id")).toInteger();
}

QString userName(const QJsonValue &v)
{
    const QJsonObject u = v.toObject();
    const QString name = u.value(QLatin1String("display_name")).toString();
    return name.isEmpty() ? u.value(QLatin1String("login")).toString() : name;
}
} // namespace

TicketQueueModel::TicketQueueModel(TenantDirectory *directory, QObject *parent)
    : QAbstractTableModel(parent), m_directory(directory)
{
    m_synced.start();
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &TicketQueueModel::tick);
    m_ticker.start();
    connect(directory, &TenantDirectory::changed, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, Tenant), index(m_rows.size() - 1, Server));
    });
}

void TicketQueueModel::setTickets(const QJsonArray &tickets)
{
    QList<Row> fresh;
    QSet<qint64> ids;
    for (const QJsonValue &v : tickets) {
        const QJsonObject t = v.toObject();
        fresh.append({key(t), t});
        ids.insert(key(t));
    }
    m_synced.restart();
    // Gone rows first (from the bottom), then walk the new order: update, move or insert.
    for (int row = m_rows.size() - 1; row >= 0; --row) {
        if (!ids.contains(m_rows[row].id)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (int i = 0; i < fresh.size(); ++i) {
        const int at = rowOf(fresh[i].id);
        if (at == i) {
            if (m_rows[i].ticket != fresh[i].ticket) {
                m_rows[i] = fresh[i];
                emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
            }
        } else if (at > i) {
            beginMoveRows({}, at, at, {}, i);
            m_rows.move(at, i);
            endMoveRows();
            m_rows[i] = fresh[i];
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        } else {
            beginInsertRows({}, i, i);
            m_rows.insert(i, fresh[i]);
            endInsertRows();
        }
    }
    tick();
}

int TicketQueueModel::rowOf(qint64 ticketId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == ticketId)
            return i;
    return -1;
}

std::optional<qint64> TicketQueueModel::secondsLeft(int row) const
{
    const QJsonObject &t = m_rows.value(row).ticket;
    const QJsonValue seconds = t.value(QLatin1String("business_seconds_left"));
    const QJsonValue minutes = t.value(QLatin1String("business_minutes_left"));
    if (!seconds.isDouble() && !minutes.isDouble())
        return std::nullopt;
    const qint64 left = seconds.isDouble() ? seconds.toInteger() : minutes.toInteger() * 60;
    // Business time passes only while the SLA clock runs (inside business hours); the next fetch
    // re-synchronises it anyway.
    const bool running = t.value(QLatin1String("sla_clock_running")).toBool(true);
    return running ? left - m_synced.elapsed() / 1000 : left;
}

QString TicketQueueModel::remainingText(qint64 seconds)
{
    const qint64 s = seconds < 0 ? -seconds : seconds;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg(s / 3600)
                              .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                              .arg(s % 60, 2, 10, QLatin1Char('0'));
    return seconds < 0 ? tr("overdue by %1").arg(clock) : tr("%1 left").arg(clock);
}

QColor TicketQueueModel::slaColor(const QString &sla)
{
    if (sla == QLatin1String("on-track") || sla == QLatin1String("met"))
        return QColor(0x1b, 0x7f, 0x3a); // green
    if (sla == QLatin1String("at-risk"))
        return QColor(0xb3, 0x6b, 0x00); // amber
    if (sla == QLatin1String("breached") || sla == QLatin1String("missed"))
        return QColor(0xc6, 0x28, 0x28); // red
    return QColor();
}

void TicketQueueModel::tick()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Remaining), index(m_rows.size() - 1, Remaining), {Qt::DisplayRole});
}

void TicketQueueModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(m_rows.size() - 1, ColumnCount - 1));
}

int TicketQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TicketQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketQueueModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &t = m_rows[index.row()].ticket;
    const qint64 tenant = t.value(QLatin1String("tenant")).toInteger();
    const QString sla = t.value(QLatin1String("sla")).toString();
    const QDateTime due = format::parseIso(t.value(QLatin1String("due_at")).toString());
    switch (role) {
    case TicketIdRole: return m_rows[index.row()].id;
    case TenantIdRole: return tenant;
    case AssigneeRole: return t.value(QLatin1String("assigned_to")).toInteger();
    case SlaRole: return sla;
    case SortRole:
        switch (index.column()) {
        case Due: return due.isValid() ? due.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
        case Sla: // the most urgent state first, then the least business time left
            return (sla == QLatin1String("breached") ? 0 : sla == QLatin1String("at-risk") ? 1 : 2) * 1000000000LL
                + secondsLeft(index.row()).value_or(999999999LL);
        case Remaining: return secondsLeft(index.row()).value_or(std::numeric_limits<qint64>::max());
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ForegroundRole:
        if (index.column() == Sla || index.column() == Remaining) {
            const QColor c = slaColor(sla);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::FontRole:
        if (index.column() == Sla) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Due && due.isValid())
            return tr("Due %1 (business hours 10:00–19:00, Asia/Seoul)").arg(format::dateTime(due));
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    auto *self = const_cast<TicketQueueModel *>(this); // the directory fetches unknown names
    switch (index.column()) {
    case Due: return due.isValid() ? format::dateTime(due) : tr("no due time");
    case Sla: return sla.isEmpty() ? QString() : format::slaState(sla);
    case Remaining: {
        const auto left = secondsLeft(index.row());
        return left ? remainingText(*left) : QString();
    }
    case Tenant: return self->m_directory->tenantName(tenant);
    case Server: return self->m_directory->serverName(tenant, t.value(QLatin1String("server")).toInteger());
    case Requester: return userName(t.value(QLatin1String("requester")));
    case State: return format::ticketState(t.value(QLatin1String("state")).toString());
    case Assignee:
        return t.value(QLatin1String("assignee")).isObject() ? userName(t.value(QLatin1String("assignee"))) : tr("—");
    }
    return {};
}

QVariant TicketQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Due: return tr("Due");
    case Sla: return tr("SLA");
    case Remaining: return tr("Business time left");
    case Tenant: return tr("Tenant");
    case Server: return tr("Server");
    case Requester: return tr("Requested by");
    case State: return tr("State");
    case Assignee: return tr("Assigned to");
    }
    return {};
}

TicketQueueFilter::TicketQueueFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TicketQueueModel::SortRole);
    setDynamicSortFilter(true);
}

void TicketQueueFilter::setShow(Show show, qint64 me)
{
    m_show = show;
    m_me = me;
    invalidateFilter();
}

bool TicketQueueFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    const qint64 assignee = i.data(TicketQueueModel::AssigneeRole).toLongLong();
    switch (m_show) {
    case Show::Mine: return assignee == m_me && m_me > 0;
    case Show::Unassigned: return assignee == 0;
    case Show::All: return true;
    }
    return true;
}

} // namespace cairn::console
