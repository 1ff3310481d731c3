// RemoteIndexSync: keeps the agent's local index cache (a SqliteIndex file in its state folder)
// up to date with everything its tenant has stored on the server, so that deduplication against
// all of the tenant's agents is a local lookup. The server's GET /api/v1/agent/index is a change
// feed: packs (with their blobs) in the order they were added, each with a sequence number. The
// last sequence applied is kept in a small table `remote_sync` inside the same SQLite file,
// together with the repository id it belongs to, so each sync fetches only what is new, a page
// at a time (memory does not grow with the index). Packs are added before the position moves: a
// crash in between re-applies a page, which Index::addPack takes as a no-op.
// Packs the server's garbage collection takes out of the index come through the same feed, as
// entries marked "removed" with a new sequence number: they are dropped from the cache, so a
// backup never deduplicates against data about to be deleted. Use from one thread at a time.
#pragma once

#include "base/Result.h"
#include "remote/ServerConnection.h"
#include "repository/Index.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <vector>

namespace cairn {

// One page of the server's index feed (GET /api/v1/agent/index?after=N), checked before any of
// it reaches the cache.
struct IndexFeedEntry {
    qint64 seq = 0;
    PackId pack;
    bool removed = false; // garbage collection took the pack out of the index; no size, no blobs
    qint64 size = 0; // the pack's size in bytes
    std::vector<PackEntry> blobs;
};
struct IndexFeedPage {
    std::vector<IndexFeedEntry> entries; // empty: the feed has nothing after `after`
    bool more = false; // another page follows
};
// Corrupt unless every sequence number is above `after` and above the one before it, every id is
// a well-formed pack or blob id, every blob has a known type and lies inside its pack, and the
// lengths fit the index (32 bits).
Result<IndexFeedPage> parseIndexFeedPage(const QJsonObject &page, qint64 after);

struct IndexSyncStats {
    qint64 packs = 0; // packs added by this sync
    qint64 removed = 0; // packs dropped (garbage collection took them out of the index)
    qint64 blobs = 0;
    qint64 lastSeq = 0; // the feed position after it
};

class RemoteIndexSync {
public:
    // `cachePath` is the file `index` was opened from; `repositoryId` the tenant's repository id
    // (RepositoryConfig::id). A cache filled for another repository is refused (InvalidArgument).
    RemoteIndexSync(ServerConnection &server, Index &index, QString cachePath, QString repositoryId);

    Result<IndexSyncStats> sync(const std::function<void(const IndexSyncStats &)> &progress = {});
    // The stored feed position (0 when nothing was synced yet).
    Result<qint64> position();

private:
    ServerConnection &m_server;
    Index &m_index;
    QString m_cachePath;
    QString m_repositoryId;
};

} // namespace cairn
