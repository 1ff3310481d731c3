// Shared pieces of the fuzz targets (tests/fuzz/fuzz_*.cpp) and of the seed generator: the fixed
// test key set that seeds and targets agree on (so real packs and records open under the fuzzer),
// a reader that takes structured values from the fuzzer's bytes, and the property check that
// aborts with a message (libFuzzer and the replay runner both report an abort as a crash).
// Single-threaded: the fuzzer calls one input at a time.
#pragma once

#include "repository/Blob.h"
#include "repository/Keys.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

namespace cairn::fuzz {

// The key set every fuzz target and seed uses: constant bytes, never a real tenant's.
const KeySet &testKeys();
// A codec over testKeys() (compression level 2), built once.
const BlobCodec &testCodec();

// Aborts the process with `what` when `ok` is false: a property of the code under test broke.
void check(bool ok, const char *what);

// Takes values from the front of the fuzzer's input; once the input is used up every value is
// zero or empty, so any input is a valid description.
class Input {
public:
    Input(const uint8_t *data, size_t size) : m_p(data), m_end(data + size) { }

    size_t left() const { return size_t(m_end - m_p); }
    uint8_t byte();
    uint32_t u32();
    // A byte string of at most `max` bytes; its length is taken from one byte first.
    QByteArray bytes(int max);
    // Everything still unread.
    QByteArray rest();

private:
    const uint8_t *m_p;
    const uint8_t *m_end;
};

} // namespace cairn::fuzz
