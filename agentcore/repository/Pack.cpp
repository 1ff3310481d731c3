#include "repository/Pack.h"

#include <unordered_set>

#include "base/ByteIo.h"

#include <cstring>

namespace cairn {

const QByteArray &packHeaderLabel()
{
    static const QByteArray label = QByteArrayLiteral("cairn-pack-header");
    return label;
}

void PackWriter::add(BlobType type, const ChunkId &id, const void *plain, size_t n)
{
    PackEntry e;
    e.type = type;
    e.id = id;
    e.offset = uint32_t(m_bytes.size());
    e.rawLength = uint32_t(n);
    if (m_bytes.capacity() < m_bytes.size() + qsizetype(n) + kBlobOverhead)
        m_bytes.reserve(std::max<qsizetype>(m_bytes.size() * 2, m_bytes.size() + qsizetype(n) + kBlobOverhead));
    m_codec.seal(id, plain, n, m_bytes);
    e.length = uint32_t(m_bytes.size()) - e.offset;
    m_entries.push_back(e);
}

void PackWriter::addSealed(const PackEntry &entry, const QByteArray &sealed)
{
    PackEntry e = entry;
    if (m_bytes.isEmpty() && m_reserve > 0) {
        if (m_spare.capacity() >= m_reserve)
            m_bytes = std::move(m_spare);
        m_bytes.reserve(qsizetype(m_reserve));
    }
    e.offset = uint32_t(m_bytes.size());
    e.length = uint32_t(sealed.size());
    m_bytes.append(sealed);
    m_entries.push_back(e);
}

PackWriter::Finished PackWriter::finish()
{
    QByteArray header(4 + int(m_entries.size()) * kPackEntrySize, Qt::Uninitialized);
    auto *p = reinterpret_cast<uint8_t *>(header.data());
    putLe32(p, uint32_t(m_entries.size()));
    p += 4;
    for (const PackEntry &e : m_entries) {
        p[0] = uint8_t(e.type);
        std::memcpy(p + 1, e.id.data(), 32);
        putLe32(p + 33, e.offset);
        putLe32(p + 37, e.length);
        putLe32(p + 41, e.rawLength);
        p += kPackEntrySize;
    }
    const int before = m_bytes.size();
    m_codec.sealRecord(packHeaderLabel(), header, m_bytes);
    uint8_t trailer[kPackTrailerSize];
    putLe32(trailer, uint32_t(m_bytes.size() - before));
    std::memcpy(trailer + 4, kPackMagic, sizeof kPackMagic);
    m_bytes.append(reinterpret_cast<const char *>(trailer), sizeof trailer);

    Finished f;
    f.id = packIdOf(m_bytes);
    f.bytes = std::move(m_bytes);
    f.entries = std::move(m_entries);
    m_bytes = QByteArray();
    m_entries.clear();
    return f;
}

void PackWriter::recycle(QByteArray &&buffer)
{
    buffer.resize(0); // keeps the capacity
    if (buffer.capacity() > m_spare.capacity())
        m_spare = std::move(buffer);
}

Result<uint32_t> parsePackTrailer(const QByteArray &tail, qint64 packSize)
{
    if (tail.size() < kPackTrailerSize || packSize < kPackTrailerSize)
        return Error(ErrorCode::Corrupt, QStringLiteral("pack too short for a trailer"));
    const auto *t = reinterpret_cast<const uint8_t *>(tail.constData() + tail.size() - kPackTrailerSize);
    if (std::memcmp(t + 4, kPackMagic, sizeof kPackMagic) != 0)
        return Error(ErrorCode::Corrupt, QStringLiteral("pack magic missing (truncated or not a pack)"));
    const uint32_t headerLen = getLe32(t);
    if (qint64(headerLen) + kPackTrailerSize > packSize || headerLen < uint32_t(kBlobOverhead))
        return Error(ErrorCode::Corrupt, QStringLiteral("pack header length %1 out of range").arg(headerLen));
    return headerLen;
}

Result<std::vector<PackEntry>> parsePackHeader(const BlobCodec &codec, const QByteArray &sealedHeader, qint64 packSize)
{
    auto plain = codec.openRecord(packHeaderLabel(), sealedHeader.constData(), size_t(sealedHeader.size()));
    if (!plain)
        return plain.error().wrapped(QStringLiteral("pack header"));
    const QByteArray &h = *plain;
    if (h.size() < 4)
        return Error(ErrorCode::Corrupt, QStringLiteral("pack header too short"));
    const auto *p = reinterpret_cast<const uint8_t *>(h.constData());
    const uint32_t count = getLe32(p);
    if (qint64(count) * kPackEntrySize + 4 != h.size())
        return Error(ErrorCode::Corrupt, QStringLiteral("pack header size does not match its %1 entries").arg(count));
    const qint64 dataEnd = packSize - sealedHeader.size() - kPackTrailerSize;
    std::vector<PackEntry> entries;
    entries.reserve(count);
    p += 4;
    for (uint32_t i = 0; i < count; ++i, p += kPackEntrySize) {
        PackEntry e;
        if (p[0] > uint8_t(BlobType::Tree))
            return Error(ErrorCode::Corrupt, QStringLiteral("pack header entry %1 has unknown type").arg(i));
        e.type = BlobType(p[0]);
        std::memcpy(e.id.data(), p + 1, 32);
        e.offset = getLe32(p + 33);
        e.length = getLe32(p + 37);
        e.rawLength = getLe32(p + 41);
        if (qint64(e.offset) + e.length > dataEnd || e.length < uint32_t(kBlobOverhead))
            return Error(ErrorCode::Corrupt, QStringLiteral("pack header entry %1 lies outside the pack").arg(i));
        entries.push_back(e);
    }
    return entries;
}

Status verifyPackBlobs(const BlobCodec &codec, const QByteArray &pack, qint64 headerStart,
                       const std::vector<PackEntry> &entries)
{
    if (entries.size() > size_t(kMaxPackEntries))
        return Error(ErrorCode::Corrupt, QStringLiteral("pack lists %1 blobs, more than %2").arg(entries.size()).arg(kMaxPackEntries));
    // The work of opening every blob is bounded before any is opened: a pack of tiny blobs that
    // each decompress to megabytes would otherwise occupy a server thread for minutes.
    qint64 rawTotal = 0;
    std::unordered_set<ChunkId, IdHash> seen;
    seen.reserve(entries.size());
    for (const PackEntry &e : entries) {
        rawTotal += e.rawLength;
        if (!seen.insert(e.id).second)
            return Error(ErrorCode::Corrupt, QStringLiteral("pack lists blob %1 twice").arg(e.id.shortHex()));
    }
    if (rawTotal > kMaxPackRawBytes)
        return Error(ErrorCode::Corrupt, QStringLiteral("pack blobs expand to %1 bytes, more than %2").arg(rawTotal).arg(kMaxPackRawBytes));
    qint64 expected = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        const PackEntry &e = entries[i];
        if (qint64(e.offset) != expected)
            return Error(ErrorCode::Corrupt, QStringLiteral("pack blob %1 is not where the previous one ends").arg(i));
        expected += e.length;
        if (expected > headerStart)
            return Error(ErrorCode::Corrupt, QStringLiteral("pack blob %1 overlaps the header").arg(i));
        auto plain = codec.open(e.id, pack.constData() + e.offset, e.length, e.rawLength);
        if (!plain)
            return plain.error().wrapped(QStringLiteral("pack blob %1 (%2)").arg(i).arg(e.id.shortHex()));
    }
    if (expected != headerStart)
        return Error(ErrorCode::Corrupt, QStringLiteral("pack has %1 unlisted bytes before its header").arg(headerStart - expected));
    return Status::success();
}

PackId packIdOf(const QByteArray &bytes)
{
    PackId id;
    id.bytes = crypto::sha256(bytes);
    return id;
}

} // namespace cairn
