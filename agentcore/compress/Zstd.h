// zstd compression of single blobs. Thread-safe: each thread keeps its own contexts.
#pragma once

#include "base/Result.h"

#include <QByteArray>

#include <cstddef>

namespace cairn::zstd {

// Compresses `n` bytes at `level` and appends the frame to `out` (which is cleared first).
void compress(const void *data, size_t n, int level, QByteArray &out);
// Decompresses one frame that must expand to exactly `rawSize` bytes (≤ maxRawSize);
// anything else (bad frame, wrong size, trailing bytes) is ErrorCode::Corrupt.
Result<QByteArray> decompress(const void *data, size_t n, size_t rawSize);

constexpr size_t MaxBlobRawSize = 16u << 20; // no blob ever expands beyond this

} // namespace cairn::zstd
