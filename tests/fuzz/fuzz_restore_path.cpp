// Fuzz target: the restore path resolver, i.e. how the Restorer (restorer/Restorer.h) maps the
// names of snapshot trees and the requested include paths to entries below the restore target.
// The resolver lives inside Restorer::run, so this target runs the real restore: the input
// describes trees (names, types, symlink targets, hardlinks, modes, xattrs), include paths, the
// existing-entry policy and entries planted in the target beforehand (symlinks to a directory
// and a file outside, relative "../" links, directories, files). They are stored in an in-memory
// repository under the test key and restored into a fresh sandbox:
//   <base>/s/target   the restore target
//   <base>/s/outside  a directory with a file "keep" and a directory "dir" next to it
// Property: nothing outside the target changes: <base> holds only "s", "s" only "target" and
// "outside", "outside" keeps its entries, modes, owners, times and content, and no restored
// file is a hard link to anything outside. Abort if any of that breaks.
// Each restore takes about 0.1 s (its progress ticker), so this target is slow by design.
// Single-threaded (the Restorer's own threads end with each run).
#include "FuzzSupport.h"

#include "backend/MemoryBackend.h"
#include "repository/Repository.h"
#include "repository/SqliteIndex.h"
#include "restorer/Restorer.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

using namespace cairn;

namespace {

Repository &repository()
{
    static std::unique_ptr<Repository> repo = [] {
        RepositoryConfig config;
        config.id = QStringLiteral("fuzz");
        config.packSize = 1 << 20;
        auto index = SqliteIndex::open(QStringLiteral(":memory:"));
        fuzz::check(bool(index), "in-memory index opens");
        auto r
            = Repository::openWithKeys(std::make_unique<MemoryBackend>(), std::move(*index), fuzz::testKeys(), config);
        fuzz::check(bool(r), "in-memory repository opens");
        return std::move(*r);
    }();
    return *repo;
}

const std::string &base()
{
    static const std::string dir = [] {
        char tmpl[] = "/tmp/cairn-fuzz-restore-XXXXXX";
        fuzz::check(mkdtemp(tmpl) != nullptr, "sandbox base created");
        return std::string(tmpl);
    }();
    return dir;
}

// Removes `path` and everything below it, whatever the modes the restore left.
void removeTree(const std::string &path)
{
    struct stat st;
    if (lstat(path.c_str(), &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path.c_str(), 0700);
        if (DIR *d = opendir(path.c_str())) {
            while (dirent *e = readdir(d)) {
                const std::string name = e->d_name;
                if (name != "." && name != "..")
                    removeTree(path + '/' + name);
            }
            closedir(d);
        }
        rmdir(path.c_str());
    } else {
        unlink(path.c_str());
    }
}

std::set<std::string> names(const std::string &dir)
{
    std::set<std::string> out;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            const std::string name = e->d_name;
            if (name != "." && name != "..")
                out.insert(name);
        }
        closedir(d);
    }
    return out;
}

// What must not change about an entry outside the target.
struct Fingerprint {
    bool exists = false;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    nlink_t links = 0;
    off_t size = 0;
    timespec mtime {};
    ino_t inode = 0;
    std::string content;
    bool operator==(const Fingerprint &o) const
    {
        return exists == o.exists && mode == o.mode && uid == o.uid && gid == o.gid && links == o.links
            && size == o.size && mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec && inode == o.inode
            && content == o.content;
    }
};

