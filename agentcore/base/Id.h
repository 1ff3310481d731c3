// 32-byte content identifiers. Strong types keep a chunk id from being used as a pack id.
// ChunkId = HMAC-SHA256(tenant chunk key, plaintext); PackId = SHA-256(pack bytes);
// SnapshotId = SHA-256(encrypted snapshot record). Value types, thread-agnostic.
#pragma once

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>

namespace cairn {

template <typename Tag>
struct StrongId {
    static constexpr int Size = 32;
    std::array<uint8_t, Size> bytes{};

    bool isNull() const
    {
        for (uint8_t b : bytes)
            if (b)
                return false;
        return true;
    }
    QByteArray toByteArray() const { return QByteArray(reinterpret_cast<const char *>(bytes.data()), Size); }
    QString toHex() const { return QString::fromLatin1(toByteArray().toHex()); }
    QString shortHex() const { return toHex().left(8); }
    const uint8_t *data() const { return bytes.data(); }
    uint8_t *data() { return bytes.data(); }

    static std::optional<StrongId> fromBytes(const QByteArray &raw)
    {
        if (raw.size() != Size)
            return std::nullopt;
        StrongId id;
        std::memcpy(id.bytes.data(), raw.constData(), Size);
        return id;
    }
    static std::optional<StrongId> fromHex(const QString &hex)
    {
        if (hex.size() != 2 * Size)
            return std::nullopt;
        for (QChar c : hex)
            if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
                return std::nullopt;
        return fromBytes(QByteArray::fromHex(hex.toLatin1()));
    }
    friend bool operator==(const StrongId &a, const StrongId &b) { return a.bytes == b.bytes; }
    friend bool operator!=(const StrongId &a, const StrongId &b) { return a.bytes != b.bytes; }
    friend bool operator<(const StrongId &a, const StrongId &b) { return a.bytes < b.bytes; }
};

struct ChunkTag {};
struct PackTag {};
struct SnapshotTag {};
using ChunkId = StrongId<ChunkTag>;
using PackId = StrongId<PackTag>;
using SnapshotId = StrongId<SnapshotTag>;

// All-zero runs and holes carry this id and are never stored.
inline ChunkId zeroChunkId() { return ChunkId{}; }

struct IdHash {
    template <typename Tag>
    size_t operator()(const StrongId<Tag> &id) const
    {
        size_t h;
        std::memcpy(&h, id.bytes.data(), sizeof h); // ids are uniformly distributed already
        return h;
    }
};

} // namespace cairn
