#include "backend/MemoryBackend.h"

#include <vector>

namespace cairn {

namespace {

Error notFound(const Handle &h)
{
    return Error(ErrorCode::NotFound, QStringLiteral("%1 %2 does not exist").arg(QLatin1String(fileTypeName(h.type)), h.name));
}

} // namespace

QString MemoryBackend::location() const
{
    return QStringLiteral("memory:");
}

Status MemoryBackend::save(const Handle &h, const QByteArray &data)
{
    CAIRN_TRY(checkHandle(h));
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_failNextSaves > 0) {
        --m_failNextSaves;
        return Error(ErrorCode::Transient, QStringLiteral("injected failure saving %1 %2")
                                               .arg(QLatin1String(fileTypeName(h.type)), h.name));
    }
    // A deep copy: `data` may wrap a buffer the caller frees (QByteArray::fromRawData).
    files(h.type)[h.name] = QByteArray(data.constData(), data.size());
    return Status::success();
}

Result<QByteArray> MemoryBackend::load(const Handle &h, qint64 offset, qint64 length)
{
    CAIRN_TRY(checkHandle(h));
    if (offset < 0)
        return loadLength(offset, length, 0).error();
    QByteArray data;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const Files &f = files(h.type);
        const auto it = f.find(h.name);
        if (it == f.end())
            return notFound(h);
        data = it->second;
    }
    const Result<qint64> want = loadLength(offset, length, data.size());
    if (!want)
        return want.error();
    if (offset == 0 && *want == data.size())
        return data;
    return data.mid(offset, *want);
}

Result<FileInfo> MemoryBackend::stat(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    std::lock_guard<std::mutex> lock(m_mutex);
    const Files &f = files(h.type);
    const auto it = f.find(h.name);
    if (it == f.end())
        return notFound(h);
    return FileInfo{h.name, qint64(it->second.size())};
}

Status MemoryBackend::list(FileType type, const std::function<void(const FileInfo &)> &visit)
{
    // Visit a snapshot taken under the lock, so visit() may call back into the backend.
    std::vector<FileInfo> infos;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const Files &f = files(type);
        infos.reserve(f.size());
        for (const auto &[name, data] : f)
            infos.push_back(FileInfo{name, qint64(data.size())});
    }
    for (const FileInfo &info : infos)
        visit(info);
    return Status::success();
}

Status MemoryBackend::remove(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    std::lock_guard<std::mutex> lock(m_mutex);
    if (files(h.type).erase(h.name) == 0)
        return notFound(h);
    return Status::success();
}

void MemoryBackend::setFailNextSaves(int n)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_failNextSaves = n;
}

} // namespace cairn
