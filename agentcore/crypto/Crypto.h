// Small wrappers over OpenSSL and libargon2 that hide the vendor headers: callers never see
// OpenSSL types. All functions and const methods are safe to call from several threads at once.
// Secrets are wiped when their holders are destroyed.
#pragma once

#include "base/Result.h"

#include <QByteArray>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace cairn::crypto {

using Digest = std::array<uint8_t, 32>;
using Key256 = std::array<uint8_t, 32>;

void secureZero(void *p, size_t n);
void randomBytes(void *out, size_t n); // CSPRNG (RAND_bytes); aborts if the CSPRNG fails
QByteArray randomBytes(int n);

// SHA-256, one-shot and incremental (EVP; uses SHA-NI where present).
Digest sha256(const void *data, size_t n);
inline Digest sha256(const QByteArray &d) { return sha256(d.constData(), size_t(d.size())); }
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void update(const void *data, size_t n);
    Digest finish(); // the object may not be updated afterwards
private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// HMAC-SHA256 with a fixed key. mac() is const and thread-safe; it must stay fast for 16-256 KiB
// inputs (precomputed inner/outer state, no per-call key schedule).
class HmacSha256 {
public:
    explicit HmacSha256(const QByteArray &key);
    ~HmacSha256();
    HmacSha256(const HmacSha256 &) = delete;
    HmacSha256 &operator=(const HmacSha256 &) = delete;
    Digest mac(const void *data, size_t n) const;
private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// AES-256-GCM, 96-bit nonce, 128-bit tag. seal() returns ciphertext || tag; open() verifies the
// tag and returns the plaintext or ErrorCode::Corrupt.
class Aes256Gcm {
public:
    static constexpr int NonceSize = 12;
    static constexpr int TagSize = 16;
    explicit Aes256Gcm(const Key256 &key);
    ~Aes256Gcm();
    Aes256Gcm(const Aes256Gcm &) = delete;
    Aes256Gcm &operator=(const Aes256Gcm &) = delete;

    // Appends ciphertext || tag to `out`.
    void seal(const uint8_t nonce[NonceSize], const void *aad, size_t aadLen, const void *plain,
              size_t plainLen, QByteArray &out) const;
    Result<QByteArray> open(const uint8_t nonce[NonceSize], const void *aad, size_t aadLen,
                            const void *cipherAndTag, size_t len) const;
private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Argon2id (libargon2). memoryKiB, iterations and parallelism are stored with the key file.
struct KdfParams {
    uint32_t iterations = 3;
    uint32_t memoryKiB = 64 * 1024;
    uint32_t parallelism = 4; // RFC 9106 second recommended option: t=3, m=64 MiB, p=4 (libargon2 runs lanes in threads)
};
Result<Key256> argon2id(const QByteArray &passphrase, const QByteArray &salt, const KdfParams &params);

} // namespace cairn::crypto
