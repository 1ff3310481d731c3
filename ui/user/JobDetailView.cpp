// JobDetailView implementation. GUI thread.
#include "user/JobDetailView.h"

#include "core/Format.h"
#include "widgets/JobProgressBar.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace cairn::console {

namespace {

enum StatRow { FilesRow, BytesRow, DedupRow, DurationRow, RateRow };

qint64 num(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}

bool isOpen(const QString &state)
{
    return state == QLatin1String("running") || state == QLatin1String("pending");
}

} // namespace

JobDetailView::JobDetailView(ApiClient *api, QWidget *parent)
    : QWidget(parent),
      m_api(api),
      m_title(new QLabel(this)),
      m_error(new QLabel(this)),
      m_running(new QWidget(this)),
      m_progress(new JobProgressBar(m_running)),
      m_cancel(new QPushButton(m_running)),
      m_confirmRow(new QWidget(m_running)),
      m_confirmText(new QLabel(m_confirmRow)),
      m_confirm(new QPushButton(m_confirmRow)),
      m_keep(new QPushButton(m_confirmRow)),
      m_statsHeading(new QLabel(this)),
      m_statsForm(new QFormLayout),
      m_problemsHeading(new QLabel(this)),
      m_problems(new QTreeWidget(this)),
      m_commandsHeading(new QLabel(this)),
      m_commands(new QLabel(this)),
      m_commandOutput(new QPlainTextEdit(this)),
      m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("jobDetail"));
    m_title->setObjectName(QStringLiteral("jobDetailTitle"));
    m_error->setObjectName(QStringLiteral("jobError"));
    m_progress->setObjectName(QStringLiteral("jobProgress"));
    m_cancel->setObjectName(QStringLiteral("jobCancel"));
    m_confirmRow->setObjectName(QStringLiteral("jobCancelConfirmRow"));
    m_confirm->setObjectName(QStringLiteral("jobCancelConfirm"));
    m_keep->setObjectName(QStringLiteral("jobCancelKeep"));
    m_problems->setObjectName(QStringLiteral("jobProblems"));
    m_commands->setObjectName(QStringLiteral("jobCommands"));
    m_commandOutput->setObjectName(QStringLiteral("jobCommandOutput"));
    m_empty->setObjectName(QStringLiteral("jobDetailEmpty"));

    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_statsHeading->setFont(bold);
    m_problemsHeading->setFont(bold);
    m_commandsHeading->setFont(bold);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_commands->setWordWrap(true);
    m_commandOutput->setReadOnly(true);
    m_commandOutput->setMaximumHeight(120);
    m_problems->setColumnCount(3);
    m_problems->setRootIsDecorated(false);
    m_problems->header()->setStretchLastSection(true);
    m_problems->setMaximumHeight(160);

    auto *confirmLayout = new QHBoxLayout(m_confirmRow);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    confirmLayout->addWidget(m_confirmText, 1);
    confirmLayout->addWidget(m_confirm);
    confirmLayout->addWidget(m_keep);
    m_confirmRow->hide();
    auto *runningLayout = new QVBoxLayout(m_running);
    runningLayout->setContentsMargins(0, 0, 0, 0);
    runningLayout->addWidget(m_progress);
    auto *cancelRow = new QHBoxLayout;
    cancelRow->addStretch(1);
    cancelRow->addWidget(m_cancel);
    runningLayout->addLayout(cancelRow);
    runningLayout->addWidget(m_confirmRow);

    for (const char *name : {"jobStatFiles", "jobStatBytes", "jobStatDedup", "jobStatDuration", "jobStatRate"})
        addStat(name);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_empty);
    layout->addWidget(m_title);
    layout->addWidget(m_error);
    layout->addWidget(m_running);
    layout->addWidget(m_statsHeading);
    layout->addLayout(m_statsForm);
    layout->addWidget(m_problemsHeading);
    layout->addWidget(m_problems);
    layout->addWidget(m_commandsHeading);
    layout->addWidget(m_commands);
    layout->addWidget(m_commandOutput);
    layout->addStretch(1);

    connect(m_cancel, &QPushButton::clicked, this, &JobDetailView::askCancel);
    connect(m_confirm, &QPushButton::clicked, this, &JobDetailView::cancel);
    connect(m_keep, &QPushButton::clicked, this, [this] {
        m_confirmRow->hide();
        m_cancel->show();
        m_cancel->setFocus();
    });
    retranslateUi();
    clear();
}

