// Platform: what the agent needs from the operating system beyond POSIX file access — facts
// about the machine, process priority, running the policy's pre/post commands, and living as a
// system service (stop signals, readiness). One interface, one implementation per OS; this tree
// builds the Linux one (PlatformLinux.cpp). A Windows build would add PlatformWindows.cpp
// (service control manager, VSS); nothing here pretends to be it.
// File metadata (owners, modes, xattrs, sparse layout) is the archiver's and restorer's FsNode,
// written against POSIX.
// Free functions; thread-safety as noted per function.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace cairn::platform {

struct HostInfo {
    QString hostname;     // this machine's host name
    QString os;           // "Debian GNU/Linux 12 (bookworm)" (PRETTY_NAME of os-release, else sysname)
    QString kernel;       // "Linux 6.1.0-27-amd64" (uname sysname + release)
    QString architecture; // "x86_64" (uname machine)
};
// Any thread.
HostInfo hostInfo();

// Where the agent keeps its state and reads its configuration on this OS
// (Linux: /var/lib/cairn and /etc/cairn/agent.conf).
QString defaultStateDir();
QString defaultConfigPath();

// Lowers the CPU and I/O priority of the calling process: nice 10 and the idle I/O class on
// Linux. Threads started afterwards inherit it, so call it before starting any. Main thread.
Status lowerPriority();

struct CommandOptions {
    int timeoutSeconds = 3600;          // then the command's process group is stopped
    std::function<bool()> cancelled;    // polled about 10 times a second; true stops the command
    qint64 outputLimit = 16 * 1024;     // keep at most the last this many bytes of output
};

struct CommandResult {
    int exitCode = -1;      // the exit status; -1 if it died of a signal or was stopped
    int signal = 0;         // the signal that ended it, if any
    bool timedOut = false;  // stopped because the timeout passed
    bool cancelled = false; // stopped because options.cancelled() said so
    QByteArray output;      // the tail of stdout and stderr, interleaved
    double seconds = 0;     // how long it ran
};

// Runs `command` with the system shell (/bin/sh -c) in a new process group (session), stdin
// from /dev/null, stdout and stderr captured together. Waits for it to end. On timeout or
// cancellation the whole group gets SIGTERM, then SIGKILL 5 seconds later. An error only when
// the command could not be started at all; a command that ran and failed is a CommandResult
// with its exit code. Any thread (one command per calling thread).
Result<CommandResult> runShellCommand(const QByteArray &command, const CommandOptions &options);

// Service life. installStopHandler() blocks SIGTERM, SIGINT and SIGHUP in the calling thread —
// call it on the main thread before any other thread starts, so that every thread inherits the
// mask — and starts a thread that waits for them and calls `onStop(signalNumber)` (from that
// thread) for each one. Call once.
Status installStopHandler(std::function<void(int signalNumber)> onStop);
// Tells the service manager how the service is doing (systemd: sd_notify on $NOTIFY_SOCKET,
// e.g. "READY=1", "STOPPING=1", "STATUS=backing up"). Does nothing outside a service. Any thread.
void notifyServiceManager(const QByteArray &state);

} // namespace cairn::platform
