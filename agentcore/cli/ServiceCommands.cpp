#include "cli/ServiceCommands.h"

#include "cli/Terminal.h"
#include "platform/Platform.h"
#include "remote/HttpClient.h"
#include "schedule/Schedule.h"
#include "service/AgentService.h"
#include "service/Log.h"
#include "service/Protocol.h"
#include "service/RemoteRepository.h"
#include "service/StateFolder.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <atomic>
#include <csignal>

namespace cairn::cli {

namespace {

const QStringList kCommonOptions {QStringLiteral("config"), QStringLiteral("state")};

// The service a stop signal goes to (the signal thread outlives the command).
std::atomic<AgentService *> g_service {nullptr};

Status installServiceStopHandler(AgentService &service, bool logSignal)
{
    g_service = &service;
    return platform::installStopHandler([logSignal](int signalNumber) {
        if (logSignal)
            log::info(QStringLiteral("signal %1: stopping").arg(signalNumber));
        if (AgentService *s = g_service.load())
            s->stop();
    });
}

QString when(const QDateTime &t, const QByteArray &zone)
{
    if (!t.isValid())
        return QStringLiteral("-");
    const QTimeZone tz(zone);
    const QDateTime local = tz.isValid() ? t.toTimeZone(tz) : t.toUTC();
    return QStringLiteral("%1 %2").arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm")),
        tz.isValid() ? QString::fromUtf8(zone) : QStringLiteral("UTC"));
}

QString describePolicy(const BackupPolicy &p)
{
    static const char *const days[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    QStringList paths;
    for (const QByteArray &path : p.paths)
        paths << showPath(path);
    const QString interval = p.intervalDays == 7
        ? QStringLiteral("weekly on %1").arg(QLatin1String(days[std::clamp(p.weekday, 1, 7)]))
        : QStringLiteral("daily");
    return QStringLiteral("%1 at %2:00, keep %3 days, paths %4")
        .arg(interval)
        .arg(p.hour, 2, 10, QLatin1Char('0'))
        .arg(p.retentionDays)
        .arg(paths.join(QStringLiteral(", ")));
}

} // namespace

Result<AgentSettings> commandSettings(const Args &a)
{
    const bool explicitConfig = a.values.contains(QStringLiteral("config"));
    const QString path = explicitConfig ? a.value(QStringLiteral("config")) : platform::defaultConfigPath();
    auto settings = AgentSettings::load(path, explicitConfig);
    if (!settings)
        return settings.error();
    if (a.values.contains(QStringLiteral("state")))
        settings->stateDir = QString::fromLocal8Bit(absolutePath(a.value(QStringLiteral("state"))));
    return settings;
}

QString serviceUsage()
{
    return QStringLiteral("Usage:\n"
                          "  cairn-agent run      [--config FILE] [--state DIR]\n"
                          "  cairn-agent status   [--config FILE] [--state DIR] [--json]\n"
                          "  cairn-agent backup --now [--config FILE] [--state DIR]\n"
                          "\n"
                          "run      the agent service (systemd starts it as cairn-agent.service): asks the server for\n"
                          "         work, runs scheduled backups at the policy's hour, \"back up now\" and restore\n"
                          "         jobs, reports progress and results. Stops on SIGTERM; an interrupted backup\n"
                          "         continues at the next start without uploading again what the server holds.\n"
                          "status   whether this machine is enrolled, the service is running and the server is\n"
                          "         reachable; the policy, the next scheduled run, the running and the last job.\n"
                          "backup --now\n"
                          "         backs up now by the server's policy for this machine, in the foreground, and\n"
                          "         records the run in the server's history.\n"
                          "\n"
                          "FILE defaults to /etc/cairn/agent.conf (used if it exists); DIR to the file's\n"
                          "agent/state_dir, else /var/lib/cairn.\n");
}

int runService(const QStringList &args)
{
    if (wantsHelp(args)) {
        out(serviceUsage());
        return ExitOk;
    }
    const Args a = Args::parse(args, kCommonOptions, {});
    if (!a.error.isEmpty())
        return usageError(a.error, "run");
    if (!a.positional.isEmpty())
        return usageError(QStringLiteral("unexpected argument '%1'").arg(a.positional.first()), "run");
    auto settings = commandSettings(a);
    if (!settings)
        return failure(settings.error());
    log::setup();
    log::setLevel(settings->logLevel);
    if (settings->lowPriority) {
        if (Status s = platform::lowerPriority(); !s.ok())
            log::warning(QStringLiteral("cannot lower the priority: %1").arg(s.error().message));
    }
    AgentService service(*settings);
    const Status handler = installServiceStopHandler(service, true);
    if (!handler.ok()) {
        log::error(handler.error().message);
        return ExitFailure;
    }
    const Status s = service.run();
    g_service = nullptr;
    if (!s.ok()) {
        log::error(s.error().message);
        return ExitFailure;
    }
    return ExitOk;
}

int runBackupNow(const QStringList &args)
{
    if (wantsHelp(args)) {
        out(serviceUsage());
        return ExitOk;
    }
    const Args a = Args::parse(args, kCommonOptions, {QStringLiteral("now")});
    if (!a.error.isEmpty())
        return usageError(a.error, "backup");
    if (!a.has(QStringLiteral("now")) || !a.positional.isEmpty())
        return usageError(QStringLiteral("use 'cairn-agent backup --now' (the policy's paths are backed up; for other "
                                         "paths use 'cairn-agent remote backup PATH...')"),
            "backup");
    auto settings = commandSettings(a);
    if (!settings)
        return failure(settings.error());
    log::setup();
    log::setLevel(settings->logLevel);
    AgentService service(*settings);
    const Status handler = installServiceStopHandler(service, false);
    if (!handler.ok())
        return failure(handler.error());
    ProgressLine line;
    auto outcome = service.runBackupNow([&line](const QJsonObject &p) {
        const QString phase = p.value(QStringLiteral("phase")).toString();
        if (phase != u"backup") {
            line.update(phase == u"index" ? QStringLiteral("updating the index cache")
                                          : QStringLiteral("running the %1").arg(QString(phase).replace(u'_', u'-')));
            return;
        }
        line.update(QStringLiteral("[%1] %2 files, %3 scanned, %4 new, %5 uploaded, %6/s")
                        .arg(formatDuration(p.value(QStringLiteral("seconds")).toDouble()))
                        .arg(p.value(QStringLiteral("files")).toInteger())
                        .arg(formatBytes(p.value(QStringLiteral("bytes")).toDouble()),
                            formatBytes(p.value(QStringLiteral("bytes_new")).toDouble()),
                            formatBytes(p.value(QStringLiteral("bytes_uploaded")).toDouble()),
                            formatBytes(p.value(QStringLiteral("rate")).toDouble())));
    });
    g_service = nullptr;
    line.clear();
    if (!outcome)
        return failure(outcome.error());
    const QJsonObject &s = outcome->stats;
    out(QStringLiteral("backup %1%2").arg(outcome->state,
        outcome->snapshot.isEmpty() ? QString() : QStringLiteral(": snapshot %1").arg(outcome->snapshot)));
    if (s.contains(QStringLiteral("files")))
        out(QStringLiteral("files: %1 (new %2, changed %3, unchanged %4); scanned %5, read %6, new %7, uploaded %8 in %9")
                .arg(s.value(QStringLiteral("files")).toInteger())
                .arg(s.value(QStringLiteral("files_new")).toInteger())
                .arg(s.value(QStringLiteral("files_changed")).toInteger())
                .arg(s.value(QStringLiteral("files_unchanged")).toInteger())
                .arg(formatBytes(s.value(QStringLiteral("bytes_scanned")).toDouble()),
                    formatBytes(s.value(QStringLiteral("bytes_read")).toDouble()),
                    formatBytes(s.value(QStringLiteral("bytes_new")).toDouble()),
                    formatBytes(s.value(QStringLiteral("bytes_uploaded")).toDouble()),
                    formatDuration(s.value(QStringLiteral("seconds")).toDouble())));
    if (!outcome->error.isEmpty())
        err(QStringLiteral("%1: %2").arg(outcome->state == u"failed" ? QStringLiteral("error") : QStringLiteral("warning"),
            outcome->error));
    if (outcome->state == u"succeeded")
        return ExitOk;
    return outcome->state == u"warning" ? ExitPartial : ExitFailure;
}

int runStatus(const QStringList &args)
{
    if (wantsHelp(args)) {
        out(serviceUsage());
        return ExitOk;
    }
    const Args a = Args::parse(args, kCommonOptions, {QStringLiteral("json")});
    if (!a.error.isEmpty())
        return usageError(a.error, "status");
    auto settings = commandSettings(a);
    if (!settings)
        return failure(settings.error());
    const StateFolder state(settings->stateDir);
    QJsonObject st {{QStringLiteral("state_dir"), settings->stateDir}};
    auto credentials = loadCredentials(settings->stateDir);
    st.insert(QStringLiteral("enrolled"), bool(credentials));
    st.insert(QStringLiteral("service_running"), state.isLocked(QStringLiteral("service.lock")));
    st.insert(QStringLiteral("job_running"), state.isLocked(QStringLiteral("job.lock")));
    std::optional<AgentConfigView> config;
    if (credentials) {
        st.insert(QStringLiteral("server"), credentials->serverUrl);
        st.insert(QStringLiteral("agent"), credentials->agentId);
        st.insert(QStringLiteral("tenant"), credentials->tenantId);
        // One quick, pinned request: is the server there?
        HttpClientOptions o;
        o.baseUrl = credentials->serverUrl;
        o.caPem = credentials->caPem;
        o.connectTimeoutMs = 5000;
        o.stallSeconds = 5;
        credentials->wipe();
        HttpClient client(o);
        auto health = client.request("GET", QStringLiteral("/api/v1/health"));
        st.insert(QStringLiteral("server_reachable"), health && health->status == 200);
        if (!health)
            st.insert(QStringLiteral("server_error"), health.error().message);
        else if (health->status != 200)
            st.insert(QStringLiteral("server_error"), QStringLiteral("HTTP %1").arg(health->status));
    }
    if (auto cached = state.read(QStringLiteral("config.json")); cached && *cached) {
        if (auto parsed = parseAgentConfig(**cached))
            config = *parsed;
    }
    QDateTime lastSlot;
    if (auto schedule = state.read(QStringLiteral("schedule.json")); schedule && *schedule)
        lastSlot = QDateTime::fromString((*schedule)->value(QStringLiteral("last_slot")).toString(), Qt::ISODateWithMs);
    if (config && config->policy) {
        QDateTime from = QDateTime::currentDateTimeUtc();
        const QDateTime next = nextSlot(config->scheduleRule(), lastSlot.isValid() && lastSlot > from ? lastSlot : from);
        st.insert(QStringLiteral("policy"), describePolicy(*config->policy));
        st.insert(QStringLiteral("time_zone"), QString::fromUtf8(config->timeZone));
        st.insert(QStringLiteral("next_run"), next.toString(Qt::ISODateWithMs));
    }
    if (auto job = state.read(QStringLiteral("job.json")); job && *job)
        st.insert(QStringLiteral("current_job"), **job);
    if (auto last = state.read(QStringLiteral("last-run.json")); last && *last)
        st.insert(QStringLiteral("last_run"), **last);
    st.insert(QStringLiteral("results_waiting"), state.queuedResults().size());

    if (a.has(QStringLiteral("json"))) {
        out(QString::fromUtf8(QJsonDocument(st).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        if (!credentials) {
            out(QStringLiteral("enrolled:      no (%1)").arg(credentials.error().message));
        } else {
            out(QStringLiteral("enrolled:      yes: agent %1 of tenant %2 at %3")
                    .arg(st.value(QStringLiteral("agent")).toInteger())
                    .arg(st.value(QStringLiteral("tenant")).toInteger())
                    .arg(st.value(QStringLiteral("server")).toString()));
            out(QStringLiteral("server:        %1").arg(st.value(QStringLiteral("server_reachable")).toBool()
                    ? QStringLiteral("reachable")
                    : QStringLiteral("not reachable: ") + st.value(QStringLiteral("server_error")).toString()));
        }
        out(QStringLiteral("service:       %1").arg(st.value(QStringLiteral("service_running")).toBool()
                ? QStringLiteral("running")
                : QStringLiteral("not running")));
        if (config && config->policy) {
            out(QStringLiteral("policy:        %1 (%2)").arg(st.value(QStringLiteral("policy")).toString(),
                QString::fromUtf8(config->timeZone)));
            out(QStringLiteral("next run:      %1").arg(when(
                QDateTime::fromString(st.value(QStringLiteral("next_run")).toString(), Qt::ISODateWithMs), config->timeZone)));
        } else {
            out(QStringLiteral("policy:        none yet"));
        }
        if (st.contains(QStringLiteral("current_job"))) {
            const QJsonObject j = st.value(QStringLiteral("current_job")).toObject();
            const QJsonObject job = j.value(QStringLiteral("job")).toObject();
            out(QStringLiteral("running:       job %1 (%2), attempt %3")
                    .arg(job.value(QStringLiteral("id")).toInteger())
                    .arg(job.value(QStringLiteral("kind")).toString())
                    .arg(j.value(QStringLiteral("attempt")).toInt(1)));
        }
        if (st.contains(QStringLiteral("last_run"))) {
            const QJsonObject l = st.value(QStringLiteral("last_run")).toObject();
            out(QStringLiteral("last run:      job %1 (%2) %3 at %4%5")
                    .arg(l.value(QStringLiteral("job")).toInteger())
                    .arg(l.value(QStringLiteral("kind")).toString(), l.value(QStringLiteral("state")).toString())
                    .arg(when(QDateTime::fromString(l.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs),
                        config ? config->timeZone : QByteArray()))
                    .arg(l.value(QStringLiteral("error")).toString().isEmpty()
                            ? QString()
                            : QStringLiteral(": ") + l.value(QStringLiteral("error")).toString()));
        } else {
            out(QStringLiteral("last run:      none yet"));
        }
        const int waiting = st.value(QStringLiteral("results_waiting")).toInt();
        if (waiting)
            out(QStringLiteral("results:       %1 waiting to be sent to the server").arg(waiting));
    }
    if (!credentials)
        return ExitFailure;
    return ExitOk;
}

} // namespace cairn::cli
