// The test clock (see TestClock.h). Any thread.
#include "ops/TestClock.h"

#include <QFile>
#include <QFileInfo>

#include <memory>
#include <mutex>

namespace cairn::server {

QDateTime parseClockFile(const QByteArray &contents)
{
    const QString text = QString::fromUtf8(contents).trimmed();
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime) // an instant needs its offset
        return {};
    return t.toUTC();
}

std::function<QDateTime()> fileClock(const QString &path)
{
    struct State {
        std::mutex mutex;
        QDateTime modified; // of the file last read
        QDateTime base;     // the instant it holds (invalid: use the real time)
    };
    auto state = std::make_shared<State>();
    return [path, state]() {
        const QDateTime real = QDateTime::currentDateTimeUtc();
        const QFileInfo info(path);
        const QDateTime modified = info.exists() ? info.lastModified().toUTC() : QDateTime();
        std::lock_guard lock(state->mutex);
        if (modified != state->modified) {
            state->modified = modified;
            QFile f(path);
            state->base = f.open(QIODevice::ReadOnly) ? parseClockFile(f.read(256)) : QDateTime();
            if (!state->base.isValid())
                qWarning("cairn-server: testing/clock_file %s holds no ISO 8601 instant with an offset; "
                         "using the real time", qPrintable(path));
        }
        if (!state->base.isValid())
            return real;
        return state->base.addMSecs(state->modified.msecsTo(real));
    };
}

} // namespace cairn::server
