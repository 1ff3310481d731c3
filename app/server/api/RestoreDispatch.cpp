// Reading, checking and dispatching a restore request (see RestoreDispatch.h). HTTP worker threads.
#include "api/RestoreDispatch.h"

#include <QJsonArray>

namespace cairn::server {

namespace {
using P = JsonInput::Presence;
constexpr int kRestoreMaxPaths = 1000;
constexpr int kPathMaxBytes = 4096;

QStringList stringsOf(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}
} // namespace

QJsonObject RestoreSpec::toJobSpec() const
{
    QJsonObject spec {{QStringLiteral("snapshot"), snapshot.toHex()},
        {QStringLiteral("paths"), QJsonArray::fromStringList(paths)}, {QStringLiteral("target"), target},
        {QStringLiteral("existing"), existing}};
    if (pathsB64)
        spec.insert(QStringLiteral("paths_b64"), QJsonArray::fromStringList(*pathsB64));
    return spec;
}

std::optional<RestoreSpec> RestoreSpec::fromJobSpec(const QJsonObject &spec)
{
    const auto id = SnapshotId::fromHex(spec.value(QStringLiteral("snapshot")).toString());
    if (!id)
        return std::nullopt;
    RestoreSpec s;
    s.snapshot = *id;
    s.paths = stringsOf(spec.value(QStringLiteral("paths")));
    if (spec.contains(QStringLiteral("paths_b64")))
        s.pathsB64 = stringsOf(spec.value(QStringLiteral("paths_b64")));
    s.target = spec.value(QStringLiteral("target")).toString();
    s.existing = spec.value(QStringLiteral("existing")).toString(QStringLiteral("skip"));
    return s;
}

RestoreSpec readRestoreSpec(JsonInput &in)
{
    RestoreSpec spec;
    const auto snapshot = in.string(QStringLiteral("snapshot"), P::Required, 64);
    const auto paths = in.stringList(QStringLiteral("paths"), P::Optional, kRestoreMaxPaths, kPathMaxBytes);
    const auto pathsB64 = in.stringList(QStringLiteral("paths_b64"), P::Optional, kRestoreMaxPaths, 2 * kPathMaxBytes);
    const auto target = in.string(QStringLiteral("target"), P::Optional, kPathMaxBytes);
    const auto existing = in.string(QStringLiteral("existing"), P::Optional, 16);
    if (snapshot) {
        if (const auto id = SnapshotId::fromHex(*snapshot))
            spec.snapshot = *id;
        else
            in.fail(QStringLiteral("snapshot"), QStringLiteral("must be a 64-digit lower-case hex snapshot id"));
    }
    for (const QString &path : paths.value_or(QStringList())) {
        if (!isAbsolutePath(path) || path.contains(QChar(0)) || path.toUtf8().size() > kPathMaxBytes) {
            in.fail(QStringLiteral("paths"),
                QStringLiteral("\"%1\" is not an absolute path of at most %2 bytes")
                    .arg(path.left(200))
                    .arg(kPathMaxBytes));
            break;
        }
    }
    for (const QString &encoded : pathsB64.value_or(QStringList())) {
        const auto decoded
            = QByteArray::fromBase64Encoding(encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        const QByteArray &bytes = decoded.decoded;
        if (!decoded || bytes.isEmpty() || bytes.size() > kPathMaxBytes || !bytes.startsWith('/')
            || bytes.contains('\0')) {
            in.fail(QStringLiteral("paths_b64"),
                QStringLiteral("\"%1\" is not the base64 of an absolute path").arg(encoded.left(200)));
            break;
        }
    }
    if (paths && pathsB64 && paths->size() + pathsB64->size() > kRestoreMaxPaths)
        in.fail(QStringLiteral("paths"),
            QStringLiteral("paths and paths_b64 together must have at most %1 items").arg(kRestoreMaxPaths));
    if (target && !target->isEmpty() && (!isAbsolutePath(*target) || target->contains(QChar(0))))
        in.fail(QStringLiteral("target"), QStringLiteral("must be empty (the original location) or an absolute path"));
    else if (target && target->toUtf8().size() > kPathMaxBytes) // the agent's limit is in bytes, not characters
        in.fail(QStringLiteral("target"), QStringLiteral("must be at most %1 bytes of UTF-8").arg(kPathMaxBytes));
    if (existing && *existing != QLatin1String("skip") && *existing != QLatin1String("overwrite")
        && *existing != QLatin1String("keep-both"))
        in.fail(QStringLiteral("existing"), QStringLiteral("must be \"skip\", \"overwrite\" or \"keep-both\""));
    spec.paths = paths.value_or(QStringList());
    spec.pathsB64 = pathsB64;
    spec.target = target.value_or(QString());
    spec.existing = existing.value_or(QStringLiteral("skip"));
    return spec;
}

std::variant<SnapshotRecord, HttpResponse> restoreSnapshot(
    ServerContext &server, qint64 tenant, const RestoreSpec &spec)
{
    auto snap = server.catalog.snapshot(tenant, spec.snapshot);
    if (!snap)
        return snap.error().code == ErrorCode::NotFound ? notFound(QStringLiteral("no such snapshot"))
                                                        : errorResponse(snap.error());
    return *snap;
}

Job restoreJob(
    const ServerContext &server, qint64 tenant, qint64 agent, const RestoreSpec &spec, const QString &requestedBy)
{
    Job job;
    job.tenantId = tenant;
    job.agentId = agent;
    job.kind = JobKind::Restore;
    job.state = JobState::Pending;
    job.scheduledAt = server.now();
    job.requestedBy = requestedBy;
    job.spec = spec.toJobSpec();
    return job;
}

} // namespace cairn::server
