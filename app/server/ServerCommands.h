// The cairn-server command line: init, serve, and the admin commands an empty system needs
// (tenant add, user add, enrollment-code). Runs on the main thread; `serve` runs the event loop.
#pragma once

#include <QStringList>

namespace cairn::server {

// Exit codes: 0 ok, 1 failure, 2 usage.
int runServerCommand(const QStringList &arguments);

} // namespace cairn::server
