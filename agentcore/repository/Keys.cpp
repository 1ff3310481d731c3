#include "repository/Keys.h"

#include "base/ByteIo.h"

#include <QCborMap>
#include <QCborValue>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace cairn {

namespace {

const QByteArray kWrapAad = QByteArrayLiteral("cairn-keyset-v1");

QByteArray keyBytes(const crypto::Key256 &k)
{
    return QByteArray(reinterpret_cast<const char *>(k.data()), int(k.size()));
}

bool readKey(const QCborMap &m, const QString &name, crypto::Key256 &out)
{
    const QByteArray b = m.value(name).toByteArray();
    if (b.size() != int(out.size()))
        return false;
    std::memcpy(out.data(), b.constData(), out.size());
    return true;
}

} // namespace

KeySet KeySet::generate()
{
    KeySet k;
    crypto::randomBytes(&k.keyId, sizeof k.keyId);
    crypto::randomBytes(k.dataKey.data(), k.dataKey.size());
    crypto::randomBytes(k.chunkIdKey.data(), k.chunkIdKey.size());
    crypto::randomBytes(k.chunkerKey.data(), k.chunkerKey.size());
    return k;
}

QByteArray KeySet::serialize() const
{
    QCborMap m;
    m.insert(QStringLiteral("v"), 1);
    m.insert(QStringLiteral("id"), qint64(keyId));
    m.insert(QStringLiteral("data"), keyBytes(dataKey));
    m.insert(QStringLiteral("chunkid"), keyBytes(chunkIdKey));
    m.insert(QStringLiteral("chunker"), keyBytes(chunkerKey));
    return m.toCborValue().toCbor();
}

Result<KeySet> KeySet::deserialize(const QByteArray &cbor)
{
    QCborParserError err;
    const QCborValue v = QCborValue::fromCbor(cbor, &err);
    if (err.error != QCborError::NoError || !v.isMap())
        return Error(ErrorCode::Corrupt, QStringLiteral("key set is not a CBOR map"));
    const QCborMap m = v.toMap();
    // Integers only: Qt 6.4's toInteger converts a double without a range check (undefined behaviour).
    if (!m.value(QStringLiteral("v")).isInteger() || m.value(QStringLiteral("v")).toInteger() != 1)
        return Error(ErrorCode::Unsupported, QStringLiteral("unsupported key set version"));
    KeySet k;
    const qint64 id = m.value(QStringLiteral("id")).isInteger() ? m.value(QStringLiteral("id")).toInteger() : -1;
    if (id < 0 || id > 0xffffffffLL)
        return Error(ErrorCode::Corrupt, QStringLiteral("key set has no valid key id"));
    k.keyId = uint32_t(id);
    if (!readKey(m, QStringLiteral("data"), k.dataKey) || !readKey(m, QStringLiteral("chunkid"), k.chunkIdKey)
        || !readKey(m, QStringLiteral("chunker"), k.chunkerKey))
        return Error(ErrorCode::Corrupt, QStringLiteral("key set lacks a 32-byte key"));
    return k;
}

void KeySet::wipe()
{
    crypto::secureZero(dataKey.data(), dataKey.size());
    crypto::secureZero(chunkIdKey.data(), chunkIdKey.size());
    crypto::secureZero(chunkerKey.data(), chunkerKey.size());
}

QByteArray wrapKeySet(const KeySet &keys, const crypto::Key256 &wrappingKey)
{
    QByteArray plain = keys.serialize();
    uint8_t nonce[crypto::Aes256Gcm::NonceSize];
    crypto::randomBytes(nonce, sizeof nonce);
    QByteArray out(reinterpret_cast<const char *>(nonce), sizeof nonce);
    crypto::Aes256Gcm(wrappingKey).seal(nonce, kWrapAad.constData(), size_t(kWrapAad.size()), plain.constData(),
                                        size_t(plain.size()), out);
    crypto::secureZero(plain.data(), size_t(plain.size()));
    return out;
}

