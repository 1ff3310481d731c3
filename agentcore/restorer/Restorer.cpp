#include "restorer/Restorer.h"

#include "base/BoundedQueue.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace cairn {

namespace {

constexpr uint64_t kTaskBytes = 8 << 20;  // a file is written in slices of this size in parallel
constexpr uint32_t kMaxReadSpan = 8 << 20; // adjacent blobs of one pack are fetched together

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
    QByteArray path; // for messages, relative to the target
    Node meta;       // without content
    std::atomic<int> pending{0};
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

// Either "create this (small) file in dir and write all of it" (file unset), or "write this
// slice of an already created big file".
struct WriteTask {
    std::shared_ptr<DirRef> dir;
    std::shared_ptr<const Node> node;
    QByteArray parentRel;
    std::shared_ptr<OpenFile> file;
    std::vector<ContentRef> refs;
    uint64_t offset = 0;
};

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
        bytesTotal{0};
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
        p.bytesDone = bytes;
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
        const QByteArray rel = joinRel(parentRel, n.name);
        const QByteArray name = prepareName(dirfd, n.name, rel);
        if (name.isEmpty())
            return nullptr;
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
        const int fd = openat(dirfd, name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            itemError(rel, systemError(QStringLiteral("create"), rel, errno));
            return nullptr;
        }
        if (ftruncate(fd, off_t(n.size)) != 0) {
            itemError(rel, systemError(QStringLiteral("size"), rel, errno));
            close(fd);
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
    void restoreFile(const std::shared_ptr<DirRef> &dir, const Node &n, const QByteArray &parentRel)
    {
        ++filesTotal;
        bytesTotal += qint64(n.size);
        if (!n.isHardlinked() && n.size <= kTaskBytes) {
            tasks.push(WriteTask{dir, std::make_shared<const Node>(n), parentRel, nullptr, {}, 0});
            return;
        }
        std::shared_ptr<OpenFile> f = createFile(dir->fd, n, parentRel);
        if (!f)
            return;
        // Slice the content into tasks; count them first so that no task finishes the file early.
        std::vector<WriteTask> slices;
        uint64_t offset = 0;
        WriteTask cur{nullptr, nullptr, {}, f, {}, 0};
        uint64_t curBytes = 0;
        for (const ContentRef &c : n.content) {
            if (c.id != zeroChunkId()) {
                cur.refs.push_back(c);
                curBytes += c.length;
            } else if (!cur.refs.empty()) {
                cur.refs.push_back(c);
            }
            offset += c.length;
            if (curBytes >= kTaskBytes) {
                slices.push_back(std::move(cur));
                cur = WriteTask{nullptr, nullptr, {}, f, {}, offset};
                curBytes = 0;
            } else if (cur.refs.empty()) {
                cur.offset = offset;
            }
        }
        if (curBytes > 0)
            slices.push_back(std::move(cur));
        if (slices.empty()) {
            finishFile(f);
            return;
        }
        f->pending = int(slices.size());
        for (WriteTask &t : slices)
            tasks.push(std::move(t));
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

    void restoreTree(const std::shared_ptr<DirRef> &dir, const QByteArray &rel, const QByteArray &snapPath,
                     const Tree &tree)
    {
        const int dirfd = dir->fd;
        for (const Node &n : tree.nodes) {
            if (cancelled)
                return;
            const QByteArray childRel = joinRel(rel, n.name);
            if (!isSafeName(n.name)) { // decodeTree refuses these already; never trust one layer alone
                itemError(childRel, Error(ErrorCode::Corrupt, QStringLiteral("unsafe name in tree; refused")));
                continue;
            }
            const QByteArray childSnap = (snapPath == "/" ? snapPath : snapPath + '/') + n.name;
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
                const QByteArray createdRel = joinRel(rel, created);
                restoreTree(std::make_shared<DirRef>(fd), createdRel, childSnap, *sub);
                Node meta = n;
                deferred.push_back({createdRel, std::move(meta)});
                ++dirs;
            } else if (sel == 2) {
                if (n.type == NodeType::File)
                    restoreFile(dir, n, rel);
                else
                    restoreSpecial(dirfd, n, childRel);
            }
        }
    }

    // --- writing (worker threads)
    void workerLoop()
    {
        while (auto t = tasks.pop()) {
            if (!t->file) { // a whole small file
                if (cancelled)
                    continue;
                std::shared_ptr<OpenFile> f = createFile(t->dir->fd, *t->node, t->parentRel);
                if (!f)
                    continue;
                writeSlice(*f, t->node->content, 0);
                finishFile(f);
                continue;
            }
            if (!cancelled)
                writeSlice(*t->file, t->refs, t->offset);
            if (--t->file->pending == 0)
                finishFile(t->file);
        }
    }

    void damage(OpenFile &f, uint64_t offset, uint64_t length, const Error &e)
    {
        std::lock_guard lock(f.damageMutex);
        f.damage.append(QStringLiteral("bytes %1-%2: %3").arg(offset).arg(offset + length).arg(e.message));
    }

    void writeSlice(OpenFile &f, const std::vector<ContentRef> &refs, uint64_t offset)
    {
        size_t i = 0;
        while (i < refs.size()) {
            if (refs[i].id == zeroChunkId()) {
                offset += refs[i].length;
                ++i;
                continue;
            }
            // Gather a run of blobs stored back to back in one pack.
            std::vector<std::pair<size_t, BlobLocation>> run;
            size_t j = i;
            while (j < refs.size() && refs[j].id != zeroChunkId()) {
                auto loc = repo.index().lookup(refs[j].id);
                if (!loc || !loc->has_value()) {
                    if (run.empty()) {
                        damage(f, offset, refs[j].length,
                               loc ? Error(ErrorCode::NotFound, QStringLiteral("chunk not in the index")) : loc.error());
                        offset += refs[j].length;
                        ++j;
                        i = j;
                        continue;
                    }
                    break;
                }
                const BlobLocation &l = **loc;
                if (!run.empty()) {
                    const BlobLocation &first = run.front().second;
                    const BlobLocation &last = run.back().second;
                    if (l.pack != last.pack || l.offset != last.offset + last.length
                        || l.offset + l.length - first.offset > kMaxReadSpan)
                        break;
                }
                run.emplace_back(j, l);
                ++j;
            }
            if (run.empty())
                continue;
            const BlobLocation &first = run.front().second;
            const BlobLocation &last = run.back().second;
            auto data = repo.backend().load({FileType::Pack, first.pack.toHex()}, first.offset,
                                            qint64(last.offset) + last.length - first.offset);
            for (const auto &[k, loc] : run) {
                const ContentRef &ref = refs[k];
                if (!data) {
                    damage(f, offset, ref.length, data.error());
                } else {
                    auto plain = repo.codec().open(ref.id, data->constData() + (loc.offset - first.offset), loc.length,
                                                   loc.rawLength);
                    if (!plain) {
                        damage(f, offset, ref.length, plain.error());
                    } else if (uint32_t(plain->size()) != ref.length) {
                        damage(f, offset, ref.length, Error(ErrorCode::Corrupt, QStringLiteral("chunk length mismatch")));
                    } else {
                        const char *p = plain->constData();
                        size_t left = size_t(plain->size());
                        off_t at = off_t(offset);
                        while (left > 0) {
                            const ssize_t w = pwrite(f.fd, p, left, at);
                            if (w < 0) {
                                if (errno == EINTR)
                                    continue;
                                damage(f, offset, ref.length, systemError(QStringLiteral("write"), f.path, errno));
                                break;
                            }
                            p += w;
                            left -= size_t(w);
                            at += w;
                        }
                        bytes += plain->size();
                    }
                }
                offset += ref.length;
            }
            i = run.back().first + 1;
            // Zero refs inside the gathered span were not part of the run (the run stops at them).
        }
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
