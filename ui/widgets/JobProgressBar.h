// JobProgressBar: a running job's progress as the console shows it — a bar (determinate when the
// total is known: a restore's bytes_total/files_total, or for a backup the bytes the previous run
// scanned; otherwise busy) and a line with the phase, bytes done, rate and time left, all from
// the job's `progress` object that the agent reports every 2 s. GUI thread.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace cairn::console {

class JobProgressBar : public QWidget {
    Q_OBJECT
public:
    explicit JobProgressBar(QWidget *parent = nullptr);

    // kind: backup | restore; expectedBytes: a backup's likely total (the previous run's), 0 unknown.
    void setProgress(const QString &kind, const QJsonObject &progress, qint64 expectedBytes = 0);
    QString text() const; // the line under the bar
    bool isDeterminate() const; // false while the total is unknown
    int percent() const; // 0–100, -1 when not determinate
    static QString phaseName(const QString &phase);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QProgressBar *m_bar;
    QLabel *m_text;
    QString m_kind;
    QJsonObject m_progress;
    qint64 m_expected = 0;
};

} // namespace cairn::console
