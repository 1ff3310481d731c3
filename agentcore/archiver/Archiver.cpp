#include "archiver/Archiver.h"

#include "archiver/FsNode.h"
#include "base/BoundedQueue.h"

#include <QDateTime>
#include <QSysInfo>

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <thread>

namespace cairn {

namespace {

constexpr size_t kReadBuffer = 2 << 20;
constexpr uint32_t kMaxZeroRun = 1u << 30;

struct DirNode {
    std::vector<Node> children;
    std::vector<uint8_t> dropped;
    std::atomic<int> pending{1}; // 1 for the listing itself
    std::shared_ptr<DirNode> parent;
    size_t indexInParent = 0;
};

// A directory waiting to be listed by a walker thread.
struct DirWork {
    std::shared_ptr<DirNode> node;
    QByteArray path;
    std::shared_ptr<const Tree> parentTree; // its listing in the parent snapshot, if any
    dev_t rootDev = 0;
};

struct FileTask {
    std::shared_ptr<DirNode> dir;
    size_t index = 0;
    QByteArray path;
};

struct FileRead;

// Consecutive chunks of one file, handed to a sealer together (about 256 KiB): one queue
// operation per batch instead of per chunk keeps the threads from waking each other constantly.
struct SealTask {
    std::shared_ptr<FileRead> file;
    std::vector<std::pair<ContentRef *, uint32_t>> chunks; // where each chunk's id goes, and its length
    std::vector<uint8_t> data;                            // the chunks back to back (pooled buffer)
};
constexpr qsizetype kSealBatch = 256 << 10;

// One read of one file. Chunks are hashed (and, when new, sealed) by the sealer threads, which
// fill in their ids; the last one to finish (or the reader, if later) completes the file.
struct FileRead {
    std::shared_ptr<DirNode> dir;
    size_t index = 0;
    QByteArray path;
    // A deque: the reader appends while sealers write ids through pointers to earlier elements,
    // which push_back never moves.
    std::deque<ContentRef> content;
    std::atomic<int> pending{1}; // the reader's own hold + one per chunk in flight
    bool lastIsZero = false;     // reader-only: the last entry is a zero run it may extend
    SealTask batch;              // reader-only: chunks not yet handed to the sealers
    bool final = false;          // set by the reader before releasing its hold
    bool changed = false;
    uint64_t total = 0;
    struct stat before {};
};


// The paths given, arranged as directories from "/" down; `real` marks where walking begins.
struct VirtualDir {
    std::map<QByteArray, VirtualDir> children;
    bool real = false;
};

bool isAllZero(const uint8_t *p, size_t n)
{
    return n == 0 || (p[0] == 0 && std::memcmp(p, p + 1, n - 1) == 0);
}

QByteArray joinPath(const QByteArray &dir, const QByteArray &name)
{
    return dir.endsWith('/') ? dir + name : dir + '/' + name;
}

bool sameStat(const struct stat &a, const struct stat &b)
{
    return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
        && a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec && a.st_ino == b.st_ino;
}

} // namespace

struct Archiver::Run {
    Archiver &a;
    Repository &repo;
    const BackupOptions &opt;
    FsNodeReader nodes;
    BoundedQueue<FileTask> files{256};
    BoundedQueue<SealTask> seals{24}; // batches of ~256 KiB
    std::mutex errorMutex, callbackMutex, bufferMutex;
    std::vector<std::vector<uint8_t>> spareBuffers;
    std::optional<Error> fatal;
    std::atomic<bool> failed{false};
    int pathsFound = 0; // of the paths given, how many exist (caller's thread only)
    std::atomic<qint64> filesDone{0}, dirsDone{0}, bytesDone{0}, bytesRead{0}, bytesNew{0}, bytesStored{0},
        blobsNew{0}, filesUnchanged{0}, filesNew{0}, filesChanged{0}, others{0}, errors{0}, warnings{0};
    std::optional<ChunkId> rootTree;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    Run(Archiver &archiver, const BackupOptions &options) : a(archiver), repo(archiver.m_repo), opt(options) {}

