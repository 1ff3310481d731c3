// HistoryModel: the runs of one server as a table model that never holds the whole history —
// pages of GET /jobs (kPageSize rows) are fetched as the view scrolls (canFetchMore/fetchMore,
// following the `next` cursor), sorting and filters are the server's (sort/order, status, kind,
// from/to) and restart from the first page, and refreshTop() merges the first page again in place
// (new runs inserted, changed runs updated) so a view keeps its selection and scroll position.
// Running runs that are loaded further down are fetched one by one and updated too. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace cairn::console {

class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Kind,
        State,
        Scheduled,
        Started,
        Finished,
        Duration,
        Files,
        BytesRead,
        BytesStored,
        Problems,
        RequestedBy,
        ColumnCount
    };
    enum Role { JobIdRole = Qt::UserRole, JobRole };
    static constexpr int kPageSize = 150;

    struct Filter {
        QString state; // empty: all
        QString kind; // empty: all
        QDate from, to; // scheduled day range in the display time zone; invalid: open
        bool operator==(const Filter &o) const
        {
            return state == o.state && kind == o.kind && from == o.from && to == o.to;
        }
    };

    explicit HistoryModel(ApiClient *api, QObject *parent = nullptr);

    // Drops everything and loads the first page of another server (0: none).
    void setServer(qint64 serverId);
    qint64 serverId() const { return m_server; }
    void setFilter(const Filter &filter);
    const Filter &filter() const { return m_filter; }
    // The server's sort key of a column, or empty if the server cannot sort by it.
    static QString sortKey(int column);
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_order; }

    // Loads the first page again and merges it into what is shown (live refresh).
    void refreshTop();
    // Puts one job (from GET /jobs/{id} or "back up now") into the model: updates its row, or
    // inserts it when it is not loaded. Returns its row.
    // Where a job that is not shown yet goes: on top (a new job, in the default order) or, with a
    // sort or filter set, where the server puts it (then the first page is fetched again; -1).
    enum class Placement { OnTop, WhereItBelongs };
    int upsertJob(const QJsonObject &job, Placement placement = Placement::WhereItBelongs);
    int rowOfJob(qint64 jobId) const { return m_rowOf.value(jobId, -1); }
    QJsonObject job(int row) const { return row >= 0 && row < m_rows.size() ? m_rows[row] : QJsonObject(); }
    bool isLoading() const { return m_pending > 0; }
    // True while a refresh drops or replaces rows: that is not the user's doing, so a view's
    // current row moving off a dropped row means nothing. rowOfJob() is stale meanwhile.
    bool isDroppingRows() const { return m_dropping; }
    qint64 total() const { return m_total; } // matching runs on the server; -1 unknown
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order) override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);
    void failed(const cairn::console::ApiError &error);
    void firstPageLoaded();
    void jobUpdated(const QJsonObject &job); // a loaded job changed (for the detail panel)
    void topRefreshed(); // a refresh's first page is merged in

private:
    QUrlQuery query() const;
    void reload();
    void appendPage(const QJsonObject &page);
    void mergeTop(const QJsonObject &page);
    void refreshRunningBelow(const QSet<qint64> &seen);
    void setRow(int row, const QJsonObject &job);
    bool topMatches(const QJsonArray &items) const;
    void replaceTop(const QJsonArray &items);
    void dropRowsNotIn(const QJsonArray &items); // the page is the whole list: the rest has left it
    void reindex(); // m_rowOf from m_rows
    void insertAt(int row, const QJsonObject &job);
    // GET /jobs with q: *busy is set and the model counts as loading until the answer; apply gets
    // the page, a failure is emitted; answers of an earlier query (generation) are dropped.
    void getJobs(const QUrlQuery &q, bool HistoryModel::*busy, std::function<void(const QJsonObject &)> apply);
    void takeTotal(const QJsonObject &page); // the page's "total", when the server sent one
    void begin();
    void end();

    ApiClient *m_api;
    qint64 m_server = 0;
    Filter m_filter;
    int m_sortColumn = -1; // -1: the default (newest first)
    Qt::SortOrder m_order = Qt::DescendingOrder;
    QList<QJsonObject> m_rows;
    QHash<qint64, int> m_rowOf;
    QJsonValue m_next; // null: no more pages
    bool m_loaded = false; // the first page has arrived
    bool m_fetching = false;
    bool m_merging = false;
    bool m_dropping = false;
    int m_generation = 0; // answers of an earlier query are dropped
    int m_pending = 0;
    qint64 m_total = -1;
};

} // namespace cairn::console
