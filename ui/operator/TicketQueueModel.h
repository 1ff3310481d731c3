// TicketQueueModel: the operators' work queue (GET /operator/ticket-queue) as a table — due time,
// SLA state in colour, remaining business time, tenant, server, requester, state, assignee —
// updated in place on every fetch (rows keyed by ticket id, so selection and scroll survive).
// The remaining time ticks every second between fetches from the business_minutes_left of the
// last fetch (re-synced by each fetch). TicketQueueFilter narrows it to mine / unassigned / all
// and sorts by due time (no due time last). GUI thread.
#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace cairn::console {

class TenantDirectory;

class TicketQueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Due, Sla, Remaining, Tenant, Server, Requester, State, Assignee, ColumnCount };
    enum Role { TicketIdRole = Qt::UserRole + 1, TenantIdRole, SortRole, AssigneeRole, SlaRole, TicketRole };

    explicit TicketQueueModel(TenantDirectory *directory, QObject *parent = nullptr);

    void setTickets(const QJsonArray &tickets);
    QJsonObject ticket(int row) const { return m_rows.value(row).ticket; }
    int rowOf(qint64 ticketId) const;
    // Seconds of business time left for the row now (negative when overdue), or nullopt.
    std::optional<qint64> secondsLeft(int row) const;
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // "2:59:58 left" / "overdue by 0:12:03".
    static QString remainingText(qint64 seconds);
    static QColor slaColor(const QString &sla);

private:
    struct Row {
        qint64 id = 0;
        QJsonObject ticket;
    };
    void tick();

    TenantDirectory *m_directory;
    QList<Row> m_rows;
    QElapsedTimer m_synced; // since the last fetch
    QTimer m_ticker;
};

class TicketQueueFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Show { Mine, Unassigned, All };
    explicit TicketQueueFilter(QObject *parent = nullptr);
    void setShow(Show show, qint64 me);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    Show m_show = Show::All;
    qint64 m_me = 0;
};

} // namespace cairn::console
