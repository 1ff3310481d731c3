// ServerSummaryModel: the dashboard's table of a tenant's servers — name, host and OS, online
// state, last result, next run, stored bytes and the running job's progress — one row per server,
// from the `servers` of GET /dashboard (or GET /servers). setServers() updates the rows in place:
// changed rows get dataChanged, new ones are inserted and gone ones removed, so selection, scroll
// position and sorting survive a live refresh (no model reset). GUI thread.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace cairn::console {

class ServerSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        HostColumn,
        OnlineColumn,
        LastResultColumn,
        NextRunColumn,
        StoredColumn,
        ProgressColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw values for sorting (names, times, bytes)
        IdRole, // the server's id
        StateRole, // the last job's state ("succeeded", …) or empty
    };

    explicit ServerSummaryModel(QObject *parent = nullptr);

    // `servers`: objects with id, name, hostname, os, last_seen, online?, next_run, stored_bytes?,
    // last_job, running_job?. `now` decides "online" when the server does not say.
    void setServers(const QJsonArray &servers, const QDateTime &now);
    // The header texts and translated cells again (after a language change).
    void retranslate();

    qint64 serverId(int row) const;
    int rowOf(qint64 serverId) const; // -1 if not listed
    int failedCount() const; // servers whose last run failed or was missed
    qint64 storedBytes() const; // the sum of the servers' stored bytes (known ones)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        qint64 id = 0;
        QJsonObject json;
        bool online = false;
    };
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;

    QList<Row> m_rows;
};

} // namespace cairn::console
