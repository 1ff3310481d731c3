// BusyIndicator implementation: a QTimer advances the arc every 80 ms while busy. GUI thread.
#include "widgets/BusyIndicator.h"

#include <QPainter>

namespace cairn::console {

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("busyIndicator"));
    setFixedSize(16, 16);
    m_timer.setInterval(80);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_angle = (m_angle + 30) % 360;
        update();
    });
}

void BusyIndicator::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    if (busy)
        m_timer.start();
    else
        m_timer.stop();
    update();
}

void BusyIndicator::paintEvent(QPaintEvent *)
{
    if (!m_busy)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(palette().highlight().color(), 2.0);
    pen.setCapStyle(Qt::RoundCap);
    p.setPen(pen);
    p.drawArc(QRectF(2, 2, width() - 4, height() - 4), -m_angle * 16, 270 * 16);
}

} // namespace cairn::console
