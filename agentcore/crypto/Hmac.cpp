// HMAC-SHA256 with precomputed inner and outer states (RFC 2104): the key blocks are hashed once
// in the constructor; mac() copies those states, so no call repeats the key schedule. Measured
// faster than EVP_MAC_CTX_dup (≈440 vs ≈1040 ns for 64-byte inputs, equal at 64 KiB).
#include "crypto/Crypto.h"
#include "crypto/OpenSslSupport.h"

#include <cstring>

namespace cairn::crypto {

using namespace detail;

namespace {
constexpr size_t BlockSize = 64; // SHA-256 block
}

struct HmacSha256::Impl {
    MdCtxPtr inner = newMdCtx(); // SHA-256 state after (key ^ ipad)
    MdCtxPtr outer = newMdCtx(); // SHA-256 state after (key ^ opad)
    // EVP_MD_CTX_free wipes the provider state (OPENSSL_clear_free), which erases the keyed states.
};

HmacSha256::HmacSha256(const QByteArray &key) : d(std::make_unique<Impl>())
{
    unsigned char block[BlockSize] = {};
    if (size_t(key.size()) > BlockSize) {
        const Digest k = sha256(key);
        std::memcpy(block, k.data(), k.size());
    } else if (!key.isEmpty()) {
        std::memcpy(block, key.constData(), size_t(key.size()));
    }
    unsigned char pad[BlockSize];
    for (size_t i = 0; i < BlockSize; ++i)
        pad[i] = block[i] ^ 0x36;
    if (EVP_DigestInit_ex2(d->inner.get(), sha256Md(), nullptr) != 1
        || EVP_DigestUpdate(d->inner.get(), pad, BlockSize) != 1)
        fatalOpenSsl("HMAC inner init");
    for (size_t i = 0; i < BlockSize; ++i)
        pad[i] = block[i] ^ 0x5c;
    if (EVP_DigestInit_ex2(d->outer.get(), sha256Md(), nullptr) != 1
        || EVP_DigestUpdate(d->outer.get(), pad, BlockSize) != 1)
        fatalOpenSsl("HMAC outer init");
    secureZero(pad, sizeof pad);
    secureZero(block, sizeof block);
}

HmacSha256::~HmacSha256() = default;

Digest HmacSha256::mac(const void *data, size_t n) const
{
    // A per-call context: the shared states are only read (copied), so concurrent calls are safe.
    MdCtxPtr c = newMdCtx();
    Digest innerHash{};
    Digest out{};
    unsigned int len = 0;
    if (EVP_MD_CTX_copy_ex(c.get(), d->inner.get()) != 1 || (n > 0 && EVP_DigestUpdate(c.get(), data, n) != 1)
        || EVP_DigestFinal_ex(c.get(), innerHash.data(), &len) != 1
        || EVP_MD_CTX_copy_ex(c.get(), d->outer.get()) != 1
        || EVP_DigestUpdate(c.get(), innerHash.data(), innerHash.size()) != 1
        || EVP_DigestFinal_ex(c.get(), out.data(), &len) != 1)
        fatalOpenSsl("HMAC-SHA256");
    return out;
}

} // namespace cairn::crypto
