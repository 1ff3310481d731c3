// Opening the tenant's repository on the server as an enrolled agent: the credentials from the
// state folder (agent.json), a ServerConnection pinned to the server's certificate, the local
// index cache (index.sqlite in the state folder, refetched from the server if it is damaged)
// brought up to date with the server's index feed, and a RemoteBackend. Used by the agent's
// command line and by the service's job runner. Any thread (one open at a time per state folder
// is the caller's concern: see StateFolder's job lock).
#pragma once

#include "base/Result.h"
#include "remote/Enrollment.h"
#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"
#include "repository/Repository.h"

#include <QString>

#include <functional>
#include <memory>

namespace cairn {

// Threads a restore from the server writes files with: more than the cores, so that one waiting
// for a pack to arrive does not leave a core idle.
constexpr int kRemoteRestoreWorkers = 4;

struct RemoteRepositoryOptions {
    bool syncIndex = true; // false: listing snapshots only, no blob lookups
    // Called while the connection waits to retry (message without secrets, wait in ms).
    std::function<void(const Error &, qint64 waitMs)> retryObserver;
    // Called as the index cache catches up with the server.
    std::function<void(const IndexSyncStats &)> syncProgress;
    // Called with a warning the user should see (e.g. a damaged cache being refetched).
    std::function<void(const QString &)> warning;
    // Asked by the connection while it works and waits (see ServerConnection::setStopCondition):
    // once it answers true, every call ends as Cancelled.
    std::function<bool()> stopRequested;
    qint64 sendRateLimit = 0; // bytes per second for uploads, 0 = none
    // Whole packs read piecemeal are kept in STATE/cache while the repository is open, up to
    // this many bytes (see remote/PackSpool.h); 0 turns it off; -1: a quarter of the free space
    // there, at least 256 MiB and at most 4 GiB (a restore reads packs out of order: the more
    // of them stay, the fewer are downloaded twice).
    qint64 packSpoolBytes = -1;
};

struct RemoteRepository {
    std::unique_ptr<Repository> repository;
    RemoteBackend *backend = nullptr; // owned by `repository`
    std::shared_ptr<ServerConnection> connection;
};

// The credentials file of a state folder.
QString credentialsPath(const QString &stateDir);
// NotFound with a hint to enroll when the folder holds no credentials.
Result<AgentCredentials> loadCredentials(const QString &stateDir);

Result<RemoteRepository> openRemoteRepository(const QString &stateDir, const RemoteRepositoryOptions &options);

} // namespace cairn
