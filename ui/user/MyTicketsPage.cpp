// MyTicketsPage implementation. GUI thread.
#include "user/MyTicketsPage.h"

#include "core/Format.h"
#include "user/TicketListModel.h"
#include "widgets/JobProgressBar.h"
#include "widgets/MessageBanner.h"
#include "widgets/TicketRequest.h"
#include "widgets/TicketThread.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace cairn::console {

namespace {

constexpr int kPageSize = 100;

using ticketrequest::valueLabel;

} // namespace

MyTicketsPage::MyTicketsPage(ApiClient *api, QWidget *parent)
    : Page(api, parent),
      m_model(new TicketListModel(this)),
      m_table(new QTableView(this)),
      m_more(new QPushButton(this)),
      m_empty(new QLabel(this)),
      m_detail(new QWidget(this)),
      m_title(valueLabel(m_detail, "ticketTitle")),
      m_state(valueLabel(m_detail, "ticketState")),
      m_request(valueLabel(m_detail, "ticketRequest")),
      m_contact(valueLabel(m_detail, "ticketContact")),
      m_jobText(valueLabel(m_detail, "ticketJob")),
      m_jobProgress(new JobProgressBar(m_detail)),
      m_resolution(valueLabel(m_detail, "ticketResolution")),
      m_cancel(new QPushButton(m_detail)),
      m_confirmRow(new QWidget(m_detail)),
      m_confirmText(new QLabel(m_confirmRow)),
      m_confirm(new QPushButton(m_confirmRow)),
      m_keep(new QPushButton(m_confirmRow)),
      m_thread(new TicketThread(api, m_detail))
{
    setObjectName(QStringLiteral("myTicketsPage"));
    m_table->setObjectName(QStringLiteral("myTicketsTable"));
    m_more->setObjectName(QStringLiteral("myTicketsMore"));
    m_empty->setObjectName(QStringLiteral("myTicketsEmpty"));
    m_jobProgress->setObjectName(QStringLiteral("ticketJobProgress"));
    m_cancel->setObjectName(QStringLiteral("ticketCancel"));
    m_confirm->setObjectName(QStringLiteral("ticketCancelConfirm"));
    m_keep->setObjectName(QStringLiteral("ticketCancelKeep"));
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_more->hide();

    auto *confirmLayout = new QHBoxLayout(m_confirmRow);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    confirmLayout->addWidget(m_confirmText, 1);
    confirmLayout->addWidget(m_confirm);
    confirmLayout->addWidget(m_keep);
    m_confirmRow->hide();
    auto *detailLayout = new QVBoxLayout(m_detail);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_state);
    detailLayout->addWidget(m_request);
    detailLayout->addWidget(m_contact);
    detailLayout->addWidget(m_jobText);
    detailLayout->addWidget(m_jobProgress);
    detailLayout->addWidget(m_resolution);
    auto *cancelRow = new QHBoxLayout;
    cancelRow->addStretch(1);
    cancelRow->addWidget(m_cancel);
    detailLayout->addLayout(cancelRow);
    detailLayout->addWidget(m_confirmRow);
    detailLayout->addWidget(m_thread, 1);
    m_detail->hide();

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addWidget(m_empty);
    leftLayout->addWidget(m_more);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_detail);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(scroll);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(banner());
    layout->addWidget(split, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MyTicketsPage::onCurrentChanged);
    connect(m_model, &TicketListModel::ticketUpdated, this, [this](const QJsonObject &t) {
        if (t.value(QLatin1String("id")).toInteger() == currentTicketId())
            showDetail(t);
    });
    connect(m_more, &QPushButton::clicked, this, &MyTicketsPage::loadMore);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->hide();
        m_confirmRow->show();
        m_keep->setFocus();
    });
    connect(m_keep, &QPushButton::clicked, this, [this] {
        m_confirmRow->hide();
        m_cancel->show();
    });
    connect(m_confirm, &QPushButton::clicked, this, &MyTicketsPage::cancelTicket);
    retranslateUi();
}

qint64 MyTicketsPage::currentTicketId() const
{
    return m_ticket.value(QLatin1String("id")).toInteger();
}

