// HistoryModel implementation. GUI thread.
#include "user/HistoryModel.h"

#include "core/Format.h"

#include <QBrush>
#include <QColor>
#include <QJsonArray>
#include <QSet>
#include <QTimeZone>

namespace cairn::console {

namespace {

constexpr int kRunningRefreshLimit = 20; // running runs below the first page fetched per tick

qint64 num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}

// A figure of the run: from its final statistics, or its progress while it runs.
qint64 figure(const QJsonObject &job, const char *key)
{
    const QJsonObject stats = job.value(QLatin1String("stats")).toObject();
    if (stats.contains(QLatin1String(key)))
        return num(stats, key);
    return num(job.value(QLatin1String("progress")).toObject(), key);
}

bool hasFigure(const QJsonObject &job, const char *key)
{
    return job.value(QLatin1String("stats")).toObject().contains(QLatin1String(key))
        || job.value(QLatin1String("progress")).toObject().contains(QLatin1String(key));
}

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

HistoryModel::HistoryModel(ApiClient *api, QObject *parent) : QAbstractTableModel(parent), m_api(api) { }

void HistoryModel::setServer(qint64 serverId)
{
    m_server = serverId;
    reload();
}

void HistoryModel::setFilter(const Filter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

QString HistoryModel::sortKey(int column)
{
    switch (column) {
    case Kind: return QStringLiteral("kind");
    case State: return QStringLiteral("state");
    case Scheduled: return QStringLiteral("scheduled_at");
    case Started: return QStringLiteral("started_at");
    case Finished: return QStringLiteral("finished_at");
    default: return QString();
    }
}

void HistoryModel::sort(int column, Qt::SortOrder order)
{
    if (!sortKey(column).isEmpty() || column < 0) {
        if (column == m_sortColumn && order == m_order)
            return;
        m_sortColumn = column;
        m_order = order;
    } else {
        return; // the server cannot sort by it: keep the current order
    }
    reload();
}

QUrlQuery HistoryModel::query() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("server"), QString::number(m_server));
    q.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    if (!m_filter.state.isEmpty())
        q.addQueryItem(QStringLiteral("status"), m_filter.state);
    if (!m_filter.kind.isEmpty())
        q.addQueryItem(QStringLiteral("kind"), m_filter.kind);
    const QTimeZone zone
        = format::displayTimeZone().isValid() ? format::displayTimeZone() : QTimeZone::systemTimeZone();
    if (m_filter.from.isValid())
        q.addQueryItem(QStringLiteral("from"), iso(m_filter.from.startOfDay(zone)));
    if (m_filter.to.isValid())
        q.addQueryItem(QStringLiteral("to"), iso(m_filter.to.addDays(1).startOfDay(zone).addMSecs(-1)));
    if (m_sortColumn >= 0) {
        q.addQueryItem(QStringLiteral("sort"), sortKey(m_sortColumn));
        q.addQueryItem(
            QStringLiteral("order"), m_order == Qt::AscendingOrder ? QStringLiteral("asc") : QStringLiteral("desc"));
    }
    return q;
}

void HistoryModel::begin()
{
    if (m_pending++ == 0)
        emit loadingChanged(true);
}

void HistoryModel::end()
{
    if (m_pending > 0 && --m_pending == 0)
        emit loadingChanged(false);
}

void HistoryModel::reload()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_next = QJsonValue();
    m_loaded = false;
    m_fetching = false;
    m_merging = false;
    m_total = -1;
    endResetModel();
    while (m_pending > 0)
        end();
    if (m_server <= 0)
        return;
    getJobs(query(), &HistoryModel::m_fetching, [this](const QJsonObject &page) {
        takeTotal(page);
        m_loaded = true;
        appendPage(page);
        emit firstPageLoaded();
    });
}

void HistoryModel::getJobs(const QUrlQuery &q, bool HistoryModel::*busy, std::function<void(const QJsonObject &)> apply)
{
    const int generation = m_generation;
    this->*busy = true;
    begin();
    m_api->get(QStringLiteral("/jobs"), q)
        ->then(
            this,
            [this, generation, busy, apply = std::move(apply)](const QJsonValue &answer) {
                if (generation != m_generation)
                    return;
                this->*busy = false;
                end();
                apply(answer.toObject());
            },
            [this, generation, busy](const ApiError &e) {
                if (generation != m_generation)
                    return;
                this->*busy = false;
                end();
                emit failed(e);
            });
}

void HistoryModel::takeTotal(const QJsonObject &page)
{
    if (page.contains(QLatin1String("total")))
        m_total = page.value(QLatin1String("total")).toInteger();
}

bool HistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded && !m_fetching && !m_next.isNull() && !m_next.isUndefined();
}

void HistoryModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    QUrlQuery q = query();
    if (m_next.isString())
        q.addQueryItem(QStringLiteral("after"), m_next.toString());
    else
        q.addQueryItem(QStringLiteral("before"), QString::number(m_next.toInteger()));
    getJobs(q, &HistoryModel::m_fetching, [this](const QJsonObject &page) { appendPage(page); });
}

