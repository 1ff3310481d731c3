// ShellCommandLinux: runShellCommand() of platform/Platform.h on Linux — the policy's pre/post
// commands run as `/bin/sh -c` in a session of their own, started with posix_spawn() so that
// nothing but async-signal-safe work happens in the child of a multithreaded agent.
// Runs entirely on the calling thread; several threads may each run one command at a time.
//
// The child gets: stdin from /dev/null, stdout and stderr on one pipe, no other descriptor
// (closefrom(3) in the child; our own descriptors are O_CLOEXEC besides), an empty signal mask
// and default dispositions for every signal (the agent blocks SIGTERM in all its threads and may
// ignore SIGPIPE; neither must reach the command).
// The command has ended when the shell has exited. Processes it left running in the background
// keep running (a pre-command may start a daemon on purpose); their later output is not read.
// Only on timeout or cancellation is the whole process group stopped: SIGTERM, then SIGKILL
// 5 seconds later, and the call returns once the group is gone.
#include "platform/Platform.h"

#include "base/FileIo.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace cairn::platform {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(100); // cancellation is checked this often
constexpr auto kKillGrace = std::chrono::seconds(5); // SIGTERM → SIGKILL
// After SIGKILL the group is normally gone at once. Members that remain are zombies waiting for
// init to reap them, or a leader stuck in the kernel (a hung NFS mount): stop waiting after this.
constexpr auto kGroupGoneWait = std::chrono::seconds(2);
constexpr auto kLeaderStuckWait = std::chrono::seconds(30);
constexpr auto kDrainTime = std::chrono::milliseconds(200); // reading what is left after the exit
constexpr size_t kReadChunk = 64 * 1024;

Error spawnError(const QString &what, int err)
{
    return Error(ErrorCode::Io,
        QStringLiteral("cannot run the command: %1: %2").arg(what, QString::fromLocal8Bit(std::strerror(err))));
}

// posix_spawn's attribute objects, destroyed on scope exit.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    bool haveActions = false;
    bool haveAttributes = false;
    ~SpawnSetup()
    {
        if (haveActions)
            posix_spawn_file_actions_destroy(&actions);
        if (haveAttributes)
            posix_spawnattr_destroy(&attributes);
    }
};

int prepare(SpawnSetup &setup, int outputFd)
{
    if (int rc = posix_spawn_file_actions_init(&setup.actions); rc != 0)
        return rc;
    setup.haveActions = true;
    if (int rc = posix_spawnattr_init(&setup.attributes); rc != 0)
        return rc;
    setup.haveAttributes = true;
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&setup.actions, outputFd, STDOUT_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&setup.actions, outputFd, STDERR_FILENO);
    if (rc == 0)
        rc = posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);
    if (rc == 0)
        rc = posix_spawnattr_setsigmask(&setup.attributes, &none);
    if (rc == 0)
        rc = posix_spawnattr_setsigdefault(&setup.attributes, &all);
    if (rc == 0)
        rc = posix_spawnattr_setflags(
            &setup.attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    return rc;
}

// Whether any process of the group still exists (zombies count until they are reaped).
bool groupExists(pid_t group)
{
    return kill(-group, 0) == 0 || errno == EPERM;
}

// Appends `data` to the kept output, dropping the oldest bytes beyond `limit` (in batches, so
// that a chatty command does not cost a memmove per read).
void keepTail(QByteArray &output, const char *data, qint64 size, qint64 limit)
{
    if (limit <= 0)
        return;
    if (size >= limit) {
        output = QByteArray(data + (size - limit), qsizetype(limit));
        return;
    }
    output.append(data, qsizetype(size));
    if (output.size() > limit + qint64(kReadChunk))
        output.remove(0, output.size() - qsizetype(limit));
}

} // namespace

