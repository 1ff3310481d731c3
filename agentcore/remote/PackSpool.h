// PackSpool: whole packs fetched from the server, kept in a private temporary folder while a
// repository is open, so that many small reads of the same packs — a restore of many small files,
// which reads blobs in file order, not pack order — cost one download per pack instead of a
// request per blob. A pack is downloaded whole at its first read and written to the folder;
// reads are then pread()s of that file, which stays open between reads (up to 64 files). (It
// is not hashed here: every blob read from it is verified when it is opened — GCM tag and keyed
// chunk id — as for any backend.) The
// least recently used packs are deleted when the folder would exceed its limit; the folder and
// everything in it go when the spool is destroyed (and folders left by a killed process are
// removed by the next spool in the same parent folder). If the disk is full, the pack is served
// from memory and not kept. Thread-safe: concurrent reads of a pack being downloaded wait for
// that one download. prefetch() queues a download for two background threads, so a restore
// that announces the packs it will need finds them here or on their way.
#pragma once

#include "base/FileIo.h"
#include "base/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn {

class PackSpool {
public:
    // `parent` is created if missing (0700); the spool lives in parent/packs-<pid>.
    PackSpool(const QString &parent, qint64 maxBytes);
    ~PackSpool();
    PackSpool(const PackSpool &) = delete;
    PackSpool &operator=(const PackSpool &) = delete;

    // [offset, offset + length) of pack `name` (64 hex digits). `download` fetches the whole pack.
    Result<QByteArray> read(const QString &name, qint64 offset, qint64 length,
        const std::function<Result<QByteArray>()> &download);

    // Starts downloading pack `name` in the background unless it is here, on its way, or 16
    // downloads are already waiting (then the hint is dropped: read() fetches it when needed).
    // `download` is called on a background thread and must stay valid until the spool is gone.
    void prefetch(const QString &name, std::function<Result<QByteArray>()> download);

    qint64 downloads() const; // packs downloaded so far (for tests and statistics)

private:
    // An open spooled pack, shared by the reads under way (closed by the last one).
    using OpenPack = FdCloser;
    struct Entry {
        qint64 size = 0;
        quint64 lastUse = 0;
        bool ready = false;
        bool queued = false; // waiting in m_queue for a prefetch thread
        std::shared_ptr<OpenPack> open; // kept open while the pack is in use (at most kOpenPacks)
    };
    QString filePath(const QString &name) const;
    // Downloads a pack whose entry (not ready) the caller inserted, keeps it, wakes waiters.
    Result<QByteArray> fetchAndKeep(const QString &name, const std::function<Result<QByteArray>()> &download);
    void prefetchLoop();
    Result<QByteArray> readFile(const QString &name, const std::shared_ptr<OpenPack> &pack, qint64 offset,
        qint64 length, qint64 size);
    // The open descriptor of ready pack `name`, opened if needed (m_mutex held).
    Result<std::shared_ptr<OpenPack>> openLocked(const QString &name, Entry &entry);
    void evictLocked(const QString &keep);

    QString m_dir;
    qint64 m_maxBytes;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    QHash<QString, Entry> m_entries;
    qint64 m_total = 0;
    quint64 m_clock = 0;
    qint64 m_downloads = 0;
    int m_openPacks = 0;
    bool m_usable = true; // false once the folder cannot be created
    std::deque<std::pair<QString, std::function<Result<QByteArray>()>>> m_queue;
    std::vector<std::thread> m_prefetchers;
    bool m_stopping = false;
};

} // namespace cairn
