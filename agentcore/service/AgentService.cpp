#include "service/AgentService.h"

#include "platform/Platform.h"
#include "service/Log.h"
#include "service/RemoteRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>

namespace cairn {

namespace {

using namespace std::chrono_literals;

constexpr int kConfigEveryPolls = 6;           // the configuration is asked for every 6th poll
constexpr int kMaxAttempts = 20;               // a backup interrupted this often is given up
constexpr qint64 kMissedAfterSeconds = 3 * 3600; // SPEC §2: not started within 3 hours = missed
const QString kJobFile = QStringLiteral("job.json");
const QString kConfigFile = QStringLiteral("config.json");
const QString kScheduleFile = QStringLiteral("schedule.json");
const QString kLastRunFile = QStringLiteral("last-run.json");

QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QString formatBytes(double b)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < 4) {
        b /= 1024;
        ++u;
    }
    return QStringLiteral("%1 %2").arg(b, 0, 'f', u ? 1 : 0).arg(QLatin1String(units[u]));
}

// One line for the log about a finished job.
QString describeOutcome(const JobView &job, const JobOutcome &o)
{
    const QJsonObject &s = o.stats;
    QString line = QStringLiteral("job %1 (%2) %3").arg(job.id).arg(job.kind, o.state);
    if (job.kind == u"backup" && s.contains(QStringLiteral("files")))
        line += QStringLiteral(": %1 files, %2 scanned, %3 read, %4 new, %5 uploaded in %6 s")
                    .arg(s.value(QStringLiteral("files")).toInteger())
                    .arg(formatBytes(s.value(QStringLiteral("bytes_scanned")).toDouble()),
                        formatBytes(s.value(QStringLiteral("bytes_read")).toDouble()),
                        formatBytes(s.value(QStringLiteral("bytes_new")).toDouble()),
                        formatBytes(s.value(QStringLiteral("bytes_uploaded")).toDouble()))
                    .arg(s.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 1);
    else if (job.kind == u"restore" && s.contains(QStringLiteral("files")))
        line += QStringLiteral(": %1 files, %2 restored to %3")
                    .arg(s.value(QStringLiteral("files")).toInteger())
                    .arg(formatBytes(s.value(QStringLiteral("bytes")).toDouble()), s.value(QStringLiteral("target")).toString());
    if (!o.error.isEmpty())
        line += QStringLiteral(" — ") + o.error;
    return line;
}

ServerConnectionSettings controlSettings(const AgentCredentials &c)
{
    ServerConnectionSettings s = c.connectionSettings();
    s.retry.initialDelayMs = 250;
    s.retry.maxDelayMs = 1000;
    s.retry.giveUpAfterMs = 2000;
    s.connectTimeoutMs = 10000;
    s.stallSeconds = 30;
    return s;
}

} // namespace

AgentService::AgentService(AgentSettings settings) : m_settings(std::move(settings)), m_state(m_settings.stateDir) {}

AgentService::~AgentService()
{
    if (m_job && m_job->thread.joinable()) {
        m_stopping = true;
        m_job->thread.join();
    }
}

void AgentService::stop()
{
    m_stopping = true;
    wake();
}

void AgentService::wake()
{
    {
        std::lock_guard<std::mutex> lock(m_waitMutex);
        m_woken = true;
    }
    m_wakeup.notify_all();
}