void HistoryModel::appendPage(const QJsonObject &page)
{
    m_next = page.value(QLatin1String("next"));
    QList<QJsonObject> fresh;
    for (const QJsonValue &v : page.value(QLatin1String("items")).toArray()) {
        const QJsonObject job = v.toObject();
        const qint64 id = num(job, "id");
        const int row = m_rowOf.value(id, -1);
        if (row >= 0)
            setRow(row, job); // already shown (inserted at the top by a refresh): no duplicate
        else
            fresh.append(job);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (const QJsonObject &job : std::as_const(fresh)) {
        m_rowOf.insert(num(job, "id"), int(m_rows.size()));
        m_rows.append(job);
    }
    endInsertRows();
}

void HistoryModel::refreshTop()
{
    if (m_server <= 0)
        return;
    if (!m_loaded) {
        if (!m_fetching)
            reload();
        return;
    }
    if (m_merging)
        return;
    getJobs(query(), &HistoryModel::m_merging, [this](const QJsonObject &page) { mergeTop(page); });
}

void HistoryModel::mergeTop(const QJsonObject &page)
{
    takeTotal(page);
    const QJsonArray items = page.value(QLatin1String("items")).toArray();
    const QJsonValue next = page.value(QLatin1String("next"));
    if (next.isNull() || next.isUndefined()) {
        // A page without a next cursor is the whole list: a row it does not hold has left the
        // list (a run that finished under a "running" filter), wherever that row is.
        m_next = QJsonValue(QJsonValue::Null);
        dropRowsNotIn(items);
    }
    if (!topMatches(items)) {
        replaceTop(items); // rows moved (another sort key) or left the filter
        emit topRefreshed();
        return;
    }
    QSet<qint64> seen;
    int after = -1; // the model row of the previous item of the page
    for (const QJsonValue &v : items) {
        const QJsonObject job = v.toObject();
        const qint64 id = num(job, "id");
        seen.insert(id);
        int row = m_rowOf.value(id, -1);
        if (row >= 0) {
            setRow(row, job);
        } else {
            // New since the last look: insert it where the server's order puts it among the
            // rows shown, right below the previous item of the page.
            row = after + 1;
            insertAt(row, job);
        }
        after = std::max(after, row);
    }
    refreshRunningBelow(seen);
    emit topRefreshed();
}

bool HistoryModel::topMatches(const QJsonArray &items) const
{
    // The rows of the page that the model shows must be in the page's order with nothing else
    // between them; only new rows (not shown yet) may be missing.
    int previous = -1, shown = 0;
    for (const QJsonValue &v : items) {
        const int row = m_rowOf.value(num(v.toObject(), "id"), -1);
        if (row < 0)
            continue;
        if (row <= previous)
            return false;
        previous = row;
        ++shown;
    }
    return shown == previous + 1;
}

void HistoryModel::dropRowsNotIn(const QJsonArray &items)
{
    QSet<qint64> ids;
    for (const QJsonValue &v : items)
        ids.insert(num(v.toObject(), "id"));
    bool dropped = false;
    m_dropping = true;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!ids.contains(num(m_rows[row], "id"))) {
            beginRemoveRows({}, row, row);
            m_rows.remove(row);
            endRemoveRows();
            dropped = true;
        }
    }
    if (dropped)
        reindex();
    m_dropping = false;
}

void HistoryModel::reindex()
{
    m_rowOf.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(num(m_rows[row], "id"), row);
}

void HistoryModel::replaceTop(const QJsonArray &items)
{
    m_dropping = true;
    int last = -1; // the region of the model the page covers: up to its last row shown
    QSet<qint64> ids;
    for (const QJsonValue &v : items) {
        const qint64 id = num(v.toObject(), "id");
        ids.insert(id);
        last = std::max(last, m_rowOf.value(id, -1));
    }
    if (last >= 0) {
        beginRemoveRows({}, 0, last);
        m_rows.remove(0, last + 1);
        endRemoveRows();
    }
    // Rows further down that the page now holds (their sort key changed) go too.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (ids.contains(num(m_rows[row], "id"))) {
            beginRemoveRows({}, row, row);
            m_rows.remove(row);
            endRemoveRows();
        }
    }
    if (!items.isEmpty()) {
        beginInsertRows({}, 0, int(items.size()) - 1);
        for (int i = 0; i < items.size(); ++i)
            m_rows.insert(i, items[i].toObject());
        endInsertRows();
    }
    reindex();
    m_dropping = false;
    for (const QJsonValue &v : items)
        emit jobUpdated(v.toObject());
}

void HistoryModel::refreshRunningBelow(const QSet<qint64> &seen)
{
    int asked = 0;
    for (const QJsonObject &job : std::as_const(m_rows)) {
        const QString state = job.value(QLatin1String("state")).toString();
        const qint64 id = num(job, "id");
        if ((state != QLatin1String("running") && state != QLatin1String("pending")) || seen.contains(id))
            continue;
        if (++asked > kRunningRefreshLimit)
            break;
        const int generation = m_generation;
        m_api->get(QStringLiteral("/jobs/%1").arg(id))
            ->then(
                this,
                [this, generation](const QJsonValue &answer) {
                    if (generation == m_generation)
                        upsertJob(answer.toObject());
                },
                [](const ApiError &) {});
    }
}

