// The agent's server-side command line: `cairn-agent enroll` joins a tenant on a cairn-server
// and keeps the credentials in the state folder (agent.json, mode 0600); `cairn-agent remote
// backup|snapshots|restore|check` are the twins of the `local` commands, run against the
// tenant's repository on the server: RemoteBackend for the files, the local index cache
// (index.sqlite in the state folder) brought up to date by RemoteIndexSync first, and the
// tenant's keys and config from the credentials. Exit codes as for `local` (cli::ExitCode).
// Runs on the main thread; engine callbacks are serialised by the engine.
#pragma once

#include <QStringList>

namespace cairn::cli {

// args: everything after "enroll".
int runEnroll(const QStringList &args);
// args: everything after "remote".
int runRemote(const QStringList &args);
QString remoteUsage();

} // namespace cairn::cli
