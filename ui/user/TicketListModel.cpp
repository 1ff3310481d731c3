// TicketListModel implementation. GUI thread.
#include "user/TicketListModel.h"

#include "core/Format.h"

#include <QBrush>
#include <QColor>

namespace cairn::console {

TicketListModel::TicketListModel(QObject *parent) : QAbstractTableModel(parent) { }

void TicketListModel::setServerFilter(qint64 serverId)
{
    if (serverId == m_server)
        return;
    m_server = serverId;
    clear();
}

void TicketListModel::setServerNames(const QHash<qint64, QString> &names)
{
    if (names == m_names)
        return;
    m_names = names;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Server), index(int(m_rows.size()) - 1, Server));
}

void TicketListModel::setServers(const QJsonArray &servers)
{
    QHash<qint64, QString> names;
    for (const QJsonValue &s : servers)
        names.insert(s[QLatin1String("id")].toInteger(), s[QLatin1String("name")].toString());
    setServerNames(names);
}

void TicketListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    endResetModel();
}

bool TicketListModel::accepts(const QJsonObject &t) const
{
    if (m_server <= 0)
        return true;
    return t.value(QLatin1String("server")).toInteger() == m_server
        || t.value(QLatin1String("request")).toObject().value(QLatin1String("target_server")).toInteger() == m_server;
}

void TicketListModel::insertAt(int row, const QJsonObject &ticket)
{
    beginInsertRows({}, row, row);
    m_rows.insert(row, ticket);
    for (auto it = m_rowOf.begin(); it != m_rowOf.end(); ++it) {
        if (it.value() >= row)
            ++it.value();
    }
    m_rowOf.insert(ticket.value(QLatin1String("id")).toInteger(), row);
    endInsertRows();
}

void TicketListModel::setRow(int row, const QJsonObject &ticket)
{
    if (m_rows[row] == ticket)
        return;
    m_rows[row] = ticket;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit ticketUpdated(ticket);
}

void TicketListModel::mergeTop(const QJsonArray &items)
{
    int after = -1;
    for (const QJsonValue &v : items) {
        const QJsonObject t = v.toObject();
        if (!accepts(t))
            continue;
        int row = m_rowOf.value(t.value(QLatin1String("id")).toInteger(), -1);
        if (row >= 0)
            setRow(row, t);
        else
            insertAt(row = after + 1, t);
        after = std::max(after, row);
    }
}

void TicketListModel::appendPage(const QJsonArray &items)
{
    for (const QJsonValue &v : items) {
        const QJsonObject t = v.toObject();
        if (!accepts(t))
            continue;
        const int row = m_rowOf.value(t.value(QLatin1String("id")).toInteger(), -1);
        if (row >= 0)
            setRow(row, t);
        else
            insertAt(int(m_rows.size()), t);
    }
}

void TicketListModel::upsert(const QJsonObject &ticket)
{
    if (!accepts(ticket))
        return;
    const int row = m_rowOf.value(ticket.value(QLatin1String("id")).toInteger(), -1);
    if (row >= 0)
        setRow(row, ticket);
    else
        insertAt(0, ticket);
}

void TicketListModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

int TicketListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TicketListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Number: return tr("No.");
    case State: return tr("State");
    case Sla: return tr("SLA");
    case Due: return tr("Due");
    case Server: return tr("Server");
    case Requested: return tr("Requested");
    case Requester: return tr("Requested by");
    default: return {};
    }
}

QVariant TicketListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &t = m_rows[index.row()];
    if (role == TicketIdRole)
        return t.value(QLatin1String("id")).toInteger();
    if (role == TicketRole)
        return t;
    if (role == TenantRole)
        return t.value(QLatin1String("tenant")).toInteger();
    const QString sla = t.value(QLatin1String("sla")).toString();
    if (role == Qt::ForegroundRole && index.column() == Sla) {
        if (sla == QLatin1String("on-track") || sla == QLatin1String("met"))
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        if (sla == QLatin1String("at-risk"))
            return QBrush(QColor(0xe6, 0x51, 0x00));
        if (sla == QLatin1String("breached") || sla == QLatin1String("missed"))
            return QBrush(QColor(0xc6, 0x28, 0x28));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Number: return QStringLiteral("#%1").arg(t.value(QLatin1String("id")).toInteger());
    case State: return format::ticketState(t.value(QLatin1String("state")).toString());
    case Sla: return sla.isEmpty() ? QString() : format::slaState(sla);
    case Due: {
        const QString due = t.value(QLatin1String("due_at")).toString();
        return due.isEmpty() ? tr("No due time") : format::dateTimeIso(due);
    }
    case Server: {
        const qint64 id = t.value(QLatin1String("server")).toInteger();
        const QString name = m_names.value(id);
        return name.isEmpty() ? tr("Server %1").arg(id) : name;
    }
    case Requested: return format::dateTimeIso(t.value(QLatin1String("created_at")).toString());
    case Requester: {
        const QJsonObject r = t.value(QLatin1String("requester")).toObject();
        const QString name = r.value(QLatin1String("display_name")).toString();
        return name.isEmpty() ? r.value(QLatin1String("login")).toString() : name;
    }
    default: return {};
    }
}

} // namespace cairn::console
