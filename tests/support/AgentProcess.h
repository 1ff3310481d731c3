// A real `cairn-agent` for integration tests: its own temporary folder with a state folder and
// an agent.conf (poll every second, normal priority, debug log), enrollment with a
// ServerProcess's tenant, the service (`cairn-agent run`) as a child process whose log goes to a
// file, SIGTERM/SIGKILL and restart, and one-shot commands (status, backup --now, restore …)
// against the same state folder; and waitForJobEnd(), a job's end as the console API shows it.
// The binary is $CAIRN_AGENT (set by CTest). Test main thread.
#pragma once

#include "ApiClient.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace cairn::test {

class AgentProcess {
public:
    AgentProcess();
    ~AgentProcess(); // stops the service (SIGKILL if it does not stop on SIGTERM)

    QString stateDir() const { return m_dir.filePath(QStringLiteral("state")); }
    QString configPath() const { return m_dir.filePath(QStringLiteral("agent.conf")); }
    QString path(const QString &name) const { return m_dir.filePath(name); } // inside the temp folder

    // Writes agent.conf: [agent] poll_seconds=1, low_priority=false, [log] level=debug, then
    // `extra` (INI text; a repeated key overrides). Done by the constructor with no extra.
    bool writeConfig(const QByteArray &extra = {});
    // `cairn-agent enroll` with a fresh code of `tenant`; the agent id on success, else -1
    // (see lastResult()).
    qint64 enroll(ServerProcess &server, const QString &tenant, const QString &hostname);

    // Starts `cairn-agent run --config … --state …`; waits until it logs that it started.
    bool start(int timeoutMs = 30000);
    bool stop(int timeoutMs = 60000); // SIGTERM, wait; false if it did not exit 0 in time
    void kill9();                     // SIGKILL, wait
    bool isRunning() const;
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    int exitCode() const { return m_exitCode; } // of the last run that ended

    // The service's log so far (all runs, appended), and waiting for a line containing `needle`
    // that appears after byte `from` of it.
    QByteArray log() const;
    bool waitForLog(const QByteArray &needle, int timeoutMs, qint64 from = 0);
    // The UTC time stamp that starts the first log line containing `needle` after byte `from`
    // ("2026-11-27T02:00:01.234Z INFO job 7 (backup) succeeded: …"); invalid if there is none.
    QDateTime logTime(const QByteArray &needle, qint64 from = 0) const;

    // `cairn-agent <args> --config … --state …`, waited for.
    ProcessResult run(const QStringList &args, int timeoutMs = 600000);
    const ProcessResult &lastResult() const { return m_last; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    ProcessResult m_last;
    int m_exitCode = -1;
};

// PUT /api/v1/servers/{agentId}/policy: a daily policy backing up `source`, kept 30 days, whose
// slot today is two hours past in the tenant's zone (read from the session), so that a running
// service starts nothing on its own; `extra` adds or overrides fields. The reply; a failure is
// also printed.
ApiReply putIdlePolicy(ApiClient &api, qint64 agentId, const QByteArray &source, const QJsonObject &extra = {});

// Whether a job state is final: succeeded, warning, failed, cancelled or missed.
bool isFinishedJobState(const QString &state);
// Asks GET /api/v1/jobs/{jobId}{query} every 100 ms until the job has finished or `timeoutMs`
// passed, and returns the last job object answered (its "state" tells which; empty if there was no
// answer). `seen`, if given, gets every answer, e.g. to catch a running job's progress.
QJsonObject waitForJobEnd(ApiClient &api, qint64 jobId, int timeoutMs, const QString &query = QString(),
                          const std::function<void(const QJsonObject &)> &seen = {});

} // namespace cairn::test
