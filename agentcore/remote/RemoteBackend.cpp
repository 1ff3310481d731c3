// RemoteBackend: the backend contract mapped onto /api/v1/agent/{packs,snapshots,repository}.
// Any thread.
#include "remote/RemoteBackend.h"

#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace cairn {

namespace {

constexpr int kPackPage = 1000; // the server's largest page for packs
constexpr int kSnapshotPage = 500; // and for snapshots

QString filePath(const Handle &h)
{
    switch (h.type) {
    case FileType::Pack: return QStringLiteral("/api/v1/agent/packs/") + h.name;
    case FileType::Snapshot: return QStringLiteral("/api/v1/agent/snapshots/") + h.name;
    case FileType::Config: return QStringLiteral("/api/v1/agent/repository/config");
    case FileType::Key: break;
    }
    return QString();
}

QString describe(const QByteArray &method, const Handle &h)
{
    return QStringLiteral("%1 %2 %3").arg(QString::fromLatin1(method), QLatin1String(fileTypeName(h.type)), h.name);
}

bool isContentId(const QString &name)
{
    if (name.size() != 64)
        return false;
    for (const QChar c : name)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

Error noKeyFiles(const Handle &h)
{
    return Error(ErrorCode::NotFound,
        QStringLiteral("key %1 does not exist: the server holds the tenant's keys, there are no key files")
            .arg(h.name));
}

QByteArray rangeHeader(qint64 offset, qint64 length)
{
    QByteArray v = "bytes=" + QByteArray::number(offset) + '-';
    if (length > 0)
        v += QByteArray::number(offset + length - 1);
    return v;
}

} // namespace

std::optional<ContentRange> parseContentRange(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return std::nullopt;
    const QByteArray rest = v.mid(6).trimmed();
    const qsizetype slash = rest.indexOf('/');
    if (slash < 0)
        return std::nullopt;
    ContentRange r;
    bool ok = false;
    r.size = rest.mid(slash + 1).toLongLong(&ok);
    if (!ok || r.size < 0)
        return std::nullopt;
    const QByteArray span = rest.left(slash);
    if (span == "*")
        return r;
    const qsizetype dash = span.indexOf('-');
    if (dash <= 0)
        return std::nullopt;
    bool ok1 = false, ok2 = false;
    r.first = span.left(dash).toLongLong(&ok1);
    r.last = span.mid(dash + 1).toLongLong(&ok2);
    if (!ok1 || !ok2 || r.first < 0 || r.last < r.first || r.last >= r.size)
        return std::nullopt;
    return r;
}

RemoteBackend::RemoteBackend(std::shared_ptr<ServerConnection> connection) : m_connection(std::move(connection)) { }

QString RemoteBackend::location() const
{
    return m_connection->serverUrl();
}

Status RemoteBackend::save(const Handle &h, const QByteArray &data)
{
    CAIRN_TRY(checkHandle(h));
    if (h.type == FileType::Key || h.type == FileType::Config)
        return Error(ErrorCode::PermissionDenied,
            QStringLiteral("cannot save %1 %2: the server owns the tenant's keys and "
                           "repository config")
                .arg(QLatin1String(fileTypeName(h.type)), h.name));
    if (!isContentId(h.name))
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("cannot save %1 %2: the server names files by the SHA-256 of their bytes (64 hex digits)")
                .arg(QLatin1String(fileTypeName(h.type)), h.name));
    QString path = filePath(h);
    if (h.type == FileType::Snapshot && m_snapshotJob > 0)
        path += QStringLiteral("?job=%1").arg(m_snapshotJob.load());
    auto reply = m_connection->call("PUT", path, data);
    if (!reply)
        return reply.error().wrapped(describe("PUT", h));
    if (reply->status == 200 || reply->status == 201) {
        m_uploadedFiles += 1;
        m_uploadedBytes += data.size();
        return Status::success();
    }
    return ServerConnection::replyError(*reply, describe("PUT", h));
}

