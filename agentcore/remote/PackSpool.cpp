#include "remote/PackSpool.h"

#include "base/FileIo.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn {

namespace {

constexpr int kOpenPacks = 64; // spooled packs kept open between reads

Error shortPack(const QString &name, qint64 offset, qint64 length, qint64 size)
{
    return Error(ErrorCode::Permanent,
        QStringLiteral("short file: pack %1 has %2 bytes, %3 wanted from offset %4").arg(name).arg(size).arg(length).arg(offset));
}

// Spool folders of processes that no longer run.
void removeAbandoned(const QString &parent)
{
    const QDir dir(parent);
    for (const QString &name : dir.entryList({QStringLiteral("packs-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const qint64 pid = name.mid(6).toLongLong(&ok);
        if (ok && pid > 0 && pid != ::getpid() && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            QDir(dir.filePath(name)).removeRecursively();
    }
}

// A scratch copy: written under a temporary name and renamed, not synced (it dies with the spool).
bool spoolFile(const QByteArray &path, const QByteArray &data)
{
    const QByteArray tmp = path + ".part";
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = writeAll(fd, data, tmp).ok();
    ok = ::close(fd) == 0 && ok;
    ok = ok && ::rename(tmp.constData(), path.constData()) == 0;
    if (!ok)
        ::unlink(tmp.constData());
    return ok;
}

} // namespace

PackSpool::PackSpool(const QString &parent, qint64 maxBytes)
    : m_dir(QDir(parent).filePath(QStringLiteral("packs-%1").arg(::getpid()))), m_maxBytes(maxBytes)
{
    QDir().mkpath(parent);
    ::chmod(QFile::encodeName(parent).constData(), 0700);
    removeAbandoned(parent);
    QDir(m_dir).removeRecursively();
    m_usable = ::mkdir(QFile::encodeName(m_dir).constData(), 0700) == 0;
}

PackSpool::~PackSpool()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
        for (const auto &queued : m_queue)
            m_entries.remove(queued.first);
        m_queue.clear();
    }
    m_changed.notify_all();
    for (std::thread &t : m_prefetchers)
        t.join();
    QDir(m_dir).removeRecursively();
}

void PackSpool::prefetch(const QString &name, std::function<Result<QByteArray>()> download)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stopping || m_entries.contains(name) || m_queue.size() >= 16)
            return;
        Entry e;
        e.queued = true;
        m_entries.insert(name, e);
        m_queue.emplace_back(name, std::move(download));
        if (m_prefetchers.empty())
            for (int i = 0; i < 2; ++i)
                m_prefetchers.emplace_back([this] { prefetchLoop(); });
    }
    m_changed.notify_all();
}

void PackSpool::prefetchLoop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_stopping)
            return;
        auto [name, download] = std::move(m_queue.front());
        m_queue.pop_front();
        m_entries[name].queued = false;
        lock.unlock();
        (void)fetchAndKeep(name, download); // a failure is retried by the read that needs it
        lock.lock();
    }
}

qint64 PackSpool::downloads() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_downloads;
}

QString PackSpool::filePath(const QString &name) const
{
    return m_dir + QLatin1Char('/') + name;
}

Result<std::shared_ptr<PackSpool::OpenPack>> PackSpool::openLocked(const QString &name, Entry &entry)
{
    if (entry.open)
        return entry.open;
    const QByteArray path = QFile::encodeName(filePath(name));
    auto pack = std::make_shared<OpenPack>(::open(path.constData(), O_RDONLY | O_CLOEXEC));
    if (pack->get() < 0)
        return systemError(QStringLiteral("cannot open"), path, errno);
    if (m_openPacks >= kOpenPacks) { // close the least recently used one (its readers keep theirs)
        Entry *oldest = nullptr;
        for (Entry &e : m_entries) {
            if (e.open && (!oldest || e.lastUse < oldest->lastUse))
                oldest = &e;
        }
        if (oldest) {
            oldest->open.reset();
            --m_openPacks;
        }
    }
    entry.open = pack;
    ++m_openPacks;
    return pack;
}

Result<QByteArray> PackSpool::readFile(const QString &name, const std::shared_ptr<OpenPack> &pack, qint64 offset,
    qint64 length, qint64 size)
{
    if (offset < 0 || length < 0 || offset + length > size)
        return shortPack(name, offset, length, size);
    const int fd = pack->get();
    QByteArray out(length, Qt::Uninitialized);
    qint64 done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, out.data() + done, size_t(length - done), offset + done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(QStringLiteral("cannot read"), QFile::encodeName(filePath(name)), errno);
        if (n == 0)
            return shortPack(name, offset, length, offset + done);
        done += n;
    }
    return out;
}

void PackSpool::evictLocked(const QString &keep)
{
    while (m_total > m_maxBytes) {
        QString oldest;
        quint64 oldestUse = ~quint64(0);
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            if (it->ready && it.key() != keep && it->lastUse < oldestUse) {
                oldest = it.key();
                oldestUse = it->lastUse;
            }
        }
        if (oldest.isEmpty())
            return;
        // A reader that opened the file already keeps reading it; one that did not downloads again.
        ::unlink(QFile::encodeName(filePath(oldest)).constData());
        const Entry gone = m_entries.take(oldest);
        m_total -= gone.size;
        if (gone.open)
            --m_openPacks;
    }
}

Result<QByteArray> PackSpool::read(const QString &name, qint64 offset, qint64 length,
    const std::function<Result<QByteArray>()> &download)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        auto it = m_entries.find(name);
        if (it == m_entries.end())
            break;
        if (it->ready) {
            it->lastUse = ++m_clock;
            const qint64 size = it->size;
            auto pack = openLocked(name, *it);
            if (pack) {
                lock.unlock();
                return readFile(name, *pack, offset, length, size);
            }
            if (pack.error().code != ErrorCode::NotFound)
                return pack.error(); // e.g. out of descriptors: the entry stays for a later read
            m_total -= it->size; // the spooled file is gone (its folder was cleaned): fetch it again
            m_entries.erase(it);
            break;
        }
        if (it->queued) { // announced but not started: needed now, so fetched here
            it->queued = false;
            const auto q = std::find_if(m_queue.begin(), m_queue.end(), [&](const auto &e) { return e.first == name; });
            if (q != m_queue.end())
                m_queue.erase(q);
            break;
        }
        m_changed.wait(lock); // someone is downloading it
    }
    m_entries[name] = Entry {};
    lock.unlock();
    auto pack = fetchAndKeep(name, download);
    if (!pack)
        return pack.error();
    if (offset < 0 || length < 0 || offset + length > pack->size())
        return shortPack(name, offset, length, pack->size());
    return pack->mid(offset, length);
}

Result<QByteArray> PackSpool::fetchAndKeep(const QString &name, const std::function<Result<QByteArray>()> &download)
{
    auto pack = download();
    bool kept = false;
    if (pack && m_usable)
        kept = spoolFile(QFile::encodeName(filePath(name)), *pack);

    std::unique_lock<std::mutex> lock(m_mutex);
    ++m_downloads;
    if (kept) {
        Entry &e = m_entries[name];
        e.ready = true;
        e.size = pack->size();
        e.lastUse = ++m_clock;
        m_total += e.size;
        evictLocked(name);
    } else {
        m_entries.remove(name);
    }
    lock.unlock();
    m_changed.notify_all();
    return pack;
}

} // namespace cairn
