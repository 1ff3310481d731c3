// The test clock: the server's notion of "now" read from a file, so that end-to-end tests can
// move a running server through hours and days (missed runs, daily passes). Off by default; set
// by testing/clock_file in server.conf (see docs/API.md, "Test settings"), never for production.
//
// The file holds one ISO 8601 instant with its offset (e.g. 2026-03-08T06:30:00Z). From the
// moment the file was last written, time flows at the normal rate: now = that instant + the time
// elapsed since the file's modification time. Writing the file again sets the clock again.
// A missing or unreadable file, or one without a valid instant, leaves the real time (with a
// warning, once per change). Thread-safe: the file is re-read when its modification time changes.
#pragma once

#include <QDateTime>
#include <QString>

#include <functional>

namespace cairn::server {

std::function<QDateTime()> fileClock(const QString &path);

// The instant a clock file holds, or invalid.
QDateTime parseClockFile(const QByteArray &contents);

} // namespace cairn::server
