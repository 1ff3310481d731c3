// TicketHandlingView: fetches one ticket (GET /restore-tickets/{id}?tenant=), shows it and offers
// the actions its state allows; the thread below it is the shared TicketThread. GUI thread.
#include "operator/TicketHandlingView.h"

#include "core/Format.h"
#include "operator/TenantDirectory.h"
#include "operator/TicketQueueModel.h"
#include "widgets/MessageBanner.h"
#include "widgets/TicketRequest.h"
#include "widgets/TicketThread.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace cairn::console {

namespace {
using ticketrequest::valueLabel;

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

TicketHandlingView::TicketHandlingView(ApiClient *api, TenantDirectory *directory, QWidget *parent)
    : QWidget(parent),
      m_api(api),
      m_directory(directory),
      m_title(valueLabel(this, "ticketTitle")),
      m_banner(new MessageBanner(this)),
      m_state(valueLabel(this, "ticketStateText")),
      m_sla(valueLabel(this, "ticketSlaText")),
      m_due(valueLabel(this, "ticketDueText")),
      m_resolution(valueLabel(this, "ticketResolution")),
      m_requestBox(new QGroupBox(this)),
      m_server(valueLabel(this, "requestServer")),
      m_snapshot(valueLabel(this, "requestSnapshot")),
      m_paths(valueLabel(this, "requestPaths")),
      m_target(valueLabel(this, "requestTarget")),
      m_existing(valueLabel(this, "requestExisting")),
      m_contact(valueLabel(this, "requestContact")),
      m_note(valueLabel(this, "requestNote")),
      m_progressBox(new QGroupBox(this)),
      m_progress(new QProgressBar(this)),
      m_progressText(valueLabel(this, "ticketProgressText")),
      m_actionsBox(new QGroupBox(this)),
      m_accept(new QPushButton(this)),
      m_rejectReason(new QLineEdit(this)),
      m_reject(new QPushButton(this)),
      m_targetLabel(new QLabel(this)),
      m_targetServer(new QComboBox(this)),
      m_start(new QPushButton(this)),
      m_completeNote(new QLineEdit(this)),
      m_complete(new QPushButton(this)),
      m_noActions(new QLabel(this)),
      m_thread(new TicketThread(api, this))
{
    setObjectName(QStringLiteral("ticketHandlingView"));
    m_progress->setObjectName(QStringLiteral("ticketProgress"));
    m_accept->setObjectName(QStringLiteral("ticketAccept"));
    m_rejectReason->setObjectName(QStringLiteral("ticketRejectReason"));
    m_reject->setObjectName(QStringLiteral("ticketReject"));
    m_targetServer->setObjectName(QStringLiteral("ticketTargetServer"));
    m_start->setObjectName(QStringLiteral("ticketStart"));
    m_completeNote->setObjectName(QStringLiteral("ticketCompleteNote"));
    m_complete->setObjectName(QStringLiteral("ticketComplete"));
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_targetLabel->setBuddy(m_targetServer);
    m_rejectReason->setMaxLength(4000);
    m_completeNote->setMaxLength(4000);

    auto *status = new QHBoxLayout;
    status->addWidget(m_state);
    status->addWidget(m_sla);
    status->addWidget(m_due, 1);

    auto *request = new QFormLayout(m_requestBox);
    QLabel **values[] = {&m_server, &m_snapshot, &m_paths, &m_target, &m_existing, &m_contact, &m_note};
    for (int i = 0; i < 7; ++i) {
        m_requestCaption[i] = new QLabel(m_requestBox);
        request->addRow(m_requestCaption[i], *values[i]);
    }

    auto *progress = new QVBoxLayout(m_progressBox);
    progress->addWidget(m_progress);
    progress->addWidget(m_progressText);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);

