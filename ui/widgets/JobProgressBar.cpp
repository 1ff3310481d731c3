// JobProgressBar implementation. GUI thread.
#include "widgets/JobProgressBar.h"

#include "core/Format.h"

#include <QEvent>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>

namespace cairn::console {

JobProgressBar::JobProgressBar(QWidget *parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_text(new QLabel(this))
{
    m_bar->setObjectName(QStringLiteral("jobProgressBar"));
    m_text->setObjectName(QStringLiteral("jobProgressText"));
    m_text->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_text);
    render();
}

QString JobProgressBar::phaseName(const QString &phase)
{
    if (phase == QLatin1String("index"))
        return tr("Reading the file index");
    if (phase == QLatin1String("pre_command"))
        return tr("Running the command before the backup");
    if (phase == QLatin1String("backup"))
        return tr("Backing up files");
    if (phase == QLatin1String("post_command"))
        return tr("Running the command after the backup");
    if (phase == QLatin1String("restore"))
        return tr("Restoring files");
    if (phase.isEmpty())
        return tr("Starting");
    return phase;
}

void JobProgressBar::setProgress(const QString &kind, const QJsonObject &progress, qint64 expectedBytes)
{
    m_kind = kind;
    m_progress = progress;
    m_expected = expectedBytes;
    render();
}

QString JobProgressBar::text() const
{
    return m_text->text();
}

bool JobProgressBar::isDeterminate() const
{
    return m_bar->maximum() > 0;
}

int JobProgressBar::percent() const
{
    return isDeterminate() ? m_bar->value() : -1;
}

void JobProgressBar::render()
{
    const auto num = [this](const char *key) { return m_progress.value(QLatin1String(key)).toInteger(); };
    const qint64 done = m_progress.contains(QLatin1String("bytes")) ? num("bytes") : num("bytes_read");
    const double rate = m_progress.value(QLatin1String("rate")).toDouble();
    qint64 total = 0;
    double fraction = -1;
    if (m_kind == QLatin1String("restore")) {
        total = num("bytes_total");
        if (total > 0)
            fraction = double(done) / double(total);
        else if (num("files_total") > 0)
            fraction = double(num("files")) / double(num("files_total"));
    } else if (m_expected > 0) {
        total = m_expected;
        fraction = double(done) / double(total);
    }
    QStringList parts;
    parts << phaseName(m_progress.value(QLatin1String("phase")).toString());
    if (fraction >= 0) {
        fraction = std::clamp(fraction, 0.0, 1.0);
        m_bar->setRange(0, 100);
        m_bar->setValue(int(fraction * 100));
        parts << (total > 0 ? tr("%1 of %2").arg(format::bytes(done), format::bytes(total)) : format::bytes(done));
    } else {
        m_bar->setRange(0, 0); // busy: the total is unknown
        parts << format::bytes(done);
    }
    if (m_progress.contains(QLatin1String("files")))
        parts << tr("%n file(s)", nullptr, int(num("files")));
    if (rate > 0) {
        parts << format::rate(rate);
        if (total > 0 && done <= total)
            parts << format::eta(rate >= 1 ? qint64(std::min((total - done) / rate, 365.0 * 86400)) : -1);
    }
    m_text->setText(parts.join(QStringLiteral(" · ")));
}

void JobProgressBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        render();
    QWidget::changeEvent(event);
}

} // namespace cairn::console
