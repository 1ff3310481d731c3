// crypto::initForProcess: OpenSSL set up once per process, without its atexit() teardown.
#include "crypto/ProcessInit.h"

#include <openssl/crypto.h>

#include <cstdio>
#include <cstdlib>

namespace cairn::crypto {

void initForProcess()
{
    // OPENSSL_INIT_NO_ATEXIT only takes effect in the first initialisation of the process.
    if (OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) != 1) {
        std::fputs("cairn: OpenSSL cannot be initialised\n", stderr);
        std::abort();
    }
}

} // namespace cairn::crypto
