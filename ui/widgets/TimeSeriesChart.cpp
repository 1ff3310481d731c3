// TimeSeriesChart implementation: layout of the plot, nice axis steps, painting, hover. GUI thread.
#include "widgets/TimeSeriesChart.h"

#include "core/Format.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace cairn::console {

namespace {
constexpr int kTicks = 4;

// A step of 1, 2 or 5 times a power of 1024 (so that byte axes read "200 MB", "1 GB") or of ten
// below 1024, at least `raw`.
qint64 niceStep(double raw)
{
    if (raw <= 1)
        return 1;
    double unit = 1;
    while (unit * 1024 <= raw)
        unit *= 1024;
    static const double mantissas[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    for (double m : mantissas) {
        if (m * unit >= raw)
            return qint64(m * unit);
    }
    return qint64(1024 * unit);
}
} // namespace

TimeSeriesChart::TimeSeriesChart(Style style, QWidget *parent) : QWidget(parent), m_style(style)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TimeSeriesChart::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void TimeSeriesChart::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

void TimeSeriesChart::setValueFormatter(ValueFormatter formatter)
{
    m_format = std::move(formatter);
    update();
}

void TimeSeriesChart::setPoints(const QList<Point> &points)
{
    if (points == m_points)
        return;
    m_points = points;
    m_hover = -1;
    update();
}

bool TimeSeriesChart::isEmpty() const
{
    return std::none_of(m_points.begin(), m_points.end(), [](const Point &p) { return p.value.has_value(); });
}

QString TimeSeriesChart::formatValue(qint64 v) const
{
    return m_format ? m_format(v) : QLocale().toString(v);
}

QRect TimeSeriesChart::plotRect() const
{
    const QFontMetrics fm = fontMetrics();
    int labelWidth = fm.horizontalAdvance(formatValue(axisMaximum()));
    labelWidth = std::max(labelWidth, fm.horizontalAdvance(formatValue(0)));
    const int top = fm.height() + 8;
    const int left = labelWidth + 10;
    const int bottom = fm.height() + 8;
    return QRect(left, top, std::max(10, width() - left - 10), std::max(10, height() - top - bottom));
}

qint64 TimeSeriesChart::axisMaximum() const
{
    qint64 max = 0;
    for (const Point &p : m_points)
        max = std::max(max, p.value.value_or(0));
    if (max <= 0)
        return kTicks;
    const qint64 step = niceStep(double(max) / kTicks);
    return step * ((max + step - 1) / step);
}

int TimeSeriesChart::indexAt(const QPoint &pos) const
{
    const QRect plot = plotRect();
    if (m_points.isEmpty() || !plot.adjusted(-2, -2, 2, 2).contains(pos))
        return -1;
    const double slot = double(plot.width()) / m_points.size();
    return std::clamp(int((pos.x() - plot.left()) / slot), 0, int(m_points.size()) - 1);
}

QString TimeSeriesChart::toolTipAt(const QPoint &pos) const
{
    const int i = indexAt(pos);
    if (i < 0 || isEmpty())
        return QString();
    const Point &p = m_points[i];
    return tr("%1: %2").arg(format::date(p.day), p.value ? formatValue(*p.value) : tr("no data"));
}

void TimeSeriesChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    QFont titleFont = font();
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(pal.color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), fm.height() + 4), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    painter.setFont(font());

    const QRect plot = plotRect();
    if (isEmpty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawRect(plot);
        painter.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    // Value axis: grid lines and labels.
    const qint64 max = axisMaximum();
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    for (int t = 0; t <= kTicks; ++t) {
        const qint64 v = max / kTicks * t;
        const int y = plot.bottom() - int(double(v) / double(max) * plot.height());
        painter.setPen(t == 0 ? pal.color(QPalette::Mid) : grid);
        painter.drawLine(plot.left(), y, plot.right(), y);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(0, y - fm.height() / 2, plot.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
            formatValue(v));
    }

    // Date axis: the first, middle and last day (more when there is room).
    const int n = int(m_points.size());
    const double slot = double(plot.width()) / n;
    const auto centre = [&](int i) { return plot.left() + slot * (i + 0.5); };
    const auto yOf = [&](qint64 v) { return plot.bottom() - double(v) / double(max) * plot.height(); };
    const int labelWidth = fm.horizontalAdvance(format::date(m_points.first().day)) + 16;
    const int labels = std::clamp(plot.width() / std::max(1, labelWidth), 1, std::min(n, 7));
    painter.setPen(pal.color(QPalette::WindowText));
    for (int k = 0; k < labels; ++k) {
        const int i = labels == 1 ? n - 1 : int(std::lround(double(k) * (n - 1) / (labels - 1)));
        const QString text = format::date(m_points[i].day);
        const int w = fm.horizontalAdvance(text);
        int x = int(centre(i)) - w / 2;
        x = std::clamp(x, plot.left() - 4, width() - w - 2);
        painter.drawText(QRect(x, plot.bottom() + 4, w + 2, fm.height()), Qt::AlignCenter, text);
    }

    const QColor accent = pal.color(QPalette::Highlight);
    if (m_style == Style::Bars) {
        for (int i = 0; i < n; ++i) {
            if (!m_points[i].value)
                continue;
            const double w = std::max(1.0, slot * 0.7);
            const QRectF bar(centre(i) - w / 2, yOf(*m_points[i].value), w, plot.bottom() - yOf(*m_points[i].value));
            painter.fillRect(bar, i == m_hover ? accent.darker(130) : accent);
        }
    } else {
        QPainterPath path;
        bool open = false;
        for (int i = 0; i < n; ++i) {
            if (!m_points[i].value) {
                open = false; // a gap for a day without a sample
                continue;
            }
            const QPointF p(centre(i), yOf(*m_points[i].value));
            if (open)
                path.lineTo(p);
            else
                path.moveTo(p);
            open = true;
        }
        painter.setPen(QPen(accent, 2));
        painter.drawPath(path);
        painter.setBrush(accent);
        for (int i = 0; i < n; ++i) {
            if (m_points[i].value && (i == m_hover || n <= 31))
                painter.drawEllipse(
                    QPointF(centre(i), yOf(*m_points[i].value)), i == m_hover ? 4 : 2, i == m_hover ? 4 : 2);
        }
    }
    if (m_hover >= 0) {
        QColor marker = pal.color(QPalette::WindowText);
        marker.setAlpha(60);
        painter.setPen(QPen(marker, 1, Qt::DashLine));
        painter.drawLine(QPointF(centre(m_hover), plot.top()), QPointF(centre(m_hover), plot.bottom()));
    }
}

bool TimeSeriesChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent *event)
{
    const int i = isEmpty() ? -1 : indexAt(event->position().toPoint());
    if (i != m_hover) {
        m_hover = i;
        update();
        if (i >= 0)
            QToolTip::showText(event->globalPosition().toPoint(), toolTipAt(event->position().toPoint()), this);
    }
    QWidget::mouseMoveEvent(event);
}

void TimeSeriesChart::leaveEvent(QEvent *event)
{
    m_hover = -1;
    update();
    QWidget::leaveEvent(event);
}

} // namespace cairn::console
