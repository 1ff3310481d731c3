#include "archiver/MetadataPrefetcher.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace cairn {

namespace {
constexpr size_t kMaxQueued = 100000; // bounds memory on enormous trees; deeper parts are skipped
}

MetadataPrefetcher::MetadataPrefetcher(const QList<QByteArray> &roots, bool oneFileSystem, int threads)
    : m_oneFileSystem(oneFileSystem)
{
    for (const QByteArray &r : roots) {
        struct stat st;
        if (lstat(r.constData(), &st) == 0 && S_ISDIR(st.st_mode))
            m_dirs.emplace_back(r, st.st_dev);
    }
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { work(); });
}

MetadataPrefetcher::~MetadataPrefetcher()
{
    stop();
}

void MetadataPrefetcher::stop()
{
    m_stop = true;
    m_changed.notify_all();
    for (auto &t : m_threads)
        if (t.joinable())
            t.join();
}

void MetadataPrefetcher::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [&] { return m_stop || !m_dirs.empty() || m_busy == 0; });
        if (m_stop || m_dirs.empty())
            return; // stopped, or nothing left and nobody can add more
        auto [path, dev] = std::move(m_dirs.back());
        m_dirs.pop_back();
        ++m_busy;
        lock.unlock();

        std::vector<std::pair<QByteArray, dev_t>> found;
        const int fd = open(path.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (DIR *d = fd >= 0 ? fdopendir(fd) : nullptr) {
            while (dirent *e = readdir(d)) {
                if (m_stop)
                    break;
                if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                    continue;
                struct stat st;
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                    continue;
                if (S_ISDIR(st.st_mode) && (!m_oneFileSystem || st.st_dev == dev))
                    found.emplace_back(path + '/' + e->d_name, st.st_dev);
            }
            closedir(d);
        } else if (fd >= 0) {
            close(fd);
        }

        lock.lock();
        --m_busy;
        for (auto &f : found)
            if (m_dirs.size() < kMaxQueued)
                m_dirs.push_back(std::move(f));
        m_changed.notify_all();
    }
}

} // namespace cairn