    auto *actions = new QGridLayout(m_actionsBox);
    actions->addWidget(m_accept, 0, 2);
    actions->addWidget(m_rejectReason, 1, 0, 1, 2);
    actions->addWidget(m_reject, 1, 2);
    actions->addWidget(m_targetLabel, 2, 0);
    actions->addWidget(m_targetServer, 2, 1);
    actions->addWidget(m_start, 2, 2);
    actions->addWidget(m_completeNote, 3, 0, 1, 2);
    actions->addWidget(m_complete, 3, 2);
    actions->addWidget(m_noActions, 4, 0, 1, 3);
    actions->setColumnStretch(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_banner);
    layout->addLayout(status);
    layout->addWidget(m_resolution);
    layout->addWidget(m_requestBox);
    layout->addWidget(m_progressBox);
    layout->addWidget(m_actionsBox);
    layout->addWidget(m_thread, 1);

    connect(m_accept, &QPushButton::clicked, this, [this] { act(QStringLiteral("accept"), {}); });
    auto reject = [this] {
        const QString reason = m_rejectReason->text().trimmed();
        if (reason.isEmpty()) {
            m_banner->showError(tr("Write the reason for the rejection first: the requester reads it."));
            m_rejectReason->setFocus();
            return;
        }
        act(QStringLiteral("reject"), {{QStringLiteral("reason"), reason}});
    };
    connect(m_reject, &QPushButton::clicked, this, reject);
    connect(m_rejectReason, &QLineEdit::returnPressed, this, reject);
    connect(m_start, &QPushButton::clicked, this, [this] {
        // Only an override is sent: the request's own target needs nothing (and older servers
        // know no target_server here).
        QJsonObject body;
        const QJsonObject request = m_ticket.value(QLatin1String("request")).toObject();
        const qint64 requested = request.value(QLatin1String("target_server"))
                                     .toInteger(m_ticket.value(QLatin1String("server")).toInteger());
        if (m_targetServer->currentIndex() >= 0 && m_targetServer->currentData().toLongLong() != requested)
            body.insert(QStringLiteral("target_server"), m_targetServer->currentData().toLongLong());
        act(QStringLiteral("start"), body);
    });
    auto complete = [this] {
        const QString note = m_completeNote->text().trimmed();
        if (note.isEmpty()) {
            m_banner->showError(tr("Write a note on how the ticket was completed first."));
            m_completeNote->setFocus();
            return;
        }
        act(QStringLiteral("complete"), {{QStringLiteral("note"), note}});
    };
    connect(m_complete, &QPushButton::clicked, this, complete);
    connect(m_completeNote, &QLineEdit::returnPressed, this, complete);
    connect(m_targetServer, QOverload<int>::of(&QComboBox::activated), this, [this] { m_targetChosen = true; });
    connect(m_directory, &TenantDirectory::changed, this, [this] {
        fillTargets();
        showRequest();
    });
    setTabOrder(m_accept, m_rejectReason);
    setTabOrder(m_rejectReason, m_reject);
    setTabOrder(m_reject, m_targetServer);
    setTabOrder(m_targetServer, m_start);
    setTabOrder(m_start, m_completeNote);
    setTabOrder(m_completeNote, m_complete);
    retranslateUi();
    apply({});
}

QUrlQuery TicketHandlingView::tenantQuery() const
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("tenant"), QString::number(m_tenantId));
    return q;
}

QString TicketHandlingView::bannerText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void TicketHandlingView::setTicket(qint64 ticketId, qint64 tenantId)
{
    if (ticketId == m_ticketId && tenantId == m_tenantId) {
        refresh();
        return;
    }
    m_ticketId = ticketId;
    m_tenantId = tenantId;
    ++m_generation;
    m_loading = false;
    m_targetChosen = false;
    m_snapshotTime.clear();
    m_rejectReason->clear();
    m_completeNote->clear();
    m_banner->clear();
    m_targetServer->clear();
    apply({});
    m_thread->setTicket(ticketId, tenantId);
    m_directory->refreshServers(tenantId);
    refresh();
}

void TicketHandlingView::refresh()
{
    if (m_ticketId <= 0 || m_loading)
        return;
    m_loading = true;
    const quint64 generation = m_generation;
    m_api->get(QStringLiteral("/restore-tickets/%1").arg(m_ticketId), tenantQuery(), ApiClient::Scope::Global)
        ->then(
            this,
            [this, generation](const QJsonValue &body) {
                if (generation != m_generation)
                    return;
                m_loading = false;
                apply(body.toObject());
            },
            [this, generation](const ApiError &e) {
                if (generation != m_generation)
                    return;
                m_loading = false;
                m_banner->showError(e);
            });
    m_thread->refresh();
}

