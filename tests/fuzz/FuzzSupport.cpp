// The fixed test keys, the input reader and the property check of the fuzz targets (see
// FuzzSupport.h). Single-threaded.
#include "FuzzSupport.h"

#include <cstdio>
#include <cstdlib>

namespace cairn::fuzz {

const KeySet &testKeys()
{
    static const KeySet keys = [] {
        KeySet k;
        k.keyId = 0x46555a5a; // "FUZZ"
        for (int i = 0; i < 32; ++i) {
            k.dataKey[size_t(i)] = uint8_t(0x10 + i);
            k.chunkIdKey[size_t(i)] = uint8_t(0x40 + i);
            k.chunkerKey[size_t(i)] = uint8_t(0x70 + i);
        }
        return k;
    }();
    return keys;
}

const BlobCodec &testCodec()
{
    static const BlobCodec codec(testKeys(), 2);
    return codec;
}

void check(bool ok, const char *what)
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz property broken: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

uint8_t Input::byte()
{
    return m_p < m_end ? *m_p++ : 0;
}

uint32_t Input::u32()
{
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= uint32_t(byte()) << (8 * i);
    return v;
}

QByteArray Input::bytes(int max)
{
    const size_t wanted = byte(); // before left(): it moves the position
    const size_t n = std::min<size_t>(std::min<size_t>(wanted, size_t(max)), left());
    QByteArray out(reinterpret_cast<const char *>(m_p), qsizetype(n));
    m_p += n;
    return out;
}

QByteArray Input::rest()
{
    QByteArray out(reinterpret_cast<const char *>(m_p), qsizetype(left()));
    m_p = m_end;
    return out;
}

} // namespace cairn::fuzz
