#include "chunker/Chunker.h"

#include <QtEndian>
#include <QtGlobal>

#include <openssl/evp.h>

namespace cairn {

namespace {

// A mask of `bits` one-bits whose highest bit is bit 62.
//
// Why high bits: gear bit k depends on the last k + 1 bytes only (older bytes are shifted out
// above it), so low bits would give a window of a few bytes and boundaries that follow short
// repeating patterns. With the lowest mask bit at 63 - bits (>= 45 for the default 64 KiB
// average) the effective window is 46-63 bytes.
//
// Why not bit 63: the two-bytes-per-step loop holds fp << 1 after the first byte of a step and
// tests it with mask << 1, which must not lose a bit.
uint64_t highMask(int bits)
{
    return ((uint64_t(1) << bits) - 1) << (63 - bits);
}

int log2Exact(uint32_t v)
{
    int b = 0;
    while ((uint32_t(1) << b) < v)
        ++b;
    return b;
}

// Scans bytes [i, end) continuing the fingerprint `fp` (held in one-byte-step form on entry and
// exit). Returns the chunk length (index of the cut byte + 1), or 0 when no cut point is found.
//
// Per pair of bytes a, b: fp' = (fp << 2) + (gear[a] << 1) == ((fp << 1) + gear[a]) << 1, i.e. the
// one-byte fingerprint after a, shifted left by one, tested with mask << 1; then
// fp' + gear[b] == (one-byte fingerprint after a) << 1 + gear[b], the fingerprint after b.
inline size_t scan(const uint8_t *p, size_t i, size_t end, uint64_t &fp, uint64_t mask,
                   const uint64_t *gear, const uint64_t *gearShifted)
{
    const uint64_t maskShifted = mask << 1;
    uint64_t h = fp;
    for (; i + 2 <= end; i += 2) {
        h = (h << 2) + gearShifted[p[i]];
        if (!(h & maskShifted))
            return i + 1;
        h += gear[p[i + 1]];
        if (!(h & mask))
            return i + 2;
    }
    if (i < end) {
        h = (h << 1) + gear[p[i]];
        if (!(h & mask))
            return i + 1;
    }
    fp = h;
    return 0;
}

} // namespace

GearTable::GearTable(const QByteArray &secret32)
{
    if (secret32.size() != SecretSize)
        qFatal("GearTable: the chunker secret must be %d bytes, got %lld", SecretSize,
               static_cast<long long>(secret32.size()));

    // AES-256-CTR keystream under the secret with a zero IV: encrypt 2048 zero bytes.
    unsigned char zeros[2048] = {};
    unsigned char stream[2048];
    const unsigned char iv[16] = {};
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len1 = 0;
    int len2 = 0;
    const bool ok = ctx
        && EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), nullptr,
                              reinterpret_cast<const unsigned char *>(secret32.constData()), iv) == 1
        && EVP_EncryptUpdate(ctx, stream, &len1, zeros, int(sizeof zeros)) == 1
        && EVP_EncryptFinal_ex(ctx, stream + len1, &len2) == 1 && len1 + len2 == int(sizeof stream);
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        qFatal("GearTable: AES-256-CTR keystream derivation failed");

    for (int i = 0; i < 256; ++i) {
        m_gear[i] = qFromLittleEndian<quint64>(stream + 8 * i);
        m_gearShifted[i] = m_gear[i] << 1;
    }
}

Chunker::Chunker(const GearTable &table, ChunkerParams params)
    : m_table(table), m_params(params)
{
    const Status valid = validate(params);
    if (!valid.ok())
        qFatal("Chunker: %s", qPrintable(valid.error().message));
    const int b = log2Exact(params.avgSize);
    m_maskS = highMask(b + 2);
    m_maskL = highMask(b - 2);
}

Status Chunker::validate(const ChunkerParams &p)
{
    if (p.avgSize == 0 || (p.avgSize & (p.avgSize - 1)) != 0)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("chunker average size %1 is not a power of two").arg(p.avgSize));
    if (!(64 <= p.minSize && p.minSize < p.avgSize && p.avgSize < p.maxSize
          && p.maxSize <= (16u << 20)))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("chunker sizes must satisfy 64 <= min < avg < max <= 16 MiB "
                                    "(min %1, avg %2, max %3)")
                         .arg(p.minSize)
                         .arg(p.avgSize)
                         .arg(p.maxSize));
    return Status::success();
}

size_t Chunker::nextCut(const uint8_t *data, size_t n, bool final) const
{
    const size_t minSize = m_params.minSize;
    const size_t avgSize = m_params.avgSize;
    const size_t maxSize = m_params.maxSize;
    if (n <= minSize)
        return final ? n : 0;

    const size_t end = n < maxSize ? n : maxSize;
    const uint64_t *gear = m_table.gear();
    const uint64_t *gearShifted = m_table.gearShifted();
    uint64_t fp = 0;

    // Lengths up to avgSize (byte indexes below it): the strict mask.
    const size_t normalEnd = end < avgSize ? end : avgSize;
    if (size_t cut = scan(data, minSize, normalEnd, fp, m_maskS, gear, gearShifted))
        return cut;
    if (end > avgSize) {
        if (size_t cut = scan(data, avgSize, end, fp, m_maskL, gear, gearShifted))
            return cut;
    }
    if (n >= maxSize)
        return maxSize;
    return final ? n : 0;
}

} // namespace cairn
