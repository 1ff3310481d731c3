// A backend keeping every file in memory, for engine unit tests: same semantics as the
// on-disk backends, plus fault injection (setFailNextSaves) to exercise error paths.
// Thread-safe: all state is guarded by one mutex; file contents are implicitly shared copies.
#pragma once

#include "backend/Backend.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <map>
#include <mutex>

namespace cairn {

class MemoryBackend final : public Backend {
public:
    MemoryBackend() = default;

    QString location() const override;
    Status save(const Handle &h, const QByteArray &data) override;
    Result<QByteArray> load(const Handle &h, qint64 offset = 0, qint64 length = -1) override;
    Result<FileInfo> stat(const Handle &h) override;
    Status list(FileType type, const std::function<void(const FileInfo &)> &visit) override;
    Status remove(const Handle &h) override;

    // The next `n` calls of save() fail with ErrorCode::Transient and store nothing.
    void setFailNextSaves(int n);

private:
    using Files = std::map<QString, QByteArray>;
    Files &files(FileType type) { return m_files[size_t(type)]; }

    mutable std::mutex m_mutex;
    std::array<Files, 4> m_files; // indexed by FileType
    int m_failNextSaves = 0;
};

} // namespace cairn
