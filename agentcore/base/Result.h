// Result<T> and Status: errors cross module boundaries as values, never as exceptions.
// An Error carries a stable code (mapped to exit codes, HTTP statuses and translated texts at the
// edges) and an English message for logs. Thread-agnostic value types.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace cairn {

enum class ErrorCode {
    NotFound,         // the named object does not exist (backend: file missing)
    Permanent,        // the operation failed and retrying will not help
    Transient,        // a retry may succeed (network, busy)
    Corrupt,          // data failed verification (tag, id, structure)
    InvalidArgument,  // the caller or the user gave something unusable
    Io,               // the operating system refused a file operation
    WrongPassphrase,  // no key file opens with the given passphrase
    Unsupported,      // a format version or feature this build does not know
    Cancelled,        // the caller asked to stop
    PermissionDenied, // the caller is not allowed to do this (e.g. an agent deleting data)
};

const char *errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Permanent;
    QString message;

    Error() = default;
    Error(ErrorCode c, QString m) : code(c), message(std::move(m)) {}
    // "context: message" keeps the code while adding where it happened.
    Error wrapped(const QString &context) const { return Error(code, context + QStringLiteral(": ") + message); }
};

// errno-based error for a failed system call on a path.
Error systemError(const QString &what, const QByteArray &path, int err);

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    static Status success() { return Status(); }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace cairn

// Propagate an error from a Status/Result-returning expression.
#define CAIRN_TRY(expr)                                                                            \
    do {                                                                                           \
        auto cairn_try_s_ = (expr);                                                                \
        if (!cairn_try_s_.ok())                                                                    \
            return cairn_try_s_.error();                                                           \
    } while (0)
