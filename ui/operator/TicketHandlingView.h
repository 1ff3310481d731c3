// TicketHandlingView: one restore ticket as an operator handles it, beside the queue — what was
// asked (server, snapshot time, paths, destination server and folder, existing-files policy,
// contact, note), state, SLA and due time, the message thread, and the actions its state allows:
// accept; reject with a reason; start the restore on a chosen server of the tenant; complete with
// a note. A running ticket shows its restore job's progress live. Every action is a request
// with ?tenant= (POST /restore-tickets/{id}/…); a 409 shows its sentence and reloads. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QGroupBox;

namespace cairn::console {

class MessageBanner;
class TenantDirectory;
class TicketThread;

class TicketHandlingView : public QWidget {
    Q_OBJECT
public:
    TicketHandlingView(ApiClient *api, TenantDirectory *directory, QWidget *parent = nullptr);

    void setTicket(qint64 ticketId, qint64 tenantId);
    qint64 ticketId() const { return m_ticketId; }
    qint64 tenantId() const { return m_tenantId; }
    QJsonObject ticket() const { return m_ticket; }
    void refresh();
    void retranslateUi();
    QString bannerText() const;

signals:
    // An action changed the ticket (the queue reloads).
    void ticketChanged(qint64 ticketId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void apply(const QJsonObject &ticket);
    void showRequest();
    void showProgress();
    void fillTargets();
    void act(const QString &action, const QJsonObject &body);
    QUrlQuery tenantQuery() const;

    ApiClient *m_api;
    TenantDirectory *m_directory;
    qint64 m_ticketId = 0;
    qint64 m_tenantId = 0;
    QJsonObject m_ticket;
    QString m_snapshotTime;
    bool m_loading = false;
    bool m_acting = false;
    bool m_targetChosen = false; // the operator picked a target: refreshes keep it
    quint64 m_generation = 0;

    QLabel *m_title;
    MessageBanner *m_banner;
    QLabel *m_state;
    QLabel *m_sla;
    QLabel *m_due;
    QLabel *m_resolution;
    QGroupBox *m_requestBox;
    QLabel *m_requestCaption[7];
    QLabel *m_server, *m_snapshot, *m_paths, *m_target, *m_existing, *m_contact, *m_note;
    QGroupBox *m_progressBox;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QGroupBox *m_actionsBox;
    QPushButton *m_accept;
    QLineEdit *m_rejectReason;
    QPushButton *m_reject;
    QLabel *m_targetLabel;
    QComboBox *m_targetServer;
    QPushButton *m_start;
    QLineEdit *m_completeNote;
    QPushButton *m_complete;
    QLabel *m_noActions;
    TicketThread *m_thread;
};

} // namespace cairn::console