    // --- reporting
    void fail(const Error &e)
    {
        {
            std::lock_guard lock(errorMutex);
            if (!fatal)
                fatal = e;
        }
        failed = true;
        files.abort();
        seals.abort();
    }
    void warn(const QByteArray &path, const QString &message)
    {
        ++warnings;
        if (a.m_cb.warning) {
            std::lock_guard lock(callbackMutex);
            a.m_cb.warning(path, message);
        }
    }
    void itemError(const QByteArray &path, const Error &e)
    {
        ++errors;
        if (a.m_cb.error) {
            std::lock_guard lock(callbackMutex);
            a.m_cb.error(path, e);
        }
    }
    double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
    BackupProgress progress() const
    {
        BackupProgress p;
        p.filesDone = filesDone;
        p.dirsDone = dirsDone;
        p.bytesDone = bytesDone;
        p.bytesRead = bytesRead;
        p.bytesNew = bytesNew;
        p.bytesStored = bytesStored;
        p.filesUnchanged = filesUnchanged;
        p.errors = errors;
        p.warnings = warnings;
        p.seconds = elapsed();
        return p;
    }

    bool excluded(const QByteArray &path, const QByteArray &name) const
    {
        for (const QString &pattern : opt.excludes) {
            const QByteArray pat = pattern.toLocal8Bit();
            const QByteArray &subject = pat.contains('/') ? path : name;
            if (fnmatch(pat.constData(), subject.constData(), 0) == 0)
                return true;
        }
        return false;
    }

    // --- tree completion: a directory is finished when its listing and all its children are.
    void complete(const std::shared_ptr<DirNode> &d)
    {
        if (--d->pending != 0)
            return;
        Tree tree;
        tree.nodes.reserve(d->children.size());
        for (size_t i = 0; i < d->children.size(); ++i)
            if (!d->dropped[i])
                tree.nodes.push_back(std::move(d->children[i]));
        d->children.clear();
        qint64 stored = 0;
        auto id = repo.saveTree(tree, &stored);
        if (!id) {
            fail(id.error());
            return;
        }
        bytesStored += stored;
        ++dirsDone;
        if (!d->parent) {
            rootTree = *id;
            return;
        }
        d->parent->children[d->indexInParent].subtree = *id;
        complete(d->parent);
    }

    // --- walking (caller's thread)
    const Node *findInParent(const Tree *parentTree, const QByteArray &name) const
    {
        if (!parentTree)
            return nullptr;
        auto it = std::lower_bound(parentTree->nodes.begin(), parentTree->nodes.end(), name,
                                   [](const Node &n, const QByteArray &key) { return n.name < key; });
        return (it != parentTree->nodes.end() && it->name == name) ? &*it : nullptr;
    }

    std::shared_ptr<const Tree> loadParentSubtree(const Node *parentNode)
    {
        if (!parentNode || parentNode->type != NodeType::Dir)
            return nullptr;
        auto t = repo.loadTree(parentNode->subtree);
        if (!t)
            return nullptr; // a damaged parent only costs re-reading
        return std::make_shared<const Tree>(std::move(*t));
    }

    // --- parallel walking: directories are listed by several walker threads. Order does not
    // matter (each directory sorts its own entries); a LIFO stack keeps the walk depth-first
    // enough that few directories are open at once.
    std::mutex workMutex;
    std::condition_variable workChanged;
    std::vector<DirWork> workStack;
    int walkersBusy = 0;

    void pushDir(DirWork w)
    {
        std::lock_guard lock(workMutex);
        workStack.push_back(std::move(w));
        workChanged.notify_one();
    }

    void walkerLoop()
    {
        std::unique_lock lock(workMutex);
        for (;;) {
            workChanged.wait(lock, [&] { return failed || !workStack.empty() || walkersBusy == 0; });
            if (failed || workStack.empty()) {
                workChanged.notify_all();
                return;
            }
            DirWork w = std::move(workStack.back());
            workStack.pop_back();
            ++walkersBusy;
            lock.unlock();
            walkDir(w.node, w.path, w.parentTree.get(), w.rootDev);
            w = DirWork();
            lock.lock();
            --walkersBusy;
            workChanged.notify_all();
        }
    }

