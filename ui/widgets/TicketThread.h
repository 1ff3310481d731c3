// TicketThread: the message thread of a restore ticket, shared by the user's "My tickets" and the
// operator's ticket view — messages oldest first (author, role, time; system messages marked),
// and a box to write and send a new one (POST /restore-tickets/{id}/messages). GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QJsonArray>
#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace cairn::console {

class MessageBanner;

class TicketThread : public QWidget {
    Q_OBJECT
public:
    explicit TicketThread(ApiClient *api, QWidget *parent = nullptr);

    // tenant: operators must name the ticket's tenant (?tenant=); users pass nullopt.
    void setTicket(qint64 ticketId, std::optional<qint64> tenant);
    qint64 ticketId() const { return m_ticket; }
    void refresh(); // fetch the messages again (keeps what is typed)
    void setComposeEnabled(bool enabled);

signals:
    void messageSent();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void apply(const QJsonArray &messages);
    void send();
    QUrlQuery tenantQuery() const;
    QString path() const;

    ApiClient *m_api;
    qint64 m_ticket = 0;
    std::optional<qint64> m_tenant;
    QLabel *m_heading;
    MessageBanner *m_banner;
    QListWidget *m_list;
    QLabel *m_composeLabel;
    QPlainTextEdit *m_text;
    QPushButton *m_send;
    QList<qint64> m_shown; // message ids in the list, oldest first
    QJsonArray m_messages;
    bool m_loading = false;
    bool m_sending = false;
    quint64 m_generation = 0; // answers for an earlier ticket are dropped
};

} // namespace cairn::console
