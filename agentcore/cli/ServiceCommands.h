// The agent's service commands: `cairn-agent run` (the service loop, what systemd starts),
// `cairn-agent status` (enrolled? service running? server reachable? last and next run) and
// `cairn-agent backup --now` (a backup by the policy, in the foreground, recorded on the server).
// They share how the state folder is found: --state DIR, else the config file's
// agent/state_dir (--config FILE, default /etc/cairn/agent.conf), else /var/lib/cairn.
// Main thread.
#pragma once

#include "cli/CommandSupport.h"
#include "service/AgentSettings.h"

#include <QStringList>

namespace cairn::cli {

// The settings for a command: the config file (`--config`, or the default if it exists) with
// `--state` applied over it.
Result<AgentSettings> commandSettings(const Args &a);

int runService(const QStringList &args);
int runStatus(const QStringList &args);
int runBackupNow(const QStringList &args);
QString serviceUsage();

} // namespace cairn::cli
