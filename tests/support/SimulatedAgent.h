// A simulated agent for server tests: enrolls through the real API, then builds real packs
// (random data blobs plus a tree blob that lists them as one file) with the tenant's keys,
// uploads them and commits snapshot records — what cairn-agent does, without reading files.
// One instance per thread (it owns an ApiClient).
#pragma once

#include "ApiClient.h"

#include "repository/Blob.h"
#include "repository/Keys.h"
#include "repository/Pack.h"
#include "repository/Repository.h"

#include <memory>
#include <optional>
#include <vector>

namespace cairn::test {

class SimulatedAgent {
public:
    SimulatedAgent(const QString &baseUrl, const QByteArray &caPem);

    // POST /api/v1/enroll; on success the token, ids, keys and repository config are set.
    ApiReply enroll(const QString &code, const QString &hostname);

    struct BuiltPack {
        PackId id;
        QByteArray bytes;
        std::vector<PackEntry> entries;
        std::optional<ChunkId> tree; // the tree blob in this pack, if one was added
    };
    // `blobCount` data blobs of `blobSize` pseudo-random bytes from `seed` and, if `withTree`, a
    // tree blob with one file "file-<seed>" made of them.
    BuiltPack buildPack(quint64 seed, int blobCount, int blobSize, bool withTree) const;
    ApiReply uploadPack(const BuiltPack &pack);
    // Seals a snapshot whose root is `tree` and PUTs it (with ?job= if given). `id` receives the id.
    ApiReply commitSnapshot(const ChunkId &tree, SnapshotId *id, std::optional<qint64> job = std::nullopt,
                            const QByteArray &path = "/data");

    ApiClient &client() { return m_client; }
    qint64 agentId() const { return m_agentId; }
    qint64 tenantId() const { return m_tenantId; }
    const KeySet &keys() const { return m_keys; }
    const BlobCodec *codec() const { return m_codec.get(); }

private:
    ApiClient m_client;
    qint64 m_agentId = 0, m_tenantId = 0;
    KeySet m_keys;
    RepositoryConfig m_config;
    std::unique_ptr<BlobCodec> m_codec;
};

} // namespace cairn::test
