#include "service/AgentSettings.h"

#include "platform/Platform.h"

#include <QFileInfo>
#include <QSettings>

namespace cairn {

namespace {

Error badValue(const QString &path, const QString &key, const QString &value, const QString &expected)
{
    return Error(ErrorCode::InvalidArgument,
        QStringLiteral("%1: %2 = '%3' is not valid (%4)").arg(path, key, value, expected));
}

Result<bool> readBool(QSettings &s, const QString &path, const QString &key, bool fallback)
{
    if (!s.contains(key))
        return fallback;
    const QString v = s.value(key).toString().trimmed().toLower();
    if (v == u"true" || v == u"yes" || v == u"on" || v == u"1")
        return true;
    if (v == u"false" || v == u"no" || v == u"off" || v == u"0")
        return false;
    return badValue(path, key, v, QStringLiteral("true or false"));
}

} // namespace

AgentSettings AgentSettings::defaults()
{
    AgentSettings s;
    s.stateDir = platform::defaultStateDir();
    return s;
}

Result<AgentSettings> AgentSettings::load(const QString &path, bool mustExist)
{
    AgentSettings out = defaults();
    const QFileInfo info(path);
    if (!info.exists()) {
        if (mustExist)
            return Error(ErrorCode::NotFound, QStringLiteral("the configuration file %1 does not exist").arg(path));
        return out;
    }
    if (!info.isReadable())
        return Error(ErrorCode::PermissionDenied, QStringLiteral("cannot read the configuration file %1").arg(path));
    QSettings s(path, QSettings::IniFormat);
    if (s.status() != QSettings::NoError)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a valid configuration file").arg(path));
    const QString stateKey = QStringLiteral("agent/state_dir");
    if (s.contains(stateKey)) {
        const QString dir = s.value(stateKey).toString().trimmed();
        if (!dir.startsWith(QLatin1Char('/')))
            return badValue(path, stateKey, dir, QStringLiteral("an absolute path"));
        out.stateDir = dir;
    }
    const QString pollKey = QStringLiteral("agent/poll_seconds");
    if (s.contains(pollKey)) {
        bool ok = false;
        const int v = s.value(pollKey).toString().trimmed().toInt(&ok);
        if (!ok || v < 1 || v > 3600)
            return badValue(path, pollKey, s.value(pollKey).toString(), QStringLiteral("1 to 3600 seconds"));
        out.pollSeconds = v;
    }
    auto low = readBool(s, path, QStringLiteral("agent/low_priority"), out.lowPriority);
    if (!low)
        return low.error();
    out.lowPriority = *low;
    auto allow = readBool(s, path, QStringLiteral("agent/allow_commands"), out.allowCommands);
    if (!allow)
        return allow.error();
    out.allowCommands = *allow;
    const QString levelKey = QStringLiteral("log/level");
    if (s.contains(levelKey)) {
        const auto level = logLevelFromName(s.value(levelKey).toString().trimmed());
        if (!level)
            return badValue(path, levelKey, s.value(levelKey).toString(),
                QStringLiteral("debug, info, warning or error"));
        out.logLevel = *level;
    }
    return out;
}

} // namespace cairn
