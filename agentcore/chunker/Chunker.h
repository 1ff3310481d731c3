// Content-defined chunking: splits a byte stream into variable-size chunks whose boundaries
// depend only on the local content, so an insertion or deletion moves only the boundaries next
// to it and the rest of the stream still deduplicates.
//
// The algorithm is FastCDC as published in 2020 (Xia et al., "The Design of Fast Content-Defined
// Chunking for Data Deduplication Based Storage Systems", IEEE TPDS 2020):
//  - a gear rolling hash, fp = (fp << 1) + gear[byte], whose bit k depends on the last k + 1
//    bytes only; a boundary is declared where fp has zero bits under a mask;
//  - cut-point skipping: the first minSize bytes of a chunk are never scanned;
//  - normalized chunking, level 2: up to avgSize a stricter mask (log2(avg) + 2 bits) is used and
//    after it a looser one (log2(avg) - 2 bits), which narrows the size distribution around
//    avgSize; maxSize is a hard limit;
//  - two bytes per loop step with a pre-shifted gear table (gearShifted[b] == gear[b] << 1);
//    the cut points are exactly those of the one-byte-per-step definition above.
//
// The gear table is keyed: it is the AES-256-CTR keystream of the tenant's 32-byte chunker
// secret, so chunk boundaries (and thus chunk sizes seen by the storage) do not reveal known
// plaintext to someone without the secret.
//
// Thread-safety: GearTable and Chunker are immutable value types after construction; all const
// methods may be called from any number of threads at once.
#pragma once

#include "base/Result.h"

#include <QByteArray>

#include <array>
#include <cstddef>
#include <cstdint>

namespace cairn {

struct ChunkerParams {
    // Measured on the shared benchmark (docs/BENCHMARKS.md): with zstd level 2 these sizes give
    // the repository size of 16/64/256 KiB with level 3, for about 10% less CPU, and nearly the
    // same incremental growth.
    uint32_t minSize = 32 << 10;
    uint32_t avgSize = 128 << 10; // a power of two
    uint32_t maxSize = 512 << 10;
};

// 256 pseudo-random 64-bit values derived from a 32-byte secret (the tenant's chunker key).
class GearTable {
public:
    static constexpr int SecretSize = 32;

    // Precondition: secret32.size() == SecretSize (a programming error otherwise: aborts).
    explicit GearTable(const QByteArray &secret32);

    const uint64_t *gear() const { return m_gear.data(); }
    const uint64_t *gearShifted() const { return m_gearShifted.data(); } // gear()[i] << 1

private:
    std::array<uint64_t, 256> m_gear;
    std::array<uint64_t, 256> m_gearShifted;
};

// Stateless splitter over a buffer; keeps its own copy of the gear table.
class Chunker {
public:
    // Precondition: validate(params).ok() (a programming error otherwise: aborts).
    Chunker(const GearTable &table, ChunkerParams params);

    // Returns the length of the next chunk starting at data[0], given `n` available bytes.
    // When no cut point lies within the n bytes and n < maxSize: returns 0 ("need more data")
    // unless `final`, in which case all n bytes are the last chunk. When n >= maxSize a length
    // in [1, maxSize] is always returned. Chunks other than the last of a stream have a length in
    // (minSize, maxSize]. Feeding the same stream in different buffer sizes gives the same cuts.
    size_t nextCut(const uint8_t *data, size_t n, bool final) const;

    const ChunkerParams &params() const { return m_params; }
    uint64_t maskSmall() const { return m_maskS; } // used up to avgSize (more bits: cuts rarer)
    uint64_t maskLarge() const { return m_maskL; } // used after avgSize (fewer bits: cuts likelier)

    // 64 <= minSize < avgSize < maxSize <= 16 MiB, avgSize a power of two.
    static Status validate(const ChunkerParams &p);

private:
    GearTable m_table;
    ChunkerParams m_params;
    uint64_t m_maskS = 0;
    uint64_t m_maskL = 0;
};

} // namespace cairn
