// Fuzz target: the agent's record parsers of bytes from disk or from the server. The first byte
// selects the parser, the rest is its input:
//   0: Snapshot::deserialize (a snapshot record's CBOR), with a serialize round trip;
//   1: openSnapshot on sealed bytes named by their SHA-256 (as a stored record is read);
//   2: openSnapshot of the rest sealed under the test key (reaches the decoder the real way);
//   3: parseAgentConfig (GET /api/v1/agent/config answer);
//   4: parseJob and, for a restore job, parseRestoreSpec (GET /api/v1/agent/jobs/next answer);
//   5: KeySet::deserialize (the keys of agent.json), with a round trip;
//   6: RepositoryConfig::fromJson (the tenant's repository config), with a round trip;
//   7: AgentCredentials::fromJson (agent.json in the state folder), with a round trip.
// Properties: no crash; what a parser accepts keeps its documented invariants (absolute paths
// without NUL, ids of the right size) and survives its own writer. Single-threaded.
#include "FuzzSupport.h"

#include "crypto/Crypto.h"
#include "remote/Enrollment.h"
#include "repository/Repository.h"
#include "repository/Snapshot.h"
#include "service/Protocol.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace cairn;

namespace {

QJsonObject jsonObject(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

bool isAbsolute(const QByteArray &p)
{
    return p.startsWith('/') && !p.contains('\0');
}

void snapshotRoundTrip(const Snapshot &s)
{
    auto again = Snapshot::deserialize(s.serialize());
    fuzz::check(bool(again), "a deserialized snapshot serializes to a readable record");
    fuzz::check(again->tree == s.tree && again->parent == s.parent && again->paths == s.paths
            && again->excludes == s.excludes && again->hostname == s.hostname,
        "snapshot round trip keeps tree, parent, paths, excludes and host");
}

void snapshotRecord(const QByteArray &in)
{
    if (auto s = Snapshot::deserialize(in))
        snapshotRoundTrip(*s);
}

void sealedSnapshot(const QByteArray &in)
{
    SnapshotId id;
    id.bytes = crypto::sha256(in);
    if (auto s = openSnapshot(fuzz::testCodec(), id, in)) {
        fuzz::check(s->id == id, "an opened snapshot carries its id");
        snapshotRoundTrip(*s);
    }
}

void plainSnapshot(const QByteArray &in)
{
    QByteArray sealed;
    fuzz::testCodec().sealRecord(QByteArrayLiteral("cairn-snapshot"), in, sealed);
    sealedSnapshot(sealed);
}

void agentConfig(const QByteArray &in)
{
    auto c = parseAgentConfig(jsonObject(in));
    if (!c)
        return;
    fuzz::check(c->agentId > 0, "an accepted configuration names its agent");
    fuzz::check(c->offsetSeconds >= 0 && c->offsetSeconds < 3600, "schedule offset in range");
    if (c->policy) {
        fuzz::check(!c->policy->paths.isEmpty(), "an accepted policy has paths");
        for (const QByteArray &p : c->policy->paths)
            fuzz::check(isAbsolute(p), "policy paths are absolute");
        fuzz::check(c->policy->intervalDays == 1 || c->policy->intervalDays == 7, "policy interval is 1 or 7");
        fuzz::check(c->policy->hour >= 0 && c->policy->hour <= 23, "policy hour in range");
        (void)c->scheduleRule();
    }
}

void job(const QByteArray &in)
{
    const QJsonObject answer = jsonObject(in);
    auto j = parseJob(answer);
    const qint64 id = jobIdOf(answer); // what a refused job is reported against
    fuzz::check(id >= 0 && (!j || id == j->id), "the id of a job is the one parseJob reads");
    if (!j)
        return;
    fuzz::check(j->id > 0, "an accepted job has an id");
    fuzz::check(j->kind == QLatin1String("backup") || j->kind == QLatin1String("restore"), "job kind known");
    if (j->kind != QLatin1String("restore"))
        return;
    auto spec = parseRestoreSpec(j->spec);
    if (!spec)
        return;
    fuzz::check(isAbsolute(spec->target), "restore target absolute without NUL");
    for (const QByteArray &p : spec->paths)
        fuzz::check(isAbsolute(p), "restore paths absolute without NUL");
    fuzz::check(spec->snapshot.size() == 64 && SnapshotId::fromHex(spec->snapshot).has_value(),
        "restore snapshot id is 64 hex digits");
}

void keySet(const QByteArray &in)
{
    auto k = KeySet::deserialize(in);
    if (!k)
        return;
    auto again = KeySet::deserialize(k->serialize());
    fuzz::check(again && again->keyId == k->keyId && again->dataKey == k->dataKey && again->chunkIdKey == k->chunkIdKey
            && again->chunkerKey == k->chunkerKey,
        "key set round trip");
}

void repositoryConfig(const QByteArray &in)
{
    auto c = RepositoryConfig::fromJson(in);
    if (!c)
        return;
    auto again = RepositoryConfig::fromJson(c->toJson());
    fuzz::check(again && again->id == c->id && again->chunker.minSize == c->chunker.minSize
            && again->chunker.avgSize == c->chunker.avgSize && again->chunker.maxSize == c->chunker.maxSize
            && again->compressionLevel == c->compressionLevel && again->packSize == c->packSize,
        "repository config round trip");
}

void credentials(const QByteArray &in)
{
    auto c = AgentCredentials::fromJson(in);
    if (!c)
        return;
    auto again = AgentCredentials::fromJson(c->toJson());
    fuzz::check(again && again->serverUrl == c->serverUrl && again->agentId == c->agentId
            && again->tenantId == c->tenantId && again->token == c->token && again->keys == c->keys
            && again->repositoryConfig == c->repositoryConfig && again->caPem == c->caPem,
        "agent credentials round trip");
    (void)c->keySet();
    (void)c->config();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray in(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 8) {
    case 0: snapshotRecord(in); break;
    case 1: sealedSnapshot(in); break;
    case 2: plainSnapshot(in); break;
    case 3: agentConfig(in); break;
    case 4: job(in); break;
    case 5: keySet(in); break;
    case 6: repositoryConfig(in); break;
    case 7: credentials(in); break;
    }
    return 0;
}