Status AgentService::prepare()
{
    CAIRN_TRY(m_state.ensure());
    auto credentials = loadCredentials(m_settings.stateDir);
    if (!credentials)
        return credentials.error();
    m_control = std::make_unique<ServerConnection>(controlSettings(*credentials));
    m_control->setStopCondition([this] { return m_stopping.load() && !m_lastWords.load(); });
    credentials->wipe();

    if (auto cached = m_state.read(kConfigFile); cached && *cached) {
        if (auto parsed = parseAgentConfig(**cached))
            m_config = *parsed;
    }
    if (auto schedule = m_state.read(kScheduleFile); schedule && *schedule)
        m_lastSlot = QDateTime::fromString((*schedule)->value(QStringLiteral("last_slot")).toString(), Qt::ISODateWithMs);

    auto jobFile = m_state.read(kJobFile);
    if (!jobFile) {
        log::error(jobFile.error().message + QStringLiteral("; the interrupted job (if any) is dropped"));
        (void)m_state.remove(kJobFile);
    } else if (*jobFile) {
        const QJsonObject &doc = **jobFile;
        auto job = parseJob(doc.value(QStringLiteral("job")).toObject());
        const int attempt = doc.value(QStringLiteral("attempt")).toInt(1) + 1;
        const qint64 uploaded = doc.value(QStringLiteral("uploaded")).toInteger();
        if (!job) {
            log::error(QStringLiteral("the interrupted job cannot be read (%1); it is dropped").arg(job.error().message));
            (void)m_state.remove(kJobFile);
        } else if (job->kind == u"restore" || attempt > kMaxAttempts) {
            JobOutcome o;
            o.state = QStringLiteral("failed");
            o.stats = QJsonObject {{QStringLiteral("attempt"), attempt - 1}};
            o.error = job->kind == u"restore"
                ? QStringLiteral("the agent stopped during the restore (service restart, crash or reboot); "
                                 "files restored so far are in place; request the restore again to finish it")
                : QStringLiteral("the backup was interrupted %1 times (service restart, crash or reboot) and was "
                                 "given up").arg(attempt - 1);
            log::warning(QStringLiteral("job %1 (%2): %3").arg(job->id).arg(job->kind, o.error));
            CAIRN_TRY(m_state.enqueueResult(job->id, o.resultJson()));
            CAIRN_TRY(m_state.remove(kJobFile));
        } else {
            log::info(QStringLiteral("job %1 (backup) was interrupted; running it again (attempt %2)").arg(job->id).arg(attempt));
            m_resume = *job;
            m_resumeAttempt = attempt;
            m_resumeUploaded = uploaded;
        }
    }
    const Clock::time_point now = Clock::now();
    m_nextJobsPoll = m_nextConfigPoll = m_nextOutbox = m_nextSchedule = now;
    return Status::success();
}

Status AgentService::run()
{
    CAIRN_TRY(m_state.ensure());
    auto lock = m_state.tryLock(QStringLiteral("service.lock"));
    if (!lock)
        return lock.error();
    if (!*lock)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("another cairn-agent service is already running with the state folder %1").arg(m_state.dir()));
    m_serviceLock = std::move(*lock);
    CAIRN_TRY(prepare());
    log::info(QStringLiteral("cairn-agent %1 started (state folder %2, server %3, polling every %4 s)")
                  .arg(QStringLiteral(CAIRN_VERSION), m_state.dir(), m_control->serverUrl())
                  .arg(m_settings.pollSeconds));
    platform::notifyServiceManager("READY=1\nSTATUS=waiting for work");
    while (!m_stopping) {
        tick();
        waitForNextEvent();
    }
    m_lastWords = true;
    platform::notifyServiceManager("STOPPING=1");
    if (m_job) {
        log::info(QStringLiteral("stopping: job %1 is interrupted and runs again at the next start").arg(m_job->job.id));
        m_job->thread.join();
        finishJob();
    }
    flushOutbox();
    log::info(QStringLiteral("cairn-agent stopped"));
    return Status::success();
}

void AgentService::waitForNextEvent()
{
    Clock::time_point until = std::min({m_nextJobsPoll, m_nextConfigPoll, m_nextSchedule});
    if (m_outboxPending)
        until = std::min(until, m_nextOutbox);
    if (m_job)
        until = std::min(until, m_nextProgress);
    std::unique_lock<std::mutex> lock(m_waitMutex);
    m_wakeup.wait_until(lock, until, [this] { return m_woken || m_stopping.load(); });
    m_woken = false;
}

void AgentService::recordTrouble(const QString &what, const Error &error)
{
    if (m_stopping && error.code == ErrorCode::Cancelled)
        return; // a call the stop ended: no trouble with the server
    ++m_failures;
    if (m_reachable || m_failures == 1)
        log::warning(QStringLiteral("%1: %2").arg(what, error.message));
    else
        log::debug(QStringLiteral("%1: %2").arg(what, error.message));
    m_reachable = false;
    platform::notifyServiceManager("STATUS=the server cannot be reached; retrying");
    // Back off: poll interval doubling per failure, at most a minute, with jitter.
    const qint64 base = std::min<qint64>(qint64(m_settings.pollSeconds) * 1000 << std::min(m_failures, 6), 60000);
    const qint64 delay = base / 2 + QRandomGenerator::global()->bounded(base / 2 + 1);
    const Clock::time_point next = Clock::now() + std::chrono::milliseconds(delay);
    m_nextJobsPoll = std::max(m_nextJobsPoll, next);
    m_nextConfigPoll = std::max(m_nextConfigPoll, next);
    m_nextOutbox = std::max(m_nextOutbox, next);
    m_nextSchedule = std::max(m_nextSchedule, next);
}

