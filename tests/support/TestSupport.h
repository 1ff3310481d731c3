// Helpers shared by the tests: running the cairn-agent binary, temporary folders.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

namespace cairn::test {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Path of the cairn-agent binary under test (CAIRN_AGENT, set by CTest).
QString agentBinary();
// Runs cairn-agent with `args`; CAIRN_PASSPHRASE is set to `passphrase` unless empty.
ProcessResult runAgent(const QStringList &args, const QByteArray &passphrase = "test-passphrase",
                       int timeoutMs = 600000);
// Starts cairn-agent with `args` in `process` without waiting (environment as for runAgent).
void startAgent(QProcess &process, const QStringList &args, const QByteArray &passphrase = "test-passphrase");

// Exit code, stdout and the start of stderr of a run, for failure messages.
QString describe(const ProcessResult &r);

// Deterministic pseudo-random bytes (xorshift64): the same seed gives the same bytes, different
// seeds different ones. Fast enough for many megabytes of test data.
QByteArray testPattern(qint64 size, quint64 seed);

// The seed of a randomised test: CAIRN_TEST_SEED if set, else a random one; printed so that a
// failure can be repeated.
quint32 testSeed();

// Polls `condition` every `stepMs` until it holds (true) or `timeoutMs` passed (false).
bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int stepMs = 100);

// No sanitizer report (builds with CAIRN_SANITIZE=ON) in a process's output: no AddressSanitizer
// error, no LeakSanitizer report, no UBSan "runtime error". A report found is printed (from its
// first line on) for the failure message.
bool noSanitizerReport(const QByteArray &log);

} // namespace cairn::test
