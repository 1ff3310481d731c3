// ServerSummaryModel implementation: in-place updates and the cells' texts. GUI thread.
#include "user/ServerSummaryModel.h"

#include "core/Format.h"

#include <QBrush>
#include <QColor>
#include <QHash>

namespace cairn::console {

namespace {
constexpr qint64 kOnlineSeconds = 10 * 60; // the server's own rule for "online"

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

bool isFailure(const QString &state)
{
    return state == QLatin1String("failed") || state == QLatin1String("missed");
}

QColor stateColour(const QString &state)
{
    if (state == QLatin1String("succeeded"))
        return QColor(0x1b, 0x7f, 0x3b);
    if (state == QLatin1String("warning"))
        return QColor(0xb2, 0x6b, 0x00);
    if (isFailure(state))
        return QColor(0xc6, 0x28, 0x28);
    if (state == QLatin1String("running") || state == QLatin1String("pending"))
        return QColor(0x15, 0x65, 0xc0);
    return QColor();
}
} // namespace

ServerSummaryModel::ServerSummaryModel(QObject *parent) : QAbstractTableModel(parent) { }

void ServerSummaryModel::setServers(const QJsonArray &servers, const QDateTime &now)
{
    QHash<qint64, QJsonObject> incoming;
    QList<qint64> order;
    for (const QJsonValue &v : servers) {
        const QJsonObject o = v.toObject();
        const qint64 id = o.value(QLatin1String("id")).toInteger();
        if (id <= 0 || incoming.contains(id))
            continue;
        incoming.insert(id, o);
        order.append(id);
    }
    const auto onlineOf = [&now](const QJsonObject &o) {
        const QJsonValue online = o.value(QLatin1String("online"));
        if (online.isBool())
            return online.toBool();
        const QDateTime seen = format::parseIso(str(o, "last_seen"));
        return seen.isValid() && seen.secsTo(now) < kOnlineSeconds;
    };

    // Gone rows, from the bottom up so that the row numbers stay right.
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        if (!incoming.contains(m_rows[r].id)) {
            beginRemoveRows({}, r, r);
            m_rows.removeAt(r);
            endRemoveRows();
        }
    }
    // Changed rows in place.
    QHash<qint64, int> present;
    for (int r = 0; r < m_rows.size(); ++r) {
        Row &row = m_rows[r];
        present.insert(row.id, r);
        const QJsonObject &o = incoming[row.id];
        const bool online = onlineOf(o);
        if (o != row.json || online != row.online) {
            row.json = o;
            row.online = online;
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
        }
    }
    // New rows at the end, in the server's order.
    QList<Row> added;
    for (qint64 id : std::as_const(order)) {
        if (!present.contains(id))
            added.append(Row {id, incoming[id], onlineOf(incoming[id])});
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        m_rows.append(added);
        endInsertRows();
    }
}

void ServerSummaryModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

qint64 ServerSummaryModel::serverId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int ServerSummaryModel::rowOf(qint64 serverId) const
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (m_rows[r].id == serverId)
            return r;
    }
    return -1;
}

int ServerSummaryModel::failedCount() const
{
    int n = 0;
    for (const Row &row : m_rows)
        n += isFailure(str(row.json.value(QLatin1String("last_job")).toObject(), "state")) ? 1 : 0;
    return n;
}

qint64 ServerSummaryModel::storedBytes() const
{
    qint64 sum = 0;
    for (const Row &row : m_rows)
        sum += row.json.value(QLatin1String("stored_bytes")).toInteger();
    return sum;
}

int ServerSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerSummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServerSummaryModel::display(const Row &row, int column) const
{
    const QJsonObject &o = row.json;
    const QJsonObject last = o.value(QLatin1String("last_job")).toObject();
    switch (column) {
    case NameColumn: return str(o, "name");
    case HostColumn: {
        const QString host = str(o, "hostname"), os = str(o, "os");
        return os.isEmpty() ? host : host.isEmpty() ? os : tr("%1 (%2)").arg(host, os);
    }
    case OnlineColumn: return row.online ? tr("Online") : tr("Offline");
    case LastResultColumn:
        if (last.isEmpty())
            return tr("No runs yet");
        return tr("%1, %2").arg(format::jobState(str(last, "state")),
            format::dateTimeIso(
                str(last, "finished_at").isEmpty() ? str(last, "scheduled_at") : str(last, "finished_at")));
    case NextRunColumn: return str(o, "next_run").isEmpty() ? tr("No policy") : format::dateTimeIso(str(o, "next_run"));
    case StoredColumn:
        return o.value(QLatin1String("stored_bytes")).isDouble()
            ? format::bytes(o.value(QLatin1String("stored_bytes")).toInteger())
            : QStringLiteral("—");
    case ProgressColumn: {
        const QJsonObject running = o.value(QLatin1String("running_job")).toObject();
        if (running.isEmpty())
            return QString();
        const QJsonObject p = running.value(QLatin1String("progress")).toObject();
        QStringList parts;
        const double total = p.value(QLatin1String("bytes_total")).toDouble();
        const double done = p.value(QLatin1String("bytes")).toDouble();
        if (p.value(QLatin1String("percent")).isDouble())
            parts << format::percent(p.value(QLatin1String("percent")).toDouble(), 0);
        else if (total > 0)
            parts << format::percent(100.0 * done / total, 0);
        else if (done > 0)
            parts << format::bytes(qint64(done));
        if (p.value(QLatin1String("rate")).toDouble() > 0)
            parts << format::rate(p.value(QLatin1String("rate")).toDouble());
        return parts.isEmpty() ? tr("Running") : tr("Running: %1").arg(parts.join(QStringLiteral(", ")));
    }
    default: return {};
    }
}

QVariant ServerSummaryModel::sortValue(const Row &row, int column) const
{
    const QJsonObject &o = row.json;
    const QJsonObject last = o.value(QLatin1String("last_job")).toObject();
    switch (column) {
    case NameColumn: return str(o, "name").toLower();
    case HostColumn: return str(o, "hostname").toLower();
    case OnlineColumn: return row.online ? 1 : 0;
    case LastResultColumn: return last.isEmpty() ? QString() : str(last, "state") + str(last, "finished_at");
    case NextRunColumn: return str(o, "next_run").isEmpty() ? QStringLiteral("9999") : str(o, "next_run");
    case StoredColumn: return o.value(QLatin1String("stored_bytes")).toInteger();
    case ProgressColumn: return o.value(QLatin1String("running_job")).isObject() ? 1 : 0;
    default: return {};
    }
}

QVariant ServerSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case SortRole: return sortValue(row, index.column());
    case IdRole: return row.id;
    case StateRole: return str(row.json.value(QLatin1String("last_job")).toObject(), "state");
    case Qt::ForegroundRole:
        if (index.column() == LastResultColumn) {
            const QColor c = stateColour(str(row.json.value(QLatin1String("last_job")).toObject(), "state"));
            return c.isValid() ? QVariant(QBrush(c)) : QVariant();
        }
        if (index.column() == OnlineColumn && !row.online)
            return QBrush(QColor(0x75, 0x75, 0x75));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == LastResultColumn) {
            const QString error = str(row.json.value(QLatin1String("last_job")).toObject(), "error");
            return error.isEmpty() ? QVariant() : QVariant(error);
        }
        if (index.column() == OnlineColumn)
            return tr("Last seen %1").arg(format::dateTimeIso(str(row.json, "last_seen")));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == StoredColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

QVariant ServerSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Server");
    case HostColumn: return tr("Host and OS");
    case OnlineColumn: return tr("State");
    case LastResultColumn: return tr("Last result");
    case NextRunColumn: return tr("Next run");
    case StoredColumn: return tr("Stored");
    case ProgressColumn: return tr("Running job");
    default: return {};
    }
}

} // namespace cairn::console
