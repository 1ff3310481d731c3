// TicketListModel: restore tickets as a table (number, state, SLA state in colour, due time,
// server, requested, requester) for the user's "My tickets", a server's Restore tab and the
// operators' lists. Pages of GET /restore-tickets are merged in place: mergeTop() inserts new
// tickets and updates changed ones without a reset (selection survives), appendPage() adds the
// next page without duplicates. An optional server filter keeps only one server's tickets (the
// list endpoint has no ?server=). GUI thread.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace cairn::console {

class TicketListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Number, State, Sla, Due, Server, Requested, Requester, ColumnCount };
    enum Role { TicketIdRole = Qt::UserRole, TicketRole, TenantRole };

    explicit TicketListModel(QObject *parent = nullptr);

    void setServerFilter(qint64 serverId); // 0: every ticket
    void setServerNames(const QHash<qint64, QString> &names);
    // The names from a list of servers (GET /servers: objects with "id" and "name").
    void setServers(const QJsonArray &servers);
    const QHash<qint64, QString> &serverNames() const { return m_names; }
    void clear();
    // Merges a first page (newest first): new tickets inserted in order, changed ones updated.
    void mergeTop(const QJsonArray &items);
    void appendPage(const QJsonArray &items);
    void upsert(const QJsonObject &ticket);
    int rowOfTicket(qint64 id) const { return m_rowOf.value(id, -1); }
    QJsonObject ticket(int row) const { return row >= 0 && row < m_rows.size() ? m_rows[row] : QJsonObject(); }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void ticketUpdated(const QJsonObject &ticket);

private:
    bool accepts(const QJsonObject &ticket) const;
    void insertAt(int row, const QJsonObject &ticket);
    void setRow(int row, const QJsonObject &ticket);

    qint64 m_server = 0;
    QHash<qint64, QString> m_names;
    QList<QJsonObject> m_rows;
    QHash<qint64, int> m_rowOf;
};

} // namespace cairn::console