void AgentService::recordContact()
{
    if (!m_reachable)
        log::info(QStringLiteral("the server is reachable again"));
    m_reachable = true;
    m_failures = 0;
}

void AgentService::tick()
{
    if (m_job && m_job->done)
        finishJob();
    const Clock::time_point now = Clock::now();
    if (m_outboxPending && now >= m_nextOutbox)
        flushOutbox();
    if (now >= m_nextConfigPoll)
        pollConfig();
    if (m_job && Clock::now() >= m_nextProgress)
        sendProgress();
    if (m_job || m_stopping)
        return;
    if (m_resume) {
        if (!m_config || !m_config->policy)
            return; // the policy comes with the next configuration poll
        if (startJob(*m_resume, m_resumeAttempt, m_resumeUploaded))
            m_resume.reset();
        return;
    }
    if (Clock::now() >= m_nextJobsPoll)
        pollJobs();
    if (!m_job && Clock::now() >= m_nextSchedule)
        checkSchedule();
}

void AgentService::pollConfig()
{
    m_nextConfigPoll = Clock::now() + std::chrono::seconds(m_settings.pollSeconds * kConfigEveryPolls);
    auto answer = m_control->getJson(QStringLiteral("/api/v1/agent/config"));
    if (!answer) {
        recordTrouble(QStringLiteral("cannot fetch the configuration"), answer.error());
        return;
    }
    recordContact();
    auto parsed = parseAgentConfig(*answer);
    if (!parsed) {
        log::error(parsed.error().message);
        return;
    }
    const bool policyChanged = !m_config || !m_config->policy != !parsed->policy
        || (parsed->policy && m_config->policy && parsed->policy->updatedAt != m_config->policy->updatedAt);
    m_config = *parsed;
    QJsonObject cached = *answer;
    cached.remove(QStringLiteral("repository"));
    if (Status s = m_state.write(kConfigFile, cached); !s.ok())
        log::warning(s.error().message);
    if (policyChanged) {
        if (m_config->policy)
            log::info(QStringLiteral("backup policy (updated %1): next scheduled run %2")
                          .arg(iso(m_config->policy->updatedAt),
                              iso(nextSlot(m_config->scheduleRule(), QDateTime::currentDateTimeUtc()))));
        else
            log::info(QStringLiteral("this server has no backup policy yet"));
        m_nextSchedule = Clock::now();
    }
}

void AgentService::pollJobs()
{
    m_nextJobsPoll = Clock::now() + std::chrono::seconds(m_settings.pollSeconds);
    auto answer = m_control->getJson(QStringLiteral("/api/v1/agent/jobs"));
    if (!answer) {
        recordTrouble(QStringLiteral("cannot fetch jobs"), answer.error());
        return;
    }
    recordContact();
    for (const QJsonValue &item : answer->value(QStringLiteral("items")).toArray()) {
        auto job = parseJob(item.toObject());
        if (!job) {
            log::error(job.error().message);
            const qint64 id = jobIdOf(item.toObject());
            if (id > 0) {
                JobOutcome o;
                o.state = QStringLiteral("failed");
                o.error = QStringLiteral("this agent cannot run the job: ") + job.error().message;
                if (m_state.enqueueResult(id, o.resultJson()).ok())
                    m_outboxPending = true;
            }
            continue;
        }
        if (job->kind == u"backup")
            pollConfig(); // the policy as it is now ("back up now" may follow an edit)
        startJob(*job, 1, 0);
        return;
    }
}

Result<JobView> AgentService::createScheduledJob(const QDateTime &slot)
{
    const QJsonObject body {{QStringLiteral("kind"), QStringLiteral("backup")},
        {QStringLiteral("trigger"), QStringLiteral("schedule")}, {QStringLiteral("scheduled_at"), iso(slot)}};
    auto answer = m_control->postJson(QStringLiteral("/api/v1/agent/jobs"), body);
    if (!answer)
        return answer.error();
    return parseJob(*answer);
}

