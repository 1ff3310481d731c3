// AgentService: `cairn-agent run`, the agent's service loop. Agents sit behind NAT, so the
// agent asks and the server answers:
//  - every poll interval it asks for pending jobs ("back up now", restores), and every few polls
//    for its configuration (policy, time zone, schedule offset), which it caches on disk;
//  - it starts scheduled backups itself at the policy's hour plus the server's per-server offset
//    (agentcore/schedule), registering each as a job first (POST /agent/jobs, idempotent per
//    slot); a slot not started within 3 hours is left to the server to record as missed;
//  - a job runs on its own thread (JobRunner); progress goes to the server every 2 seconds, and
//    the answer tells the agent when the user cancelled;
//  - the result is written to the outbox on disk before anything else, then sent; results wait
//    there while the server is away and go out, oldest first, when it returns;
//  - service/job.json names the running job until its result is queued: after a crash, kill or
//    reboot the backup runs again under the same job (packs the store already holds are not
//    uploaded again); an interrupted restore is reported failed rather than rerun;
//  - while the server cannot be reached it backs off (doubling up to a minute).
// One job at a time (job.lock, shared with `cairn-agent backup --now`); one service per state
// folder (service.lock).
// Threads: run() loops on the calling thread; jobs run on one worker thread; stop() may be
// called from any thread (the stop-signal thread).
#pragma once

#include "base/Result.h"
#include "remote/ServerConnection.h"
#include "service/AgentSettings.h"
#include "service/JobRunner.h"
#include "service/Protocol.h"
#include "service/StateFolder.h"

#include <QDateTime>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace cairn {

class AgentService {
public:
    explicit AgentService(AgentSettings settings);
    ~AgentService();

    // The service loop; returns when stop() is called (0) or when it cannot start (an error).
    Status run();
    // Ends run(): a running job is stopped and left to resume at the next start. Any thread.
    void stop();

    // `cairn-agent backup --now`: registers a backup job for this machine with the server and
    // runs it here, in the foreground, with the same progress reports, result outbox and
    // resumption as the service. `display` gets each progress object (for a progress line).
    // Fails at once if another job is running on this machine.
    Result<JobOutcome> runBackupNow(std::function<void(const QJsonObject &)> display);

    // How often progress is sent while a job runs (tests shorten it).
    void setProgressInterval(std::chrono::milliseconds interval) { m_progressInterval = interval; }

private:
    using Clock = std::chrono::steady_clock;

    struct RunningJob {
        JobView job;
        int attempt = 1;
        qint64 uploadedBefore = 0; // by earlier attempts
        qint64 uploadedSaved = 0;  // in service/job.json
        std::unique_ptr<FileLock> lock;
        std::thread thread;
        std::atomic<bool> cancel {false};
        std::atomic<bool> done {false};
        std::atomic<bool> abandoned {false}; // the server no longer wants it (finished, gone)
        std::mutex progressMutex;
        QJsonObject progress; // latest, from the job thread
        JobOutcome outcome;   // set by the job thread before `done`
    };

    Status prepare();
    void tick();
    void waitForNextEvent();
    void wake();

    void pollConfig();
    void pollJobs();
    void checkSchedule();
    void flushOutbox();
    void sendProgress();
    void finishJob();

    // Starts `job` on the job thread if job.lock is free; false if it is not.
    bool startJob(const JobView &job, int attempt, qint64 uploadedBefore);
    void recordTrouble(const QString &what, const Error &error);
    void recordContact();
    Result<JobView> createScheduledJob(const QDateTime &slot);
    Status saveJobFile(const JobView &job, int attempt, qint64 uploaded);

    AgentSettings m_settings;
    StateFolder m_state;
    std::unique_ptr<ServerConnection> m_control; // short retries: the loop does its own backoff
    std::unique_ptr<FileLock> m_serviceLock;
    std::optional<AgentConfigView> m_config;
    QDateTime m_lastSlot; // the last scheduled slot handled (UTC)
    std::optional<JobView> m_resume;
    int m_resumeAttempt = 1;
    qint64 m_resumeUploaded = 0;
    std::unique_ptr<RunningJob> m_job;
    std::function<void(const QJsonObject &)> m_display;

    std::chrono::milliseconds m_progressInterval {2000};
    Clock::time_point m_nextJobsPoll, m_nextConfigPoll, m_nextProgress, m_nextOutbox, m_nextSchedule;
    int m_failures = 0;  // consecutive failed contacts with the server
    bool m_reachable = true;
    bool m_outboxPending = true;

    std::mutex m_waitMutex;
    std::condition_variable m_wakeup;
    bool m_woken = false;
    std::atomic<bool> m_stopping {false};
    // Set once the loop has ended: the last results are delivered even though stopping (the
    // control connection's calls end at once while m_stopping and not this).
    std::atomic<bool> m_lastWords {false};
};

} // namespace cairn
