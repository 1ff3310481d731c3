#include "cli/Terminal.h"

#include <unistd.h>

#include <cstdio>

namespace cairn::cli {

QString formatBytes(double bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024 && u < 5) {
        bytes /= 1024;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(qint64(bytes))
                  : QStringLiteral("%1 %2").arg(bytes, 0, 'f', bytes < 10 ? 2 : 1).arg(QLatin1String(units[u]));
}

QString formatDuration(double seconds)
{
    const qint64 s = qint64(seconds);
    if (s < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 1);
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

ProgressLine::ProgressLine() : m_enabled(isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine()
{
    clear();
}

void ProgressLine::update(const QString &text)
{
    if (!m_enabled)
        return;
    const QByteArray line = text.toLocal8Bit();
    const int pad = std::max(0, m_lastWidth - int(line.size()));
    std::fprintf(stderr, "\r%s%*s", line.constData(), pad, "");
    std::fflush(stderr);
    m_lastWidth = int(line.size());
}

void ProgressLine::clear()
{
    if (!m_enabled || m_lastWidth == 0)
        return;
    std::fprintf(stderr, "\r%*s\r", m_lastWidth, "");
    std::fflush(stderr);
    m_lastWidth = 0;
}

} // namespace cairn::cli
