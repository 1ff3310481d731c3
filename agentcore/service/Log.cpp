#include "service/Log.h"

#include <QByteArray>
#include <QDateTime>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace cairn {

namespace {
std::atomic<int> g_level {int(LogLevel::Info)};
std::atomic<bool> g_journal {false};
std::mutex g_mutex;

// $JOURNAL_STREAM is "DEVICE:INODE" of the stream systemd connected; it counts only if stderr is
// still that stream (a child with redirected stderr inherits the variable).
bool stderrIsJournal()
{
    const char *env = std::getenv("JOURNAL_STREAM");
    if (!env)
        return false;
    struct stat st;
    if (::fstat(STDERR_FILENO, &st) != 0)
        return false;
    const QByteArray expected = QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino));
    return expected == QByteArray(env);
}
} // namespace

std::optional<LogLevel> logLevelFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == u"debug")
        return LogLevel::Debug;
    if (n == u"info")
        return LogLevel::Info;
    if (n == u"warning" || n == u"warn")
        return LogLevel::Warning;
    if (n == u"error")
        return LogLevel::Error;
    return std::nullopt;
}

namespace log {

void setLevel(LogLevel level)
{
    g_level = int(level);
}

void setup()
{
    g_journal = stderrIsJournal();
}

void write(LogLevel level, const QString &message)
{
    if (int(level) < g_level)
        return;
    static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
    static const int priorities[] = {7, 6, 4, 3}; // syslog: debug, info, warning, err
    QByteArray text = message.toUtf8();
    text.replace('\n', "\n  "); // one event stays one record
    QByteArray line;
    if (g_journal)
        line = "<" + QByteArray::number(priorities[int(level)]) + ">" + text + "\n";
    else
        line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1() + " " + names[int(level)]
            + " " + text + "\n";
    std::lock_guard<std::mutex> lock(g_mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace log

} // namespace cairn