void HistoryModel::setRow(int row, const QJsonObject &job)
{
    if (m_rows[row] == job)
        return;
    m_rows[row] = job;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit jobUpdated(job);
}

int HistoryModel::upsertJob(const QJsonObject &job, Placement placement)
{
    const qint64 id = num(job, "id");
    if (id <= 0)
        return -1;
    int row = m_rowOf.value(id, -1);
    if (row >= 0) {
        setRow(row, job);
        return row;
    }
    if (placement == Placement::WhereItBelongs && (m_sortColumn >= 0 || !(m_filter == Filter()))) {
        // Where it belongs depends on the sort and the filter: the server says it.
        refreshTop();
        emit jobUpdated(job);
        return -1;
    }
    insertAt(0, job); // newest first: a new job goes on top
    emit jobUpdated(job);
    return 0;
}

void HistoryModel::insertAt(int row, const QJsonObject &job)
{
    beginInsertRows({}, row, row);
    m_rows.insert(row, job);
    for (auto it = m_rowOf.begin(); it != m_rowOf.end(); ++it) {
        if (it.value() >= row)
            ++it.value();
    }
    m_rowOf.insert(num(job, "id"), row);
    endInsertRows();
}

void HistoryModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Kind: return tr("Kind");
    case State: return tr("State");
    case Scheduled: return tr("Scheduled");
    case Started: return tr("Started");
    case Finished: return tr("Finished");
    case Duration: return tr("Duration");
    case Files: return tr("Files");
    case BytesRead: return tr("Read");
    case BytesStored: return tr("New data stored");
    case Problems: return tr("Warnings / errors");
    case RequestedBy: return tr("Requested by");
    default: return {};
    }
}

// Who asked for a run, as the console names it.
static QString requester(const QString &by)
{
    if (by == QLatin1String("schedule"))
        return HistoryModel::tr("Schedule");
    if (by == QLatin1String("agent"))
        return HistoryModel::tr("On the server");
    if (by.startsWith(QLatin1String("user:")))
        return HistoryModel::tr("User %1").arg(by.mid(5));
    if (by.startsWith(QLatin1String("operator:")))
        return HistoryModel::tr("Operator %1").arg(by.mid(9));
    return by;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &job = m_rows[index.row()];
    if (role == JobIdRole)
        return num(job, "id");
    if (role == JobRole)
        return job;
    const QString state = job.value(QLatin1String("state")).toString();
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (state == QLatin1String("succeeded"))
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        if (state == QLatin1String("warning"))
            return QBrush(QColor(0xe6, 0x51, 0x00));
        if (state == QLatin1String("failed") || state == QLatin1String("missed"))
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (state == QLatin1String("running"))
            return QBrush(QColor(0x15, 0x65, 0xc0));
        return QBrush(QColor(0x61, 0x61, 0x61));
    }
    if (role == Qt::ToolTipRole && index.column() == State)
        return job.value(QLatin1String("error")).toString();
    if (role == Qt::TextAlignmentRole && index.column() >= Duration && index.column() <= Problems)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const bool restore = job.value(QLatin1String("kind")).toString() == QLatin1String("restore");
    switch (index.column()) {
    case Kind: return format::jobKind(job.value(QLatin1String("kind")).toString());
    case State: return format::jobState(state);
    case Scheduled: return format::dateTimeIso(job.value(QLatin1String("scheduled_at")).toString());
    case Started: return format::dateTimeIso(job.value(QLatin1String("started_at")).toString());
    case Finished: return format::dateTimeIso(job.value(QLatin1String("finished_at")).toString());
    case Duration: {
        const QDateTime started = format::parseIso(job.value(QLatin1String("started_at")).toString());
        QDateTime finished = format::parseIso(job.value(QLatin1String("finished_at")).toString());
        if (!started.isValid())
            return QString();
        if (!finished.isValid())
            finished = QDateTime::currentDateTimeUtc();
        return format::duration(started.secsTo(finished));
    }
    case Files: return hasFigure(job, "files") ? format::number(figure(job, "files")) : QString();
    case BytesRead: {
        const char *key = restore ? "bytes" : "bytes_read";
        return hasFigure(job, key) ? format::bytes(figure(job, key)) : QString();
    }
    case BytesStored:
        return !restore && hasFigure(job, "bytes_stored") ? format::bytes(figure(job, "bytes_stored")) : QString();
    case Problems:
        if (!hasFigure(job, "warnings") && !hasFigure(job, "errors"))
            return QString();
        return QStringLiteral("%1 / %2").arg(
            format::number(figure(job, "warnings")), format::number(figure(job, "errors")));
    case RequestedBy: return requester(job.value(QLatin1String("requested_by")).toString());
    default: return {};
    }
}

} // namespace cairn::console