Result<QByteArray> RemoteBackend::loadConfig()
{
    const Handle h {FileType::Config, QStringLiteral("config")};
    auto reply = m_connection->call("GET", filePath(h));
    if (!reply)
        return reply.error().wrapped(describe("GET", h));
    if (reply->status != 200)
        return ServerConnection::replyError(*reply, describe("GET", h));
    return reply->body;
}

Result<QByteArray> RemoteBackend::load(const Handle &h, qint64 offset, qint64 length)
{
    CAIRN_TRY(checkHandle(h));
    if (offset < 0)
        return loadLength(offset, length, 0).error();
    if (h.type == FileType::Key)
        return noKeyFiles(h);
    if (h.type == FileType::Config) {
        auto config = loadConfig();
        if (!config)
            return config.error();
        auto want = loadLength(offset, length, config->size());
        if (!want)
            return want.error();
        return config->mid(offset, *want);
    }
    if (length == 0) { // nothing to transfer, but the range must still lie inside the file
        auto info = stat(h);
        if (!info)
            return info.error();
        CAIRN_TRY(loadLength(offset, 0, info->size));
        return QByteArray();
    }

    if (h.type == FileType::Pack && length > 0 && m_spool)
        return m_spool->read(h.name, offset, length, [&] { return fetch(h, 0, -1); });
    return fetch(h, offset, length);
}

Result<QByteArray> RemoteBackend::fetch(const Handle &h, qint64 offset, qint64 length)
{
    const bool whole = offset == 0 && length < 0;
    HttpHeaders headers;
    if (!whole)
        headers.append({"Range", rangeHeader(offset, length)});
    auto reply = m_connection->call("GET", filePath(h), QByteArray(), headers);
    if (!reply)
        return reply.error().wrapped(describe("GET", h));
    switch (reply->status) {
    case 200: { // the whole file (also if the server ignored the range): cut it here
        auto want = loadLength(offset, length, reply->body.size());
        if (!want)
            return want.error();
        if (whole)
            return std::move(reply->body);
        return reply->body.mid(offset, *want);
    }
    case 206: {
        const auto range = parseContentRange(reply->header("Content-Range"));
        if (!range || range->first != offset || reply->body.size() != range->last - range->first + 1)
            return Error(ErrorCode::Permanent,
                describe("GET", h)
                    + QStringLiteral(": the server sent %1 bytes with Content-Range \"%2\" for a "
                                     "request from offset %3")
                          .arg(reply->body.size())
                          .arg(QString::fromLatin1(reply->header("Content-Range")))
                          .arg(offset));
        auto want = loadLength(offset, length, range->size); // short file if the server had to clamp
        if (!want)
            return want.error();
        if (reply->body.size() != *want)
            return shortFileError(length, offset, range->size);
        return std::move(reply->body);
    }
    case 416: {
        const auto range = parseContentRange(reply->header("Content-Range"));
        if (!range)
            return ServerConnection::replyError(*reply, describe("GET", h));
        if (length < 0 && offset == range->size)
            return QByteArray(); // "the rest" from the very end is empty, not short
        return shortFileError(length, offset, range->size);
    }
    default: return ServerConnection::replyError(*reply, describe("GET", h));
    }
}

void RemoteBackend::prefetch(const Handle &h)
{
    if (m_spool && h.type == FileType::Pack && isContentId(h.name))
        m_spool->prefetch(h.name, [this, h] { return fetch(h, 0, -1); });
}

void RemoteBackend::enablePackSpool(const QString &parent, qint64 maxBytes)
{
    m_spool = std::make_unique<PackSpool>(parent, maxBytes);
}

