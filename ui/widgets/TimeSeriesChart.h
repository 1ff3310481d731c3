// TimeSeriesChart: a small day-by-day chart drawn with QPainter (Qt Charts is not used) — a line
// (e.g. stored bytes over the days) or bars (e.g. new data per day), with the value axis and the
// date axis labelled in the current locale, the day's value as a tooltip on hover, and an empty
// state text when there is nothing to show. Days without a value (null) leave a gap. GUI thread.
#pragma once

#include <QDate>
#include <QList>
#include <QWidget>

#include <functional>
#include <optional>

namespace cairn::console {

class TimeSeriesChart : public QWidget {
    Q_OBJECT
public:
    enum class Style { Line, Bars };
    struct Point {
        QDate day;
        std::optional<qint64> value;
        bool operator==(const Point &o) const { return day == o.day && value == o.value; }
    };
    using ValueFormatter = std::function<QString(qint64)>;

    explicit TimeSeriesChart(Style style, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const { return m_title; }
    void setEmptyText(const QString &text);
    QString emptyText() const { return m_emptyText; }
    // How values are written on the axis and in tooltips (default: the number).
    void setValueFormatter(ValueFormatter formatter);
    void setPoints(const QList<Point> &points);
    const QList<Point> &points() const { return m_points; }
    // True when no day has a value (the chart shows its empty text).
    bool isEmpty() const;
    // The tooltip of the day under x (widget coordinates), or empty; what hovering shows.
    QString toolTipAt(const QPoint &pos) const;
    int indexAt(const QPoint &pos) const; // -1 outside the plot

    QSize sizeHint() const override { return {360, 200}; }
    QSize minimumSizeHint() const override { return {200, 140}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRect plotRect() const;
    qint64 axisMaximum() const;
    QString formatValue(qint64 v) const;

    Style m_style;
    QString m_title;
    QString m_emptyText;
    ValueFormatter m_format;
    QList<Point> m_points;
    int m_hover = -1;
};

} // namespace cairn::console
