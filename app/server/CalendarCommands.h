// cairn-server calendar due|add|remove|list (see CalendarCommands.cpp). Main thread.
#pragma once

#include <QStringList>

namespace cairn::server {

// Exit codes: 0 ok, 1 failure, 2 usage.
int cmdCalendar(const QStringList &args);

} // namespace cairn::server
