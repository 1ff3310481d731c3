// PlatformLinux: the Linux implementation of platform/Platform.h, except the shell commands
// (ShellCommandLinux.cpp) — host facts from uname and os-release, nice 10 and the idle I/O
// class, the stop-signal thread and the readiness datagram to systemd ($NOTIFY_SOCKET, without
// libsystemd). Threads: as Platform.h says per function; installStopHandler() starts one thread
// of its own ("cairn-signals") that waits in sigwait() until the process exits.
#include "platform/Platform.h"

#include <QFile>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <thread>

#include <limits.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace cairn::platform {

namespace {

// From linux/ioprio.h, spelled out here because older kernel headers (RHEL 8) lack the file.
constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassIdle = 3;
constexpr int kIoprioClassShift = 13;
constexpr int kBackgroundNice = 10;

Error osError(const QString &what, int err)
{
    const ErrorCode code = (err == EPERM || err == EACCES) ? ErrorCode::PermissionDenied : ErrorCode::Io;
    return Error(code, what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(err)));
}

// The value of PRETTY_NAME in an os-release file (shell-style: optionally quoted, with
// backslash escapes inside double quotes); empty if the file or the key is missing.
QString prettyNameFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.startsWith("PRETTY_NAME="))
            continue;
        QByteArray value = line.mid(int(std::strlen("PRETTY_NAME=")));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            const bool doubleQuoted = value.front() == '"';
            value = value.mid(1, value.size() - 2);
            if (doubleQuoted) {
                QByteArray unescaped;
                for (int i = 0; i < value.size(); ++i) {
                    if (value[i] == '\\' && i + 1 < value.size())
                        ++i;
                    unescaped += value[i];
                }
                value = unescaped;
            }
        }
        return QString::fromUtf8(value).trimmed();
    }
    return {};
}

} // namespace

HostInfo hostInfo()
{
    HostInfo info;
    struct utsname names = {};
    const bool haveNames = uname(&names) == 0;
    char host[HOST_NAME_MAX + 1] = {};
    if (gethostname(host, sizeof host - 1) == 0)
        info.hostname = QString::fromLocal8Bit(host);
    else if (haveNames)
        info.hostname = QString::fromLocal8Bit(names.nodename);
    info.os = prettyNameFrom(QStringLiteral("/etc/os-release"));
    if (info.os.isEmpty())
        info.os = prettyNameFrom(QStringLiteral("/usr/lib/os-release"));
    if (haveNames) {
        if (info.os.isEmpty())
            info.os = QString::fromLocal8Bit(names.sysname);
        info.kernel = QString::fromLocal8Bit(names.sysname) + u' ' + QString::fromLocal8Bit(names.release);
        info.architecture = QString::fromLocal8Bit(names.machine);
    }
    return info;
}

QString defaultStateDir()
{
    return QStringLiteral("/var/lib/cairn");
}

QString defaultConfigPath()
{
    return QStringLiteral("/etc/cairn/agent.conf");
}

Status lowerPriority()
{
    // getpriority() may legitimately return -1, so errno tells failure apart.
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, 0);
    if (nice == -1 && errno != 0)
        return osError(QStringLiteral("cannot read the CPU priority (nice value)"), errno);
    if (nice < kBackgroundNice && setpriority(PRIO_PROCESS, 0, kBackgroundNice) != 0)
        return osError(QStringLiteral("cannot lower the CPU priority to nice %1").arg(kBackgroundNice), errno);
    const int idle = kIoprioClassIdle << kIoprioClassShift;
    if (syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, idle) != 0)
        return osError(QStringLiteral("cannot set the idle I/O scheduling class"), errno);
    return Status::success();
}

Status installStopHandler(std::function<void(int signalNumber)> onStop)
{
    static std::atomic<bool> installed {false};
    if (installed.exchange(true))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the stop signal handler is already installed"));
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGHUP);
    if (const int rc = pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr); rc != 0)
        return osError(QStringLiteral("cannot block the stop signals"), rc);
    // Detached: the thread never returns from sigwait() on its own, and exit() ends it with the
    // process, so it cannot hold up shutdown.
    try {
        std::thread([stopSignals, onStop = std::move(onStop)]() {
            pthread_setname_np(pthread_self(), "cairn-signals");
            for (;;) {
                int signalNumber = 0;
                if (sigwait(&stopSignals, &signalNumber) == 0 && onStop)
                    onStop(signalNumber);
            }
        }).detach();
    } catch (const std::system_error &e) {
        return osError(QStringLiteral("cannot start the stop signal thread"), e.code().value());
    }
    return Status::success();
}

void notifyServiceManager(const QByteArray &state)
{
    const char *socketPath = std::getenv("NOTIFY_SOCKET");
    if (!socketPath || !*socketPath || state.isEmpty())
        return;
    struct sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    const size_t length = std::strlen(socketPath);
    // A path, or an abstract socket name written with a leading '@'.
    if ((socketPath[0] != '/' && socketPath[0] != '@') || length >= sizeof address.sun_path) {
        static std::atomic<bool> warned {false};
        if (!warned.exchange(true))
            qWarning("cairn: ignoring unusable NOTIFY_SOCKET \"%s\"", socketPath);
        return;
    }
    std::memcpy(address.sun_path, socketPath, length);
    if (socketPath[0] == '@')
        address.sun_path[0] = '\0';
    const auto addressLength = socklen_t(offsetof(struct sockaddr_un, sun_path) + length);
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    const ssize_t sent = sendto(fd, state.constData(), size_t(state.size()), MSG_NOSIGNAL,
        reinterpret_cast<const struct sockaddr *>(&address), addressLength);
    const int err = errno;
    close(fd);
    if (sent < 0) {
        static std::atomic<bool> warned {false};
        if (!warned.exchange(true))
            qWarning("cairn: cannot notify the service manager on %s: %s", socketPath, std::strerror(err));
    }
}

} // namespace cairn::platform
