#include "service/Protocol.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace cairn {

namespace {

constexpr int kMaxCommandBytes = 4000;
constexpr qint64 kMaxJobId = std::numeric_limits<qint64>::max() / 2; // 2^62 - 1

Error bad(const QString &what, const QString &field, const QString &expected)
{
    return Error(ErrorCode::Corrupt, QStringLiteral("the server sent an unusable %1: %2 %3").arg(what, field, expected));
}

bool isAbsolutePath(const QByteArray &p)
{
    return p.startsWith('/') && !p.contains('\0');
}

// Fields that may be absent get their default; a present field of the wrong type is an error.
struct Reader {
    const QJsonObject &o;
    QString what;
    std::optional<Error> error;

    QJsonValue get(const char *name) const { return o.value(QLatin1String(name)); }
    void fail(const char *field, const QString &expected)
    {
        if (!error)
            error = bad(what, QLatin1String(field), expected);
    }
    int integer(const char *name, int fallback, int min, int max)
    {
        const QJsonValue v = get(name);
        if (v.isUndefined() || v.isNull())
            return fallback;
        const double d = v.toDouble(-1e18);
        // The range first: converting a double outside qint64's range is undefined behaviour.
        if (!v.isDouble() || !(d >= min && d <= max) || d != double(qint64(d))) {
            fail(name, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return int(d);
    }
    qint64 integer64(const char *name, qint64 fallback, qint64 min, qint64 max)
    {
        const QJsonValue v = get(name);
        if (v.isUndefined() || v.isNull())
            return fallback;
        const double d = v.toDouble(-1e18);
        // In qint64's range first (converting outside it is undefined), then the bounds exactly:
        // double(max) may round up past max.
        if (!v.isDouble() || !(std::fabs(d) < 9.0e18) || d != double(qint64(d)) || qint64(d) < min
            || qint64(d) > max) {
            fail(name, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return fallback;
        }
        return qint64(d);
    }
    bool boolean(const char *name, bool fallback)
    {
        const QJsonValue v = get(name);
        if (v.isUndefined() || v.isNull())
            return fallback;
        if (!v.isBool()) {
            fail(name, QStringLiteral("must be true or false"));
            return fallback;
        }
        return v.toBool();
    }
    QString string(const char *name, int maxBytes)
    {
        const QJsonValue v = get(name);
        if (v.isUndefined() || v.isNull())
            return QString();
        if (!v.isString() || v.toString().toUtf8().size() > maxBytes || v.toString().contains(QChar(0))) {
            fail(name, QStringLiteral("must be a string of at most %1 bytes").arg(maxBytes));
            return QString();
        }
        return v.toString();
    }
    QDateTime time(const char *name)
    {
        const QJsonValue v = get(name);
        if (v.isUndefined() || v.isNull())
            return QDateTime();
        const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        if (!v.isString() || !t.isValid()) {
            fail(name, QStringLiteral("must be an ISO 8601 time"));
            return QDateTime();
        }
        return t.toUTC();
    }
    // Absolute paths as strings, or (field `b64Name`) base64 byte strings.
    QList<QByteArray> paths(const char *name, const char *b64Name, int maxCount)
    {
        QList<QByteArray> out;
        for (const char *field : {name, b64Name}) {
            if (!field)
                continue;
            const QJsonValue v = get(field);
            if (v.isUndefined() || v.isNull())
                continue;
            if (!v.isArray() || v.toArray().size() > maxCount) {
                fail(field, QStringLiteral("must be a list of at most %1 absolute paths").arg(maxCount));
                return {};
            }
            for (const QJsonValue &item : v.toArray()) {
                QByteArray p;
                if (field == b64Name) {
                    auto decoded = QByteArray::fromBase64Encoding(item.toString().toLatin1(),
                        QByteArray::AbortOnBase64DecodingErrors);
                    if (item.isString() && decoded)
                        p = *decoded;
                } else if (item.isString()) {
                    p = item.toString().toUtf8();
                }
                if (!isAbsolutePath(p)) {
                    fail(field, QStringLiteral("must hold absolute paths"));
                    return {};
                }
                out << p;
            }
        }
        return out;
    }
};

Result<BackupPolicy> parsePolicy(const QJsonObject &o)
{
    Reader r {o, QStringLiteral("policy"), std::nullopt};
    BackupPolicy p;
    p.paths = r.paths("paths", nullptr, 1000);
    if (!r.error && p.paths.isEmpty())
        r.fail("paths", QStringLiteral("must name at least one path"));
    const QJsonValue excludes = o.value(QStringLiteral("excludes"));
    if (excludes.isArray()) {
        for (const QJsonValue &e : excludes.toArray()) {
            if (!e.isString())
                r.fail("excludes", QStringLiteral("must be a list of strings"));
            p.excludes << e.toString();
        }
    } else if (!excludes.isUndefined() && !excludes.isNull()) {
        r.fail("excludes", QStringLiteral("must be a list of strings"));
    }
    p.oneFileSystem = r.boolean("one_file_system", true);
    p.intervalDays = r.integer("interval_days", 1, 1, 7);
    if (p.intervalDays != 1 && p.intervalDays != 7)
        r.fail("interval_days", QStringLiteral("must be 1 or 7"));
    p.weekday = r.integer("weekday", 1, 1, 7);
    p.hour = r.integer("hour", 2, 0, 23);
    p.retentionDays = r.integer("retention_days", 30, 1, 3650);
    p.preCommand = r.string("pre_command", kMaxCommandBytes).toUtf8();
    p.postCommand = r.string("post_command", kMaxCommandBytes).toUtf8();
    p.commandTimeoutSeconds = r.integer("command_timeout_seconds", 3600, 1, 86400);
    const QString onFailure = r.string("on_pre_command_failure", 32);
    if (!onFailure.isEmpty() && onFailure != u"fail" && onFailure != u"continue")
        r.fail("on_pre_command_failure", QStringLiteral("must be fail or continue"));
    p.continueOnPreCommandFailure = onFailure == u"continue";
    p.bandwidthLimitKib = r.integer64("bandwidth_limit_kib", 0, 0, 10000000);
    p.updatedAt = r.time("updated_at");
    if (r.error)
        return *r.error;
    return p;
}

} // namespace

ScheduleRule AgentConfigView::scheduleRule() const
{
    ScheduleRule rule;
    if (policy) {
        rule.intervalDays = policy->intervalDays;
        rule.weekday = policy->weekday;
        rule.hour = policy->hour;
    }
    rule.timeZone = timeZone;
    rule.offsetSeconds = offsetSeconds;
    return rule;
}

Result<AgentConfigView> parseAgentConfig(const QJsonObject &answer)
{
    AgentConfigView v;
    const QJsonObject agent = answer.value(QStringLiteral("agent")).toObject();
    v.agentId = agent.value(QStringLiteral("id")).toInteger(); // 0 unless a whole number in range
    v.agentName = agent.value(QStringLiteral("name")).toString();
    if (v.agentId <= 0)
        return bad(QStringLiteral("configuration"), QStringLiteral("agent.id"), QStringLiteral("is missing"));
    const QJsonObject tenant = answer.value(QStringLiteral("tenant")).toObject();
    v.timeZone = tenant.value(QStringLiteral("time_zone")).toString().toUtf8();
    const QJsonValue policy = answer.value(QStringLiteral("policy"));
    if (policy.isObject()) {
        auto p = parsePolicy(policy.toObject());
        if (!p)
            return p.error();
        v.policy = *p;
    } else if (!policy.isNull() && !policy.isUndefined()) {
        return bad(QStringLiteral("configuration"), QStringLiteral("policy"), QStringLiteral("must be an object or null"));
    }
    const QJsonObject schedule = answer.value(QStringLiteral("schedule")).toObject();
    Reader r {schedule, QStringLiteral("schedule"), std::nullopt};
    v.offsetSeconds = r.integer("offset_seconds", 0, 0, 3599);
    v.nextRun = r.time("next_run");
    if (r.error)
        return *r.error;
    return v;
}

qint64 jobIdOf(const QJsonObject &job)
{
    const qint64 id = job.value(QStringLiteral("id")).toInteger(); // 0 unless a whole number in range
    return id > 0 && id <= kMaxJobId ? id : 0;
}

Result<JobView> parseJob(const QJsonObject &job)
{
    Reader r {job, QStringLiteral("job"), std::nullopt};
    JobView v;
    v.id = r.integer64("id", 0, 1, kMaxJobId);
    v.kind = r.string("kind", 32);
    v.state = r.string("state", 32);
    v.scheduledAt = r.time("scheduled_at");
    v.requestedBy = r.string("requested_by", 200);
    v.cancelRequested = r.boolean("cancel_requested", false);
    const QJsonValue spec = job.value(QStringLiteral("spec"));
    if (spec.isObject())
        v.spec = spec.toObject();
    if (r.error)
        return *r.error;
    if (v.id <= 0)
        return bad(QStringLiteral("job"), QStringLiteral("id"), QStringLiteral("is missing"));
    if (v.kind != u"backup" && v.kind != u"restore")
        return bad(QStringLiteral("job"), QStringLiteral("kind"), QStringLiteral("must be backup or restore"));
    return v;
}

std::optional<ExistingPolicy> existingPolicyFromName(const QString &name)
{
    if (name == u"skip")
        return ExistingPolicy::Skip;
    if (name == u"overwrite")
        return ExistingPolicy::Overwrite;
    if (name == u"keep-both")
        return ExistingPolicy::KeepBoth;
    return std::nullopt;
}

Result<RestoreSpec> parseRestoreSpec(const QJsonObject &spec)
{
    Reader r {spec, QStringLiteral("restore job"), std::nullopt};
    RestoreSpec s;
    s.snapshot = r.string("snapshot", 64);
    if (!r.error && !SnapshotId::fromHex(s.snapshot)) // fromHex alone would skip non-hex characters
        r.fail("snapshot", QStringLiteral("must be a 64-digit snapshot id"));
    s.paths = r.paths("paths", "paths_b64", 1000);
    const QString target = r.string("target", 4096);
    s.target = target.isEmpty() ? QByteArray("/") : target.toUtf8();
    if (!isAbsolutePath(s.target))
        r.fail("target", QStringLiteral("must be empty (original location) or an absolute path"));
    const QString existing = r.string("existing", 32);
    if (!existing.isEmpty()) {
        const auto e = existingPolicyFromName(existing);
        if (!e)
            r.fail("existing", QStringLiteral("must be skip, overwrite or keep-both"));
        else
            s.existing = *e;
    }
    if (r.error)
        return *r.error;
    return s;
}

} // namespace cairn
