#include "api/JsonViews.h"

#include "api/Api.h"

#include <QJsonArray>
#include <QStringDecoder>

namespace cairn::server {

void putBytes(QJsonObject &o, const QString &key, const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (!decoder.hasError() && !bytes.contains('\0'))
        o.insert(key, text);
    else
        o.insert(key + QStringLiteral("_b64"), QString::fromLatin1(bytes.toBase64()));
}

QJsonObject tenantJson(const Tenant &t)
{
    return QJsonObject{{QStringLiteral("id"), t.id},
                       {QStringLiteral("name"), t.name},
                       {QStringLiteral("time_zone"), t.timeZone},
                       {QStringLiteral("language"), t.language},
                       {QStringLiteral("report_recipients"), QJsonArray::fromStringList(t.reportRecipients)},
                       {QStringLiteral("report_time"), t.reportTime},
                       {QStringLiteral("recipient_languages"), t.recipientLanguages},
                       {QStringLiteral("activated_at"), isoTime(t.activatedAt)},
                       {QStringLiteral("created_at"), isoTime(t.createdAt)}};
}

QJsonObject userJson(const User &u)
{
    return QJsonObject{{QStringLiteral("id"), u.id},
                       {QStringLiteral("tenant"), u.tenantId ? QJsonValue(*u.tenantId) : QJsonValue()},
                       {QStringLiteral("login"), u.login},
                       {QStringLiteral("display_name"), u.displayName},
                       {QStringLiteral("email"), u.email},
                       {QStringLiteral("role"), QLatin1String(roleName(u.role))},
                       {QStringLiteral("disabled"), u.disabled}};
}

QJsonObject agentJson(const Agent &a)
{
    return QJsonObject{{QStringLiteral("id"), a.id},
                       {QStringLiteral("tenant"), a.tenantId},
                       {QStringLiteral("name"), a.name},
                       {QStringLiteral("hostname"), a.hostname},
                       {QStringLiteral("os"), a.os},
                       {QStringLiteral("kernel"), a.kernel},
                       {QStringLiteral("architecture"), a.architecture},
                       {QStringLiteral("version"), a.version},
                       {QStringLiteral("enrolled_at"), isoTime(a.enrolledAt)},
                       {QStringLiteral("last_seen"), isoTime(a.lastSeen)}};
}

QJsonObject policyJson(const Policy &p)
{
    QJsonArray paths;
    for (const QByteArray &path : p.paths)
        paths.append(QString::fromUtf8(path));
    return QJsonObject{{QStringLiteral("paths"), paths},
                       {QStringLiteral("excludes"), QJsonArray::fromStringList(p.excludes)},
                       {QStringLiteral("one_file_system"), p.oneFileSystem},
                       {QStringLiteral("interval_days"), p.intervalDays},
                       {QStringLiteral("weekday"), p.weekday},
                       {QStringLiteral("hour"), p.hour},
                       {QStringLiteral("retention_days"), p.retentionDays},
                       {QStringLiteral("pre_command"), p.preCommand},
                       {QStringLiteral("post_command"), p.postCommand},
                       {QStringLiteral("command_timeout_seconds"), p.commandTimeoutSeconds},
                       {QStringLiteral("on_pre_command_failure"),
                        p.continueOnPreFailure ? QStringLiteral("continue") : QStringLiteral("fail")},
                       {QStringLiteral("bandwidth_limit_kib"), p.bandwidthLimitKib},
                       {QStringLiteral("updated_at"), isoTime(p.updatedAt)}};
}

QJsonObject jobJson(const Job &j)
{
    return QJsonObject{{QStringLiteral("id"), j.id},
                       {QStringLiteral("tenant"), j.tenantId},
                       {QStringLiteral("server"), j.agentId},
                       {QStringLiteral("kind"), QLatin1String(jobKindName(j.kind))},
                       {QStringLiteral("state"), QLatin1String(jobStateName(j.state))},
                       {QStringLiteral("scheduled_at"), isoTime(j.scheduledAt)},
                       {QStringLiteral("started_at"), isoTime(j.startedAt)},
                       {QStringLiteral("finished_at"), isoTime(j.finishedAt)},
                       {QStringLiteral("progress"), j.progress},
                       {QStringLiteral("stats"), j.stats},
                       {QStringLiteral("spec"), j.spec},
                       {QStringLiteral("snapshot"), j.snapshotId.isEmpty() ? QJsonValue() : QJsonValue(j.snapshotId)},
                       {QStringLiteral("error"), j.error.isEmpty() ? QJsonValue() : QJsonValue(j.error)},
                       {QStringLiteral("requested_by"), j.requestedBy},
                       {QStringLiteral("cancel_requested"), j.cancelRequested},
                       {QStringLiteral("late"), j.late}};
}

QJsonObject snapshotJson(const SnapshotRecord &s)
{
    QJsonArray paths;
    for (const QByteArray &p : s.paths) {
        QJsonObject o;
        putBytes(o, QStringLiteral("path"), p);
        paths.append(o.contains(QStringLiteral("path")) ? o.value(QStringLiteral("path")) : QJsonValue(o));
    }
    return QJsonObject{{QStringLiteral("id"), s.id.toHex()},
                       {QStringLiteral("server"), s.agentId},
                       {QStringLiteral("job"), s.jobId ? QJsonValue(*s.jobId) : QJsonValue()},
                       {QStringLiteral("time"), isoTime(s.time)},
                       {QStringLiteral("end_time"), isoTime(s.endTime)},
                       {QStringLiteral("hostname"), s.hostname},
                       {QStringLiteral("paths"), paths},
                       {QStringLiteral("tree"), s.rootTree.toHex()},
                       {QStringLiteral("stats"), s.stats},
                       {QStringLiteral("size"), s.recordSize},
                       {QStringLiteral("row"), s.rowId}};
}

QJsonObject ticketJson(const RestoreTicket &t)
{
    return QJsonObject{{QStringLiteral("id"), t.id},
                       {QStringLiteral("tenant"), t.tenantId},
                       {QStringLiteral("server"), t.agentId},
                       {QStringLiteral("requested_by"), t.requestedBy},
                       {QStringLiteral("state"), QLatin1String(ticketStateName(t.state))},
                       {QStringLiteral("request"), t.request},
                       {QStringLiteral("created_at"), isoTime(t.createdAt)},
                       {QStringLiteral("due_at"), isoTime(t.dueAt)}};
}

QJsonObject auditJson(const AuditEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("at"), isoTime(e.at)},
                       {QStringLiteral("tenant"), e.tenantId ? QJsonValue(*e.tenantId) : QJsonValue()},
                       {QStringLiteral("user"), e.userId ? QJsonValue(*e.userId) : QJsonValue()},
                       {QStringLiteral("agent"), e.agentId ? QJsonValue(*e.agentId) : QJsonValue()},
                       {QStringLiteral("action"), e.action},
                       {QStringLiteral("object"), e.object},
                       {QStringLiteral("detail"), e.detail},
                       {QStringLiteral("peer"), e.peer}};
}

} // namespace cairn::server
