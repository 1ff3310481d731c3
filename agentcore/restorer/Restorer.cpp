#include "restorer/Restorer.h"

#include "base/BoundedQueue.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace cairn {

namespace {

constexpr uint64_t kSlice = 8 << 20;       // big files are written in slices of this size, in parallel
constexpr uint64_t kBlock = 4096;          // alignment of direct writes
constexpr uint32_t kMaxReadSpan = 8 << 20; // nearby blobs of one pack are fetched with one read

struct FdCloser {
    int fd;
    ~FdCloser()
    {
        if (fd >= 0)
            close(fd);
    }
};

struct OpenFile {
    int fd = -1;
    bool direct = false; // fd has O_DIRECT: writes are block-aligned, size fixed at the end
    QByteArray path;     // for messages, relative to the target
    Node meta;       // without content
    std::atomic<int> pending{0};
    std::atomic<uint64_t> writtenEnd{0}; // the end of the furthest write
    std::mutex damageMutex;
    QStringList damage;
};

// A directory descriptor shared by the tasks that create entries in it.
struct DirRef {
    int fd;
    explicit DirRef(int f) : fd(f) {}
    ~DirRef() { close(fd); }
    DirRef(const DirRef &) = delete;
    DirRef &operator=(const DirRef &) = delete;
};

// Where each content ref of a task lives (for refs firstRef, firstRef + 1, ... up to the end of
// the task's range), looked up once by the walker; zero refs have no location.
using Locations = std::vector<Result<std::optional<BlobLocation>>>;

struct SmallFile {
    Node node;
    Locations locations;
};

// Either "create these small files in dir and write all of each" (file unset), or "write bytes
// [begin, end) of an already created big file", starting from content ref `firstRef`, which
// begins at file offset `firstRefOffset`.
struct WriteTask {
    std::shared_ptr<DirRef> dir;
    QByteArray parentRel;
    std::vector<SmallFile> small;
    uint64_t smallBytes = 0;
    std::shared_ptr<const Node> node;
    std::shared_ptr<OpenFile> file;
    size_t firstRef = 0;
    uint64_t firstRefOffset = 0;
    uint64_t begin = 0, end = 0;
    Locations locations;
};

// Small files of one directory travel together, up to these limits (fewer hand-overs between
// the walker and the workers for trees of many small files).
constexpr size_t kBatchFiles = 32;
constexpr uint64_t kBatchBytes = 4 << 20;

uint64_t alignDown(uint64_t v) { return v / kBlock * kBlock; }
uint64_t alignUp(uint64_t v) { return (v + kBlock - 1) / kBlock * kBlock; }

// One reusable, block-aligned slice buffer per worker thread.
uint8_t *sliceBuffer()
{
    thread_local std::unique_ptr<uint8_t, decltype(&std::free)> buffer(nullptr, &std::free);
    if (!buffer) {
        void *p = nullptr;
        if (posix_memalign(&p, kBlock, kSlice + kBlock) != 0)
            std::abort();
        buffer.reset(static_cast<uint8_t *>(p));
    }
    return buffer.get();
}

struct DeferredDir {
    QByteArray relPath;
    Node meta;
};

timespec toTimespec(int64_t ns)
{
    timespec t;
    t.tv_sec = ns / 1000000000;
    t.tv_nsec = ns % 1000000000;
    if (t.tv_nsec < 0) {
        t.tv_nsec += 1000000000;
        --t.tv_sec;
    }
    return t;
}

QByteArray joinRel(const QByteArray &dir, const QByteArray &name)
{
    return dir.isEmpty() ? name : dir + '/' + name;
}

} // namespace