void AgentService::checkSchedule()
{
    m_nextSchedule = Clock::now() + std::chrono::seconds(std::min(m_settings.pollSeconds, 30));
    if (!m_config || !m_config->policy)
        return;
    const ScheduleRule rule = m_config->scheduleRule();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime due = latestSlot(rule, now);
    // Slots before the policy existed, and slots already handled, do not count.
    if (!due.isValid() || (m_lastSlot.isValid() && due <= m_lastSlot)
        || (m_config->policy->updatedAt.isValid() && due <= m_config->policy->updatedAt))
        return;
    auto remember = [&](const QDateTime &slot) {
        m_lastSlot = slot;
        if (Status s = m_state.write(kScheduleFile, QJsonObject {{QStringLiteral("last_slot"), iso(slot)}}); !s.ok())
            log::warning(s.error().message);
    };
    if (due.secsTo(now) >= kMissedAfterSeconds) {
        log::warning(QStringLiteral("the scheduled backup of %1 was not started within 3 hours; it is recorded as missed")
                         .arg(iso(due)));
        remember(due);
        return;
    }
    auto job = createScheduledJob(due);
    if (!job) {
        if (job.error().code == ErrorCode::Transient) {
            recordTrouble(QStringLiteral("cannot register the scheduled backup of %1").arg(iso(due)), job.error());
            return;
        }
        log::error(QStringLiteral("the server refused the scheduled backup of %1: %2").arg(iso(due), job.error().message));
        remember(due);
        m_nextConfigPoll = Clock::now(); // the policy may have changed
        return;
    }
    recordContact();
    if (job->state != u"pending" && job->state != u"running") {
        log::info(QStringLiteral("the scheduled backup of %1 is already %2 (job %3)").arg(iso(due), job->state).arg(job->id));
        remember(due);
        return;
    }
    log::info(QStringLiteral("scheduled backup of %1: job %2").arg(iso(due)).arg(job->id));
    if (startJob(*job, 1, 0))
        remember(due);
}

Status AgentService::saveJobFile(const JobView &job, int attempt, qint64 uploaded)
{
    QJsonObject jobJson {{QStringLiteral("id"), job.id}, {QStringLiteral("kind"), job.kind},
        {QStringLiteral("state"), job.state}, {QStringLiteral("scheduled_at"), iso(job.scheduledAt)},
        {QStringLiteral("requested_by"), job.requestedBy}, {QStringLiteral("spec"), job.spec}};
    return m_state.write(kJobFile,
        QJsonObject {{QStringLiteral("job"), jobJson}, {QStringLiteral("attempt"), attempt},
            {QStringLiteral("uploaded"), uploaded}});
}

bool AgentService::startJob(const JobView &job, int attempt, qint64 uploadedBefore)
{
    auto lock = m_state.tryLock(QStringLiteral("job.lock"));
    if (!lock) {
        log::error(lock.error().message);
        return false;
    }
    if (!*lock) {
        log::debug(QStringLiteral("job %1 waits: another job is running on this machine").arg(job.id));
        return false;
    }
    auto running = std::make_unique<RunningJob>();
    running->job = job;
    running->attempt = attempt;
    running->uploadedBefore = uploadedBefore;
    running->uploadedSaved = uploadedBefore;
    running->lock = std::move(*lock);
    running->cancel = job.cancelRequested;
    if (Status s = saveJobFile(job, attempt, uploadedBefore); !s.ok()) {
        log::error(QStringLiteral("cannot record job %1 in the state folder: %2").arg(job.id).arg(s.error().message));
        return false;
    }
    std::optional<BackupPolicy> policy;
    if (job.kind == u"backup" && m_config)
        policy = m_config->policy;
    log::info(QStringLiteral("job %1 (%2) started%3").arg(job.id).arg(job.kind,
        attempt > 1 ? QStringLiteral(", attempt %1").arg(attempt) : QString()));
    platform::notifyServiceManager(QStringLiteral("STATUS=running job %1 (%2)").arg(job.id).arg(job.kind).toUtf8());
    RunningJob *r = running.get();
    JobContext ctx;
    ctx.stateDir = m_settings.stateDir;
    ctx.allowCommands = m_settings.allowCommands;
    ctx.cancelRequested = &r->cancel;
    ctx.stopping = &m_stopping;
    ctx.attempt = attempt;
    ctx.uploadedBefore = uploadedBefore;
    ctx.progress = [this, r](const QJsonObject &p) {
        {
            std::lock_guard<std::mutex> lock(r->progressMutex);
            r->progress = p;
        }
        if (m_display)
            m_display(p);
    };
    ctx.log = [](const QString &m) { log::warning(m); };
    r->thread = std::thread([this, r, ctx, policy] {
        if (r->job.kind == u"restore")
            r->outcome = runRestoreJob(r->job, ctx);
        else if (!policy) {
            r->outcome.state = QStringLiteral("failed");
            r->outcome.error = QStringLiteral("this server has no backup policy yet: set one in the console first");
        } else
            r->outcome = runBackupJob(r->job, *policy, ctx);
        r->done = true;
        wake();
    });
    m_job = std::move(running);
    m_nextProgress = Clock::now(); // the first report marks the job running at once
    return true;
}