void TicketHandlingView::apply(const QJsonObject &ticket)
{
    m_ticket = ticket;
    const QString state = str(ticket, "state");
    const bool known = !ticket.isEmpty();
    m_requestBox->setVisible(known);
    m_actionsBox->setVisible(known);
    m_thread->setVisible(m_ticketId > 0);
    m_accept->setVisible(state == QLatin1String("submitted"));
    const bool rejectable = state == QLatin1String("submitted") || state == QLatin1String("accepted");
    m_rejectReason->setVisible(rejectable);
    m_reject->setVisible(rejectable);
    const bool startable = state == QLatin1String("accepted");
    m_targetLabel->setVisible(startable);
    m_targetServer->setVisible(startable);
    m_start->setVisible(startable);
    const bool completable = state == QLatin1String("accepted") || state == QLatin1String("running");
    m_completeNote->setVisible(completable);
    m_complete->setVisible(completable);
    m_noActions->setVisible(known && !rejectable && !completable);
    for (QWidget *w : {static_cast<QWidget *>(m_accept), static_cast<QWidget *>(m_reject),
             static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_complete)})
        w->setEnabled(!m_acting);

    const QString snapshot = str(ticket.value(QLatin1String("request")).toObject(), "snapshot");
    if (known && m_snapshotTime.isEmpty() && !snapshot.isEmpty()) {
        m_snapshotTime = QStringLiteral(" "); // asked once per ticket
        const quint64 generation = m_generation;
        m_api->get(QStringLiteral("/snapshots/%1").arg(snapshot), tenantQuery(), ApiClient::Scope::Global)
            ->then(
                this,
                [this, generation](const QJsonValue &body) {
                    if (generation != m_generation)
                        return;
                    m_snapshotTime = str(body.toObject(), "time");
                    showRequest();
                },
                [](const ApiError &) {}); // removed by retention: the id stays shown
    }
    fillTargets();
    retranslateUi();
}

void TicketHandlingView::fillTargets()
{
    if (m_ticket.isEmpty())
        return;
    const QJsonObject request = m_ticket.value(QLatin1String("request")).toObject();
    const qint64 requested
        = request.value(QLatin1String("target_server")).toInteger(m_ticket.value(QLatin1String("server")).toInteger());
    const qint64 current = m_targetChosen ? m_targetServer->currentData().toLongLong() : requested;
    const QJsonArray servers = m_directory->servers(m_tenantId);
    QList<QPair<qint64, QString>> items;
    for (const QJsonValue &v : servers) {
        const QJsonObject s = v.toObject();
        const QString host = str(s, "hostname");
        const QString name = str(s, "name");
        items.append({s.value(QLatin1String("id")).toInteger(),
            host.isEmpty() || host == name ? name : tr("%1 (%2)").arg(name, host)});
    }
    if (items.isEmpty())
        items.append({requested, QStringLiteral("#%1").arg(requested)});
    bool same = m_targetServer->count() == items.size();
    for (int i = 0; same && i < items.size(); ++i)
        same = m_targetServer->itemData(i).toLongLong() == items[i].first
            && m_targetServer->itemText(i) == items[i].second;
    if (!same) {
        m_targetServer->clear();
        for (const auto &[id, text] : items)
            m_targetServer->addItem(text, id);
    }
    const int at = m_targetServer->findData(current);
    if (at >= 0 && at != m_targetServer->currentIndex())
        m_targetServer->setCurrentIndex(at);
}

