// What a restore asks for (snapshot, paths, target folder, what to do with existing files), read
// and checked the same way wherever a restore is requested — an operator's direct dispatch
// (POST /servers/{agent}/restore) and a restore ticket — and turned into the pending restore job
// the target agent runs. Handlers call these on the HTTP worker threads; pure apart from the
// catalog lookups.
#pragma once

#include "api/Api.h"
#include "api/JsonInput.h"

#include "base/Id.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <variant>

namespace cairn::server {

struct RestoreSpec {
    SnapshotId snapshot;
    QStringList paths; // absolute, UTF-8; empty with no pathsB64: everything
    std::optional<QStringList> pathsB64; // byte-string paths, base64
    QString target; // empty: the original location
    QString existing = QStringLiteral("skip"); // skip | overwrite | keep-both

    // The job's spec as agents read it: {"snapshot","paths","target","existing"[,"paths_b64"]}.
    QJsonObject toJobSpec() const;
    // Back from toJobSpec() (a ticket keeps its restore in that shape); nullopt if it is not one.
    static std::optional<RestoreSpec> fromJobSpec(const QJsonObject &spec);
};

// Reads "snapshot", "paths", "paths_b64", "target" and "existing" from `in` with their limits
// (at most 1000 paths of 4096 bytes, absolute; target empty or absolute). Problems are recorded
// in `in`; the spec is complete only if in.finish() reports none.
RestoreSpec readRestoreSpec(JsonInput &in);

// The tenant's snapshot the spec names, or the 404 to answer.
std::variant<SnapshotRecord, HttpResponse> restoreSnapshot(
    ServerContext &server, qint64 tenant, const RestoreSpec &spec);

// The pending restore job of `spec` for server `agent` of `tenant`, not yet stored.
Job restoreJob(
    const ServerContext &server, qint64 tenant, qint64 agent, const RestoreSpec &spec, const QString &requestedBy);

} // namespace cairn::server