struct Restorer::Run {
    Restorer &r;
    Repository &repo;
    const RestoreOptions &opt;
    BoundedQueue<WriteTask> tasks{32};
    std::mutex callbackMutex;
    std::atomic<qint64> files{0}, dirs{0}, others{0}, bytes{0}, skipped{0}, errors{0}, damaged{0}, filesTotal{0},
        bytesTotal{0}, holeBytes{0};
    std::atomic<bool> cancelled{false};
    std::vector<DeferredDir> deferred;
    std::map<std::pair<uint64_t, uint64_t>, QByteArray> hardlinks; // (device, inode) → first rel path
    int rootFd = -1;
    const bool asRoot = geteuid() == 0;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    Run(Restorer &restorer, const RestoreOptions &options) : r(restorer), repo(restorer.m_repo), opt(options) {}

    void itemError(const QByteArray &path, const Error &e)
    {
        ++errors;
        if (r.m_cb.error) {
            std::lock_guard lock(callbackMutex);
            r.m_cb.error(path, e);
        }
    }
    void warn(const QByteArray &path, const QString &message)
    {
        if (r.m_cb.warning) {
            std::lock_guard lock(callbackMutex);
            r.m_cb.warning(path, message);
        }
    }
    RestoreProgress progress() const
    {
        RestoreProgress p;
        p.filesDone = files;
        p.filesTotal = filesTotal;
        p.bytesDone = bytes + holeBytes; // holes left in place are done too
        p.bytesTotal = bytesTotal;
        p.skipped = skipped;
        p.errors = errors;
        p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return p;
    }

    // Which part of the snapshot to restore: 0 = not selected, 1 = on the way to a selected
    // path (directory only), 2 = selected with everything below.
    int selection(const QByteArray &snapPath) const
    {
        if (opt.include.isEmpty())
            return 2;
        int best = 0;
        for (const QByteArray &inc : opt.include) {
            if (snapPath == inc || snapPath.startsWith(inc + '/') || inc == "/")
                return 2;
            if (inc.startsWith(snapPath + '/'))
                best = 1;
        }
        return best;
    }

