// Page base: banner, language changes, the fetch guard. GUI thread.
#include "shell/Page.h"

#include "widgets/MessageBanner.h"

#include <QEvent>

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
    return true;
}

void Page::endLoad()
{
    if (m_loading > 0)
        --m_loading;
}

} // namespace cairn::console