void TicketHandlingView::act(const QString &action, const QJsonObject &body)
{
    if (m_ticketId <= 0 || m_acting)
        return;
    m_acting = true;
    apply(m_ticket);
    m_banner->clear();
    const quint64 generation = m_generation;
    m_api
        ->post(QStringLiteral("/restore-tickets/%1/%2").arg(m_ticketId).arg(action), body, tenantQuery(),
            ApiClient::Scope::Global)
        ->then(
            this,
            [this, generation, action](const QJsonValue &answer) {
                m_acting = false;
                if (generation != m_generation)
                    return;
                if (action == QLatin1String("reject"))
                    m_rejectReason->clear();
                if (action == QLatin1String("complete"))
                    m_completeNote->clear();
                apply(answer.toObject());
                m_thread->refresh(); // reasons and notes are posted to the thread
                emit ticketChanged(m_ticketId);
            },
            [this, generation](const ApiError &e) {
                m_acting = false;
                if (generation != m_generation)
                    return;
                apply(m_ticket);
                m_banner->showError(e);
                if (e.isHttp(409)) { // someone else moved it: show what it is now
                    m_loading = false;
                    refresh();
                    emit ticketChanged(m_ticketId);
                }
            });
}

void TicketHandlingView::showRequest()
{
    if (m_ticket.isEmpty())
        return;
    const QJsonObject request = m_ticket.value(QLatin1String("request")).toObject();
    const qint64 server = m_ticket.value(QLatin1String("server")).toInteger();
    // Once started, the restore runs where its job runs: the operator may have chosen another server.
    const qint64 requestedTarget = request.value(QLatin1String("target_server")).toInteger(server);
    const QJsonObject job = m_ticket.value(QLatin1String("job")).toObject();
    const qint64 target = job.isEmpty() ? requestedTarget : job.value(QLatin1String("server")).toInteger(requestedTarget);
    m_server->setText(m_directory->serverName(m_tenantId, server));
    const QString snapshot = str(request, "snapshot");
    m_snapshot->setText(m_snapshotTime.trimmed().isEmpty()
            ? snapshot.left(12)
            : tr("%1 (snapshot %2)").arg(format::dateTimeIso(m_snapshotTime), snapshot.left(12)));
    const QStringList paths = ticketrequest::paths(request);
    m_paths->setText(paths.isEmpty() ? tr("Everything in the snapshot") : paths.join(QLatin1Char('\n')));
    const QString folder = str(request, "target");
    m_target->setText(tr("%1 — %2").arg(
        m_directory->serverName(m_tenantId, target), folder.isEmpty() ? tr("original locations") : folder));
    if (target != requestedTarget)
        m_target->setText(m_target->text() + QLatin1Char('\n')
            + tr("(requested: %1; changed by the operator)").arg(m_directory->serverName(m_tenantId, requestedTarget)));
    const QString existing = str(request, "existing");
    m_existing->setText(existing == QLatin1String("overwrite") ? tr("Overwrite existing files")
            : existing == QLatin1String("keep-both")           ? tr("Keep both (restored copy renamed)")
                                                               : tr("Skip existing files"));
    const QStringList c = ticketrequest::contact(request);
    m_contact->setText(c.isEmpty() ? tr("—") : c.join(QStringLiteral(" · ")));
    m_note->setText(str(request, "note").isEmpty() ? tr("—") : str(request, "note"));
}

void TicketHandlingView::showProgress()
{
    const QJsonObject job = m_ticket.value(QLatin1String("job")).toObject();
    const QString state = str(m_ticket, "state");
    m_progressBox->setVisible(!job.isEmpty());
    if (job.isEmpty())
        return;
    const QJsonObject p = job.value(QLatin1String("progress")).toObject();
    const QString jobState = str(job, "state");
    const qint64 files = p.value(QLatin1String("files")).toInteger();
    const qint64 filesTotal = p.value(QLatin1String("files_total")).toInteger();
    const qint64 bytes = p.value(QLatin1String("bytes")).toInteger();
    const qint64 bytesTotal = p.value(QLatin1String("bytes_total")).toInteger();
    const double rate = p.value(QLatin1String("rate")).toDouble();
    const bool finished = jobState == QLatin1String("succeeded") || jobState == QLatin1String("warning");
    int permille = 0;
    if (finished)
        permille = 1000;
    else if (bytesTotal > 0)
        permille = int(qBound(0.0, double(bytes) * 1000 / double(bytesTotal), 1000.0));
    else if (filesTotal > 0)
        permille = int(qBound(0.0, double(files) * 1000 / double(filesTotal), 1000.0));
    m_progress->setValue(permille);
    m_progress->setFormat(format::percent(permille / 10.0));
    QStringList parts;
    parts << tr("Restore job %1: %2").arg(job.value(QLatin1String("id")).toInteger()).arg(format::jobState(jobState));
    if (filesTotal > 0)
        parts << tr("%1 of %2 files").arg(format::number(files), format::number(filesTotal));
    else if (files > 0)
        parts << tr("%1 files").arg(format::number(files));
    if (bytesTotal > 0)
        parts << tr("%1 of %2").arg(format::bytes(bytes), format::bytes(bytesTotal));
    else if (bytes > 0)
        parts << format::bytes(bytes);
    if (jobState == QLatin1String("running")) {
        if (rate > 0)
            parts << format::rate(rate);
        if (rate > 0 && bytesTotal > bytes)
            parts << format::eta(rate >= 1 ? qint64(std::min((bytesTotal - bytes) / rate, 365.0 * 86400)) : -1);
    }
    if (!str(job, "error").isEmpty())
        parts << str(job, "error");
    m_progressText->setText(parts.join(QStringLiteral(" · ")));
    Q_UNUSED(state);
}

