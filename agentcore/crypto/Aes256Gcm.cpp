// AES-256-GCM seal/open. The key is expanded once into two template contexts (encrypt and
// decrypt); each call copies its template into a fresh context, so const methods never write
// shared state and no call repeats the key schedule or GHASH table setup.
#include "crypto/Crypto.h"
#include "crypto/OpenSslSupport.h"

#include <algorithm>
#include <climits>

namespace cairn::crypto {

using namespace detail;

struct Aes256Gcm::Impl {
    // Freed with EVP_CIPHER_CTX_free, whose provider context is released with OPENSSL_clear_free,
    // so the expanded key is wiped on destruction.
    CipherCtxPtr encTemplate = newCipherCtx();
    CipherCtxPtr decTemplate = newCipherCtx();
};

namespace {

// Copies `tmpl` and starts it with `nonce`.
CipherCtxPtr startFromTemplate(EVP_CIPHER_CTX *tmpl, const uint8_t *nonce, int enc)
{
    CipherCtxPtr c = newCipherCtx();
    if (EVP_CIPHER_CTX_copy(c.get(), tmpl) != 1
        || EVP_CipherInit_ex2(c.get(), nullptr, nullptr, nonce, enc, nullptr) != 1)
        fatalOpenSsl("AES-GCM context setup");
    return c;
}

// EVP_CipherUpdate takes int lengths: large buffers go in slices. With dst == nullptr the input
// is additional authenticated data.
bool cipherUpdate(EVP_CIPHER_CTX *ctx, unsigned char *dst, const void *src, size_t n)
{
    constexpr size_t Slice = size_t(1) << 30;
    const auto *in = static_cast<const unsigned char *>(src);
    for (size_t off = 0; off < n; off += Slice) {
        const int len = int(std::min(n - off, Slice));
        int outLen = 0;
        if (EVP_CipherUpdate(ctx, dst ? dst + off : nullptr, &outLen, in + off, len) != 1)
            return false;
        if (dst && outLen != len)
            return false;
    }
    return true;
}

} // namespace

Aes256Gcm::Aes256Gcm(const Key256 &key) : d(std::make_unique<Impl>())
{
    if (EVP_CipherInit_ex2(d->encTemplate.get(), aes256GcmCipher(), key.data(), nullptr, 1, nullptr) != 1
        || EVP_CipherInit_ex2(d->decTemplate.get(), aes256GcmCipher(), key.data(), nullptr, 0, nullptr) != 1)
        fatalOpenSsl("AES-256-GCM key setup");
}

Aes256Gcm::~Aes256Gcm() = default;

void Aes256Gcm::seal(const uint8_t nonce[NonceSize], const void *aad, size_t aadLen, const void *plain,
                     size_t plainLen, QByteArray &out) const
{
    CipherCtxPtr c = startFromTemplate(d->encTemplate.get(), nonce, 1);
    EVP_CIPHER_CTX *ctx = c.get();

    const qsizetype start = out.size();
    out.resize(start + qsizetype(plainLen) + TagSize);
    auto *dst = reinterpret_cast<unsigned char *>(out.data()) + start;

    int len = 0;
    const bool ok = cipherUpdate(ctx, nullptr, aad, aadLen) && cipherUpdate(ctx, dst, plain, plainLen)
                    && EVP_EncryptFinal_ex(ctx, dst + plainLen, &len) == 1 && len == 0
                    && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TagSize, dst + plainLen) == 1;
    if (!ok)
        fatalOpenSsl("AES-256-GCM seal");
}

Result<QByteArray> Aes256Gcm::open(const uint8_t nonce[NonceSize], const void *aad, size_t aadLen,
                                   const void *cipherAndTag, size_t len) const
{
    if (len < size_t(TagSize))
        return Error(ErrorCode::Corrupt,
                     QStringLiteral("AES-GCM: %1 bytes is shorter than the tag").arg(qulonglong(len)));
    const size_t cipherLen = len - TagSize;
    const auto *in = static_cast<const unsigned char *>(cipherAndTag);

    CipherCtxPtr c = startFromTemplate(d->decTemplate.get(), nonce, 0);
    EVP_CIPHER_CTX *ctx = c.get();
    QByteArray plain(qsizetype(cipherLen), Qt::Uninitialized);
    auto *dst = reinterpret_cast<unsigned char *>(plain.data());
    unsigned char tag[TagSize];
    std::copy(in + cipherLen, in + len, tag);

    int outLen = 0;
    const bool ok = cipherUpdate(ctx, nullptr, aad, aadLen) && cipherUpdate(ctx, dst, in, cipherLen)
                    && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TagSize, tag) == 1
                    && EVP_DecryptFinal_ex(ctx, dst + cipherLen, &outLen) == 1;
    if (!ok) {
        secureZero(plain.data(), size_t(plain.size()));
        return Error(ErrorCode::Corrupt, QStringLiteral("AES-GCM: authentication failed"));
    }
    return plain;
}

} // namespace cairn::crypto