QLabel *JobDetailView::addStat(const char *objectName)
{
    auto *caption = new QLabel(this);
    auto *value = new QLabel(this);
    value->setObjectName(QLatin1String(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    m_statsForm->addRow(caption, value);
    m_stats.append(qMakePair(caption, value));
    return value;
}

qint64 JobDetailView::jobId() const
{
    return num(m_job, "id");
}

void JobDetailView::clear()
{
    m_job = QJsonObject();
    render();
}

void JobDetailView::showJob(const QJsonObject &job)
{
    if (num(job, "id") != jobId()) {
        m_confirmRow->hide();
        m_cancel->show();
    }
    m_job = job;
    const qint64 server = num(job, "server");
    if (job.value(QLatin1String("kind")).toString() == QLatin1String("backup")
        && isOpen(job.value(QLatin1String("state")).toString()))
        fetchExpected(server);
    render();
}

void JobDetailView::fetchExpected(qint64 server)
{
    if (server <= 0 || m_expectedAsked.value(server))
        return;
    m_expectedAsked.insert(server, true);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("server"), QString::number(server));
    q.addQueryItem(QStringLiteral("status"), QStringLiteral("succeeded"));
    q.addQueryItem(QStringLiteral("kind"), QStringLiteral("backup"));
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
    m_api->get(QStringLiteral("/jobs"), q)
        ->then(
            this,
            [this, server](const QJsonValue &answer) {
                const QJsonArray items = answer[QLatin1String("items")].toArray();
                if (items.isEmpty())
                    return;
                const QJsonObject stats = items.first()[QLatin1String("stats")].toObject();
                const qint64 bytes = stats.contains(QLatin1String("bytes_scanned")) ? num(stats, "bytes_scanned")
                                                                                    : num(stats, "bytes_read");
                m_expected.insert(server, bytes);
                render();
            },
            [this, server](const ApiError &) { m_expectedAsked.remove(server); });
}

void JobDetailView::render()
{
    const bool has = !m_job.isEmpty();
    m_empty->setVisible(!has);
    for (QWidget *w : {static_cast<QWidget *>(m_title), static_cast<QWidget *>(m_statsHeading)})
        w->setVisible(has);
    if (!has) {
        m_error->hide();
        m_running->hide();
        for (int i = 0; i < m_stats.size(); ++i)
            m_statsForm->setRowVisible(i, false);
        m_problemsHeading->hide();
        m_problems->hide();
        m_commandsHeading->hide();
        m_commands->hide();
        m_commandOutput->hide();
        return;
    }
    const QString kind = m_job.value(QLatin1String("kind")).toString();
    const QString state = m_job.value(QLatin1String("state")).toString();
    const bool restore = kind == QLatin1String("restore");
    m_title->setText(tr("%1 #%2 — %3").arg(format::jobKind(kind)).arg(jobId()).arg(format::jobState(state)));
    const QString error = m_job.value(QLatin1String("error")).toString();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());

    const bool open = isOpen(state);
    m_running->setVisible(open);
    if (open) {
        m_progress->setProgress(kind, m_job.value(QLatin1String("progress")).toObject(),
            restore ? 0 : m_expected.value(num(m_job, "server")));
        const bool cancelAsked = m_job.value(QLatin1String("cancel_requested")).toBool();
        m_cancel->setEnabled(!cancelAsked);
        m_cancel->setText(cancelAsked ? tr("Cancelling…") : tr("&Cancel run"));
    }
    QJsonObject stats = m_job.value(QLatin1String("stats")).toObject();
    if (stats.isEmpty() && open)
        stats = m_job.value(QLatin1String("progress")).toObject();
    renderStats(stats, restore);
    renderProblems(m_job.value(QLatin1String("stats")).toObject());
    renderCommands(m_job.value(QLatin1String("stats")).toObject());
}

