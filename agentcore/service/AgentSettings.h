// AgentSettings: the agent's configuration file (/etc/cairn/agent.conf, QSettings INI). Every key
// is optional; a value that is present but unusable is an error naming the key, so a typo does
// not silently fall back to a default. Keys:
//   [agent] state_dir       where credentials, the index cache and the service state live
//           poll_seconds    how often the service asks the server for work (1–3600, default 10)
//           low_priority    run at nice 10 and idle I/O priority (default true)
//           allow_commands  run the policy's pre/post commands (default true; false makes a run
//                           whose policy has one fail with an explanation)
//   [log]   level           debug, info, warning or error (default info)
// Value type; any thread.
#pragma once

#include "base/Result.h"
#include "service/Log.h"

#include <QString>

namespace cairn {

struct AgentSettings {
    QString stateDir;
    int pollSeconds = 10;
    bool lowPriority = true;
    bool allowCommands = true;
    LogLevel logLevel = LogLevel::Info;

    // Defaults for this platform (state folder from platform::defaultStateDir()).
    static AgentSettings defaults();
    // Reads `path`; a missing file gives the defaults when `mustExist` is false.
    static Result<AgentSettings> load(const QString &path, bool mustExist);
};

} // namespace cairn
