#include "repository/Blob.h"

#include "base/ByteIo.h"
#include "compress/Zstd.h"

#include <cstring>

namespace cairn {

namespace {
enum : uint8_t { kRaw = 0, kZstd = 1 };

// AAD = version(1) || key id (LE32) || label
QByteArray makeAad(uint32_t keyId, const void *label, size_t n)
{
    QByteArray aad(5 + int(n), Qt::Uninitialized);
    auto *p = reinterpret_cast<uint8_t *>(aad.data());
    p[0] = kFormatVersion;
    putLe32(p + 1, keyId);
    std::memcpy(p + 5, label, n);
    return aad;
}
} // namespace

BlobCodec::BlobCodec(const KeySet &keys, int compressionLevel)
    : m_keyId(keys.keyId),
      m_level(compressionLevel),
      m_mac(std::make_unique<crypto::HmacSha256>(
          QByteArray(reinterpret_cast<const char *>(keys.chunkIdKey.data()), int(keys.chunkIdKey.size())))),
      m_aead(std::make_unique<crypto::Aes256Gcm>(keys.dataKey))
{
}

ChunkId BlobCodec::chunkId(const void *data, size_t n) const
{
    ChunkId id;
    id.bytes = m_mac->mac(data, n);
    return id;
}

void BlobCodec::sealWithAad(const uint8_t *aad, size_t aadLen, const void *plain, size_t n, QByteArray &out) const
{
    const int start = out.size();
    out.resize(start + kBlobHeaderSize);
    auto *h = reinterpret_cast<uint8_t *>(out.data() + start);
    h[0] = kFormatVersion;
    putLe32(h + 1, m_keyId);
    crypto::randomBytes(h + 5, crypto::Aes256Gcm::NonceSize);
    uint8_t nonce[crypto::Aes256Gcm::NonceSize];
    std::memcpy(nonce, h + 5, sizeof nonce);
    m_aead->seal(nonce, aad, aadLen, plain, n, out);
}

Result<QByteArray> BlobCodec::openWithAad(const uint8_t *aad, size_t aadLen, const void *sealed, size_t n) const
{
    if (n < size_t(kBlobHeaderSize + crypto::Aes256Gcm::TagSize))
        return Error(ErrorCode::Corrupt, QStringLiteral("blob shorter than its header"));
    const auto *h = static_cast<const uint8_t *>(sealed);
    if (h[0] != kFormatVersion)
        return Error(ErrorCode::Corrupt, QStringLiteral("blob has unknown format version %1").arg(h[0]));
    if (getLe32(h + 1) != m_keyId)
        return Error(ErrorCode::Corrupt, QStringLiteral("blob sealed with unknown key %1").arg(getLe32(h + 1)));
    auto plain = m_aead->open(h + 5, aad, aadLen, h + kBlobHeaderSize, n - kBlobHeaderSize);
    if (!plain)
        return Error(ErrorCode::Corrupt, QStringLiteral("blob authentication failed"));
    return plain;
}

void BlobCodec::seal(const ChunkId &id, const void *plain, size_t n, QByteArray &out) const
{
    thread_local QByteArray payload;
    thread_local QByteArray compressed;
    // Stored raw unless compression saves at least 3%. Blobs larger than zstd::decompress accepts
    // (big tree records) are stored raw too, or they could never be opened again.
    const bool tryZstd = n > 0 && n <= zstd::MaxBlobRawSize;
    if (tryZstd)
        zstd::compress(plain, n, m_level, compressed);
    const bool useZstd = tryZstd && size_t(compressed.size()) * 100 <= n * 97;
    const size_t payloadLen = 1 + (useZstd ? size_t(compressed.size()) : n);
    payload.resize(int(payloadLen));
    payload[0] = char(useZstd ? kZstd : kRaw);
    std::memcpy(payload.data() + 1, useZstd ? compressed.constData() : static_cast<const char *>(plain),
                payloadLen - 1);
    uint8_t aad[5 + ChunkId::Size];
    aad[0] = kFormatVersion;
    putLe32(aad + 1, m_keyId);
    std::memcpy(aad + 5, id.data(), ChunkId::Size);
    sealWithAad(aad, sizeof aad, payload.constData(), payloadLen, out);
}

Result<QByteArray> BlobCodec::open(const ChunkId &id, const void *sealed, size_t n, uint32_t rawLength) const
{
    uint8_t aad[5 + ChunkId::Size];
    aad[0] = kFormatVersion;
    putLe32(aad + 1, m_keyId);
    std::memcpy(aad + 5, id.data(), ChunkId::Size);
    auto payload = openWithAad(aad, sizeof aad, sealed, n);
    if (!payload)
        return payload.error();
    if (payload->isEmpty())
        return Error(ErrorCode::Corrupt, QStringLiteral("blob payload is empty"));
    QByteArray plain;
    const uint8_t tag = uint8_t(payload->at(0));
    if (tag == kRaw) {
        plain = payload->mid(1);
    } else if (tag == kZstd) {
        auto d = zstd::decompress(payload->constData() + 1, size_t(payload->size() - 1), rawLength);
        if (!d)
            return d.error();
        plain = std::move(*d);
    } else {
        return Error(ErrorCode::Corrupt, QStringLiteral("blob has unknown compression %1").arg(tag));
    }
    if (uint32_t(plain.size()) != rawLength)
        return Error(ErrorCode::Corrupt, QStringLiteral("blob has %1 bytes, index says %2").arg(plain.size()).arg(rawLength));
    if (chunkId(plain.constData(), size_t(plain.size())) != id)
        return Error(ErrorCode::Corrupt, QStringLiteral("blob content does not match its id"));
    return plain;
}

void BlobCodec::sealRecord(const QByteArray &label, const QByteArray &plain, QByteArray &out) const
{
    const QByteArray aad = makeAad(m_keyId, label.constData(), size_t(label.size()));
    sealWithAad(reinterpret_cast<const uint8_t *>(aad.constData()), size_t(aad.size()), plain.constData(),
                size_t(plain.size()), out);
}

Result<QByteArray> BlobCodec::openRecord(const QByteArray &label, const void *sealed, size_t n) const
{
    const QByteArray aad = makeAad(m_keyId, label.constData(), size_t(label.size()));
    return openWithAad(reinterpret_cast<const uint8_t *>(aad.constData()), size_t(aad.size()), sealed, n);
}

} // namespace cairn