void MyTicketsPage::refresh()
{
    if (!api()->isLoggedIn() || !beginLoad())
        return;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    api()
        ->get(QStringLiteral("/restore-tickets"), q)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                endLoad();
                const bool first = m_model->rowCount() == 0;
                m_model->mergeTop(answer[QLatin1String("items")].toArray());
                if (first)
                    m_next = answer[QLatin1String("next")];
                m_more->setVisible(!m_next.isNull() && !m_next.isUndefined());
                m_empty->setVisible(m_model->rowCount() == 0);
                if (m_wanted > 0)
                    selectTicket(m_wanted);
            },
            [this](const ApiError &e) {
                endLoad();
                showError(e);
            });
    if (currentTicketId() > 0) {
        fetchTicket(currentTicketId());
        m_thread->refresh();
    }
    api()
        ->get(QStringLiteral("/servers"))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_model->setServers(answer.isArray() ? answer.toArray() : answer[QLatin1String("items")].toArray());
            },
            [](const ApiError &) {});
}

void MyTicketsPage::loadMore()
{
    if (m_loadingMore || m_next.isNull() || m_next.isUndefined())
        return;
    m_loadingMore = true;
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    q.addQueryItem(QStringLiteral("before"), QString::number(m_next.toInteger()));
    api()
        ->get(QStringLiteral("/restore-tickets"), q)
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_loadingMore = false;
                m_model->appendPage(answer[QLatin1String("items")].toArray());
                m_next = answer[QLatin1String("next")];
                m_more->setVisible(!m_next.isNull() && !m_next.isUndefined());
            },
            [this](const ApiError &e) {
                m_loadingMore = false;
                showError(e);
            });
}

void MyTicketsPage::selectTicket(qint64 id)
{
    const int row = m_model->rowOfTicket(id);
    if (row < 0)
        return;
    m_wanted = 0;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void MyTicketsPage::showTicket(qint64 ticketId, qint64)
{
    if (m_model->rowOfTicket(ticketId) >= 0) {
        selectTicket(ticketId);
        return;
    }
    m_wanted = ticketId;
    api()
        ->get(QStringLiteral("/restore-tickets/%1").arg(ticketId))
        ->then(
            this,
            [this, ticketId](const QJsonValue &answer) {
                if (m_wanted != ticketId)
                    return;
                m_model->upsert(answer.toObject());
                selectTicket(ticketId);
            },
            [this](const ApiError &e) { showError(e); });
}

void MyTicketsPage::onCurrentChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const QJsonObject t = m_model->ticket(current.row());
    const qint64 id = t.value(QLatin1String("id")).toInteger();
    if (id != currentTicketId()) {
        m_confirmRow->hide();
        m_cancel->show();
        m_thread->setTicket(id, std::nullopt);
    }
    showDetail(t);
}

void MyTicketsPage::fetchTicket(qint64 id)
{
    api()
        ->get(QStringLiteral("/restore-tickets/%1").arg(id))
        ->then(
            this, [this](const QJsonValue &answer) { m_model->upsert(answer.toObject()); }, [](const ApiError &) {});
}

QString MyTicketsPage::requestText(const QJsonObject &t) const
{
    const QJsonObject r = t.value(QLatin1String("request")).toObject();
    const QStringList paths = ticketrequest::paths(r);
    const auto serverName = [this](qint64 id) {
        const QString n = m_model->serverNames().value(id);
        return n.isEmpty() ? tr("Server %1").arg(id) : n;
    };
    const QString existing = r.value(QLatin1String("existing")).toString();
    const QString existingText = existing == QLatin1String("overwrite") ? tr("overwrite existing files")
        : existing == QLatin1String("keep-both")                        ? tr("keep both versions of existing files")
                                                                        : tr("skip existing files");
    const QString target = r.value(QLatin1String("target")).toString();
    QStringList lines;
    lines << tr("From %1, snapshot %2")
                 .arg(serverName(t.value(QLatin1String("server")).toInteger()),
                     r.value(QLatin1String("snapshot")).toString().left(12));
    lines << tr("What: %1").arg(paths.isEmpty() ? tr("everything") : paths.join(QStringLiteral(", ")));
    lines << tr("Onto %1, %2; %3")
                 .arg(serverName(r.value(QLatin1String("target_server")).toInteger()),
                     target.isEmpty() ? tr("to the original location") : tr("into %1").arg(target), existingText);
    const QString note = r.value(QLatin1String("note")).toString();
    if (!note.isEmpty())
        lines << tr("Note: %1").arg(note);
    return lines.join(QLatin1Char('\n'));
}

