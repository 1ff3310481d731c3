// The engine's command line: `cairn-agent local init|backup|snapshots|restore|check`.
// Parses arguments, opens a local repository, runs the engine and turns its callbacks into
// terminal output (a progress line on a terminal, a summary on stdout, problems on stderr).
// Exit codes: 0 success, 1 failure, 2 usage error, 3 finished but something failed or is damaged,
// 4 wrong passphrase. Runs on the main thread; engine callbacks are serialised by the engine.
#pragma once

#include "cli/CommandSupport.h"

#include <QStringList>

namespace cairn::cli {

// args: everything after "local" (e.g. {"backup", "--repo", "/r", "/home"}).
int runLocal(const QStringList &args);
QString localUsage();

} // namespace cairn::cli
