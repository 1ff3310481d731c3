// TicketThread: fetches and shows a ticket's messages, appends new ones in place on refresh (the
// scroll position and what is typed stay), and sends new messages (Ctrl+Enter). GUI thread.
#include "widgets/TicketThread.h"

#include "core/Format.h"
#include "widgets/MessageBanner.h"

#include <QEvent>
#include <QJsonArray>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QVBoxLayout>

namespace cairn::console {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kSystemRole = Qt::UserRole + 2;
constexpr int kMaxLength = 4000;
} // namespace

TicketThread::TicketThread(ApiClient *api, QWidget *parent)
    : QWidget(parent),
      m_api(api),
      m_heading(new QLabel(this)),
      m_banner(new MessageBanner(this)),
      m_list(new QListWidget(this)),
      m_composeLabel(new QLabel(this)),
      m_text(new QPlainTextEdit(this)),
      m_send(new QPushButton(this))
{
    setObjectName(QStringLiteral("ticketThread"));
    m_heading->setObjectName(QStringLiteral("ticketThreadHeading"));
    m_list->setObjectName(QStringLiteral("ticketMessages"));
    m_text->setObjectName(QStringLiteral("ticketMessageText"));
    m_send->setObjectName(QStringLiteral("ticketMessageSend"));
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setAlternatingRowColors(false);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_text->setTabChangesFocus(true);
    m_text->setMaximumHeight(90);
    m_composeLabel->setBuddy(m_text);

    auto *row = new QHBoxLayout;
    row->addWidget(m_text, 1);
    row->addWidget(m_send, 0, Qt::AlignBottom);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addWidget(m_banner);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_composeLabel);
    layout->addLayout(row);

    connect(m_send, &QPushButton::clicked, this, &TicketThread::send);
    connect(m_text, &QPlainTextEdit::textChanged, this,
        [this] { m_send->setEnabled(!m_sending && m_ticket > 0 && !m_text->toPlainText().trimmed().isEmpty()); });
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, m_text);
        shortcut->setContext(Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, &TicketThread::send);
    }
    m_send->setEnabled(false);
    retranslateUi();
}

void TicketThread::setTicket(qint64 ticketId, std::optional<qint64> tenant)
{
    if (ticketId == m_ticket && tenant == m_tenant)
        return;
    m_ticket = ticketId;
    m_tenant = tenant;
    ++m_generation;
    m_loading = false;
    m_shown.clear();
    m_messages = QJsonArray();
    m_list->clear();
    m_banner->clear();
    m_text->clear();
    refresh();
}

QUrlQuery TicketThread::tenantQuery() const
{
    QUrlQuery q;
    if (m_tenant)
        q.addQueryItem(QStringLiteral("tenant"), QString::number(*m_tenant));
    return q;
}

QString TicketThread::path() const
{
    return QStringLiteral("/restore-tickets/%1/messages").arg(m_ticket);
}

void TicketThread::refresh()
{
    if (m_ticket <= 0 || m_loading)
        return;
    m_loading = true;
    const quint64 generation = m_generation;
    m_api->get(path(), tenantQuery(), m_tenant ? ApiClient::Scope::Global : ApiClient::Scope::Tenant)
        ->then(
            this,
            [this, generation](const QJsonValue &body) {
                if (generation != m_generation)
                    return;
                m_loading = false;
                apply(body.toObject().value(QLatin1String("items")).toArray());
            },
            [this, generation](const ApiError &e) {
                if (generation != m_generation)
                    return;
                m_loading = false;
                m_banner->showError(e);
            });
}

void TicketThread::apply(const QJsonArray &messages)
{
    m_messages = messages;
    QScrollBar *bar = m_list->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    bool added = false;
    for (const QJsonValue &v : messages) {
        const QJsonObject m = v.toObject();
        const qint64 id = m.value(QLatin1String("id")).toInteger();
        if (m_shown.contains(id))
            continue;
        const bool system = m.value(QLatin1String("system")).toBool();
        auto *item = new QListWidgetItem(m_list);
        item->setData(kIdRole, id);
        item->setData(kSystemRole, system);
        if (system) {
            QFont f = item->font();
            f.setItalic(true);
            item->setFont(f);
            item->setBackground(palette().alternateBase());
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
        m_shown.append(id);
        added = true;
    }
    retranslateUi(); // item texts (author line in the current language)
    if (added && atEnd)
        m_list->scrollToBottom();
}

void TicketThread::send()
{
    const QString body = m_text->toPlainText().trimmed();
    if (m_ticket <= 0 || m_sending || body.isEmpty())
        return;
    if (body.size() > kMaxLength) {
        m_banner->showError(tr("A message can be at most %1 characters long.").arg(kMaxLength));
        return;
    }
    m_sending = true;
    m_send->setEnabled(false);
    const quint64 generation = m_generation;
    m_api
        ->post(path(), QJsonObject {{QStringLiteral("body"), body}}, tenantQuery(),
            m_tenant ? ApiClient::Scope::Global : ApiClient::Scope::Tenant)
        ->then(
            this,
            [this, generation](const QJsonValue &) {
                m_sending = false;
                if (generation != m_generation)
                    return;
                m_text->clear();
                m_banner->clear();
                m_loading = false; // the new message must show even if a fetch is under way
                refresh();
                emit messageSent();
            },
            [this, generation](const ApiError &e) {
                m_sending = false;
                if (generation != m_generation)
                    return;
                m_send->setEnabled(!m_text->toPlainText().trimmed().isEmpty());
                m_banner->showError(e); // what was typed stays
            });
}

void TicketThread::setComposeEnabled(bool enabled)
{
    m_text->setEnabled(enabled);
    m_composeLabel->setEnabled(enabled);
    m_send->setVisible(true);
    m_send->setEnabled(enabled && !m_sending && !m_text->toPlainText().trimmed().isEmpty());
}

void TicketThread::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TicketThread::retranslateUi()
{
    m_heading->setText(tr("Messages"));
    m_composeLabel->setText(tr("&New message:"));
    m_text->setPlaceholderText(tr("Write a message (Ctrl+Enter sends it)"));
    m_send->setText(tr("&Send"));
    m_send->setToolTip(tr("Send the message (Ctrl+Enter)"));
    for (int row = 0; row < m_list->count() && row < m_messages.size(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        QJsonObject m;
        for (const QJsonValue &v : m_messages) // the item's message (ids are in list order)
            if (v.toObject().value(QLatin1String("id")).toInteger() == item->data(kIdRole).toLongLong())
                m = v.toObject();
        if (m.isEmpty())
            continue;
        const QString when = format::dateTimeIso(m.value(QLatin1String("created_at")).toString());
        QString who;
        if (item->data(kSystemRole).toBool()) {
            who = tr("Cairn (system)");
        } else {
            const QJsonObject user = m.value(QLatin1String("user")).toObject();
            QString name = user.value(QLatin1String("display_name")).toString();
            if (name.isEmpty())
                name = user.value(QLatin1String("login")).toString();
            const QString role = user.value(QLatin1String("role")).toString();
            const QString roleText = role == QLatin1String("operator") ? tr("operator")
                : role == QLatin1String("admin")                       ? tr("administrator")
                                                                       : tr("member");
            who = tr("%1 (%2)").arg(name, roleText);
        }
        item->setText(tr("%1 · %2").arg(who, when) + QLatin1Char('\n') + m.value(QLatin1String("body")).toString());
    }
    if (m_list->count() == 0 && m_ticket > 0)
        m_list->setToolTip(tr("No messages yet."));
    else
        m_list->setToolTip(QString());
}

} // namespace cairn::console