Result<CommandResult> runShellCommand(const QByteArray &command, const CommandOptions &options)
{
    if (command.contains('\0'))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the command contains a NUL byte"));
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0)
        return spawnError(QStringLiteral("pipe"), errno);
    FdCloser readEnd(pipeFds[0]);
    FdCloser writeEnd(pipeFds[1]);
    SpawnSetup setup;
    if (int rc = prepare(setup, writeEnd.get()); rc != 0)
        return spawnError(QStringLiteral("posix_spawn setup"), rc);

    QByteArray commandCopy = command; // posix_spawn takes char *const argv[]
    char shellName[] = "sh";
    char dashC[] = "-c";
    char *argv[] = {shellName, dashC, commandCopy.data(), nullptr};
    const auto started = Clock::now();
    pid_t pid = -1;
    if (int rc = posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attributes, argv, environ); rc != 0)
        return spawnError(QStringLiteral("/bin/sh"), rc);
    close(writeEnd.release());
    // The session id and the process group id of the command are both its pid (POSIX_SPAWN_SETSID;
    // glibc returns only after the exec, so the group exists by now).
    const pid_t group = pid;
    // A pidfd wakes poll() the moment the shell exits; without one (kernel < 5.3) the 100 ms
    // poll interval notices it.
    FdCloser pidFd(int(syscall(SYS_pidfd_open, pid, 0)));

    CommandResult result;
    const bool hasDeadline = options.timeoutSeconds > 0;
    const auto deadline = started + std::chrono::seconds(std::max(0, options.timeoutSeconds));
    auto nextCancelCheck = started;
    bool pipeOpen = true;
    bool exited = false;
    int status = 0;
    bool stopping = false;
    bool killed = false;
    Clock::time_point stopTime;
    Clock::time_point killTime;
    std::vector<char> buffer(kReadChunk);

    for (;;) {
        if (!exited) {
            const pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid || (w < 0 && errno == ECHILD)) { // ECHILD: SIGCHLD ignored, reaped for us
                exited = true;
                if (w < 0)
                    status = -1;
            }
        }
        const auto now = Clock::now();
        if (exited && (!stopping || !groupExists(group)))
            break;
        if (!stopping) {
            if (hasDeadline && now >= deadline)
                result.timedOut = true;
            else if (options.cancelled && now >= nextCancelCheck) {
                nextCancelCheck = now + kPollInterval;
                result.cancelled = options.cancelled();
            }
            if (result.timedOut || result.cancelled) {
                stopping = true;
                stopTime = now;
                kill(-group, SIGTERM);
            }
        } else if (!killed && now >= stopTime + kKillGrace) {
            killed = true;
            killTime = now;
            kill(-group, SIGKILL);
        } else if (killed && now >= killTime + (exited ? kGroupGoneWait : kLeaderStuckWait)) {
            break; // see kGroupGoneWait: nothing more can be done from here
        }

        struct pollfd fds[2] = {{pipeOpen ? readEnd.get() : -1, POLLIN, 0}, {exited ? -1 : pidFd.get(), POLLIN, 0}};
        const int ready = poll(fds, 2, int(kPollInterval.count()));
        if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t n = read(readEnd.get(), buffer.data(), buffer.size());
            if (n > 0)
                keepTail(result.output, buffer.data(), n, options.outputLimit);
            else if (n == 0 || (errno != EINTR && errno != EAGAIN))
                pipeOpen = false;
        }
    }

    // What the command wrote just before it exited; bounded in time because a background
    // process may still hold the pipe and keep writing.
    const auto drainEnd = Clock::now() + kDrainTime;
    while (pipeOpen && Clock::now() < drainEnd) {
        struct pollfd fd = {readEnd.get(), POLLIN, 0};
        if (poll(&fd, 1, 0) <= 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR)))
            break;
        const ssize_t n = read(readEnd.get(), buffer.data(), buffer.size());
        if (n > 0)
            keepTail(result.output, buffer.data(), n, options.outputLimit);
        else if (n == 0 || (errno != EINTR && errno != EAGAIN))
            pipeOpen = false;
    }
    if (result.output.size() > options.outputLimit)
        result.output.remove(0, result.output.size() - qsizetype(options.outputLimit));

    if (exited && status != -1 && WIFEXITED(status))
        result.exitCode = WEXITSTATUS(status);
    else if (exited && status != -1 && WIFSIGNALED(status))
        result.signal = WTERMSIG(status);
    if (result.timedOut || result.cancelled)
        result.exitCode = -1; // stopped: whatever status the shell chose on SIGTERM is not its verdict
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

} // namespace cairn::platform