void AgentService::sendProgress()
{
    RunningJob &r = *m_job;
    m_nextProgress = Clock::now() + m_progressInterval;
    QJsonObject progress;
    {
        std::lock_guard<std::mutex> lock(r.progressMutex);
        progress = r.progress;
    }
    progress.insert(QStringLiteral("attempt"), r.attempt);
    const qint64 uploaded = progress.value(QStringLiteral("bytes_uploaded")).toInteger();
    if (uploaded > r.uploadedSaved) {
        // Kept so that the result of a run interrupted by a crash counts every attempt's uploads.
        if (saveJobFile(r.job, r.attempt, uploaded).ok())
            r.uploadedSaved = uploaded;
    }
    auto reply = m_control->call("POST", QStringLiteral("/api/v1/agent/jobs/%1/progress").arg(r.job.id),
        QJsonDocument(QJsonObject {{QStringLiteral("progress"), progress}}).toJson(QJsonDocument::Compact),
        {{"Content-Type", "application/json"}});
    if (!reply) {
        log::debug(QStringLiteral("job %1: progress not sent: %2").arg(r.job.id).arg(reply.error().message));
        return;
    }
    recordContact();
    // 507: the server refused the backup at its start (its store is full) and failed the job.
    if (reply->status == 409 || reply->status == 404 || reply->status == 507) {
        if (!r.abandoned)
            log::warning(QStringLiteral("job %1: the server no longer expects it (%2); stopping it")
                             .arg(r.job.id)
                             .arg(ServerConnection::replyError(*reply, QStringLiteral("progress")).message));
        r.abandoned = true;
        r.cancel = true;
        return;
    }
    if (reply->status != 200)
        return;
    auto job = parseJob(QJsonDocument::fromJson(reply->body).object());
    if (job && job->cancelRequested && !r.cancel) {
        log::info(QStringLiteral("job %1: cancelled by the server's user; stopping").arg(r.job.id));
        r.cancel = true;
    }
}

void AgentService::finishJob()
{
    std::unique_ptr<RunningJob> r = std::move(m_job);
    if (r->thread.joinable())
        r->thread.join();
    const JobOutcome &o = r->outcome;
    if (o.interrupted)
        return; // service/job.json stays: the job runs again at the next start
    if (r->abandoned) {
        log::info(QStringLiteral("job %1 dropped").arg(r->job.id));
    } else {
        log::write(o.state == u"failed" ? LogLevel::Error : o.state == u"warning" ? LogLevel::Warning : LogLevel::Info,
            describeOutcome(r->job, o));
        if (Status s = m_state.enqueueResult(r->job.id, o.resultJson()); !s.ok()) {
            // Without the outbox the result would be lost with the next crash: keep job.json so
            // the job runs again rather than vanish.
            log::error(QStringLiteral("job %1: cannot queue the result: %2").arg(r->job.id).arg(s.error().message));
            return;
        }
        m_outboxPending = true;
        QJsonObject last = o.resultJson();
        last.insert(QStringLiteral("job"), r->job.id);
        last.insert(QStringLiteral("kind"), r->job.kind);
        last.insert(QStringLiteral("requested_by"), r->job.requestedBy);
        last.insert(QStringLiteral("finished_at"), iso(QDateTime::currentDateTimeUtc()));
        if (Status s = m_state.write(kLastRunFile, last); !s.ok())
            log::warning(s.error().message);
    }
    if (Status s = m_state.remove(kJobFile); !s.ok())
        log::warning(s.error().message);
    platform::notifyServiceManager("STATUS=waiting for work");
    m_nextOutbox = Clock::now();
    flushOutbox();
}

