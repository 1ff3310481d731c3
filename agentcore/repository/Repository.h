// Repository: the encrypted, deduplicated store as the engine sees it — a backend for files
// (packs, snapshots, keys, config), an index for blob locations, and the key set.
//
// Writing: callers claim() a chunk id (true = new, store it), seal it in their own thread with
// storeBlob() (compression and encryption run in parallel there), and the sealed blob is appended
// to the open pack. Full packs go to a saver thread that writes them to the backend and only then
// records their blobs in the index: an indexed blob is always durable. flush() ends a run.
// Reading: loadBlob() verifies every blob (GCM tag and chunk id).
// Thread-safe: any number of threads may claim/store/load at once.
#pragma once

#include "backend/Backend.h"
#include "base/Id.h"
#include "base/Result.h"
#include "chunker/Chunker.h"
#include "crypto/Crypto.h"
#include "repository/Blob.h"
#include "repository/Index.h"
#include "repository/Keys.h"
#include "repository/Snapshot.h"
#include "repository/Tree.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace cairn {

struct RepositoryConfig {
    QString id;                 // random, hex
    ChunkerParams chunker;
    int compressionLevel = 2;
    qint64 packSize = 16 << 20; // target pack size

    // The config file's JSON (docs/FORMAT.md) and back; fromJson validates every value.
    QByteArray toJson() const;
    static Result<RepositoryConfig> fromJson(const QByteArray &json);
};

struct RepositoryOptions {
    ChunkerParams chunker;
    int compressionLevel = 2;
    crypto::KdfParams kdf;
};

class Repository {
public:
    static Status init(Backend &backend, const QByteArray &passphrase, const RepositoryOptions &options);
    static Result<std::unique_ptr<Repository>> open(std::unique_ptr<Backend> backend, std::unique_ptr<Index> index,
                                                    const QByteArray &passphrase);
    // For the server/agent path: keys come from the tenant, not a key file.
    static Result<std::unique_ptr<Repository>> openWithKeys(std::unique_ptr<Backend> backend,
                                                            std::unique_ptr<Index> index, const KeySet &keys,
                                                            const RepositoryConfig &config);
    ~Repository();

    Backend &backend() { return *m_backend; }
    Index &index() { return *m_index; }
    const RepositoryConfig &config() const { return m_config; }
    const BlobCodec &codec() const { return *m_codec; }
    const Chunker &chunker() const { return *m_chunker; }

    // Indexes packs present in the backend but unknown to the index (left by an interrupted run),
    // so their blobs are reused. Returns how many packs were added.
    Result<int> indexUnknownPacks();

    // --- writing
    // True if `id` is neither indexed nor already being stored: the caller must store it.
    Result<bool> claim(const ChunkId &id);
    // Seals and queues a claimed blob. Returns the number of sealed bytes added.
    Result<qint64> storeBlob(BlobType type, const ChunkId &id, const void *data, size_t n);
    // Writes the open packs and waits until every queued pack is saved and indexed.
    Status flush();

    // --- reading
    Result<QByteArray> loadBlob(const ChunkId &id);
    Result<QByteArray> loadBlobAt(const ChunkId &id, const BlobLocation &loc);

    // --- trees and snapshots
    Result<ChunkId> saveTree(const Tree &tree, qint64 *storedBytes = nullptr);
    Result<Tree> loadTree(const ChunkId &id);
    Result<SnapshotId> saveSnapshot(const Snapshot &snapshot);
    Result<Snapshot> loadSnapshot(const SnapshotId &id);
    // All snapshots, oldest first. Unreadable records are reported through `errors`.
    Result<std::vector<Snapshot>> listSnapshots(std::vector<Error> *errors = nullptr);
    // "latest" or a (prefix of a) hex id.
    Result<Snapshot> findSnapshot(const QString &spec);

private:
    Repository(std::unique_ptr<Backend> backend, std::unique_ptr<Index> index, const KeySet &keys,
               const RepositoryConfig &config);
    static Result<RepositoryConfig> loadConfig(Backend &backend);
    void saverLoop();
    Status queueFinished(PackWriter &writer, std::unique_lock<std::mutex> &lock);
    Status savePack(PackWriter::Finished &pack);

    std::unique_ptr<Backend> m_backend;
    std::unique_ptr<Index> m_index;
    KeySet m_keys;
    RepositoryConfig m_config;
    std::unique_ptr<BlobCodec> m_codec;
    std::unique_ptr<GearTable> m_gear;
    std::unique_ptr<Chunker> m_chunker;

    std::mutex m_claimMutex;
    std::unordered_set<ChunkId, IdHash> m_pending;

    std::mutex m_packMutex; // guards the writers, the queue and m_error
    std::condition_variable m_queueChanged;
    std::unique_ptr<PackWriter> m_dataPack, m_treePack;
    std::deque<PackWriter::Finished> m_queue;
    int m_saving = 0;
    bool m_stopping = false;
    std::optional<Error> m_error;
    std::thread m_saver;
};

} // namespace cairn
