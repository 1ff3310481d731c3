// JobDetailView: the detail of one run beside the history table — its state and error sentence,
// statistics (files new/changed/unchanged, bytes read/new/stored, dedup ratio, duration, rate),
// per-item warnings and errors, the pre/post commands' exit codes and output, and while it runs a
// JobProgressBar with rate and time left and a Cancel button confirmed inline
// (POST /jobs/{id}/cancel). GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace cairn::console {

class JobProgressBar;

class JobDetailView : public QWidget {
    Q_OBJECT
public:
    explicit JobDetailView(ApiClient *api, QWidget *parent = nullptr);

    // Shows `job` (an object of GET /jobs); the same job again updates what is shown in place.
    void showJob(const QJsonObject &job);
    void clear();
    qint64 jobId() const;
    const QJsonObject &job() const { return m_job; }
    JobProgressBar *progressBar() const { return m_progress; }

signals:
    void jobChanged(const QJsonObject &job); // the answer of a cancel
    void failed(const cairn::console::ApiError &error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void render();
    void renderStats(const QJsonObject &stats, bool restore);
    void renderProblems(const QJsonObject &stats);
    void renderCommands(const QJsonObject &stats);
    void fetchExpected(qint64 server);
    void askCancel();
    void cancel();
    QLabel *addStat(const char *objectName);

    ApiClient *m_api;
    QJsonObject m_job;
    QHash<qint64, qint64> m_expected; // server → bytes its last successful backup scanned
    QHash<qint64, bool> m_expectedAsked;
    QLabel *m_title;
    QLabel *m_error;
    QWidget *m_running;
    JobProgressBar *m_progress;
    QPushButton *m_cancel;
    QWidget *m_confirmRow;
    QLabel *m_confirmText;
    QPushButton *m_confirm;
    QPushButton *m_keep;
    QLabel *m_statsHeading;
    QFormLayout *m_statsForm;
    QList<QPair<QLabel *, QLabel *>> m_stats; // caption, value
    QLabel *m_problemsHeading;
    QTreeWidget *m_problems;
    QLabel *m_commandsHeading;
    QLabel *m_commands;
    QPlainTextEdit *m_commandOutput;
    QLabel *m_empty;
};

} // namespace cairn::console