void AgentService::flushOutbox()
{
    QStringList problems;
    const QList<OutboxItem> items = m_state.queuedResults(&problems);
    for (const QString &p : problems)
        log::error(p);
    m_outboxPending = false;
    for (const OutboxItem &item : items) {
        auto reply = m_control->call("POST", QStringLiteral("/api/v1/agent/jobs/%1/result").arg(item.jobId),
            QJsonDocument(item.result).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}});
        if (!reply) {
            m_outboxPending = true;
            recordTrouble(QStringLiteral("cannot send the result of job %1 (kept to send later)").arg(item.jobId),
                reply.error());
            return;
        }
        recordContact();
        if (reply->status == 200 || reply->status == 201) {
            log::debug(QStringLiteral("job %1: result delivered").arg(item.jobId));
        } else if (reply->status == 409 || reply->status == 404 || reply->status == 400) {
            // The server will never take it (job finished otherwise, gone, or refused): keep
            // nothing that blocks the results behind it, but say so.
            log::warning(QStringLiteral("job %1: the server refused the result: %2")
                             .arg(item.jobId)
                             .arg(ServerConnection::replyError(*reply, QStringLiteral("result")).message));
        } else {
            m_outboxPending = true;
            recordTrouble(QStringLiteral("cannot send the result of job %1 (kept to send later)").arg(item.jobId),
                ServerConnection::replyError(*reply, QStringLiteral("result")));
            return;
        }
        if (Status s = m_state.dropResult(item.jobId); !s.ok())
            log::error(s.error().message);
    }
}

Result<JobOutcome> AgentService::runBackupNow(std::function<void(const QJsonObject &)> display)
{
    CAIRN_TRY(m_state.ensure());
    auto probe = m_state.tryLock(QStringLiteral("job.lock"));
    if (!probe)
        return probe.error();
    if (!*probe)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a backup or restore is already running on this machine"));
    probe->reset(); // startJob takes it again below (if the service starts a job in between,
                    // startJob fails and says so)
    CAIRN_TRY(prepare());
    pollConfig();
    if (!m_config)
        return Error(ErrorCode::Transient, QStringLiteral("cannot reach the server at %1").arg(m_control->serverUrl()));
    if (!m_config->policy)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("this server has no backup policy yet: set one in the console first"));
    m_display = std::move(display);
    bool started = false;
    if (m_resume) {
        // An interrupted backup is finished first: it is this machine's pending backup anyway.
        log::info(QStringLiteral("finishing the interrupted backup job %1 first").arg(m_resume->id));
        started = startJob(*m_resume, m_resumeAttempt, m_resumeUploaded);
    } else {
        auto answer = m_control->postJson(QStringLiteral("/api/v1/agent/jobs"),
            QJsonObject {{QStringLiteral("kind"), QStringLiteral("backup")}, {QStringLiteral("trigger"), QStringLiteral("agent")}});
        if (!answer)
            return answer.error().wrapped(QStringLiteral("registering the backup with the server"));
        auto job = parseJob(*answer);
        if (!job)
            return job.error();
        started = startJob(*job, 1, 0);
    }
    if (!started)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a backup or restore is already running on this machine"));
    const JobView running = m_job->job;
    while (!m_job->done && !m_stopping) {
        if (Clock::now() >= m_nextProgress)
            sendProgress();
        std::unique_lock<std::mutex> lock(m_waitMutex);
        m_wakeup.wait_until(lock, m_nextProgress, [this] { return m_woken || m_stopping.load(); });
        m_woken = false;
    }
    m_lastWords = true;
    m_job->thread.join(); // when stopping, the engine notices within a moment
    JobOutcome outcome = m_job->outcome;
    finishJob();
    if (outcome.interrupted)
        return Error(ErrorCode::Cancelled,
            QStringLiteral("interrupted; the service runs job %1 again when it starts").arg(running.id));
    return outcome;
}

} // namespace cairn