    // Handles child `index` of `d` (already filled with metadata).
    void dispatch(const std::shared_ptr<DirNode> &d, size_t index, const QByteArray &path, const Node *parentNode,
                  const VirtualDir *virt, dev_t rootDev)
    {
        Node &n = d->children[index];
        switch (n.type) {
        case NodeType::File: {
            if (parentNode && parentNode->type == NodeType::File && parentNode->device == n.device
                && parentNode->inode == n.inode && parentNode->size == n.size && parentNode->mtimeNs == n.mtimeNs
                && parentNode->ctimeNs == n.ctimeNs) {
                n.content = parentNode->content;
                ++filesUnchanged;
                ++filesDone;
                bytesDone += qint64(n.size);
                return;
            }
            (parentNode ? filesChanged : filesNew)++;
            ++d->pending;
            if (!files.push(FileTask{d, index, path}))
                --d->pending;
            return;
        }
        case NodeType::Dir: {
            auto child = std::make_shared<DirNode>();
            child->parent = d;
            child->indexInParent = index;
            ++d->pending;
            std::shared_ptr<const Tree> parentTree = loadParentSubtree(parentNode);
            if (virt && !virt->real)
                walkVirtual(child, path, *virt, parentTree.get());
            else if (opt.oneFileSystem && rootDev != 0 && dev_t(n.device) != rootDev)
                complete(child); // a mount point: kept, not entered
            else
                pushDir(DirWork{child, path, std::move(parentTree), rootDev ? rootDev : dev_t(n.device)});
            return;
        }
        default:
            ++others;
            return;
        }
    }

    // lstat()s one entry and appends its node to d; false (reported unless it simply vanished
    // during the walk) when it cannot be used.
    bool addChild(DirNode &d, const QByteArray &childPath, const QByteArray &name, bool mustBeDir, bool vanishedIsError)
    {
        struct stat st;
        if (lstat(childPath.constData(), &st) != 0) {
            if (errno != ENOENT || vanishedIsError)
                itemError(childPath, systemError(QStringLiteral("stat"), childPath, errno));
            return false;
        }
        if (mustBeDir && !S_ISDIR(st.st_mode)) {
            itemError(childPath, Error(ErrorCode::InvalidArgument, QStringLiteral("not a directory")));
            return false;
        }
        auto node = nodes.read(childPath, name, st);
        if (!node) {
            itemError(childPath, node.error());
            return false;
        }
        d.children.push_back(std::move(*node));
        return true;
    }

    void walkDir(const std::shared_ptr<DirNode> &d, const QByteArray &path, const Tree *parentTree, dev_t rootDev)
    {
        DIR *dir = opendir(path.constData());
        if (!dir) {
            itemError(path, systemError(QStringLiteral("open directory"), path, errno));
            complete(d);
            return;
        }
        std::vector<QByteArray> names;
        errno = 0;
        while (dirent *e = readdir(dir)) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                continue;
            names.emplace_back(e->d_name);
        }
        if (errno != 0)
            itemError(path, systemError(QStringLiteral("read directory"), path, errno));
        closedir(dir);
        std::sort(names.begin(), names.end());
        std::vector<QByteArray> paths;
        for (const QByteArray &name : names) {
            if (failed)
                break;
            const QByteArray childPath = joinPath(path, name);
            if (excluded(childPath, name))
                continue;
            if (addChild(*d, childPath, name, /*mustBeDir=*/false, /*vanishedIsError=*/false))
                paths.push_back(childPath);
        }
        d->dropped.assign(d->children.size(), 0);
        for (size_t i = 0; i < d->children.size() && !failed; ++i)
            dispatch(d, i, paths[i], findInParent(parentTree, d->children[i].name), nullptr, rootDev);
        complete(d);
    }

    void walkVirtual(const std::shared_ptr<DirNode> &d, const QByteArray &path, const VirtualDir &v, const Tree *parentTree)
    {
        std::vector<const VirtualDir *> virts;
        std::vector<QByteArray> paths;
        for (const auto &[name, child] : v.children) {
            const QByteArray childPath = joinPath(path, name);
            if (!addChild(*d, childPath, name, /*mustBeDir=*/!child.real, /*vanishedIsError=*/true))
                continue;
            if (child.real)
                ++pathsFound;
            virts.push_back(&child);
            paths.push_back(childPath);
        }
        d->dropped.assign(d->children.size(), 0);
        for (size_t i = 0; i < d->children.size() && !failed; ++i)
            dispatch(d, i, paths[i], findInParent(parentTree, d->children[i].name), virts[i], 0);
        complete(d);
    }

    // --- reading (reader threads): I/O, chunking and zero detection; hashing happens in sealers
    void readerLoop()
    {
        std::vector<uint8_t> buffer(kReadBuffer);
        while (auto task = files.pop())
            readFile(*task, buffer);
    }