void MyTicketsPage::showDetail(const QJsonObject &t)
{
    m_ticket = t;
    m_detail->setVisible(!t.isEmpty());
    if (t.isEmpty())
        return;
    const QString state = t.value(QLatin1String("state")).toString();
    m_title->setText(tr("Restore request #%1").arg(t.value(QLatin1String("id")).toInteger()));
    const QString due = t.value(QLatin1String("due_at")).toString();
    const QString sla = t.value(QLatin1String("sla")).toString();
    QString stateLine = format::ticketState(state);
    if (!sla.isEmpty())
        stateLine += QStringLiteral(" · ") + format::slaState(sla);
    stateLine
        += QStringLiteral(" · ") + (due.isEmpty() ? tr("no due time") : tr("due %1").arg(format::dateTimeIso(due)));
    stateLine += QStringLiteral(" · ")
        + tr("requested %1").arg(format::dateTimeIso(t.value(QLatin1String("created_at")).toString()));
    m_state->setText(stateLine);
    m_request->setText(requestText(t));
    const QStringList contact = ticketrequest::contact(t.value(QLatin1String("request")).toObject());
    m_contact->setText(
        tr("Contact: %1").arg(contact.isEmpty() ? tr("none given") : contact.join(QStringLiteral(", "))));
    const QJsonObject job = t.value(QLatin1String("job")).toObject();
    const QString jobState = job.value(QLatin1String("state")).toString();
    const bool running = jobState == QLatin1String("running") || jobState == QLatin1String("pending");
    m_jobText->setVisible(!job.isEmpty());
    if (!job.isEmpty()) {
        QString text
            = tr("Restore job #%1: %2").arg(job.value(QLatin1String("id")).toInteger()).arg(format::jobState(jobState));
        const QString error = job.value(QLatin1String("error")).toString();
        if (!error.isEmpty())
            text += QStringLiteral(" — ") + error;
        m_jobText->setText(text);
    }
    m_jobProgress->setVisible(running);
    if (running)
        m_jobProgress->setProgress(QStringLiteral("restore"), job.value(QLatin1String("progress")).toObject());
    const QString resolution = t.value(QLatin1String("resolution")).toString();
    m_resolution->setText(tr("Resolution: %1").arg(resolution));
    m_resolution->setVisible(!resolution.isEmpty());
    const SessionUser &me = api()->user();
    const bool mayCancel = state == QLatin1String("submitted")
        && (me.isAdmin() || t.value(QLatin1String("requested_by")).toInteger() == me.id);
    if (!mayCancel) {
        m_cancel->hide();
        m_confirmRow->hide();
    } else if (!m_confirmRow->isVisibleTo(m_detail)) {
        m_cancel->show();
    }
    m_thread->setComposeEnabled(state != QLatin1String("cancelled"));
}

void MyTicketsPage::cancelTicket()
{
    const qint64 id = currentTicketId();
    if (id <= 0)
        return;
    m_confirm->setEnabled(false);
    api()
        ->post(QStringLiteral("/restore-tickets/%1/cancel").arg(id))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_confirm->setEnabled(true);
                m_confirmRow->hide();
                m_model->upsert(answer.toObject());
                showInfo(tr("The restore request was cancelled."));
                m_thread->refresh();
            },
            [this](const ApiError &e) {
                m_confirm->setEnabled(true);
                m_confirmRow->hide();
                m_cancel->show();
                showError(e);
            });
}

void MyTicketsPage::retranslateUi()
{
    m_more->setText(tr("Show &older requests"));
    m_empty->setText(tr("No restore requests yet. Request one from a server's Restore tab."));
    m_cancel->setText(tr("&Cancel request"));
    m_confirmText->setText(tr("Cancel this restore request?"));
    m_confirm->setText(tr("&Yes, cancel it"));
    m_keep->setText(tr("&Keep it"));
    m_model->retranslate();
    if (!m_ticket.isEmpty())
        showDetail(m_ticket);
}

QString MyTicketsPage::title() const
{
    return tr("My restore tickets");
}

} // namespace cairn::console
