#include "SimulatedAgent.h"

#include "TestSupport.h"

#include "repository/Snapshot.h"
#include "repository/Tree.h"

#include <QJsonObject>

#include <cstring>

namespace cairn::test {

SimulatedAgent::SimulatedAgent(const QString &baseUrl, const QByteArray &caPem) : m_client(baseUrl, caPem) {}

ApiReply SimulatedAgent::enroll(const QString &code, const QString &hostname)
{
    ApiReply r = m_client.post(QStringLiteral("/api/v1/enroll"),
                               QJsonObject{{QStringLiteral("code"), code},
                                           {QStringLiteral("hostname"), hostname},
                                           {QStringLiteral("os"), QStringLiteral("Linux test")},
                                           {QStringLiteral("version"), QStringLiteral("test")}});
    if (r.status != 201)
        return r;
    const QJsonObject o = r.json();
    m_client.setToken(o.value(QStringLiteral("token")).toString().toLatin1());
    m_agentId = o.value(QStringLiteral("agent")).toObject().value(QStringLiteral("id")).toInteger();
    m_tenantId = o.value(QStringLiteral("tenant")).toObject().value(QStringLiteral("id")).toInteger();
    auto keys = KeySet::deserialize(QByteArray::fromBase64(o.value(QStringLiteral("keys")).toString().toLatin1()));
    auto config = RepositoryConfig::fromJson(o.value(QStringLiteral("repository")).toString().toUtf8());
    if (!keys || !config) {
        r.status = 0;
        r.error = QStringLiteral("enrollment answer has unusable keys or config");
        return r;
    }
    m_keys = *keys;
    m_config = *config;
    m_codec = std::make_unique<BlobCodec>(m_keys, m_config.compressionLevel);
    return r;
}

SimulatedAgent::BuiltPack SimulatedAgent::buildPack(quint64 seed, int blobCount, int blobSize, bool withTree) const
{
    PackWriter writer(*m_codec);
    Node file;
    file.name = "file-" + QByteArray::number(seed);
    file.type = NodeType::File;
    file.mode = 0644;
    for (int i = 0; i < blobCount; ++i) {
        const QByteArray data = testPattern(blobSize, seed * 1000003 + quint64(i));
        const ChunkId id = m_codec->chunkId(data.constData(), size_t(data.size()));
        writer.add(BlobType::Data, id, data.constData(), size_t(data.size()));
        file.content.push_back({id, uint32_t(data.size())});
        file.size += uint64_t(data.size());
    }
    BuiltPack built;
    if (withTree) {
        Tree tree;
        tree.nodes.push_back(file);
        const QByteArray cbor = encodeTree(tree);
        const ChunkId treeId = m_codec->chunkId(cbor.constData(), size_t(cbor.size()));
        writer.add(BlobType::Tree, treeId, cbor.constData(), size_t(cbor.size()));
        built.tree = treeId;
    }
    PackWriter::Finished f = writer.finish();
    built.id = f.id;
    built.bytes = f.bytes;
    built.entries = f.entries;
    return built;
}

ApiReply SimulatedAgent::uploadPack(const BuiltPack &pack)
{
    return m_client.put(QStringLiteral("/api/v1/agent/packs/") + pack.id.toHex(), pack.bytes);
}

ApiReply SimulatedAgent::commitSnapshot(const ChunkId &tree, SnapshotId *id, std::optional<qint64> job, const QByteArray &path)
{
    Snapshot s;
    s.time = QDateTime::currentDateTimeUtc();
    s.endTime = s.time.addSecs(1);
    s.hostname = QStringLiteral("simulated-%1").arg(m_agentId);
    s.username = QStringLiteral("root");
    s.paths = {path};
    s.tree = tree;
    s.programVersion = QStringLiteral("test");
    const QByteArray sealed = sealSnapshot(*m_codec, s);
    SnapshotId sid;
    sid.bytes = crypto::sha256(sealed);
    if (id)
        *id = sid;
    QString url = QStringLiteral("/api/v1/agent/snapshots/") + sid.toHex();
    if (job)
        url += QStringLiteral("?job=%1").arg(*job);
    return m_client.put(url, sealed);
}

} // namespace cairn::test
