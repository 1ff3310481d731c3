// Terminal output for the command line: human-readable sizes, durations, and a progress line
// that rewrites itself on a terminal (stderr) and stays silent otherwise. Main thread or
// engine callback threads (callers serialise).
#pragma once

#include <QString>

#include <cstdint>

namespace cairn::cli {

QString formatBytes(double bytes);
QString formatDuration(double seconds);

class ProgressLine {
public:
    ProgressLine();
    ~ProgressLine();
    bool enabled() const { return m_enabled; }
    void update(const QString &text); // throttled to ~10/s by the engine already
    void clear();

private:
    bool m_enabled;
    int m_lastWidth = 0;
};

} // namespace cairn::cli