Result<KeySet> unwrapKeySet(const QByteArray &wrapped, const crypto::Key256 &wrappingKey)
{
    if (wrapped.size() < crypto::Aes256Gcm::NonceSize + crypto::Aes256Gcm::TagSize)
        return Error(ErrorCode::Corrupt, QStringLiteral("wrapped key set is too short"));
    const auto *nonce = reinterpret_cast<const uint8_t *>(wrapped.constData());
    auto plain = crypto::Aes256Gcm(wrappingKey).open(nonce, kWrapAad.constData(), size_t(kWrapAad.size()),
                                                     wrapped.constData() + crypto::Aes256Gcm::NonceSize,
                                                     size_t(wrapped.size() - crypto::Aes256Gcm::NonceSize));
    if (!plain)
        return plain.error();
    auto keys = KeySet::deserialize(*plain);
    crypto::secureZero(plain->data(), size_t(plain->size()));
    return keys;
}

Result<QByteArray> KeyFile::create(const KeySet &keys, const QByteArray &passphrase, const crypto::KdfParams &params)
{
    if (passphrase.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the passphrase is empty"));
    const QByteArray salt = crypto::randomBytes(16);
    auto kek = crypto::argon2id(passphrase, salt, params);
    if (!kek)
        return kek.error();
    QJsonObject o;
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("kdf"), QStringLiteral("argon2id"));
    o.insert(QStringLiteral("iterations"), qint64(params.iterations));
    o.insert(QStringLiteral("memory_kib"), qint64(params.memoryKiB));
    o.insert(QStringLiteral("parallelism"), qint64(params.parallelism));
    o.insert(QStringLiteral("salt"), QString::fromLatin1(salt.toBase64()));
    o.insert(QStringLiteral("key_id"), qint64(keys.keyId));
    o.insert(QStringLiteral("wrapped"), QString::fromLatin1(wrapKeySet(keys, *kek).toBase64()));
    crypto::secureZero(kek->data(), kek->size());
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<KeySet> KeyFile::open(const QByteArray &keyFile, const QByteArray &passphrase)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(keyFile, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("key file is not JSON: ") + perr.errorString());
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("version")).toInt() != 1 || o.value(QStringLiteral("kdf")).toString() != u"argon2id")
        return Error(ErrorCode::Unsupported, QStringLiteral("unsupported key file version or KDF"));
    crypto::KdfParams params;
    params.iterations = uint32_t(o.value(QStringLiteral("iterations")).toInteger());
    params.memoryKiB = uint32_t(o.value(QStringLiteral("memory_kib")).toInteger());
    params.parallelism = uint32_t(o.value(QStringLiteral("parallelism")).toInteger());
    const QByteArray salt = QByteArray::fromBase64(o.value(QStringLiteral("salt")).toString().toLatin1());
    const QByteArray wrapped = QByteArray::fromBase64(o.value(QStringLiteral("wrapped")).toString().toLatin1());
    // Structural damage is Corrupt; only a wrapped key set that fails to authenticate can mean
    // a wrong passphrase.
    if (wrapped.size() < crypto::Aes256Gcm::NonceSize + crypto::Aes256Gcm::TagSize)
        return Error(ErrorCode::Corrupt, QStringLiteral("key file has no wrapped key set"));
    auto kek = crypto::argon2id(passphrase, salt, params);
    if (!kek) {
        const Error e = kek.error().wrapped(QStringLiteral("key file"));
        // Out-of-range KDF parameters or salt come from the file, not from the caller.
        return e.code == ErrorCode::InvalidArgument ? Error(ErrorCode::Corrupt, e.message) : e;
    }
    auto keys = unwrapKeySet(wrapped, *kek);
    crypto::secureZero(kek->data(), kek->size());
    if (!keys && keys.error().code == ErrorCode::Corrupt)
        return Error(ErrorCode::WrongPassphrase, QStringLiteral("wrong passphrase"));
    return keys;
}

} // namespace cairn
