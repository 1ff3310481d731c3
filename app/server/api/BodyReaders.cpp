#include "api/BodyReaders.h"

#include "api/Api.h"

#include "base/Id.h"

namespace cairn::server {

Policy readPolicy(JsonInput &in)
{
    using P = JsonInput::Presence;
    Policy p;
    const auto paths = in.stringList(QStringLiteral("paths"), P::Required, 100, 4096);
    const auto excludes = in.stringList(QStringLiteral("excludes"), P::Optional, 200, 1024);
    const auto oneFs = in.boolean(QStringLiteral("one_file_system"), P::Optional);
    const auto interval = in.integer(QStringLiteral("interval_days"), P::Required, 1, 7);
    const auto weekday = in.integer(QStringLiteral("weekday"), P::Optional, 1, 7);
    const auto hour = in.integer(QStringLiteral("hour"), P::Required, 0, 23);
    const auto retention = in.integer(QStringLiteral("retention_days"), P::Required, 7, 30);
    const auto preCommand = in.string(QStringLiteral("pre_command"), P::Optional, kPolicyCommandMaxBytes);
    const auto postCommand = in.string(QStringLiteral("post_command"), P::Optional, kPolicyCommandMaxBytes);
    const auto commandTimeout = in.integer(QStringLiteral("command_timeout_seconds"), P::Optional, 1, 86400);
    const auto onPreFailure = in.string(QStringLiteral("on_pre_command_failure"), P::Optional, 16);
    const auto bandwidth = in.integer(QStringLiteral("bandwidth_limit_kib"), P::Optional, 0, kBandwidthMaxKib);
    if (paths) {
        if (paths->isEmpty())
            in.fail(QStringLiteral("paths"), QStringLiteral("must name at least one path"));
        for (const QString &path : *paths) {
            if (!isAbsolutePath(path) || path.contains(QChar(0)))
                in.fail(QStringLiteral("paths"), QStringLiteral("\"%1\" is not an absolute path").arg(path));
            p.paths.append(path.toUtf8());
        }
    }
    if (interval && *interval != 1 && *interval != 7)
        in.fail(QStringLiteral("interval_days"), QStringLiteral("must be 1 (daily) or 7 (weekly), not %1").arg(*interval));
    if (retention && *retention != 7 && *retention != 14 && *retention != 21 && *retention != 30)
        in.fail(QStringLiteral("retention_days"), QStringLiteral("must be 7, 14, 21 or 30, not %1").arg(*retention));
    if (interval && *interval == 7 && !weekday)
        in.fail(QStringLiteral("weekday"), QStringLiteral("is required for a weekly policy (1 = Monday … 7 = Sunday)"));
    for (const auto &[field, command] : {std::make_pair(QStringLiteral("pre_command"), preCommand),
                                         std::make_pair(QStringLiteral("post_command"), postCommand)}) {
        if (command && command->toUtf8().size() > kPolicyCommandMaxBytes)
            in.fail(field, QStringLiteral("must be at most %1 bytes of UTF-8").arg(kPolicyCommandMaxBytes));
        if (command && command->contains(QChar(0)))
            in.fail(field, QStringLiteral("must not contain a NUL character"));
    }
    if (onPreFailure && *onPreFailure != QLatin1String("fail") && *onPreFailure != QLatin1String("continue"))
        in.fail(QStringLiteral("on_pre_command_failure"), QStringLiteral("must be \"fail\" or \"continue\""));
    if (bandwidth && *bandwidth != 0 && *bandwidth < kBandwidthMinKib)
        in.fail(QStringLiteral("bandwidth_limit_kib"),
                QStringLiteral("must be 0 (unlimited) or %1 to %2 KiB/s, not %3")
                    .arg(kBandwidthMinKib)
                    .arg(kBandwidthMaxKib)
                    .arg(*bandwidth));
    p.excludes = excludes.value_or(QStringList());
    p.oneFileSystem = oneFs.value_or(true);
    p.intervalDays = int(interval.value_or(1));
    p.weekday = int(weekday.value_or(1));
    p.hour = int(hour.value_or(2));
    p.retentionDays = int(retention.value_or(30));
    p.preCommand = preCommand.value_or(QString());
    p.postCommand = postCommand.value_or(QString());
    p.commandTimeoutSeconds = int(commandTimeout.value_or(3600));
    p.continueOnPreFailure = onPreFailure.value_or(QString()) == QLatin1String("continue");
    p.bandwidthLimitKib = bandwidth.value_or(0);
    return p;
}

JobResultInput readJobResult(JsonInput &in)
{
    using P = JsonInput::Presence;
    JobResultInput r;
    const auto state = in.string(QStringLiteral("state"), P::Required, 32);
    r.stats = in.object(QStringLiteral("stats"), P::Optional);
    r.snapshot = in.string(QStringLiteral("snapshot"), P::Optional, 64);
    r.error = in.string(QStringLiteral("error"), P::Optional, 4000);
    if (state) {
        const auto js = jobStateFromName(*state);
        if (!js
            || (*js != JobState::Succeeded && *js != JobState::Warning && *js != JobState::Failed
                && *js != JobState::Cancelled))
            in.fail(QStringLiteral("state"), QStringLiteral("must be succeeded, warning, failed or cancelled"));
        else
            r.state = *js;
    }
    if (r.snapshot && !SnapshotId::fromHex(*r.snapshot))
        in.fail(QStringLiteral("snapshot"), QStringLiteral("must be a 64-digit lower-case hex snapshot id"));
    return r;
}

} // namespace cairn::server
