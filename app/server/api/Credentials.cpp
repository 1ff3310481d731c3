#include "api/Credentials.h"

#include "crypto/Crypto.h"

#include <QList>

#include <openssl/crypto.h>

namespace cairn::server {

namespace {
constexpr uint32_t kMemoryKiB = 19456, kIterations = 2, kParallelism = 1;
constexpr int kSaltBytes = 16;

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
}
} // namespace

Result<QByteArray> hashPassword(const QByteArray &password)
{
    const QByteArray salt = crypto::randomBytes(kSaltBytes);
    crypto::KdfParams params{kIterations, kMemoryKiB, kParallelism};
    auto key = crypto::argon2id(password, salt, params);
    if (!key)
        return key.error();
    const QByteArray hash(reinterpret_cast<const char *>(key->data()), int(key->size()));
    return QByteArray("$argon2id$v=19$m=") + QByteArray::number(kMemoryKiB) + ",t=" + QByteArray::number(kIterations)
           + ",p=" + QByteArray::number(kParallelism) + '$' + b64(salt) + '$' + b64(hash);
}

bool verifyPassword(const QByteArray &password, const QByteArray &stored)
{
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    const QList<QByteArray> parts = stored.split('$');
    if (parts.size() != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        return false;
    crypto::KdfParams params{0, 0, 0};
    for (const QByteArray &kv : parts[3].split(',')) {
        bool ok = false;
        const uint32_t v = kv.mid(2).toUInt(&ok);
        if (!ok || kv.size() < 3 || kv[1] != '=')
            return false;
        switch (kv[0]) {
        case 'm': params.memoryKiB = v; break;
        case 't': params.iterations = v; break;
        case 'p': params.parallelism = v; break;
        default: return false;
        }
    }
    // Bounds keep a tampered catalog row from making a login allocate gigabytes.
    if (params.memoryKiB < 8 || params.memoryKiB > (1u << 20) || params.iterations < 1 || params.iterations > 16
        || params.parallelism < 1 || params.parallelism > 16)
        return false;
    const auto decode = [](const QByteArray &s) {
        return QByteArray::fromBase64(s, QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
    };
    const QByteArray salt = decode(parts[4]), expected = decode(parts[5]);
    if (salt.size() < 8 || expected.size() != 32)
        return false;
    auto key = crypto::argon2id(password, salt, params);
    if (!key)
        return false;
    return CRYPTO_memcmp(key->data(), expected.constData(), 32) == 0;
}

QByteArray newToken(TokenKind kind)
{
    const QByteArray prefix = kind == TokenKind::Session ? "cs_" : "ca_";
    return prefix + crypto::randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray tokenHash(const QByteArray &token)
{
    const crypto::Digest d = crypto::sha256(token);
    return QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size()));
}

QString newEnrollmentCode()
{
    static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // 32 symbols: 5 bits each
    const QByteArray raw = crypto::randomBytes(16);
    QString code;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0)
            code += QLatin1Char('-');
        code += QLatin1Char(kAlphabet[uint8_t(raw[i]) % 32]);
    }
    return code;
}

QByteArray normalizeEnrollmentCode(const QString &code)
{
    QByteArray out;
    for (QChar c : code) {
        if (c == QLatin1Char('-') || c.isSpace())
            continue;
        out += c.toUpper().toLatin1();
    }
    return out;
}

} // namespace cairn::server
