// Fuzz target: the pack reader (repository/Pack.h) on hostile pack bytes, as the server runs it
// on an upload and the agent and checker on a stored pack: parsePackTrailer, parsePackHeader and
// verifyPackBlobs under the fixed test key. The first byte selects the form of the rest:
//   0: a whole pack as stored (real seeds open, so the mutations reach every check);
//   1: a pack whose header is still plaintext: it is sealed here before parsing, so that the
//      header decoding sees the fuzzer's entries (a sealed header would fail the GCM tag).
// Properties: accepted entries lie inside the pack; a pack verifyPackBlobs accepts opens blob by
// blob. Single-threaded.
#include "FuzzSupport.h"

#include "base/ByteIo.h"
#include "repository/Pack.h"

#include <cstring>

using namespace cairn;

namespace {

// Seals the plaintext header of `input` (blobs, header, LE32 header length, magic); empty if the
// input does not have that shape.
QByteArray sealPlainHeader(const QByteArray &input)
{
    if (input.size() < kPackTrailerSize)
        return {};
    const auto *t = reinterpret_cast<const uint8_t *>(input.constData() + input.size() - kPackTrailerSize);
    if (std::memcmp(t + 4, kPackMagic, sizeof kPackMagic) != 0)
        return {};
    const uint32_t plainLen = getLe32(t);
    if (qint64(plainLen) + kPackTrailerSize > input.size())
        return {};
    const qsizetype headerStart = input.size() - kPackTrailerSize - qsizetype(plainLen);
    QByteArray pack = input.left(headerStart);
    const int before = int(pack.size());
    fuzz::testCodec().sealRecord(packHeaderLabel(), input.mid(headerStart, plainLen), pack);
    uint8_t trailer[kPackTrailerSize];
    putLe32(trailer, uint32_t(pack.size() - before));
    std::memcpy(trailer + 4, kPackMagic, sizeof kPackMagic);
    pack.append(reinterpret_cast<const char *>(trailer), sizeof trailer);
    return pack;
}

void readPack(const QByteArray &pack)
{
    const BlobCodec &codec = fuzz::testCodec();
    auto headerLen = parsePackTrailer(pack, pack.size());
    if (!headerLen)
        return;
    fuzz::check(qint64(*headerLen) + kPackTrailerSize <= pack.size(), "trailer header length inside the pack");
    const qint64 headerStart = pack.size() - kPackTrailerSize - *headerLen;
    // The agent reads only the last bytes of a pack first: the trailer must parse the same there.
    auto fromTail = parsePackTrailer(pack.right(kPackTrailerSize), pack.size());
    fuzz::check(fromTail && *fromTail == *headerLen, "trailer parses the same from the pack's tail");
    auto entries = parsePackHeader(codec, pack.mid(headerStart, *headerLen), pack.size());
    if (!entries)
        return;
    for (const PackEntry &e : *entries)
        fuzz::check(qint64(e.offset) + e.length <= headerStart, "header entry inside the blob area");
    if (!verifyPackBlobs(codec, pack, headerStart, *entries).ok())
        return;
    for (const PackEntry &e : *entries) { // what the server indexes must load for a restore
        auto plain = codec.open(e.id, pack.constData() + e.offset, e.length, e.rawLength);
        fuzz::check(bool(plain), "a verified blob opens");
        fuzz::check(plain && uint32_t(plain->size()) == e.rawLength, "a verified blob has its raw length");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (data[0] % 2 == 0)
        readPack(rest);
    else if (const QByteArray pack = sealPlainHeader(rest); !pack.isEmpty())
        readPack(pack);
    return 0;
}
