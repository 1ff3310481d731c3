// MessageBanner implementation. GUI thread.
#include "widgets/MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace cairn::console {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    m_label->setObjectName(QStringLiteral("messageBannerText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setFocusPolicy(Qt::TabFocus);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::clear);
    hide();
}

void MessageBanner::show(const QString &text, bool error)
{
    m_error = error;
    m_label->setText(text);
    setStyleSheet(error ? QStringLiteral("#messageBanner { background: #fdecea; border: 1px solid #f5c2c0; } QLabel { color: #8a1c14; }")
                        : QStringLiteral("#messageBanner { background: #e8f1fb; border: 1px solid #b9d3f0; } QLabel { color: #173f6b; }"));
    setVisible(true);
}

void MessageBanner::showError(const QString &text)
{
    show(text, true);
}

void MessageBanner::showError(const ApiError &error)
{
    if (error.kind != ApiError::Kind::Cancelled)
        show(errorSentence(error), true);
}

void MessageBanner::showInfo(const QString &text)
{
    show(text, false);
}

void MessageBanner::clear()
{
    m_label->clear();
    setVisible(false);
}

QString MessageBanner::text() const
{
    return m_label->text();
}

} // namespace cairn::console