    // Appends a zero run, merging with a preceding one. Only the reader touches zero entries; a
    // data entry's id is written by a sealer and never read here (the placeholder equals the
    // zero id, so the reader must not look at ids).
    static void appendZeros(FileRead &f, uint64_t length)
    {
        while (length > 0) {
            if (f.lastIsZero && f.content.back().length < kMaxZeroRun) {
                const uint64_t add = std::min<uint64_t>(length, kMaxZeroRun - f.content.back().length);
                f.content.back().length += uint32_t(add);
                length -= add;
                continue;
            }
            const uint64_t take = std::min<uint64_t>(length, kMaxZeroRun);
            f.content.push_back({zeroChunkId(), uint32_t(take)});
            f.lastIsZero = true;
            length -= take;
        }
    }

    void processChunk(const std::shared_ptr<FileRead> &f, const uint8_t *p, size_t n)
    {
        if (isAllZero(p, n)) {
            appendZeros(*f, n);
            return;
        }
        f->lastIsZero = false;
        f->content.push_back({ChunkId{}, uint32_t(n)});
        SealTask &b = f->batch;
        if (b.data.capacity() == 0)
            b.data = takeBuffer();
        b.chunks.emplace_back(&f->content.back(), uint32_t(n));
        b.data.insert(b.data.end(), p, p + n);
        if (qsizetype(b.data.size()) >= kSealBatch)
            sendBatch(f);
    }

    // Batch buffers are recycled: allocating and freeing them per batch makes the allocator keep
    // far more memory than is in use at any time.
    std::vector<uint8_t> takeBuffer()
    {
        {
            std::lock_guard lock(bufferMutex);
            if (!spareBuffers.empty()) {
                std::vector<uint8_t> b = std::move(spareBuffers.back());
                spareBuffers.pop_back();
                return b;
            }
        }
        std::vector<uint8_t> b;
        b.reserve(size_t(kSealBatch) + repo.chunker().params().maxSize);
        return b;
    }
    void giveBuffer(std::vector<uint8_t> &&b)
    {
        b.clear();
        std::lock_guard lock(bufferMutex);
        spareBuffers.push_back(std::move(b));
    }

    void sendBatch(const std::shared_ptr<FileRead> &f)
    {
        if (f->batch.chunks.empty())
            return;
        SealTask task = std::move(f->batch);
        f->batch = SealTask();
        task.file = f;
        ++f->pending;
        if (!seals.push(std::move(task)))
            --f->pending; // aborted
    }

    // Reads [from, to) of `fd` through the chunker. Returns bytes actually read.
    Result<qint64> readExtent(int fd, qint64 from, qint64 to, std::vector<uint8_t> &buf,
                              const std::shared_ptr<FileRead> &f)
    {
        const Chunker &chunker = repo.chunker();
        size_t have = 0;
        qint64 off = from;
        bool eof = false;
        qint64 total = 0;
        while (!failed) {
            while (!eof && have < buf.size()) {
                const size_t want = size_t(std::min<qint64>(qint64(buf.size() - have), to - off));
                if (want == 0) {
                    eof = true;
                    break;
                }
                const ssize_t r = pread(fd, buf.data() + have, want, off);
                if (r < 0) {
                    if (errno == EINTR)
                        continue;
                    return systemError(QStringLiteral("read"), f->path, errno);
                }
                if (r == 0) {
                    eof = true; // shrank while reading: the change check notices
                    break;
                }
                have += size_t(r);
                off += r;
                total += r;
                bytesRead += r;
            }
            size_t pos = 0;
            while (pos < have) {
                const size_t cut = chunker.nextCut(buf.data() + pos, have - pos, eof);
                if (cut == 0)
                    break;
                processChunk(f, buf.data() + pos, cut);
                pos += cut;
            }
            if (pos > 0 && pos < have)
                std::memmove(buf.data(), buf.data() + pos, have - pos);
            have -= pos;
            if (eof && have == 0)
                break;
        }
        return total;
    }

    // Called when a read's last chunk is hashed and the reader is done with it.
    void finishRead(const std::shared_ptr<FileRead> &f)
    {
        if (!f->final)
            return; // superseded by a re-read
        Node &node = f->dir->children[f->index];
        FsNodeReader::applyStat(node, f->before);
        node.size = f->total;
        node.content.assign(f->content.begin(), f->content.end());
        f->content.clear();
        if (f->changed)
            warn(f->path, QStringLiteral("file changed while it was read; stored as read"));
        ++filesDone;
        bytesDone += qint64(f->total);
        complete(f->dir);
    }