Result<FileInfo> RemoteBackend::stat(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    if (h.type == FileType::Key)
        return noKeyFiles(h);
    if (h.type == FileType::Config) {
        auto config = loadConfig();
        if (!config)
            return config.error();
        return FileInfo {h.name, qint64(config->size())};
    }
    // One byte's answer carries the size in Content-Range; an empty file answers 416 "*/0".
    auto reply = m_connection->call("GET", filePath(h), QByteArray(), {{"Range", "bytes=0-0"}});
    if (!reply)
        return reply.error().wrapped(describe("GET", h));
    if (reply->status == 206 || reply->status == 416) {
        const auto range = parseContentRange(reply->header("Content-Range"));
        if (!range)
            return Error(ErrorCode::Permanent,
                describe("GET", h) + QStringLiteral(": no usable Content-Range in the %1 answer").arg(reply->status));
        return FileInfo {h.name, range->size};
    }
    if (reply->status == 200)
        return FileInfo {h.name, qint64(reply->body.size())};
    return ServerConnection::replyError(*reply, describe("GET", h));
}

namespace {
// The {"id", "size"} items of a listing page, all checked before any is visited.
Result<std::vector<FileInfo>> fileInfos(const QJsonArray &items, const QString &path)
{
    std::vector<FileInfo> infos;
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        FileInfo info {o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("size")).toInteger(-1)};
        if (!Handle::isValidName(info.name) || info.size < 0)
            return Error(ErrorCode::Corrupt, QStringLiteral("GET %1: malformed entry").arg(path));
        infos.push_back(info);
    }
    return infos;
}
} // namespace

Status RemoteBackend::listPacks(const std::function<void(const FileInfo &)> &visit)
{
    qint64 after = 0;
    for (;;) {
        const QString path = QStringLiteral("/api/v1/agent/packs?after=%1&limit=%2").arg(after).arg(kPackPage);
        auto page = m_connection->getJson(path);
        if (!page)
            return page.error();
        const QJsonArray items = page->value(QStringLiteral("items")).toArray();
        auto infos = fileInfos(items, path);
        if (!infos)
            return infos.error();
        for (const FileInfo &info : *infos)
            visit(info);
        const QJsonValue next = page->value(QStringLiteral("next"));
        if (next.isNull() || next.isUndefined() || items.isEmpty())
            return Status::success();
        const qint64 nextAfter = next.toInteger(-1);
        if (nextAfter <= after)
            return Error(ErrorCode::Corrupt, QStringLiteral("GET %1: the listing does not advance").arg(path));
        after = nextAfter;
    }
}

Status RemoteBackend::listSnapshots(const std::function<void(const FileInfo &)> &visit)
{
    qint64 before = 0;
    for (;;) {
        QString path = QStringLiteral("/api/v1/agent/snapshots?limit=%1").arg(kSnapshotPage);
        if (before > 0)
            path += QStringLiteral("&before=%1").arg(before);
        auto page = m_connection->getJson(path);
        if (!page)
            return page.error();
        const QJsonArray items = page->value(QStringLiteral("items")).toArray();
        auto infos = fileInfos(items, path);
        if (!infos)
            return infos.error();
        for (const FileInfo &info : *infos)
            visit(info);
        const QJsonValue next = page->value(QStringLiteral("next"));
        if (next.isNull() || next.isUndefined() || items.isEmpty())
            return Status::success();
        const qint64 nextBefore = next.toInteger(-1);
        if (nextBefore <= 0 || (before > 0 && nextBefore >= before))
            return Error(ErrorCode::Corrupt, QStringLiteral("GET %1: the listing does not advance").arg(path));
        before = nextBefore;
    }
}

Status RemoteBackend::list(FileType type, const std::function<void(const FileInfo &)> &visit)
{
    switch (type) {
    case FileType::Pack: return listPacks(visit);
    case FileType::Snapshot: return listSnapshots(visit);
    case FileType::Key: return Status::success();
    case FileType::Config: {
        auto config = loadConfig();
        if (!config)
            return config.error();
        visit(FileInfo {QStringLiteral("config"), qint64(config->size())});
        return Status::success();
    }
    }
    return Status::success();
}

Status RemoteBackend::remove(const Handle &h)
{
    CAIRN_TRY(checkHandle(h));
    return Error(ErrorCode::PermissionDenied,
        QStringLiteral("cannot remove %1 %2: agents never delete from the server (retention runs there)")
            .arg(QLatin1String(fileTypeName(h.type)), h.name));
}

} // namespace cairn
