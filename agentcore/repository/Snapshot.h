// Snapshot records: what one backup run produced — the root tree plus who, when, what and how
// much. Stored encrypted (a backend file named by the SHA-256 of its sealed bytes locally; a
// catalog row on the server). Value type.
#pragma once

#include "base/Id.h"
#include "base/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace cairn {

struct BackupStats {
    qint64 files = 0, dirs = 0, others = 0;
    qint64 filesNew = 0, filesChanged = 0, filesUnchanged = 0; // unchanged: from the files cache, not read
    qint64 bytesScanned = 0;  // logical size of all files in the snapshot
    qint64 bytesRead = 0;     // bytes actually read from disk
    qint64 bytesNew = 0;      // plaintext bytes of blobs that were new to the repository
    qint64 bytesStored = 0;   // sealed bytes added to the repository (after compression)
    qint64 blobsNew = 0;
    qint64 warnings = 0, errors = 0;
    double seconds = 0;
};

struct Snapshot {
    SnapshotId id;                 // set when loaded or saved
    QDateTime time;                // start of the run, UTC
    QDateTime endTime;
    QString hostname, username;
    QList<QByteArray> paths;       // absolute, as given (bytes: any file name is valid)
    QStringList excludes;
    ChunkId tree;                  // root tree: a directory holding the paths' full structure
    std::optional<SnapshotId> parent;
    BackupStats stats;
    QString programVersion;

    QByteArray serialize() const;  // CBOR
    static Result<Snapshot> deserialize(const QByteArray &cbor);
};

class BlobCodec;
// A snapshot record as stored: the CBOR sealed with the repository's data key under the label
// "cairn-snapshot"; its id is the SHA-256 of the sealed bytes.
QByteArray sealSnapshot(const BlobCodec &codec, const Snapshot &snapshot);
// Checks the id, opens and decodes a stored record (Corrupt if any step fails); sets snapshot.id.
Result<Snapshot> openSnapshot(const BlobCodec &codec, const SnapshotId &id, const QByteArray &sealed);

} // namespace cairn
