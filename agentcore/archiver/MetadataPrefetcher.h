// Reads file-system metadata ahead of the archiver's walker with several threads. The walker is
// sequential (trees need a deterministic order); on a cold cache it would wait for one inode or
// directory block at a time. The prefetcher lists directories and lstat()s their entries in
// parallel so the blocks are cached when the walker needs them. It only warms caches: what it
// sees is not used. Owns its threads; stop() (or the destructor) ends them.
#pragma once

#include <QByteArray>
#include <QList>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn {

class MetadataPrefetcher {
public:
    MetadataPrefetcher(const QList<QByteArray> &roots, bool oneFileSystem, int threads = 4);
    ~MetadataPrefetcher();
    void stop();

private:
    void work();

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::pair<QByteArray, dev_t>> m_dirs; // to list, with the device to stay on
    int m_busy = 0;
    bool m_oneFileSystem;
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
};

} // namespace cairn
