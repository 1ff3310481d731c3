// Log: the agent service's log, one line per event on stderr. Under systemd (stderr connected to
// the journal, $JOURNAL_STREAM) each line starts with the syslog priority ("<6>…") so journald
// records the level; on a terminal or in a file each line starts with the UTC time and the level
// name. Lines below the configured level are dropped. Never log secrets (tokens, keys).
// Thread-safe: lines from different threads never interleave.
#pragma once

#include <QString>

#include <optional>

namespace cairn {

enum class LogLevel { Debug, Info, Warning, Error };

std::optional<LogLevel> logLevelFromName(const QString &name);

namespace log {
void setLevel(LogLevel level);
// Decides the line format from the environment; called once at start (setLevel does not).
void setup();
void write(LogLevel level, const QString &message);
inline void debug(const QString &m) { write(LogLevel::Debug, m); }
inline void info(const QString &m) { write(LogLevel::Info, m); }
inline void warning(const QString &m) { write(LogLevel::Warning, m); }
inline void error(const QString &m) { write(LogLevel::Error, m); }
} // namespace log

} // namespace cairn
