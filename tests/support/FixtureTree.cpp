#include "FixtureTree.h"

#include <QMap>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

namespace cairn::test {

namespace {

constexpr qint64 kMiB = 1 << 20;

QString show(const QByteArray &rel)
{
    QString s;
    for (const char c : rel) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f)
            s += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else
            s += QLatin1Char(c);
    }
    return s.isEmpty() ? QStringLiteral(".") : s;
}

QByteArray join(const QByteArray &a, const QByteArray &b)
{
    if (a.isEmpty())
        return b;
    return a.endsWith('/') ? a + b : a + '/' + b;
}

QString sysError(const char *what, const QByteArray &path)
{
    return QStringLiteral("%1 %2: %3").arg(QLatin1String(what), show(path), QString::fromLocal8Bit(std::strerror(errno)));
}

bool writeAt(int fd, const QByteArray &data, qint64 offset)
{
    const char *p = data.constData();
    qint64 left = data.size();
    while (left > 0) {
        const ssize_t w = pwrite(fd, p, size_t(left), off_t(offset));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += w;
        left -= w;
        offset += w;
    }
    return true;
}

bool setMtime(const QByteArray &path, qint64 sec, long nsec)
{
    const timespec times[2] = {{sec, nsec}, {sec, nsec}};
    return utimensat(AT_FDCWD, path.constData(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

std::vector<QByteArray> listDir(const QByteArray &path, bool *ok)
{
    std::vector<QByteArray> names;
    DIR *d = opendir(path.constData());
    *ok = d != nullptr;
    if (!d)
        return names;
    while (dirent *e = readdir(d)) {
        if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
            continue;
        names.emplace_back(e->d_name);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

QMap<QByteArray, QByteArray> userXattrs(const QByteArray &path, bool *ok)
{
    QMap<QByteArray, QByteArray> out;
    *ok = true;
    ssize_t len = llistxattr(path.constData(), nullptr, 0);
    if (len < 0) {
        *ok = errno == ENOTSUP;
        return out;
    }
    QByteArray names(len + 1, '\0');
    len = llistxattr(path.constData(), names.data(), size_t(names.size()));
    if (len < 0) {
        *ok = false;
        return out;
    }
    for (const QByteArray &name : names.left(len).split('\0')) {
        if (!name.startsWith("user."))
            continue;
        const ssize_t vlen = lgetxattr(path.constData(), name.constData(), nullptr, 0);
        if (vlen < 0) {
            *ok = false;
            continue;
        }
        QByteArray value(vlen, '\0');
        if (lgetxattr(path.constData(), name.constData(), value.data(), size_t(value.size())) != vlen)
            *ok = false;
        out.insert(name, value);
    }
    return out;
}

// Compares the bytes of [from, to) of two open files.
bool sameBytes(int a, int b, qint64 from, qint64 to)
{
    QByteArray ba(int(std::min<qint64>(kMiB, std::max<qint64>(to - from, 1))), Qt::Uninitialized);
    QByteArray bb(ba.size(), Qt::Uninitialized);
    for (qint64 off = from; off < to;) {
        const size_t want = size_t(std::min<qint64>(ba.size(), to - off));
        const ssize_t ra = pread(a, ba.data(), want, off);
        const ssize_t rb = pread(b, bb.data(), want, off);
        if (ra != ssize_t(want) || rb != ssize_t(want) || std::memcmp(ba.constData(), bb.constData(), want) != 0)
            return false;
        off += qint64(want);
    }
    return true;
}

struct Comparator {
    const CompareOptions &opt;
    QStringList diffs;
    std::map<std::pair<dev_t, ino_t>, std::pair<QByteArray, ino_t>> groups; // source inode → (first rel, restored inode)

    void add(const QByteArray &rel, const QString &what) { diffs << QStringLiteral("%1: %2").arg(show(rel), what); }

    void compareContent(const QByteArray &rel, const QByteArray &e, const QByteArray &a, qint64 size)
    {
        const int fe = open(e.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        const int fa = open(a.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fe < 0 || fa < 0) {
            add(rel, QStringLiteral("cannot open for comparison"));
        } else {
            // Outside the source's data extents both read as zeros once the extents check passed.
            const auto srcExtents = dataExtents(e);
            for (const auto &[from, to] : srcExtents) {
                if (!sameBytes(fe, fa, from, std::min(to, size))) {
                    add(rel, QStringLiteral("content differs in bytes %1-%2").arg(from).arg(to));
                    break;
                }
            }
            for (const auto &[from, to] : dataExtents(a)) {
                const bool inside = std::any_of(srcExtents.begin(), srcExtents.end(), [&](const auto &s) {
                    return s.first <= from && to <= s.second;
                });
                if (!inside) {
                    add(rel, QStringLiteral("restored data extent %1-%2 lies over a hole of the source").arg(from).arg(to));
                    break;
                }
            }
        }
        if (fe >= 0)
            close(fe);
        if (fa >= 0)
            close(fa);
    }

    void compareEntry(const QByteArray &rel, const QByteArray &e, const QByteArray &a, bool meta)
    {
        struct stat se, sa;
        if (lstat(e.constData(), &se) != 0) {
            add(rel, sysError("lstat", e));
            return;
        }
        if (lstat(a.constData(), &sa) != 0) {
            add(rel, QStringLiteral("missing in the restored tree"));
            return;
        }
        if ((se.st_mode & S_IFMT) != (sa.st_mode & S_IFMT)) {
            add(rel, QStringLiteral("type %1 instead of %2").arg(sa.st_mode & S_IFMT, 0, 8).arg(se.st_mode & S_IFMT, 0, 8));
            return;
        }
        if (meta) {
            if (se.st_mode != sa.st_mode)
                add(rel, QStringLiteral("mode %1 instead of %2").arg(sa.st_mode, 0, 8).arg(se.st_mode, 0, 8));
            if (se.st_uid != sa.st_uid || se.st_gid != sa.st_gid)
                add(rel, QStringLiteral("owner %1:%2 instead of %3:%4").arg(sa.st_uid).arg(sa.st_gid).arg(se.st_uid).arg(se.st_gid));
            if (se.st_mtim.tv_sec != sa.st_mtim.tv_sec || se.st_mtim.tv_nsec != sa.st_mtim.tv_nsec)
                add(rel, QStringLiteral("mtime %1.%2 instead of %3.%4")
                             .arg(sa.st_mtim.tv_sec).arg(sa.st_mtim.tv_nsec, 9, 10, QLatin1Char('0'))
                             .arg(se.st_mtim.tv_sec).arg(se.st_mtim.tv_nsec, 9, 10, QLatin1Char('0')));
            bool okE = true, okA = true;
            const auto xe = userXattrs(e, &okE), xa = userXattrs(a, &okA);
            if (!okE || !okA)
                add(rel, QStringLiteral("cannot read xattrs"));
            else if (xe != xa)
                add(rel, QStringLiteral("user xattrs differ: %1 instead of %2")
                             .arg(QString::fromLatin1(QList<QByteArray>(xa.keyBegin(), xa.keyEnd()).join(',')),
                                  QString::fromLatin1(QList<QByteArray>(xe.keyBegin(), xe.keyEnd()).join(','))));
        }
        if (se.st_nlink != sa.st_nlink)
            add(rel, QStringLiteral("nlink %1 instead of %2").arg(sa.st_nlink).arg(se.st_nlink));
        if (!S_ISDIR(se.st_mode) && se.st_nlink > 1) {
            const auto key = std::make_pair(se.st_dev, se.st_ino);
            auto it = groups.find(key);
            if (it == groups.end())
                groups.emplace(key, std::make_pair(rel, sa.st_ino));
            else if (it->second.second != sa.st_ino)
                add(rel, QStringLiteral("not a hardlink of %1 any more").arg(show(it->second.first)));
        }
        if (S_ISREG(se.st_mode)) {
            if (se.st_size != sa.st_size)
                add(rel, QStringLiteral("size %1 instead of %2").arg(sa.st_size).arg(se.st_size));
            else
                compareContent(rel, e, a, se.st_size);
        } else if (S_ISLNK(se.st_mode)) {
            char be[4096], ba[4096];
            const ssize_t le = readlink(e.constData(), be, sizeof be);
            const ssize_t la = readlink(a.constData(), ba, sizeof ba);
            if (le < 0 || la < 0 || QByteArray(be, int(le)) != QByteArray(ba, int(la)))
                add(rel, QStringLiteral("symlink target '%1' instead of '%2'")
                             .arg(show(la < 0 ? QByteArray() : QByteArray(ba, int(la))),
                                  show(le < 0 ? QByteArray() : QByteArray(be, int(le)))));
        } else if (S_ISCHR(se.st_mode) || S_ISBLK(se.st_mode)) {
            if (se.st_rdev != sa.st_rdev)
                add(rel, QStringLiteral("device %1,%2 instead of %3,%4").arg(major(sa.st_rdev)).arg(minor(sa.st_rdev))
                             .arg(major(se.st_rdev)).arg(minor(se.st_rdev)));
        } else if (S_ISDIR(se.st_mode)) {
            compareDir(rel, e, a);
        }
    }

    void compareDir(const QByteArray &rel, const QByteArray &e, const QByteArray &a)
    {
        bool okE = false, okA = false;
        const auto ne = listDir(e, &okE), na = listDir(a, &okA);
        if (!okE || !okA) {
            add(rel, QStringLiteral("cannot list directory"));
            return;
        }
        for (const QByteArray &name : na)
            if (!std::binary_search(ne.begin(), ne.end(), name))
                add(join(rel, name), QStringLiteral("not in the source, but restored"));
        for (const QByteArray &name : ne)
            compareEntry(join(rel, name), join(e, name), join(a, name), true);
    }
};

} // namespace

const QByteArray &FixtureTree::xattrName()
{
    static const QByteArray n("user.cairn.test");
    return n;
}

const QByteArray &FixtureTree::xattrValue()
{
    static const QByteArray v("bin\0ary\xff\x01 value", 15);
    return v;
}

QByteArray randomBytes(qsizetype n, quint64 seed)
{
    QByteArray out(n, Qt::Uninitialized);
    // The start state is the seed hashed: consecutive seeds must not give shifted copies of one
    // splitmix64 stream (the chunker would deduplicate them).
    quint64 x = seed + 0x632BE59BD9B4E019ull;
    for (int round = 0; round < 2; ++round) {
        x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDull;
        x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53ull;
        x ^= x >> 33;
    }
    qsizetype i = 0;
    while (i < n) {
        // splitmix64
        quint64 z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const qsizetype take = std::min<qsizetype>(8, n - i);
        std::memcpy(out.data() + i, &z, size_t(take));
        i += take;
    }
    return out;
}

bool writeFile(const QByteArray &path, const QByteArray &data, mode_t mode)
{
    const int fd = open(path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return false;
    const bool ok = writeAt(fd, data, 0);
    return close(fd) == 0 && ok;
}

QByteArray readFile(const QByteArray &path)
{
    const int fd = open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray out("");
    char buf[65536];
    for (;;) {
        const ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            close(fd);
            return r < 0 ? QByteArray() : out;
        }
        out.append(buf, r);
    }
}

QList<std::pair<qint64, qint64>> dataExtents(const QByteArray &path)
{
    QList<std::pair<qint64, qint64>> out;
    const int fd = open(path.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return out;
    struct stat st;
    if (fstat(fd, &st) == 0) {
        qint64 pos = 0;
        while (pos < st.st_size) {
            const off_t data = lseek(fd, pos, SEEK_DATA);
            if (data < 0)
                break; // ENXIO: only a hole remains
            off_t hole = lseek(fd, data, SEEK_HOLE);
            if (hole < 0)
                hole = st.st_size;
            out.append({qint64(data), qint64(hole)});
            pos = hole;
        }
    }
    close(fd);
    return out;
}

qint64 allocatedBytes(const QByteArray &path)
{
    struct stat st;
    return lstat(path.constData(), &st) == 0 ? qint64(st.st_blocks) * 512 : -1;
}

qint64 diskUsage(const QByteArray &path)
{
    struct stat st;
    if (lstat(path.constData(), &st) != 0)
        return 0;
    qint64 total = qint64(st.st_blocks) * 512;
    if (S_ISDIR(st.st_mode)) {
        bool ok = false;
        for (const QByteArray &name : listDir(path, &ok))
            total += diskUsage(join(path, name));
    }
    return total;
}

bool removeTree(const QByteArray &path)
{
    struct stat st;
    if (lstat(path.constData(), &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return unlink(path.constData()) == 0;
    chmod(path.constData(), 0700);
    bool ok = true;
    bool listed = false;
    for (const QByteArray &name : listDir(path, &listed))
        ok = removeTree(join(path, name)) && ok;
    return rmdir(path.constData()) == 0 && ok && listed;
}

bool FixtureTree::build(const QByteArray &rootPath, const FixtureOptions &options)
{
    root = rootPath;
    auto fail = [this](const char *what, const QByteArray &path) {
        error = sysError(what, path);
        return false;
    };
    auto p = [this](const char *rel) { return join(root, rel); };
    auto mkdirs = [&](std::initializer_list<const char *> rels) {
        for (const char *rel : rels)
            if (mkdir(p(rel).constData(), 0755) != 0)
                return fail("mkdir", p(rel));
        return true;
    };
    if (mkdir(root.constData(), 0755) != 0)
        return fail("mkdir", root);
    if (!mkdirs({"files", "small", "links", "links/a", "links/b", "symlinks", "special", "names", "xattr", "xattr/dir",
                 "readonly", "modes", "modes/setgid-dir", "times", "times/old-dir", "owner", "empty-dir"}))
        return false;

    // Regular files of various sizes.
    quint64 seed = quint64(options.seed) << 32;
    if (!writeFile(p("files/empty"), {}) || !writeFile(p("files/one"), "x")
        || !writeFile(p("files/random-100k"), randomBytes(100 << 10, ++seed))
        || !writeFile(p("files/random-5m"), randomBytes(5 * kMiB, ++seed)))
        return fail("write", p("files"));
    {
        QByteArray zeroRun = randomBytes(2 * kMiB, ++seed);
        zeroRun += QByteArray(kMiB, '\0'); // written zeros: allocated in the source
        zeroRun += randomBytes(2 * kMiB, ++seed);
        if (!writeFile(p("files/zero-run"), zeroRun))
            return fail("write", p("files/zero-run"));
    }
    if (options.bigSparseFile) {
        sparseFile = "files/sparse-2g";
        const qint64 size = 2048 * kMiB;
        const int fd = open(p("files/sparse-2g").constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
            return fail("create", p("files/sparse-2g"));
        const bool ok = ftruncate(fd, size) == 0 && writeAt(fd, randomBytes(64 << 10, ++seed), 0)
            && writeAt(fd, randomBytes(64 << 10, ++seed), 1024 * kMiB)
            && writeAt(fd, randomBytes(64 << 10, ++seed), size - (64 << 10));
        close(fd);
        if (!ok)
            return fail("write", p("files/sparse-2g"));
    }

    // Many small files with distinct content.
    const int dirs = std::max(1, options.smallDirs);
    for (int d = 0; d < dirs; ++d)
        if (mkdir(join(root, "small/d" + QByteArray::number(d).rightJustified(3, '0')).constData(), 0755) != 0)
            return fail("mkdir", p("small"));
    const QByteArray pool = randomBytes(1 << 20, ++seed);
    for (int i = 0; i < options.smallFiles; ++i) {
        const QByteArray dir = "small/d" + QByteArray::number(i % dirs).rightJustified(3, '0');
        const QByteArray path = join(root, dir + "/f" + QByteArray::number(i).rightJustified(5, '0'));
        const int len = 200 + int((quint32(i) * 2654435761u) % 500);
        const QByteArray content = "small file " + QByteArray::number(i) + '\n' + pool.mid((i * 97) % (pool.size() - 1024), len);
        if (!writeFile(path, content))
            return fail("write", path);
    }

    // One file with three names in different directories.
    hardlinkNames = {"links/a/original", "links/b/second", "links/third"};
    if (!writeFile(p("links/a/original"), randomBytes(3000, ++seed)))
        return fail("write", p("links/a/original"));
    if (link(p("links/a/original").constData(), p("links/b/second").constData()) != 0
        || link(p("links/a/original").constData(), p("links/third").constData()) != 0)
        return fail("link", p("links"));

    // Symlinks: relative, absolute, dangling.
    if (symlink("../files/one", p("symlinks/relative").constData()) != 0
        || symlink(p("files/random-100k").constData(), p("symlinks/absolute").constData()) != 0
        || symlink("does/not/exist", p("symlinks/dangling").constData()) != 0)
        return fail("symlink", p("symlinks"));

    // Special files.
    if (mkfifo(p("special/fifo").constData(), 0640) != 0)
        return fail("mkfifo", p("special/fifo"));
    if (geteuid() == 0) {
        if (mknod(p("special/null").constData(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            return fail("mknod", p("special/null"));
        hasDevice = true;
    }

    // Awkward names.
    for (const QByteArray &name : {QByteArray("\xff\xfe-name"), QByteArray("caf\xe9"), QByteArray("name with spaces"),
                                   QByteArray("line\nbreak"), QByteArray(" leading space")}) {
        if (!writeFile(join(p("names"), name), "named " + name))
            return fail("write", join(p("names"), name));
    }

    // Extended attributes, when the file system takes them.
    if (!writeFile(p("xattr/file"), "file with an xattr"))
        return fail("write", p("xattr/file"));
    if (lsetxattr(p("xattr/file").constData(), xattrName().constData(), xattrValue().constData(), size_t(xattrValue().size()), 0) == 0) {
        hasXattrs = true;
        if (lsetxattr(p("xattr/dir").constData(), xattrName().constData(), xattrValue().constData(), size_t(xattrValue().size()), 0) != 0)
            return fail("setxattr", p("xattr/dir"));
    } else if (errno != ENOTSUP) {
        return fail("setxattr", p("xattr/file"));
    }

    // Modes.
    if (!writeFile(p("readonly/inside"), "in a read-only directory") || !writeFile(p("modes/private"), "secret", 0600)
        || !writeFile(p("modes/setgid-dir/file"), "in a setgid directory", 0640))
        return fail("write", p("modes"));
    if (chmod(p("modes/private").constData(), 0600) != 0 || chmod(p("modes/setgid-dir").constData(), 02750) != 0)
        return fail("chmod", p("modes"));

    // Owner (only root can give files away).
    if (geteuid() == 0) {
        if (!writeFile(p("owner/foreign"), "owned by 1234:5678") || lchown(p("owner/foreign").constData(), 1234, 5678) != 0)
            return fail("chown", p("owner/foreign"));
        hasForeignOwner = true;
    }

    // Times with nanoseconds; directories last, after their content is complete.
    if (!writeFile(p("times/nanos"), "mtime 1234567890.123456789"))
        return fail("write", p("times/nanos"));
    if (symlink("nanos", p("times/link").constData()) != 0)
        return fail("symlink", p("times/link"));
    if (!setMtime(p("times/nanos"), 1234567890, 123456789) || !setMtime(p("times/link"), 1000000000, 1)
        || !setMtime(p("times/old-dir"), 987654321, 999999999) || !setMtime(p("empty-dir"), 1500000000, 500)
        || !setMtime(p("times"), 1300000000, 42))
        return fail("utimensat", p("times"));
    if (chmod(p("readonly").constData(), 0555) != 0)
        return fail("chmod", p("readonly"));
    return true;
}

QStringList compareTrees(const QByteArray &expected, const QByteArray &actual, const CompareOptions &options)
{
    Comparator c{options, {}, {}};
    c.compareEntry(QByteArray(), expected, actual, options.compareRootMetadata);
    return c.diffs;
}

} // namespace cairn::test
