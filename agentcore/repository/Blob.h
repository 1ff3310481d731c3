// Blob encoding: the unit of stored data. A chunk's plaintext is compressed with zstd (kept raw
// unless that saves at least 3%), prefixed with a one-byte compression tag and sealed with
// AES-256-GCM. The chunk id, key id and format version are the AAD, so a blob cannot be moved
// under another id undetected. Layout in docs/FORMAT.md. BlobCodec is immutable after
// construction and safe to use from any number of threads.
#pragma once

#include "base/Id.h"
#include "base/Result.h"
#include "crypto/Crypto.h"
#include "repository/Keys.h"

#include <QByteArray>

#include <cstdint>
#include <memory>

namespace cairn {

enum class BlobType : uint8_t { Data = 0, Tree = 1 };

constexpr uint8_t kFormatVersion = 1;
constexpr int kBlobHeaderSize = 1 + 4 + crypto::Aes256Gcm::NonceSize; // version, key id, nonce
constexpr int kBlobOverhead = kBlobHeaderSize + 1 + crypto::Aes256Gcm::TagSize;

class BlobCodec {
public:
    BlobCodec(const KeySet &keys, int compressionLevel);

    uint32_t keyId() const { return m_keyId; }
    ChunkId chunkId(const void *data, size_t n) const;

    // Compresses (when worthwhile) and encrypts; appends the sealed blob to `out`.
    void seal(const ChunkId &id, const void *plain, size_t n, QByteArray &out) const;
    // Decrypts, decompresses to exactly rawLength bytes and checks that the plaintext hashes to
    // `id` (ErrorCode::Corrupt otherwise).
    Result<QByteArray> open(const ChunkId &id, const void *sealed, size_t n, uint32_t rawLength) const;

    // Generic sealing with a caller-chosen associated label (pack headers, snapshot records).
    void sealRecord(const QByteArray &label, const QByteArray &plain, QByteArray &out) const;
    Result<QByteArray> openRecord(const QByteArray &label, const void *sealed, size_t n) const;

private:
    void sealWithAad(const uint8_t *aad, size_t aadLen, const void *plain, size_t n, QByteArray &out) const;
    Result<QByteArray> openWithAad(const uint8_t *aad, size_t aadLen, const void *sealed, size_t n) const;

    uint32_t m_keyId;
    int m_level;
    std::unique_ptr<crypto::HmacSha256> m_mac;
    std::unique_ptr<crypto::Aes256Gcm> m_aead;
};

} // namespace cairn