    // Opens a directory below the target without following any symlink on the way.
    int openBeneath(const QByteArray &relPath) const
    {
        int fd = dup(rootFd);
        if (relPath.isEmpty())
            return fd;
        for (const QByteArray &part : relPath.split('/')) {
            const int next = openat(fd, part.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            close(fd);
            if (next < 0)
                return -1;
            fd = next;
        }
        return fd;
    }

    // A free name "name.restored[-N]" for keep-both.
    QByteArray freeName(int dirfd, const QByteArray &name) const
    {
        for (int i = 1;; ++i) {
            QByteArray candidate = name + ".restored";
            if (i > 1)
                candidate += '-' + QByteArray::number(i);
            struct stat st;
            if (fstatat(dirfd, candidate.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT)
                return candidate;
        }
    }

    // Makes room for a new non-directory entry `name` according to the policy. Returns the name
    // to create, or empty to skip.
    QByteArray prepareName(int dirfd, const QByteArray &name, const QByteArray &rel)
    {
        struct stat st;
        if (fstatat(dirfd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return name;
        switch (opt.existing) {
        case ExistingPolicy::Skip:
            ++skipped;
            return {};
        case ExistingPolicy::KeepBoth:
            return freeName(dirfd, name);
        case ExistingPolicy::Overwrite:
            if (S_ISDIR(st.st_mode)) {
                itemError(rel, Error(ErrorCode::Io, QStringLiteral("a directory is in the way; not replaced")));
                return {};
            }
            if (unlinkat(dirfd, name.constData(), 0) != 0) {
                itemError(rel, systemError(QStringLiteral("remove existing"), rel, errno));
                return {};
            }
            return name;
        }
        return name;
    }

    void applyXattrs(const Node &n, const QByteArray &rel, int fd, int dirfd, const QByteArray &name)
    {
        for (const auto &[key, value] : n.xattrs) {
            int rc;
            if (fd >= 0) {
                rc = fsetxattr(fd, key.constData(), value.constData(), size_t(value.size()), 0);
            } else {
                const QByteArray proc = "/proc/self/fd/" + QByteArray::number(dirfd) + '/' + name;
                rc = lsetxattr(proc.constData(), key.constData(), value.constData(), size_t(value.size()), 0);
            }
            if (rc != 0)
                warn(rel, QStringLiteral("cannot set xattr %1: %2")
                              .arg(QString::fromLocal8Bit(key), QString::fromLocal8Bit(std::strerror(errno))));
        }
    }

    // Metadata through an open descriptor (files, directories).
    void applyMetaFd(int fd, const Node &n, const QByteArray &rel)
    {
        applyXattrs(n, rel, fd, -1, {});
        if (asRoot && fchown(fd, n.uid, n.gid) != 0)
            warn(rel, QStringLiteral("cannot set owner: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        if (fchmod(fd, n.mode) != 0)
            warn(rel, QStringLiteral("cannot set mode: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        const timespec times[2] = {toTimespec(n.atimeNs), toTimespec(n.mtimeNs)};
        if (futimens(fd, times) != 0)
            warn(rel, QStringLiteral("cannot set times: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    // Metadata of an entry that cannot be opened (symlinks, FIFOs, devices).
    void applyMetaAt(int dirfd, const QByteArray &name, const Node &n, const QByteArray &rel)
    {
        applyXattrs(n, rel, -1, dirfd, name);
        if (asRoot && fchownat(dirfd, name.constData(), n.uid, n.gid, AT_SYMLINK_NOFOLLOW) != 0)
            warn(rel, QStringLiteral("cannot set owner: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        if (n.type != NodeType::Symlink && fchmodat(dirfd, name.constData(), n.mode, 0) != 0)
            warn(rel, QStringLiteral("cannot set mode: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        const timespec times[2] = {toTimespec(n.atimeNs), toTimespec(n.mtimeNs)};
        if (utimensat(dirfd, name.constData(), times, AT_SYMLINK_NOFOLLOW) != 0)
            warn(rel, QStringLiteral("cannot set times: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    void finishFile(const std::shared_ptr<OpenFile> &f)
    {
        // The size is set last, and only where the writes did not: direct writes cover whole
        // blocks (the last one may reach past the end), a file may end in a hole or damage.
        if ((f->direct || f->writtenEnd != f->meta.size) && ftruncate(f->fd, off_t(f->meta.size)) != 0)
            itemError(f->path, systemError(QStringLiteral("size"), f->path, errno));
        applyMetaFd(f->fd, f->meta, f->path);
        close(f->fd);
        f->fd = -1;
        ++files;
        if (!f->damage.isEmpty()) {
            ++damaged;
            itemError(f->path, Error(ErrorCode::Corrupt, QStringLiteral("damaged data, %1 range(s) left as holes: %2")
                                                             .arg(f->damage.size())
                                                             .arg(f->damage.mid(0, 8).join(QStringLiteral("; ")))));
        }
    }

    // --- creating files (walker for big and hardlinked files, workers for the others)
    // Creates the file per the existing-entry policy; null when skipped or failed.
    std::shared_ptr<OpenFile> createFile(int dirfd, const Node &n, const QByteArray &parentRel)
    {
        constexpr int kCreate = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
        const QByteArray rel = joinRel(parentRel, n.name);
        int fd = -1;
        QByteArray name = n.name;
        if (!n.isHardlinked()) // the common case first: nothing is in the way
            fd = openat(dirfd, name.constData(), kCreate, 0600);
        if (fd < 0 && (n.isHardlinked() || errno == EEXIST)) {
            name = prepareName(dirfd, n.name, rel);
            if (name.isEmpty())
                return nullptr;
        }
        const QByteArray relName = joinRel(parentRel, name);
        if (n.isHardlinked()) { // walker thread only
            const auto key = std::make_pair(n.device, n.inode);
            auto it = hardlinks.find(key);
            if (it != hardlinks.end()) {
                const int slash = it->second.lastIndexOf('/');
                const int srcDir = openBeneath(slash < 0 ? QByteArray() : it->second.left(slash));
                FdCloser closer{srcDir};
                const QByteArray srcName = slash < 0 ? it->second : it->second.mid(slash + 1);
                if (srcDir >= 0 && linkat(srcDir, srcName.constData(), dirfd, name.constData(), 0) == 0) {
                    ++files;
                    bytes += qint64(n.size);
                    return nullptr;
                }
                warn(rel, QStringLiteral("cannot recreate hardlink; restoring a copy"));
            } else {
                hardlinks.emplace(key, relName);
            }
        }
        if (fd < 0)
            fd = openat(dirfd, name.constData(), kCreate, 0600);
        if (fd < 0) {
            itemError(rel, systemError(QStringLiteral("create"), rel, errno));
            return nullptr;
        }
        auto f = std::make_shared<OpenFile>();
        f->fd = fd;
        f->path = relName;
        f->meta = n;
        f->meta.content.clear();
        return f;
    }

    // --- walking (caller's thread)
    // Looks up where the refs of bytes [begin, end) of `n` live (from ref `ref` at file offset
    // `offset`), and tells the backend which packs they come from before the task is queued, so
    // that a remote backend can fetch them while the workers write earlier files.
    Locations locate(const Node &n, size_t ref, uint64_t offset, uint64_t end)
    {
        Locations out;
        QString last;
        for (; ref < n.content.size() && offset < end; offset += n.content[ref++].length) {
            if (n.content[ref].id == zeroChunkId()) {
                out.emplace_back(std::optional<BlobLocation>());
                continue;
            }
            out.push_back(repo.index().lookup(n.content[ref].id));
            const auto &loc = out.back();
            if (!loc || !loc->has_value())
                continue;
            const QString pack = (*loc)->pack.toHex();
            if (pack != last)
                repo.backend().prefetch({FileType::Pack, pack});
            last = pack;
        }
        return out;
    }

    // Queues the small files gathered in `batch` (see restoreFile).
    void flushSmall(WriteTask &batch)
    {
        if (!batch.small.empty())
            tasks.push(std::move(batch));
        batch = WriteTask{};
    }

    // Small files join `batch` (of this directory); big and hardlinked ones are queued at once.
    void restoreFile(const std::shared_ptr<DirRef> &dir, const Node &n, const QByteArray &parentRel, WriteTask &batch)
    {
        ++filesTotal;
        bytesTotal += qint64(n.size);
        if (!n.isHardlinked() && n.size <= kSlice) {
            if (batch.small.empty()) {
                batch.dir = dir;
                batch.parentRel = parentRel;
            }
            batch.small.push_back(SmallFile{n, locate(n, 0, 0, n.size)});
            batch.smallBytes += n.size;
            if (batch.small.size() >= kBatchFiles || batch.smallBytes >= kBatchBytes)
                flushSmall(batch);
            return;
        }
        auto node = std::make_shared<const Node>(n);
        std::shared_ptr<OpenFile> f = createFile(dir->fd, n, parentRel);
        if (!f)
            return;
        if (n.size >= kSlice) { // big files skip the page cache (see writeRun)
            const int flags = fcntl(f->fd, F_GETFL);
            f->direct = flags >= 0 && fcntl(f->fd, F_SETFL, flags | O_DIRECT) == 0;
        }
        // Slices at kSlice boundaries; each starts at the ref that contains its first byte.
        std::vector<WriteTask> slices;
        uint64_t offset = 0;
        size_t ref = 0;
        for (uint64_t begin = 0; begin < n.size; begin += kSlice) {
            while (ref < n.content.size() && offset + n.content[ref].length <= begin)
                offset += n.content[ref++].length;
            slices.push_back(WriteTask{nullptr, {}, {}, 0, node, f, ref, offset, begin, std::min(begin + kSlice, n.size), {}});
        }
        if (slices.empty()) {
            finishFile(f);
            return;
        }
        f->pending = int(slices.size());
        for (WriteTask &t : slices) {
            t.locations = locate(n, t.firstRef, t.firstRefOffset, t.end);
            tasks.push(std::move(t));
        }
    }

    void restoreSpecial(int dirfd, const Node &n, const QByteArray &rel)
    {
        QByteArray name = prepareName(dirfd, n.name, rel);
        if (name.isEmpty())
            return;
        int rc = 0;
        switch (n.type) {
        case NodeType::Symlink: rc = symlinkat(n.linkTarget.constData(), dirfd, name.constData()); break;
        case NodeType::Fifo: rc = mkfifoat(dirfd, name.constData(), 0600); break;
        case NodeType::CharDevice: rc = mknodat(dirfd, name.constData(), S_IFCHR | 0600, dev_t(n.rdev)); break;
        case NodeType::BlockDevice: rc = mknodat(dirfd, name.constData(), S_IFBLK | 0600, dev_t(n.rdev)); break;
        case NodeType::Socket: rc = mknodat(dirfd, name.constData(), S_IFSOCK | 0600, 0); break;
        default: return;
        }
        if (rc != 0) {
            itemError(rel, systemError(QStringLiteral("create"), rel, errno));
            return;
        }
        applyMetaAt(dirfd, name, n, rel);
        ++others;
    }

    // Creates or reuses directory `name`; returns its descriptor or -1 to skip it.
    int enterDir(int dirfd, const QByteArray &name, const QByteArray &rel, QByteArray &createdName)
    {
        createdName = name;
        if (mkdirat(dirfd, name.constData(), 0700) != 0) {
            if (errno != EEXIST) {
                itemError(rel, systemError(QStringLiteral("create directory"), rel, errno));
                return -1;
            }
            struct stat st;
            if (fstatat(dirfd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
                switch (opt.existing) {
                case ExistingPolicy::Skip:
                    ++skipped;
                    return -1;
                case ExistingPolicy::KeepBoth:
                    createdName = freeName(dirfd, name);
                    break;
                case ExistingPolicy::Overwrite:
                    if (unlinkat(dirfd, name.constData(), 0) != 0) {
                        itemError(rel, systemError(QStringLiteral("remove existing"), rel, errno));
                        return -1;
                    }
                    break;
                }
                if (mkdirat(dirfd, createdName.constData(), 0700) != 0) {
                    itemError(rel, systemError(QStringLiteral("create directory"), rel, errno));
                    return -1;
                }
            }
        }
        const int fd = openat(dirfd, createdName.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            itemError(rel, systemError(QStringLiteral("open directory"), rel, errno));
        return fd;
    }

    // One directory being restored: its tree, the next entry to look at and its batch of small
    // files; `meta` is the directory's own node (metadata set last), absent for the root.
    struct DirFrame {
        std::shared_ptr<DirRef> dir;
        QByteArray rel, snapPath;
        Tree tree;
        size_t next = 0;
        WriteTask batch;
        std::optional<DeferredDir> meta;
    };

    // Walks the trees depth-first with an explicit stack, so that a snapshot nested however deep
    // (a hostile server can send thousands of levels) cannot overflow the thread's stack.
    void restoreTree(const std::shared_ptr<DirRef> &dir, const QByteArray &rel, const QByteArray &snapPath,
                     const Tree &tree)
    {
        std::vector<DirFrame> stack;
        stack.push_back(DirFrame{dir, rel, snapPath, tree, 0, WriteTask(), std::nullopt});
        while (!stack.empty()) {
            if (cancelled)
                return;
            DirFrame &f = stack.back();
            if (f.next == f.tree.nodes.size()) {
                flushSmall(f.batch);
                std::optional<DeferredDir> meta = std::move(f.meta);
                stack.pop_back();
                if (meta) {
                    deferred.push_back(std::move(*meta));
                    ++dirs;
                }
                continue;
            }
            const Node &n = f.tree.nodes[f.next++];
            const int dirfd = f.dir->fd;
            const QByteArray childRel = joinRel(f.rel, n.name);
            if (!isSafeName(n.name)) { // decodeTree refuses these already; never trust one layer alone
                itemError(childRel, Error(ErrorCode::Corrupt, QStringLiteral("unsafe name in tree; refused")));
                continue;
            }
            const QByteArray childSnap = (f.snapPath == "/" ? f.snapPath : f.snapPath + '/') + n.name;
            const int sel = selection(childSnap);
            if (sel == 0)
                continue;
            if (n.type == NodeType::Dir) {
                auto sub = repo.loadTree(n.subtree);
                if (!sub) {
                    itemError(childRel, sub.error());
                    continue;
                }
                QByteArray created;
                const int fd = enterDir(dirfd, n.name, childRel, created);
                if (fd < 0)
                    continue;
                const QByteArray createdRel = joinRel(f.rel, created);
                flushSmall(f.batch); // keeps the files in tree order, as their packs were announced
                DirFrame child{std::make_shared<DirRef>(fd), createdRel, childSnap, std::move(*sub), 0, WriteTask(),
                               DeferredDir{createdRel, n}};
                stack.push_back(std::move(child)); // `f` and `n` are not used after this
            } else if (sel == 2) {
                if (n.type == NodeType::File)
                    restoreFile(f.dir, n, f.rel, f.batch);
                else
                    restoreSpecial(dirfd, n, childRel);
            }
        }
    }

    // --- writing (worker threads)
    void workerLoop()
    {
        while (auto t = tasks.pop()) {
            if (!t->file) { // whole small files
                for (const SmallFile &small : t->small) {
                    if (cancelled)
                        break;
                    std::shared_ptr<OpenFile> f = createFile(t->dir->fd, small.node, t->parentRel);
                    if (!f)
                        continue;
                    writeRange(*f, small.node.content, 0, 0, 0, small.node.size, small.locations);
                    finishFile(f);
                }
                continue;
            }
            if (!cancelled)
                writeRange(*t->file, t->node->content, t->firstRef, t->firstRefOffset, t->begin, t->end, t->locations);
            if (--t->file->pending == 0)
                finishFile(t->file);
        }
    }

    void damage(OpenFile &f, uint64_t offset, uint64_t length, const Error &e)
    {
        std::lock_guard lock(f.damageMutex);
        f.damage.append(QStringLiteral("bytes %1-%2: %3").arg(offset).arg(offset + length).arg(e.message));
    }

    // Writes buffer bytes [from, to) (file offsets; the buffer starts at `begin`). Direct
    // writes are widened to whole blocks, which only ever covers zeros the caller put there.
    void writeRun(OpenFile &f, uint8_t *buf, uint64_t begin, uint64_t from, uint64_t to)
    {
        uint64_t a = from, b = to;
        if (f.direct) {
            a = alignDown(from);
            b = alignUp(to);
        }
        const uint8_t *p = buf + (a - begin);
        uint64_t at = a;
        while (at < b) {
            const ssize_t w = pwrite(f.fd, p, size_t(b - at), off_t(at));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EINVAL && f.direct) { // direct I/O refused after all
                const int flags = fcntl(f.fd, F_GETFL);
                if (flags >= 0 && fcntl(f.fd, F_SETFL, flags & ~O_DIRECT) == 0)
                    continue; // the same range, buffered; the final ftruncate still trims the tail
            }
            if (w <= 0) {
                damage(f, at, b - at, systemError(QStringLiteral("write"), f.path, w < 0 ? errno : EIO));
                return;
            }
            p += w;
            at += uint64_t(w);
        }
        bytes += qint64(to - from);
        for (uint64_t seen = f.writtenEnd; seen < b && !f.writtenEnd.compare_exchange_weak(seen, b);) {
        }
    }

    // Restores bytes [begin, end) of a file from its content refs, starting at ref `i` which
    // begins at file offset `off`; `locs` are the locations of refs i, i + 1, ... (see locate()).
    // Data is assembled in an aligned buffer and written in runs; zero runs spanning a whole
    // block stay holes; shorter ones are written as zeros.
    void writeRange(OpenFile &f, const std::vector<ContentRef> &refs, size_t i, uint64_t off, uint64_t begin,
                    uint64_t end, const Locations &locs)
    {
        const size_t firstRef = i;
        uint8_t *buf = sliceBuffer();
        bool inRun = false;
        uint64_t runFrom = 0, runTo = 0;
        auto flush = [&] {
            if (inRun) {
                if (f.direct) { // zero the block padding around the run
                    std::memset(buf + (alignDown(runFrom) - begin), 0, runFrom - alignDown(runFrom));
                    std::memset(buf + (runTo - begin), 0, alignUp(runTo) - runTo);
                }
                writeRun(f, buf, begin, runFrom, runTo);
            }
            inRun = false;
        };
        auto extend = [&](uint64_t from, uint64_t to) {
            if (!inRun) {
                inRun = true;
                runFrom = from;
            }
            runTo = to;
        };
        // A hole (zero ref or damaged data) over [zs, ze) within the range.
        auto hole = [&](uint64_t zs, uint64_t ze) {
            if (alignUp(zs) + kBlock <= alignDown(ze) || !inRun) {
                flush(); // a whole block stays a hole between the runs: their padding cannot meet
                holeBytes += qint64(ze - zs);
            } else {
                std::memset(buf + (zs - begin), 0, ze - zs);
                extend(zs, ze);
            }
        };
        while (i < refs.size() && off < end) {
            if (refs[i].id == zeroChunkId()) {
                hole(std::max(off, begin), std::min(off + refs[i].length, end));
                off += refs[i].length;
                ++i;
                continue;
            }
            // Gather the next data refs whose blobs lie close together in one pack.
            std::vector<std::pair<BlobLocation, uint64_t>> batch; // location, file offset of the ref
            size_t j = i;
            uint64_t jOff = off;
            uint32_t lo = 0, hi = 0;
            uint64_t useful = 0;
            while (j < refs.size() && jOff < end && refs[j].id != zeroChunkId()) {
                const auto &loc = locs[j - firstRef];
                if (!loc || !loc->has_value()) {
                    if (batch.empty()) {
                        damage(f, jOff, refs[j].length,
                               loc ? Error(ErrorCode::NotFound, QStringLiteral("chunk not in the index")) : loc.error());
                        hole(std::max(jOff, begin), std::min(jOff + refs[j].length, end));
                        jOff += refs[j].length;
                        i = ++j;
                        off = jOff;
                        continue;
                    }
                    break;
                }
                const BlobLocation &l = **loc;
                const uint32_t newLo = batch.empty() ? l.offset : std::min(lo, l.offset);
                const uint32_t newHi = batch.empty() ? l.offset + l.length : std::max(hi, l.offset + l.length);
                if (!batch.empty()
                    && (l.pack != batch.front().first.pack || newHi - newLo > kMaxReadSpan
                        || newHi - newLo > 2 * (useful + l.length)))
                    break;
                lo = newLo;
                hi = newHi;
                useful += l.length;
                batch.emplace_back(l, jOff);
                jOff += refs[j].length;
                ++j;
            }
            if (batch.empty())
                continue;
            auto span = repo.backend().load({FileType::Pack, batch.front().first.pack.toHex()}, lo, hi - lo);
            for (size_t k = 0; k < batch.size(); ++k) {
                const auto &[loc, refOff] = batch[k];
                const ContentRef &ref = refs[i + k];
                const uint64_t from = std::max(refOff, begin), to = std::min(refOff + ref.length, end);
                Result<QByteArray> plain = span ? repo.codec().open(ref.id, span->constData() + (loc.offset - lo),
                                                                    loc.length, loc.rawLength)
                                                : Result<QByteArray>(span.error());
                if (plain && uint32_t(plain->size()) != ref.length)
                    plain = Error(ErrorCode::Corrupt, QStringLiteral("chunk length mismatch"));
                if (!plain) {
                    damage(f, refOff, ref.length, plain.error());
                    hole(from, to);
                    continue;
                }
                std::memcpy(buf + (from - begin), plain->constData() + (from - refOff), to - from);
                extend(from, to);
            }
            i = j;
            off = jOff;
        }
        flush();
    }
};

Restorer::Restorer(Repository &repo, RestoreCallbacks callbacks) : m_repo(repo), m_cb(std::move(callbacks)) {}
Restorer::~Restorer() = default;

Result<RestoreStats> Restorer::run(const Snapshot &snapshot, const RestoreOptions &options)
{
    if (options.target.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no restore target"));
    RestoreOptions opt = options;
    for (QByteArray &inc : opt.include) {
        if (!inc.startsWith('/'))
            inc.prepend('/');
        while (inc.size() > 1 && inc.endsWith('/'))
            inc.chop(1);
    }
    auto root = m_repo.loadTree(snapshot.tree);
    if (!root)
        return root.error().wrapped(QStringLiteral("snapshot %1").arg(snapshot.id.shortHex()));
    if (mkdir(opt.target.constData(), 0700) != 0 && errno != EEXIST)
        return systemError(QStringLiteral("create target"), opt.target, errno);
    Run run(*this, opt);
    run.rootFd = open(opt.target.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (run.rootFd < 0)
        return systemError(QStringLiteral("open target"), opt.target, errno);
    FdCloser rootCloser{run.rootFd};
    const int walkFd = dup(run.rootFd);
    if (walkFd < 0)
        return systemError(QStringLiteral("open target"), opt.target, errno);

    std::vector<std::thread> workers;
    for (int i = 0; i < std::max(1, opt.workers); ++i)
        workers.emplace_back([&run] { run.workerLoop(); });
    std::atomic<bool> active{true};
    std::thread ticker([&] {
        while (active) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (m_cb.cancelled && m_cb.cancelled())
                run.cancelled = true;
            if (m_cb.progress) {
                std::lock_guard lock(run.callbackMutex);
                m_cb.progress(run.progress());
            }
        }
    });
    run.restoreTree(std::make_shared<DirRef>(walkFd), QByteArray(), "/", *root);
    m_repo.index().releaseReads(); // every location is looked up; the writers may take long
    run.tasks.close();
    for (auto &t : workers)
        t.join();
    // Directory metadata last, deepest first, so that creating entries does not disturb times
    // and read-only directories were writable while they were filled.
    for (auto it = run.deferred.begin(); it != run.deferred.end(); ++it) { // post-order: children first
        const int fd = run.openBeneath(it->relPath);
        if (fd < 0) {
            run.warn(it->relPath, QStringLiteral("cannot reopen directory to set its metadata"));
            continue;
        }
        run.applyMetaFd(fd, it->meta, it->relPath);
        close(fd);
    }
    active = false;
    ticker.join();
    if (m_cb.progress)
        m_cb.progress(run.progress());
    if (run.cancelled)
        return Error(ErrorCode::Cancelled, QStringLiteral("restore cancelled"));
    RestoreStats s;
    s.files = run.files;
    s.dirs = run.dirs;
    s.others = run.others;
    s.bytes = run.bytes;
    s.skipped = run.skipped;
    s.errors = run.errors;
    s.damagedFiles = run.damaged;
    return s;
}

} // namespace cairn
