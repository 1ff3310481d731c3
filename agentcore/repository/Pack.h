// Packs: the files that hold blobs. A pack is the sealed blobs back to back, then a sealed header
// listing them (type, id, offset, length, raw length), the header's length and a magic. The pack
// id is the SHA-256 of all its bytes, so a server can verify and scrub packs without keys.
// PackWriter is used by one thread at a time; parsePackHeader is pure.
#pragma once

#include "base/Id.h"
#include "base/Result.h"
#include "repository/Blob.h"

#include <QByteArray>

#include <vector>

namespace cairn {

struct PackEntry {
    BlobType type = BlobType::Data;
    ChunkId id;
    uint32_t offset = 0;
    uint32_t length = 0;    // sealed length in the pack
    uint32_t rawLength = 0; // plaintext length
};

constexpr char kPackMagic[8] = {'C', 'A', 'I', 'R', 'N', 'P', 'K', '1'};
constexpr int kPackTrailerSize = 4 + 8; // header length (LE32) + magic
constexpr int kPackEntrySize = 1 + 32 + 4 + 4 + 4;
constexpr uint32_t kMaxPackSize = 1u << 30;
const QByteArray &packHeaderLabel();

class PackWriter {
public:
    // reserveBytes: expected final size, allocated up front so appends never reallocate.
    explicit PackWriter(const BlobCodec &codec, qint64 reserveBytes = 0) : m_codec(codec), m_reserve(reserveBytes) {}

    // Seals `plain` as a blob with id `id` and appends it.
    void add(BlobType type, const ChunkId &id, const void *plain, size_t n);
    // Appends an already sealed blob (used when repacking without decrypting).
    void addSealed(const PackEntry &entry, const QByteArray &sealed);
    qint64 size() const { return m_bytes.size(); }
    int count() const { return int(m_entries.size()); }
    bool isEmpty() const { return m_entries.empty(); }

    struct Finished {
        PackId id;
        QByteArray bytes;
        std::vector<PackEntry> entries;
    };
    // Appends header and trailer, computes the id and resets the writer.
    Finished finish();
    // Hands back the buffer of a finished pack once it is saved, to be reused for a later pack.
    void recycle(QByteArray &&buffer);

private:
    const BlobCodec &m_codec;
    qint64 m_reserve;
    QByteArray m_bytes;
    QByteArray m_spare;
    std::vector<PackEntry> m_entries;
};

// Reads the trailer of a whole pack or of its last bytes: returns the length of the sealed header.
Result<uint32_t> parsePackTrailer(const QByteArray &tail, qint64 packSize);
// Opens and decodes a sealed header; every entry must lie inside [0, packSize - headerLen - 12).
Result<std::vector<PackEntry>> parsePackHeader(const BlobCodec &codec, const QByteArray &sealedHeader,
                                               qint64 packSize);

// What a server checks before it indexes an uploaded pack: the blobs lie back to back from offset 0
// up to the header, in header order, there are at most kMaxPackEntries with distinct ids expanding
// to at most kMaxPackRawBytes, and every blob opens with the tenant's key and hashes to its id (so
// a pack cannot claim chunk ids it does not hold).
constexpr int kMaxPackEntries = 200000;
constexpr qint64 kMaxPackRawBytes = 1LL << 30;
Status verifyPackBlobs(const BlobCodec &codec, const QByteArray &pack, qint64 headerStart,
                       const std::vector<PackEntry> &entries);

PackId packIdOf(const QByteArray &bytes);

} // namespace cairn