    void release(const std::shared_ptr<FileRead> &f)
    {
        if (--f->pending == 0)
            finishRead(f);
    }

    void dropFile(FileTask &task)
    {
        task.dir->dropped[task.index] = 1;
        complete(task.dir);
    }

    void readFile(FileTask &task, std::vector<uint8_t> &buf)
    {
        const QByteArray &path = task.path;
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (failed)
                return;
            int fd = open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOATIME);
            if (fd < 0 && errno == EPERM)
                fd = open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            if (fd < 0) {
                if (errno != ENOENT) // ENOENT: deleted since it was listed
                    itemError(path, systemError(QStringLiteral("open"), path, errno));
                dropFile(task);
                return;
            }
            auto f = std::make_shared<FileRead>();
            f->dir = task.dir;
            f->index = task.index;
            f->path = path;
            struct stat after;
            if (fstat(fd, &f->before) != 0 || !S_ISREG(f->before.st_mode)) {
                itemError(path, Error(ErrorCode::Io, QStringLiteral("no longer a regular file")));
                close(fd);
                dropFile(task);
                return;
            }
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
            qint64 pos = 0;
            const qint64 size = f->before.st_size;
            Status st;
            while (pos < size && !failed) {
                qint64 data = lseek(fd, pos, SEEK_DATA);
                if (data < 0)
                    data = errno == ENXIO ? size : pos; // ENXIO: only a hole remains; else no hole support
                data = std::min(data, size);
                if (data > pos)
                    appendZeros(*f, uint64_t(data - pos));
                if (data >= size)
                    break;
                qint64 hole = lseek(fd, data, SEEK_HOLE);
                if (hole < 0 || hole > size)
                    hole = size;
                auto got = readExtent(fd, data, hole, buf, f);
                if (!got) {
                    st = got.error();
                    break;
                }
                pos = data + *got;
                if (*got < hole - data)
                    break; // file shrank
            }
            const bool statOk = fstat(fd, &after) == 0;
            close(fd);
            if (failed)
                return;
            if (!st.ok()) {
                itemError(path, st.error());
                dropFile(task);
                return;
            }
            sendBatch(f);
            for (const ContentRef &c : f->content)
                f->total += c.length;
            f->changed = !statOk || !sameStat(f->before, after) || qint64(f->total) != size;
            if (f->changed && attempt == 0) {
                release(f); // not final: its chunks finish on their own, the result is discarded
                continue;   // re-read once
            }
            f->final = true;
            release(f);
            return;
        }
    }

    // --- sealing (sealer threads)
    void sealerLoop()
    {
        while (auto task = seals.pop()) {
            const uint8_t *p = task->data.data();
            for (const auto &[slot, n] : task->chunks) {
                const ChunkId id = repo.codec().chunkId(p, n);
                auto isNew = repo.claim(id);
                if (!isNew) {
                    fail(isNew.error());
                    return;
                }
                if (*isNew) {
                    bytesNew += qint64(n);
                    ++blobsNew;
                    auto stored = repo.storeBlob(BlobType::Data, id, p, n);
                    if (!stored) {
                        fail(stored.error());
                        return;
                    }
                    bytesStored += *stored;
                }
                slot->id = id;
                p += n;
            }
            giveBuffer(std::move(task->data));
            release(task->file);
        }
    }
};

Archiver::Archiver(Repository &repo, BackupCallbacks callbacks) : m_repo(repo), m_cb(std::move(callbacks)) {}
Archiver::~Archiver() = default;

