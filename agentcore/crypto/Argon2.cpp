// Argon2id key derivation through libargon2, with parameter limits checked first.
#include "crypto/Crypto.h"

#include <argon2.h>

namespace cairn::crypto {

Result<Key256> argon2id(const QByteArray &passphrase, const QByteArray &salt, const KdfParams &params)
{
    if (params.iterations < 1 || params.iterations > 100)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("argon2id: iterations %1 outside 1..100").arg(params.iterations));
    if (params.parallelism < 1 || params.parallelism > 16)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("argon2id: parallelism %1 outside 1..16").arg(params.parallelism));
    constexpr uint32_t MaxMemoryKiB = 4u * 1024 * 1024; // 4 GiB
    if (params.memoryKiB < 8 * params.parallelism || params.memoryKiB > MaxMemoryKiB)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("argon2id: memory %1 KiB outside %2..%3 KiB")
                                                     .arg(params.memoryKiB)
                                                     .arg(8 * params.parallelism)
                                                     .arg(MaxMemoryKiB));
    if (salt.size() < 16)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("argon2id: salt of %1 bytes is shorter than 16").arg(salt.size()));

    Key256 key{};
    const int rc = argon2id_hash_raw(params.iterations, params.memoryKiB, params.parallelism,
                                     passphrase.constData(), size_t(passphrase.size()), salt.constData(),
                                     size_t(salt.size()), key.data(), key.size());
    if (rc != ARGON2_OK) {
        secureZero(key.data(), key.size());
        const ErrorCode code =
            rc == ARGON2_MEMORY_ALLOCATION_ERROR ? ErrorCode::Permanent : ErrorCode::InvalidArgument;
        return Error(code, QStringLiteral("argon2id: %1").arg(QString::fromLatin1(argon2_error_message(rc))));
    }
    return key;
}

} // namespace cairn::crypto
