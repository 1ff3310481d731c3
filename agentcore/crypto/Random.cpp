// CSPRNG access, secure wiping and the shared OpenSSL helpers of cairn_crypto.
#include "crypto/Crypto.h"
#include "crypto/OpenSslSupport.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <QtGlobal>

#include <climits>

namespace cairn::crypto {

namespace detail {

void fatalOpenSsl(const char *what)
{
    char buf[256] = {};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    qFatal("cairn_crypto: %s failed: %s", what, buf);
}

const EVP_MD *sha256Md()
{
    static EVP_MD *md = [] {
        EVP_MD *m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (!m)
            fatalOpenSsl("EVP_MD_fetch(SHA256)");
        return m;
    }();
    return md;
}

const EVP_CIPHER *aes256GcmCipher()
{
    static EVP_CIPHER *cipher = [] {
        EVP_CIPHER *c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
        if (!c)
            fatalOpenSsl("EVP_CIPHER_fetch(AES-256-GCM)");
        return c;
    }();
    return cipher;
}

MdCtxPtr newMdCtx()
{
    MdCtxPtr c(EVP_MD_CTX_new());
    if (!c)
        fatalOpenSsl("EVP_MD_CTX_new");
    return c;
}

CipherCtxPtr newCipherCtx()
{
    CipherCtxPtr c(EVP_CIPHER_CTX_new());
    if (!c)
        fatalOpenSsl("EVP_CIPHER_CTX_new");
    return c;
}

} // namespace detail

void secureZero(void *p, size_t n)
{
    if (p && n)
        OPENSSL_cleanse(p, n);
}

void randomBytes(void *out, size_t n)
{
    auto *p = static_cast<unsigned char *>(out);
    while (n > 0) {
        const int chunk = n > size_t(INT_MAX) ? INT_MAX : int(n);
        if (RAND_bytes(p, chunk) != 1)
            detail::fatalOpenSsl("RAND_bytes");
        p += chunk;
        n -= size_t(chunk);
    }
}

QByteArray randomBytes(int n)
{
    QByteArray out(n < 0 ? 0 : n, Qt::Uninitialized);
    randomBytes(out.data(), size_t(out.size()));
    return out;
}

} // namespace cairn::crypto