void TicketHandlingView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TicketHandlingView::retranslateUi()
{
    m_requestBox->setTitle(tr("Request"));
    m_progressBox->setTitle(tr("Restore progress"));
    m_actionsBox->setTitle(tr("Actions"));
    const char *captions[] = {QT_TR_NOOP("Server:"), QT_TR_NOOP("Snapshot:"), QT_TR_NOOP("Paths:"),
        QT_TR_NOOP("Restore to:"), QT_TR_NOOP("Existing files:"), QT_TR_NOOP("Contact:"), QT_TR_NOOP("Note:")};
    for (int i = 0; i < 7; ++i)
        m_requestCaption[i]->setText(tr(captions[i]));
    m_accept->setText(tr("&Accept"));
    m_accept->setToolTip(tr("Take the ticket: it is assigned to you"));
    m_rejectReason->setPlaceholderText(tr("Reason for the rejection (required, the requester reads it)"));
    m_reject->setText(tr("&Reject"));
    m_targetLabel->setText(tr("Restore &on:"));
    m_start->setText(tr("&Start restore"));
    m_start->setToolTip(tr("Send the restore job to the chosen server"));
    m_completeNote->setPlaceholderText(tr("How the ticket was completed (required)"));
    m_complete->setText(tr("&Complete"));
    m_noActions->setText(tr("This ticket is closed: nothing more to do."));
    if (m_ticketId <= 0) {
        m_title->setText(tr("Select a ticket in the queue."));
        m_state->clear();
        m_sla->clear();
        m_due->clear();
        m_resolution->clear();
        m_progressBox->hide();
        return;
    }
    m_title->setText(tr("Ticket %1 — %2").arg(m_ticketId).arg(m_directory->tenantName(m_tenantId)));
    if (m_ticket.isEmpty()) {
        m_state->setText(tr("Loading…"));
        return;
    }
    m_state->setText(format::ticketState(str(m_ticket, "state")));
    const QString sla = str(m_ticket, "sla");
    const QColor color = TicketQueueModel::slaColor(sla);
    m_sla->setText(sla.isEmpty() ? QString() : format::slaState(sla));
    m_sla->setStyleSheet(
        color.isValid() ? QStringLiteral("color: %1; font-weight: bold;").arg(color.name()) : QString());
    const QDateTime due = format::parseIso(str(m_ticket, "due_at"));
    const QJsonValue left = m_ticket.value(QLatin1String("business_minutes_left"));
    QString dueText = due.isValid() ? tr("Due %1").arg(format::dateTime(due)) : tr("No due time");
    if (left.isDouble())
        dueText += QStringLiteral(" · ") + TicketQueueModel::remainingText(left.toInteger() * 60);
    m_due->setText(dueText);
    const QString resolution = str(m_ticket, "resolution");
    m_resolution->setVisible(!resolution.isEmpty());
    m_resolution->setText(tr("Resolution: %1").arg(resolution));
    showRequest();
    showProgress();
}

} // namespace cairn::console