void JobDetailView::renderStats(const QJsonObject &stats, bool restore)
{
    const auto value = [this](int row) { return m_stats[row].second; };
    const auto setRow = [&](int row, const QString &text) {
        value(row)->setText(text);
        m_statsForm->setRowVisible(row, !text.isEmpty());
    };
    const auto has = [&](const char *key) { return stats.contains(QLatin1String(key)); };
    const QDateTime started = format::parseIso(m_job.value(QLatin1String("started_at")).toString());
    QDateTime finished = format::parseIso(m_job.value(QLatin1String("finished_at")).toString());
    if (!finished.isValid())
        finished = QDateTime::currentDateTimeUtc();
    const qint64 seconds = has("seconds") ? num(stats, "seconds") : (started.isValid() ? started.secsTo(finished) : -1);

    QString files, bytes, dedup, rate;
    qint64 moved = 0;
    if (restore) {
        if (has("files"))
            files = tr("%1 restored, %2 skipped, %3 errors")
                        .arg(format::number(num(stats, "files")), format::number(num(stats, "skipped")),
                            format::number(num(stats, "errors")));
        moved = num(stats, "bytes");
        if (has("bytes"))
            bytes = tr("%1 restored").arg(format::bytes(moved));
    } else {
        if (has("files_new") || has("files_changed") || has("files_unchanged"))
            files = tr("%1 files: %2 new, %3 changed, %4 unchanged")
                        .arg(format::number(num(stats, "files")), format::number(num(stats, "files_new")),
                            format::number(num(stats, "files_changed")), format::number(num(stats, "files_unchanged")));
        else if (has("files"))
            files = tr("%n file(s)", nullptr, int(num(stats, "files")));
        moved = num(stats, "bytes_read");
        if (has("bytes_read") || has("bytes_new") || has("bytes_stored"))
            bytes = tr("%1 read, %2 new, %3 stored")
                        .arg(format::bytes(moved), format::bytes(num(stats, "bytes_new")),
                            format::bytes(num(stats, "bytes_stored")));
        if (has("dedup_ratio"))
            dedup = tr("%1 : 1").arg(QLocale().toString(stats.value(QLatin1String("dedup_ratio")).toDouble(), 'f', 2));
    }
    if (has("rate") && stats.value(QLatin1String("rate")).toDouble() > 0)
        rate = format::rate(stats.value(QLatin1String("rate")).toDouble());
    else if (seconds > 0 && moved > 0)
        rate = format::rate(double(moved) / double(seconds));
    setRow(FilesRow, files);
    setRow(BytesRow, bytes);
    setRow(DedupRow, dedup);
    setRow(DurationRow, seconds >= 0 ? format::duration(seconds) : QString());
    setRow(RateRow, rate);
}

void JobDetailView::renderProblems(const QJsonObject &stats)
{
    QJsonArray items = stats.value(QLatin1String("problems")).toArray();
    const QJsonArray failures = stats.value(QLatin1String("failures")).toArray();
    for (const QJsonValue &f : failures)
        items.append(f);
    m_problems->clear();
    for (const QJsonValue &v : std::as_const(items)) {
        const QJsonObject p = v.toObject();
        const QString kind = p.value(QLatin1String("kind")).toString();
        QString message = p.value(QLatin1String("message")).toString();
        if (message.isEmpty())
            message = p.value(QLatin1String("reason")).toString();
        if (message.isEmpty())
            message = p.value(QLatin1String("error")).toString();
        auto *item = new QTreeWidgetItem(m_problems,
            {kind == QLatin1String("warning") ? tr("Warning") : tr("Error"), p.value(QLatin1String("path")).toString(),
                message});
        item->setToolTip(2, message);
        item->setForeground(0, kind == QLatin1String("warning") ? QColor(0xe6, 0x51, 0x00) : QColor(0xc6, 0x28, 0x28));
    }
    const qint64 warnings = num(stats, "warnings"), errors = num(stats, "errors");
    m_problemsHeading->setText(items.isEmpty() && warnings == 0 && errors == 0
            ? tr("No warnings or errors")
            : tr("Warnings: %1, errors: %2").arg(format::number(warnings), format::number(errors)));
    m_problemsHeading->setVisible(!stats.isEmpty());
    m_problems->setVisible(!items.isEmpty());
}

