#include "base/Result.h"

#include <cstring>

namespace cairn {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Permanent: return "permanent";
    case ErrorCode::Transient: return "transient";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::Io: return "io";
    case ErrorCode::WrongPassphrase: return "wrong_passphrase";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::PermissionDenied: return "permission_denied";
    }
    return "unknown";
}

Error systemError(const QString &what, const QByteArray &path, int err)
{
    const ErrorCode code = (err == ENOENT) ? ErrorCode::NotFound : ErrorCode::Io;
    return Error(code, QStringLiteral("%1 %2: %3")
                           .arg(what, QString::fromLocal8Bit(path), QString::fromLocal8Bit(std::strerror(err))));
}

} // namespace cairn
