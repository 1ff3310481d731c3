#include "repository/Snapshot.h"

#include "crypto/Crypto.h"
#include "repository/Blob.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

namespace cairn {

namespace {
QCborMap statsToCbor(const BackupStats &s)
{
    QCborMap m;
    m.insert(QStringLiteral("files"), s.files);
    m.insert(QStringLiteral("dirs"), s.dirs);
    m.insert(QStringLiteral("others"), s.others);
    m.insert(QStringLiteral("files_new"), s.filesNew);
    m.insert(QStringLiteral("files_changed"), s.filesChanged);
    m.insert(QStringLiteral("files_unchanged"), s.filesUnchanged);
    m.insert(QStringLiteral("bytes_scanned"), s.bytesScanned);
    m.insert(QStringLiteral("bytes_read"), s.bytesRead);
    m.insert(QStringLiteral("bytes_new"), s.bytesNew);
    m.insert(QStringLiteral("bytes_stored"), s.bytesStored);
    m.insert(QStringLiteral("blobs_new"), s.blobsNew);
    m.insert(QStringLiteral("warnings"), s.warnings);
    m.insert(QStringLiteral("errors"), s.errors);
    m.insert(QStringLiteral("seconds"), s.seconds);
    return m;
}

// A CBOR integer; `fallback` for anything else. (Qt 6.4's QCborValue::toInteger converts a
// double without a range check: undefined behaviour for a hostile 1e300.)
qint64 integerOf(const QCborValue &v, qint64 fallback = 0)
{
    return v.isInteger() ? v.toInteger() : fallback;
}

BackupStats statsFromCbor(const QCborMap &m)
{
    BackupStats s;
    auto i = [&](const char *k) { return integerOf(m.value(QLatin1String(k))); };
    s.files = i("files");
    s.dirs = i("dirs");
    s.others = i("others");
    s.filesNew = i("files_new");
    s.filesChanged = i("files_changed");
    s.filesUnchanged = i("files_unchanged");
    s.bytesScanned = i("bytes_scanned");
    s.bytesRead = i("bytes_read");
    s.bytesNew = i("bytes_new");
    s.bytesStored = i("bytes_stored");
    s.blobsNew = i("blobs_new");
    s.warnings = i("warnings");
    s.errors = i("errors");
    s.seconds = m.value(QStringLiteral("seconds")).toDouble();
    return s;
}
} // namespace

QByteArray Snapshot::serialize() const
{
    QCborMap m;
    m.insert(QStringLiteral("v"), 1);
    m.insert(QStringLiteral("time"), time.toMSecsSinceEpoch());
    m.insert(QStringLiteral("end_time"), endTime.toMSecsSinceEpoch());
    m.insert(QStringLiteral("hostname"), hostname);
    m.insert(QStringLiteral("username"), username);
    QCborArray p;
    for (const QByteArray &path : paths)
        p.append(path);
    m.insert(QStringLiteral("paths"), p);
    m.insert(QStringLiteral("excludes"), QCborArray::fromStringList(excludes));
    m.insert(QStringLiteral("tree"), tree.toByteArray());
    if (parent)
        m.insert(QStringLiteral("parent"), parent->toByteArray());
    m.insert(QStringLiteral("stats"), statsToCbor(stats));
    m.insert(QStringLiteral("program"), programVersion);
    return m.toCborValue().toCbor();
}

Result<Snapshot> Snapshot::deserialize(const QByteArray &cbor)
{
    QCborParserError err;
    const QCborValue v = QCborValue::fromCbor(cbor, &err);
    if (err.error != QCborError::NoError || !v.isMap())
        return Error(ErrorCode::Corrupt, QStringLiteral("snapshot record is not a CBOR map"));
    const QCborMap m = v.toMap();
    if (integerOf(m.value(QStringLiteral("v"))) != 1)
        return Error(ErrorCode::Unsupported, QStringLiteral("unsupported snapshot record version"));
    Snapshot s;
    s.time = QDateTime::fromMSecsSinceEpoch(integerOf(m.value(QStringLiteral("time"))), Qt::UTC);
    s.endTime = QDateTime::fromMSecsSinceEpoch(integerOf(m.value(QStringLiteral("end_time"))), Qt::UTC);
    s.hostname = m.value(QStringLiteral("hostname")).toString();
    s.username = m.value(QStringLiteral("username")).toString();
    for (const QCborValue &p : m.value(QStringLiteral("paths")).toArray())
        s.paths.append(p.toByteArray());
    for (const QCborValue &e : m.value(QStringLiteral("excludes")).toArray())
        s.excludes.append(e.toString());
    const auto tree = ChunkId::fromBytes(m.value(QStringLiteral("tree")).toByteArray());
    if (!tree)
        return Error(ErrorCode::Corrupt, QStringLiteral("snapshot record has no tree id"));
    s.tree = *tree;
    if (m.contains(QStringLiteral("parent"))) {
        const auto parent = SnapshotId::fromBytes(m.value(QStringLiteral("parent")).toByteArray());
        if (!parent)
            return Error(ErrorCode::Corrupt, QStringLiteral("snapshot record has a malformed parent id"));
        s.parent = *parent;
    }
    s.stats = statsFromCbor(m.value(QStringLiteral("stats")).toMap());
    s.programVersion = m.value(QStringLiteral("program")).toString();
    return s;
}

namespace {
const QByteArray kSnapshotLabel = QByteArrayLiteral("cairn-snapshot");
}

QByteArray sealSnapshot(const BlobCodec &codec, const Snapshot &snapshot)
{
    QByteArray sealed;
    codec.sealRecord(kSnapshotLabel, snapshot.serialize(), sealed);
    return sealed;
}

Result<Snapshot> openSnapshot(const BlobCodec &codec, const SnapshotId &id, const QByteArray &sealed)
{
    if (crypto::sha256(sealed) != id.bytes)
        return Error(ErrorCode::Corrupt, QStringLiteral("snapshot %1 does not match its id").arg(id.shortHex()));
    auto plain = codec.openRecord(kSnapshotLabel, sealed.constData(), size_t(sealed.size()));
    if (!plain)
        return plain.error().wrapped(QStringLiteral("snapshot %1").arg(id.shortHex()));
    auto snap = Snapshot::deserialize(*plain);
    if (!snap)
        return snap.error().wrapped(QStringLiteral("snapshot %1").arg(id.shortHex()));
    snap->id = id;
    return snap;
}

} // namespace cairn
