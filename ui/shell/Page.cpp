// Page base: banner, language changes, the fetch guard. GUI thread.
#include "shell/Page.h"

#include "widgets/MessageBanner.h"

#include <QEvent>
#include <QTimer>

namespace cairn::console {

Page::Page(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
{
}

void Page::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

MessageBanner *Page::banner()
{
    if (!m_banner)
        m_banner = new MessageBanner(this);
    return m_banner;
}

void Page::showError(const ApiError &error)
{
    banner()->showError(error);
    if (error.kind == ApiError::Kind::Cancelled)
        return;
    m_loadErrorShown = m_loading > 0 || m_loadEnding; // else: a user action's error, which stays
    m_errorLoad = m_loadNumber;
}

void Page::showInfo(const QString &text)
{
    banner()->showInfo(text);
}

bool Page::beginLoad()
{
    if (m_loading > 0)
        return false;
    ++m_loading;
    ++m_loadNumber;
    return true;
}

void Page::endLoad()
{
    if (m_loading > 0)
        --m_loading;
    // An earlier fetch failed: this one worked (if it failed too, its handler shows that again).
    if (m_loadErrorShown && m_errorLoad < m_loadNumber) {
        m_loadErrorShown = false;
        banner()->clear();
    }
    m_loadEnding = true;
    QTimer::singleShot(0, this, [this] { m_loadEnding = false; });
}

} // namespace cairn::console
