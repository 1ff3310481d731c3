// SHA-256 through EVP (SHA-NI where the CPU has it).
#include "crypto/Crypto.h"
#include "crypto/OpenSslSupport.h"

namespace cairn::crypto {

using namespace detail;

Digest sha256(const void *data, size_t n)
{
    Digest out{};
    unsigned int len = 0;
    if (EVP_Digest(data, n, out.data(), &len, sha256Md(), nullptr) != 1 || len != out.size())
        fatalOpenSsl("EVP_Digest(SHA256)");
    return out;
}

struct Sha256::Impl {
    MdCtxPtr ctx = newMdCtx();
    bool finished = false;
};

Sha256::Sha256() : d(std::make_unique<Impl>())
{
    if (EVP_DigestInit_ex2(d->ctx.get(), sha256Md(), nullptr) != 1)
        fatalOpenSsl("EVP_DigestInit_ex2(SHA256)");
}

Sha256::~Sha256() = default;

void Sha256::update(const void *data, size_t n)
{
    Q_ASSERT(!d->finished);
    if (n > 0 && EVP_DigestUpdate(d->ctx.get(), data, n) != 1)
        fatalOpenSsl("EVP_DigestUpdate(SHA256)");
}

Digest Sha256::finish()
{
    Q_ASSERT(!d->finished);
    Digest out{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(d->ctx.get(), out.data(), &len) != 1 || len != out.size())
        fatalOpenSsl("EVP_DigestFinal_ex(SHA256)");
    d->finished = true;
    return out;
}

} // namespace cairn::crypto