void JobDetailView::renderCommands(const QJsonObject &stats)
{
    QStringList lines;
    QString output;
    const auto describe = [&](const char *key, const QString &name) {
        if (!stats.contains(QLatin1String(key)))
            return;
        const QJsonObject c = stats.value(QLatin1String(key)).toObject();
        QString line;
        if (c.value(QLatin1String("timed_out")).toBool())
            line = tr("%1: stopped after the time limit").arg(name);
        else if (c.contains(QLatin1String("signal")) && num(c, "signal") > 0)
            line = tr("%1: ended by signal %2").arg(name).arg(num(c, "signal"));
        else if (c.contains(QLatin1String("error")))
            line = tr("%1: could not run (%2)").arg(name, c.value(QLatin1String("error")).toString());
        else
            line = tr("%1: exit code %2").arg(name).arg(num(c, "exit_code"));
        if (c.contains(QLatin1String("seconds")))
            line += QStringLiteral(" (%1)").arg(format::duration(num(c, "seconds")));
        lines << line;
        const QString out = c.value(QLatin1String("output")).toString();
        if (!out.isEmpty())
            output += QStringLiteral("── %1 ──\n%2\n").arg(name, out);
    };
    describe("pre_command", tr("Command before the backup"));
    describe("post_command", tr("Command after the backup"));
    m_commands->setText(lines.join(QLatin1Char('\n')));
    m_commandsHeading->setVisible(!lines.isEmpty());
    m_commands->setVisible(!lines.isEmpty());
    if (m_commandOutput->toPlainText() != output)
        m_commandOutput->setPlainText(output);
    m_commandOutput->setVisible(!output.isEmpty());
}

void JobDetailView::askCancel()
{
    m_cancel->hide();
    m_confirmRow->show();
    m_keep->setFocus();
}

void JobDetailView::cancel()
{
    const qint64 id = jobId();
    if (id <= 0)
        return;
    m_confirm->setEnabled(false);
    m_api->post(QStringLiteral("/jobs/%1/cancel").arg(id))
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_confirm->setEnabled(true);
                m_confirmRow->hide();
                m_cancel->show();
                const QJsonObject job = answer.toObject();
                if (num(job, "id") == jobId())
                    showJob(job);
                emit jobChanged(job);
            },
            [this](const ApiError &e) {
                m_confirm->setEnabled(true);
                m_confirmRow->hide();
                m_cancel->show();
                emit failed(e);
            });
}

void JobDetailView::retranslateUi()
{
    m_empty->setText(tr("Select a run to see its details."));
    m_confirmText->setText(tr("Cancel this run? The files already backed up are not kept as a snapshot."));
    m_confirm->setText(tr("&Yes, cancel it"));
    m_keep->setText(tr("&Keep it running"));
    m_statsHeading->setText(tr("Statistics"));
    m_commandsHeading->setText(tr("Commands"));
    m_problems->setHeaderLabels({tr("Kind"), tr("Path"), tr("Message")});
    const QStringList captions {tr("Files:"), tr("Data:"), tr("Deduplication:"), tr("Duration:"), tr("Rate:")};
    for (int i = 0; i < m_stats.size() && i < captions.size(); ++i)
        m_stats[i].first->setText(captions[i]);
    render();
}

void JobDetailView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

} // namespace cairn::console
