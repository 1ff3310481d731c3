// The key hierarchy. A repository (locally) or a tenant (on the server) owns one KeySet:
//   dataKey    – AES-256-GCM key for blobs, pack headers and snapshot records
//   chunkIdKey – HMAC-SHA256 key for chunk ids (the store cannot confirm a known file)
//   chunkerKey – secret that derives the FastCDC gear table (cut points leak nothing)
// A KeySet is stored wrapped: locally in a key file under a passphrase-derived key (Argon2id),
// on the server under the server master key. Immutable once made; share by const reference.
#pragma once

#include "base/Result.h"
#include "crypto/Crypto.h"

#include <QByteArray>

#include <cstdint>

namespace cairn {

struct KeySet {
    uint32_t keyId = 0;
    crypto::Key256 dataKey{};
    crypto::Key256 chunkIdKey{};
    crypto::Key256 chunkerKey{};

    static KeySet generate();
    // Canonical CBOR encoding (the plaintext of a wrapped key set). Contains secrets.
    QByteArray serialize() const;
    static Result<KeySet> deserialize(const QByteArray &cbor);
    void wipe();
};

// Wraps a key set with a 256-bit wrapping key (AES-256-GCM, AAD "cairn-keyset-v1") and back.
QByteArray wrapKeySet(const KeySet &keys, const crypto::Key256 &wrappingKey);
Result<KeySet> unwrapKeySet(const QByteArray &wrapped, const crypto::Key256 &wrappingKey);

// A passphrase-protected key file (JSON, see docs/FORMAT.md).
struct KeyFile {
    static Result<QByteArray> create(const KeySet &keys, const QByteArray &passphrase,
                                     const crypto::KdfParams &params);
    // ErrorCode::WrongPassphrase if the passphrase does not open it; Corrupt if malformed.
    static Result<KeySet> open(const QByteArray &keyFile, const QByteArray &passphrase);
};

} // namespace cairn
