// BusyIndicator: a small spinning arc shown while requests are in flight (in the status bar and
// in pages that load), so that the user sees the console working without the window freezing.
// GUI thread.
#pragma once

#include <QTimer>
#include <QWidget>

namespace cairn::console {

class BusyIndicator : public QWidget {
    Q_OBJECT
public:
    explicit BusyIndicator(QWidget *parent = nullptr);
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }
    QSize sizeHint() const override { return {16, 16}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QTimer m_timer;
    int m_angle = 0;
    bool m_busy = false;
};

} // namespace cairn::console
