#include "backend/Backend.h"

namespace cairn {

const char *fileTypeName(FileType type)
{
    switch (type) {
    case FileType::Pack: return "pack";
    case FileType::Snapshot: return "snapshot";
    case FileType::Key: return "key";
    case FileType::Config: return "config";
    }
    return "unknown";
}

bool Handle::isValidName(const QString &name)
{
    if (name.isEmpty() || name.size() > 128)
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'z') || u == u'_' || u == u'-';
        if (!ok)
            return false;
    }
    return true;
}

Status checkHandle(const Handle &h)
{
    if (!Handle::isValidName(h.name))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid %1 name \"%2\"").arg(QLatin1String(fileTypeName(h.type)), h.name.left(140)));
    if (h.type == FileType::Config && h.name != QLatin1String("config"))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the config file must be named \"config\", not \"%1\"").arg(h.name));
    return Status::success();
}

Error shortFileError(qint64 wanted, qint64 offset, qint64 fileSize)
{
    if (wanted < 0)
        return Error(ErrorCode::Permanent,
                     QStringLiteral("short file: wanted the rest from offset %1, file has %2").arg(offset).arg(fileSize));
    return Error(ErrorCode::Permanent, QStringLiteral("short file: wanted %1 bytes at offset %2, file has %3")
                                           .arg(wanted)
                                           .arg(offset)
                                           .arg(fileSize));
}

Result<qint64> loadLength(qint64 offset, qint64 length, qint64 fileSize)
{
    if (offset < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("negative load offset %1").arg(offset));
    if (length < 0) {
        if (offset > fileSize)
            return shortFileError(-1, offset, fileSize);
        return fileSize - offset;
    }
    if (offset > fileSize || length > fileSize - offset)
        return shortFileError(length, offset, fileSize);
    return length;
}

} // namespace cairn
