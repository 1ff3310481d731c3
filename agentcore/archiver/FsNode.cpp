#include "archiver/FsNode.h"

#include <grp.h>
#include <pwd.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace cairn {

void FsNodeReader::applyStat(Node &n, const struct stat &st)
{
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: n.type = NodeType::File; break;
    case S_IFDIR: n.type = NodeType::Dir; break;
    case S_IFLNK: n.type = NodeType::Symlink; break;
    case S_IFIFO: n.type = NodeType::Fifo; break;
    case S_IFCHR: n.type = NodeType::CharDevice; break;
    case S_IFBLK: n.type = NodeType::BlockDevice; break;
    default: n.type = NodeType::Socket; break;
    }
    n.mode = st.st_mode & 07777;
    n.uid = st.st_uid;
    n.gid = st.st_gid;
    n.mtimeNs = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    n.atimeNs = int64_t(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec;
    n.ctimeNs = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    n.size = n.type == NodeType::File ? uint64_t(st.st_size) : 0;
    n.device = st.st_dev;
    n.inode = st.st_ino;
    n.links = uint32_t(st.st_nlink);
    n.rdev = (n.type == NodeType::CharDevice || n.type == NodeType::BlockDevice) ? st.st_rdev : 0;
}

Status FsNodeReader::readXattrs(const QByteArray &path, Node &n)
{
    n.xattrs.clear();
    ssize_t len = llistxattr(path.constData(), nullptr, 0);
    if (len < 0)
        return (errno == ENOTSUP || errno == ENOSYS) ? Status() : Status(systemError(QStringLiteral("list xattrs of"), path, errno));
    if (len == 0)
        return {};
    std::vector<char> names(size_t(len) + 1);
    len = llistxattr(path.constData(), names.data(), names.size());
    if (len < 0)
        return systemError(QStringLiteral("list xattrs of"), path, errno);
    for (ssize_t i = 0; i < len;) {
        const QByteArray name(names.data() + i);
        i += name.size() + 1;
        if (name.isEmpty())
            continue;
        ssize_t vlen = lgetxattr(path.constData(), name.constData(), nullptr, 0);
        if (vlen < 0) {
            if (errno == ENODATA)
                continue; // removed meanwhile
            return systemError(QStringLiteral("read xattr %1 of").arg(QString::fromLocal8Bit(name)), path, errno);
        }
        QByteArray value(int(vlen), Qt::Uninitialized);
        vlen = lgetxattr(path.constData(), name.constData(), value.data(), size_t(value.size()));
        if (vlen < 0)
            return systemError(QStringLiteral("read xattr of"), path, errno);
        value.resize(int(vlen));
        n.xattrs.emplace_back(name, value);
    }
    std::sort(n.xattrs.begin(), n.xattrs.end());
    return {};
}

Result<Node> FsNodeReader::read(const QByteArray &path, const QByteArray &name, const struct stat &st)
{
    Node n;
    n.name = name;
    applyStat(n, st);
    n.user = userName(n.uid);
    n.group = groupName(n.gid);
    if (n.type == NodeType::Symlink) {
        QByteArray target(int(st.st_size > 0 ? st.st_size : 4096) + 1, Qt::Uninitialized);
        const ssize_t len = readlink(path.constData(), target.data(), size_t(target.size()));
        if (len < 0)
            return systemError(QStringLiteral("read link"), path, errno);
        target.resize(int(len));
        n.linkTarget = target;
    }
    if (Status s = readXattrs(path, n); !s.ok())
        return s.error();
    return n;
}

QByteArray FsNodeReader::userName(uint32_t uid)
{
    std::lock_guard lock(m_mutex);
    auto it = m_users.constFind(uid);
    if (it != m_users.constEnd())
        return *it;
    struct passwd pw, *res = nullptr;
    char buf[4096];
    QByteArray name;
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
        name = res->pw_name;
    m_users.insert(uid, name);
    return name;
}

QByteArray FsNodeReader::groupName(uint32_t gid)
{
    std::lock_guard lock(m_mutex);
    auto it = m_groups.constFind(gid);
    if (it != m_groups.constEnd())
        return *it;
    struct group gr, *res = nullptr;
    char buf[4096];
    QByteArray name;
    if (getgrgid_r(gid, &gr, buf, sizeof buf, &res) == 0 && res)
        name = res->gr_name;
    m_groups.insert(gid, name);
    return name;
}

} // namespace cairn
