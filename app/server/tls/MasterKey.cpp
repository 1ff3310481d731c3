// Creating and loading the server master key file (see MasterKey.h). Any thread.
#include "tls/MasterKey.h"

#include "tls/NewFile.h"

#include <QByteArray>

namespace cairn::server {

namespace {

constexpr char kMagic[] = "cairn-master-key-v1";
constexpr char kMagicPrefix[] = "cairn-master-key-v";
constexpr qint64 kMaxFileSize = 4096;

// Wipes a QByteArray that holds secret bytes (it must not share its data with another copy).
void wipe(QByteArray &b)
{
    if (!b.isEmpty())
        crypto::secureZero(b.data(), size_t(b.size()));
    b.clear();
}

Error corrupt(const QString &path, const QString &why)
{
    return Error(ErrorCode::Corrupt, QStringLiteral("master key file %1 is malformed: %2").arg(path, why));
}

// Parses "cairn-master-key-v1\n<base64>\n" (the final newline is optional) into `key`.
Status parse(const QString &path, const QByteArray &content, crypto::Key256 &key)
{
    const int firstEnd = content.indexOf('\n');
    if (firstEnd < 0)
        return corrupt(path, QStringLiteral("it has no second line (truncated?)"));
    const QByteArray magic = content.left(firstEnd);
    if (magic != kMagic) {
        if (magic.startsWith(kMagicPrefix))
            return Error(ErrorCode::Unsupported,
                QStringLiteral("master key file %1 has format %2, which this version of Cairn does not know")
                    .arg(path, QString::fromLatin1(magic.left(64))));
        return corrupt(path, QStringLiteral("the first line is not \"%1\"").arg(QLatin1String(kMagic)));
    }

    qsizetype end = content.size();
    if (end > firstEnd + 1 && content.at(end - 1) == '\n')
        --end;
    const qsizetype begin = firstEnd + 1;
    for (qsizetype i = begin; i < end; ++i) {
        if (content.at(i) == '\n')
            return corrupt(path, QStringLiteral("it has more than two lines"));
    }
    // fromRawData: no copy of the encoded secret is made here.
    const QByteArray encoded = QByteArray::fromRawData(content.constData() + begin, end - begin);
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    const bool good = decoded.decodingStatus == QByteArray::Base64DecodingStatus::Ok
        && decoded.decoded.size() == qsizetype(key.size());
    if (good)
        std::copy(decoded.decoded.cbegin(), decoded.decoded.cend(), key.begin());
    const qsizetype decodedSize = decoded.decoded.size();
    wipe(decoded.decoded);
    if (!good) {
        if (encoded.isEmpty())
            return corrupt(path, QStringLiteral("the key line is empty (truncated?)"));
        if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
            return corrupt(path, QStringLiteral("the key line is not base64"));
        return corrupt(path, QStringLiteral("the key is %1 bytes long instead of %2").arg(decodedSize).arg(key.size()));
    }
    return Status::success();
}

} // namespace

Result<crypto::Key256> MasterKey::create(const QString &path)
{
    crypto::Key256 key {};
    crypto::randomBytes(key.data(), key.size());

    QByteArray content;
    content.reserve(128); // one buffer throughout, so that wipe() reaches every copy
    content.append(kMagic);
    content.append('\n');
    QByteArray encoded
        = QByteArray::fromRawData(reinterpret_cast<const char *>(key.data()), qsizetype(key.size())).toBase64();
    content.append(encoded);
    content.append('\n');
    wipe(encoded);

    const Status written = detail::writeNewFile(path, content, 0600);
    wipe(content);
    if (!written) {
        crypto::secureZero(key.data(), key.size());
        return written.error().wrapped(QStringLiteral("cannot create the master key"));
    }
    return key;
}

Result<crypto::Key256> MasterKey::load(const QString &path)
{
    unsigned mode = 0;
    auto content = detail::readSmallFile(path, kMaxFileSize, &mode);
    if (!content.ok()) {
        if (content.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound,
                QStringLiteral("master key file %1 does not exist (cairn-server init creates it)").arg(path));
        return content.error().wrapped(QStringLiteral("cannot read the master key"));
    }
    if ((mode & 0077) != 0) {
        wipe(*content);
        return Error(ErrorCode::Permanent,
            QStringLiteral("master key file %1 has mode %2, so users other than its owner may read or "
                           "change it; refusing to use it. Restrict it with: chmod 600 %1")
                .arg(path, QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'))));
    }
    crypto::Key256 key {};
    const Status parsed = parse(path, *content, key);
    wipe(*content);
    if (!parsed)
        return parsed.error();
    return key;
}

} // namespace cairn::server
