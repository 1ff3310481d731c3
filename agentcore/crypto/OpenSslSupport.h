// Internal to cairn_crypto: shared OpenSSL helpers (fetched algorithms, owning pointers).
// Never included from Crypto.h, so callers do not see OpenSSL types.
#pragma once

#include <openssl/evp.h>

#include <memory>

namespace cairn::crypto::detail {

struct MdCtxFree {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Explicitly fetched algorithms (fetched once per process; avoids the implicit fetch and its
// lock on every EVP_*Init call). Abort if the default provider lacks them.
const EVP_MD *sha256Md();
const EVP_CIPHER *aes256GcmCipher();

// Aborts with a message: used for OpenSSL failures that can only mean a broken installation or
// exhausted memory, never bad input.
[[noreturn]] void fatalOpenSsl(const char *what);

MdCtxPtr newMdCtx();
CipherCtxPtr newCipherCtx();

} // namespace cairn::crypto::detail