Fingerprint fingerprint(const std::string &path)
{
    Fingerprint f;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0)
        return f;
    f.exists = true;
    f.mode = st.st_mode;
    f.uid = st.st_uid;
    f.gid = st.st_gid;
    f.links = st.st_nlink;
    f.size = st.st_size;
    f.mtime = st.st_mtim;
    f.inode = st.st_ino;
    if (S_ISREG(st.st_mode)) {
        const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        char buf[256];
        ssize_t n;
        while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
            f.content.append(buf, size_t(n));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

// Every inode below `dir` (not following symlinks).
void inodes(const std::string &dir, std::set<ino_t> &out)
{
    for (const std::string &name : names(dir)) {
        const std::string path = dir + '/' + name;
        struct stat st;
        if (lstat(path.c_str(), &st) != 0)
            continue;
        out.insert(st.st_ino);
        if (S_ISDIR(st.st_mode))
            inodes(path, out);
    }
}

struct Sandbox {
    std::string root, target, outside;
    std::map<std::string, Fingerprint> before;
    mode_t rootMode = 0;
};

Sandbox makeSandbox()
{
    Sandbox s;
    s.root = base() + "/s";
    removeTree(s.root);
    s.target = s.root + "/target";
    s.outside = s.root + "/outside";
    fuzz::check(mkdir(s.root.c_str(), 0755) == 0 && mkdir(s.target.c_str(), 0755) == 0
            && mkdir(s.outside.c_str(), 0755) == 0 && mkdir((s.outside + "/dir").c_str(), 0755) == 0,
        "sandbox directories created");
    const int fd = open((s.outside + "/keep").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    fuzz::check(fd >= 0 && write(fd, "outside\n", 8) == 8, "sandbox file written");
    close(fd);
    return s;
}

void recordOutside(Sandbox &s)
{
    for (const std::string &path : {s.root, s.outside, s.outside + "/keep", s.outside + "/dir"})
        s.before[path] = fingerprint(path);
    s.before[s.root].mtime = {}; // creating nothing in s/ is checked by its names instead
    s.before[s.root].links = 0;
}

// Entries the input plants in the target before the restore.
void plant(fuzz::Input &in, const Sandbox &s)
{
    const int count = in.byte() % 6;
    for (int i = 0; i < count; ++i) {
        const int kind = in.byte() % 6;
        QByteArray name = in.bytes(16);
        const int slash = name.indexOf('/');
        std::string parent = s.target;
        if (slash > 0) { // one level down, inside a planted real directory only
            struct stat st;
            if (!isSafeName(name.left(slash)))
                continue;
            parent += '/' + name.left(slash).toStdString();
            if (lstat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            name = name.mid(slash + 1);
        }
        if (!isSafeName(name))
            continue;
        const std::string path = parent + '/' + name.toStdString();
        switch (kind) {
        case 0: (void)symlink(s.outside.c_str(), path.c_str()); break;
        case 1: (void)symlink((s.outside + "/keep").c_str(), path.c_str()); break;
        case 2: (void)symlink(slash > 0 ? "../../outside" : "../outside", path.c_str()); break;
        case 3: (void)symlink(slash > 0 ? "../../outside/keep" : "../outside/keep", path.c_str()); break;
        case 4: (void)mkdir(path.c_str(), 0755); break;
        case 5: {
            const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd >= 0)
                close(fd);
            break;
        }
        }
    }
}

ChunkId storeData(const QByteArray &data)
{
    Repository &repo = repository();
    const ChunkId id = repo.codec().chunkId(data.constData(), size_t(data.size()));
    auto claimed = repo.claim(id);
    if (claimed && *claimed)
        (void)repo.storeBlob(BlobType::Data, id, data.constData(), size_t(data.size()));
    return id;
}

ChunkId buildTree(fuzz::Input &in, int depth)
{
    Tree tree;
    const int count = depth > 3 ? 0 : in.byte() % 6;
    for (int i = 0; i < count; ++i) {
        Node n;
        n.type = NodeType(in.byte() % 7);
        n.name = in.bytes(12);
        n.mode = in.byte() % 2 ? 07777 & in.u32() : (n.type == NodeType::Dir ? 0755 : 0644);
        n.mtimeNs = n.atimeNs = 1600000000LL * 1000000000LL;
        const uint8_t flags = in.byte();
        if (flags & 1) { // a hardlink group: same (device, inode)
            n.device = 1;
            n.inode = 1 + (flags >> 1) % 3;
            n.links = 2;
        }
        if (flags & 0x20)
            n.xattrs.emplace_back(QByteArray("user.") + in.bytes(8), in.bytes(8));
        switch (n.type) {
        case NodeType::File: {
            const QByteArray data = in.bytes(32);
            if (!data.isEmpty())
                n.content.push_back({storeData(data), uint32_t(data.size())});
            n.size = uint64_t(data.size());
            break;
        }
        case NodeType::Dir: n.subtree = buildTree(in, depth + 1); break;
        case NodeType::Symlink: n.linkTarget = in.bytes(24); break;
        default: n.rdev = 0; break; // device nodes: only the harmless 0:0
        }
        tree.nodes.push_back(std::move(n));
    }
    std::stable_sort(
        tree.nodes.begin(), tree.nodes.end(), [](const Node &a, const Node &b) { return a.name < b.name; });
    tree.nodes.erase(std::unique(tree.nodes.begin(), tree.nodes.end(),
                         [](const Node &a, const Node &b) { return a.name == b.name; }),
        tree.nodes.end());
    auto id = repository().saveTree(tree);
    fuzz::check(bool(id), "a tree is saved");
    return *id;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    fuzz::Input in(data, size);
    Sandbox s = makeSandbox();
    RestoreOptions options;
    options.existing = ExistingPolicy(in.byte() % 3);
    options.workers = 1;
    plant(in, s);
    Snapshot snapshot;
    snapshot.tree = buildTree(in, 0);
    const int includes = in.byte() % 3;
    for (int i = 0; i < includes; ++i)
        options.include << in.bytes(24);
    fuzz::check(repository().flush().ok(), "the repository flushes");
    options.target = QByteArray::fromStdString(s.target);
    recordOutside(s);

    Restorer restorer(repository(), RestoreCallbacks {});
    const auto result = restorer.run(snapshot, options);
    if (std::getenv("CAIRN_FUZZ_VERBOSE")) // what the restore did, for checking seeds
        std::fprintf(stderr, "restore: %s files=%lld dirs=%lld others=%lld skipped=%lld errors=%lld\n",
            result ? "ok" : qPrintable(result.error().message), result ? result->files : 0LL,
            result ? result->dirs : 0LL, result ? result->others : 0LL, result ? result->skipped : 0LL,
            result ? result->errors : 0LL);

    fuzz::check(names(base()) == std::set<std::string> {"s"}, "nothing is created next to the sandbox");
    fuzz::check(
        names(s.root) == (std::set<std::string> {"outside", "target"}), "nothing is created next to the target");
    fuzz::check(names(s.outside) == (std::set<std::string> {"dir", "keep"}), "nothing is created outside the target");
    fuzz::check(names(s.outside + "/dir").empty(), "nothing is created in a directory outside the target");
    for (const auto &[path, was] : s.before) {
        Fingerprint now = fingerprint(path);
        if (path == s.root) {
            now.mtime = {};
            now.links = 0;
        }
        fuzz::check(now == was, "nothing outside the target changes");
    }
    std::set<ino_t> restored;
    inodes(s.target, restored);
    for (const auto &[path, was] : s.before)
        fuzz::check(path == s.root || !restored.count(was.inode), "no restored entry is an outside inode");
    removeTree(s.root);
    return 0;
}
