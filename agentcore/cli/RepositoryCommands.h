// The commands that run on an open repository, shared by `cairn-agent local …` and
// `cairn-agent remote …`: backup, snapshots, restore and check. Each gets the parsed arguments and
// a function that opens the repository (a local folder, or the tenant's repository on a server);
// the output and exit codes are the same for both. Main thread.
#pragma once

#include "cli/CommandSupport.h"
#include "repository/Repository.h"

#include <functional>
#include <memory>

namespace cairn::cli {

// Why the repository is opened: a backup writes (a local repository first indexes packs an
// interrupted run left); reading needs the index current (a remote one syncs its cache);
// listing snapshots needs neither.
enum class Purpose { Backup, Read, List };
using OpenRepository = std::function<Result<std::unique_ptr<Repository>>(Purpose)>;

// `command` names the command family ("local", "remote") in usage hints.
int backupCommand(const Args &a, const OpenRepository &open, const char *command);
int snapshotsCommand(const Args &a, const OpenRepository &open, const char *command);
// `workers`: threads writing files (a remote repository wants more, to wait for downloads).
int restoreCommand(const Args &a, const OpenRepository &open, const char *command, int workers = 2);
int checkCommand(const Args &a, const OpenRepository &open, const char *command);

} // namespace cairn::cli