Result<Snapshot> Archiver::run(const BackupOptions &options)
{
    if (options.paths.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no paths to back up"));
    // Normalise the paths and arrange them as a tree from "/".
    QList<QByteArray> paths;
    for (QByteArray p : options.paths) {
        if (!p.startsWith('/'))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("path %1 is not absolute").arg(QString::fromLocal8Bit(p)));
        while (p.contains("//"))
            p.replace("//", "/");
        while (p.size() > 1 && p.endsWith('/'))
            p.chop(1);
        for (const QByteArray &c : p.split('/'))
            if (c == "." || c == "..")
                return Error(ErrorCode::InvalidArgument, QStringLiteral("path %1 contains . or ..").arg(QString::fromLocal8Bit(p)));
        paths.append(p);
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    VirtualDir root;
    for (const QByteArray &p : paths) {
        if (p == "/") {
            root.real = true;
            continue;
        }
        VirtualDir *v = &root;
        bool covered = root.real;
        const QList<QByteArray> parts = p.mid(1).split('/');
        for (const QByteArray &part : parts) {
            v = &v->children[part];
            covered = covered || (v->real && &part != &parts.back());
        }
        if (!covered)
            v->real = true;
    }

    // The parent snapshot: the latest of this host with the same paths.
    Snapshot snap;
    snap.time = QDateTime::currentDateTimeUtc();
    snap.hostname = options.hostname.isEmpty() ? QSysInfo::machineHostName() : options.hostname;
    snap.username = qEnvironmentVariable("USER");
    snap.paths = paths;
    snap.excludes = options.excludes;
    snap.programVersion = QStringLiteral("cairn " CAIRN_VERSION);
    std::optional<Tree> parentRoot;
    if (options.useParent) {
        std::optional<Snapshot> parent;
        if (options.parent) {
            auto p = m_repo.loadSnapshot(*options.parent);
            if (!p)
                return p.error().wrapped(QStringLiteral("parent snapshot"));
            parent = *p;
        } else if (auto all = m_repo.listSnapshots(); all) {
            for (auto it = all->rbegin(); it != all->rend(); ++it)
                if (it->hostname == snap.hostname && it->paths == paths) {
                    parent = *it;
                    break;
                }
        }
        if (parent) {
            snap.parent = parent->id;
            if (auto t = m_repo.loadTree(parent->tree); t)
                parentRoot = std::move(*t);
        }
    }

    Run run(*this, options);
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, options.readers); ++i)
        threads.emplace_back([&run] { run.readerLoop(); });
    std::vector<std::thread> sealers;
    for (int i = 0; i < std::max(1, options.sealers); ++i)
        sealers.emplace_back([&run] { run.sealerLoop(); });
    std::atomic<bool> walking{true};
    std::thread ticker([&] {
        while (walking) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (m_cb.cancelled && m_cb.cancelled())
                run.fail(Error(ErrorCode::Cancelled, QStringLiteral("backup cancelled")));
            if (m_cb.progress) {
                std::lock_guard lock(run.callbackMutex);
                m_cb.progress(run.progress());
            }
        }
    });

    auto rootNode = std::make_shared<DirNode>();
    std::shared_ptr<const Tree> parentRootTree = parentRoot ? std::make_shared<const Tree>(std::move(*parentRoot)) : nullptr;
    if (root.real) {
        struct stat st;
        if (lstat("/", &st) == 0)
            run.pushDir(DirWork{rootNode, "/", parentRootTree, st.st_dev});
        else
            run.fail(systemError(QStringLiteral("stat"), "/", errno));
    } else {
        run.walkVirtual(rootNode, "/", root, parentRootTree.get());
    }
    std::vector<std::thread> walkers;
    for (int i = 1; i < std::max(1, options.walkers); ++i)
        walkers.emplace_back([&run] { run.walkerLoop(); });
    run.walkerLoop();
    for (auto &t : walkers)
        t.join();
    run.files.close();
    for (auto &t : threads)
        t.join();
    run.seals.close();
    for (auto &t : sealers)
        t.join();
    Status flushed = run.failed ? Status() : m_repo.flush();
    walking = false;
    ticker.join();
    if (run.fatal)
        return *run.fatal;
    if (!flushed.ok())
        return flushed.error();
    if (!run.rootTree)
        return Error(ErrorCode::Permanent, QStringLiteral("backup ended without a root tree"));
    if (!root.real && run.pathsFound == 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("none of the paths could be backed up; no snapshot saved"));

    snap.tree = *run.rootTree;
    snap.endTime = QDateTime::currentDateTimeUtc();
    BackupStats &s = snap.stats;
    s.files = run.filesDone;
    s.dirs = run.dirsDone;
    s.others = run.others;
    s.filesNew = run.filesNew;
    s.filesChanged = run.filesChanged;
    s.filesUnchanged = run.filesUnchanged;
    s.bytesScanned = run.bytesDone;
    s.bytesRead = run.bytesRead;
    s.bytesNew = run.bytesNew;
    s.bytesStored = run.bytesStored;
    s.blobsNew = run.blobsNew;
    s.warnings = run.warnings;
    s.errors = run.errors;
    s.seconds = run.elapsed();
    auto id = m_repo.saveSnapshot(snap);
    if (!id)
        return id.error();
    snap.id = *id;
    if (m_cb.progress)
        m_cb.progress(run.progress());
    return snap;
}

} // namespace cairn
