// SnapshotTreeModel implementation. GUI thread.
#include "user/SnapshotTreeModel.h"

#include "core/Format.h"

#include <QJsonArray>
#include <QTimer>

namespace cairn::console {

struct SnapshotTreeModel::Node {
    QByteArray name;
    QByteArray path; // "/" for the root
    QString type; // file, dir, symlink, …
    qint64 size = 0;
    QString mtime;
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    qint64 total = -1; // entries of a directory; -1 until its first page arrived
    bool fetching = false;

    bool isDir() const { return type == QLatin1String("dir"); }
    bool hasMore() const { return total >= 0 && qint64(children.size()) < total; }
    int rows() const { return int(children.size()) + (hasMore() ? 1 : 0); }
};

namespace {

bool isUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

QByteArray parentPath(const QByteArray &path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash <= 0 ? QByteArray("/") : path.left(slash);
}

} // namespace

SnapshotTreeModel::SnapshotTreeModel(ApiClient *api, QObject *parent)
    : QAbstractItemModel(parent), m_api(api), m_root(std::make_unique<Node>())
{
    m_root->type = QStringLiteral("dir");
    m_root->path = "/";
}

SnapshotTreeModel::~SnapshotTreeModel() = default;

void SnapshotTreeModel::setSnapshot(const QString &snapshotId)
{
    ++m_generation;
    beginResetModel();
    m_snapshot = snapshotId;
    m_root = std::make_unique<Node>();
    m_root->type = QStringLiteral("dir");
    m_root->path = "/";
    m_checked.clear();
    endResetModel();
    if (m_pending > 0) {
        m_pending = 0;
        emit loadingChanged(false);
    }
    emit checkedChanged();
    if (!m_snapshot.isEmpty())
        fetch(m_root.get());
}

SnapshotTreeModel::Node *SnapshotTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    auto *parent = static_cast<Node *>(index.internalPointer());
    return index.row() < int(parent->children.size()) ? parent->children[size_t(index.row())].get() : nullptr;
}

SnapshotTreeModel::Node *SnapshotTreeModel::dirOf(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_root.get();
    Node *n = nodeOf(parent);
    return n && n->isDir() ? n : nullptr;
}

QModelIndex SnapshotTreeModel::indexOf(Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, node->parent);
}

QModelIndex SnapshotTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    Node *dir = dirOf(parent);
    if (!dir || row < 0 || row >= dir->rows() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, dir);
}

QModelIndex SnapshotTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(static_cast<Node *>(child.internalPointer()));
}

int SnapshotTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    Node *dir = dirOf(parent);
    return dir ? dir->rows() : 0;
}

int SnapshotTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool SnapshotTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    Node *dir = dirOf(parent);
    return dir && (dir->total < 0 || dir->total > 0);
}

bool SnapshotTreeModel::canFetchMore(const QModelIndex &parent) const
{
    Node *dir = dirOf(parent);
    return dir && !m_snapshot.isEmpty() && !dir->fetching && (dir->total < 0 || dir->hasMore());
}

void SnapshotTreeModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        fetch(dirOf(parent));
}

void SnapshotTreeModel::fetch(Node *dir)
{
    dir->fetching = true;
    if (m_pending++ == 0)
        emit loadingChanged(true);
    QUrlQuery q;
    if (isUtf8(dir->path))
        q.addQueryItem(QStringLiteral("path"), QString::fromUtf8(dir->path));
    else
        q.addQueryItem(QStringLiteral("path_b64"), QString::fromLatin1(dir->path.toBase64()));
    q.addQueryItem(QStringLiteral("start"), QString::number(dir->children.size()));
    q.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    const int generation = m_generation;
    const QByteArray path = dir->path;
    const auto done = [this, generation] {
        if (generation == m_generation && m_pending > 0 && --m_pending == 0)
            emit loadingChanged(false);
    };
    m_api->get(QStringLiteral("/snapshots/%1/tree").arg(m_snapshot), q)
        ->then(
            this,
            [this, generation, path, done](const QJsonValue &answer) {
                done();
                if (generation != m_generation)
                    return;
                Node *dir = path == "/" ? m_root.get() : nodeOf(indexOfPath(path));
                if (!dir)
                    return;
                dir->fetching = false;
                const QModelIndex parentIndex = indexOf(dir);
                const QJsonArray entries = answer[QLatin1String("entries")].toArray();
                if (dir->hasMore()) { // the "more" row goes; it comes back at the end if needed
                    beginRemoveRows(parentIndex, int(dir->children.size()), int(dir->children.size()));
                    dir->total = -1;
                    endRemoveRows();
                }
                const int first = int(dir->children.size());
                std::vector<std::unique_ptr<Node>> fresh;
                for (const QJsonValue &v : entries) {
                    const QJsonObject e = v.toObject();
                    auto n = std::make_unique<Node>();
                    n->name = e.contains(QLatin1String("name_b64"))
                        ? QByteArray::fromBase64(e.value(QLatin1String("name_b64")).toString().toLatin1())
                        : e.value(QLatin1String("name")).toString().toUtf8();
                    n->path = (dir->path == "/" ? QByteArray() : dir->path) + '/' + n->name;
                    n->type = e.value(QLatin1String("type")).toString();
                    n->size = e.value(QLatin1String("size")).toInteger();
                    n->mtime = e.value(QLatin1String("mtime")).toString();
                    n->parent = dir;
                    n->row = first + int(fresh.size());
                    fresh.push_back(std::move(n));
                }
                const qint64 total = answer[QLatin1String("total")].toInteger();
                if (!fresh.empty()) {
                    beginInsertRows(parentIndex, first, first + int(fresh.size()) - 1);
                    for (auto &n : fresh)
                        dir->children.push_back(std::move(n));
                    dir->total = qint64(dir->children.size()); // no "more" row while inserting
                    endInsertRows();
                }
                if (total > qint64(dir->children.size())) {
                    beginInsertRows(parentIndex, int(dir->children.size()), int(dir->children.size()));
                    dir->total = total;
                    endInsertRows();
                } else {
                    dir->total = qint64(dir->children.size());
                }
                emit directoryLoaded(parentIndex);
            },
            [this, generation, path, done](const ApiError &e) {
                done();
                if (generation != m_generation)
                    return;
                if (Node *dir = path == "/" ? m_root.get() : nodeOf(indexOfPath(path)))
                    dir->fetching = false;
                emit failed(e);
            });
}

QModelIndex SnapshotTreeModel::indexOfPath(const QByteArray &path) const
{
    Node *n = m_root.get();
    for (const QByteArray &part : path.split('/')) {
        if (part.isEmpty())
            continue;
        Node *next = nullptr;
        for (const auto &c : n->children) {
            if (c->name == part) {
                next = c.get();
                break;
            }
        }
        if (!next)
            return {};
        n = next;
    }
    return indexOf(n);
}

bool SnapshotTreeModel::isChecked(const QByteArray &path) const
{
    QByteArray p = path;
    while (!p.isEmpty() && p != "/") {
        if (m_checked.contains(p))
            return true;
        p = parentPath(p);
    }
    return m_checked.contains("/");
}

QList<QByteArray> SnapshotTreeModel::checkedPaths() const
{
    QList<QByteArray> out(m_checked.begin(), m_checked.end()); // setChecked keeps no path below another
    std::sort(out.begin(), out.end());
    return out;
}

void SnapshotTreeModel::setChecked(const QByteArray &path, bool checked)
{
    if (checked == m_checked.contains(path))
        return;
    if (checked) {
        // Entries below a checked directory are restored with it: drop their own marks.
        const QByteArray prefix = path == "/" ? path : path + '/';
        for (auto it = m_checked.begin(); it != m_checked.end();) {
            if (it->startsWith(prefix))
                it = m_checked.erase(it);
            else
                ++it;
        }
        m_checked.insert(path);
    } else {
        m_checked.remove(path);
    }
    const QModelIndex at = indexOfPath(path);
    if (at.isValid()) {
        emit dataChanged(at, at, {Qt::CheckStateRole});
        notifyCheckedBelow(nodeOf(at));
    } else if (path == "/") {
        notifyCheckedBelow(m_root.get());
    }
    emit checkedChanged();
}

void SnapshotTreeModel::clearChecked()
{
    const QList<QByteArray> all(m_checked.begin(), m_checked.end());
    for (const QByteArray &p : all)
        setChecked(p, false);
}

void SnapshotTreeModel::notifyCheckedBelow(Node *dir)
{
    if (!dir || dir->children.empty())
        return;
    const QModelIndex parentIndex = indexOf(dir);
    emit dataChanged(
        index(0, 0, parentIndex), index(int(dir->children.size()) - 1, 0, parentIndex), {Qt::CheckStateRole});
    for (const auto &c : dir->children)
        notifyCheckedBelow(c.get());
}

QVariant SnapshotTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    Node *n = nodeOf(index);
    if (!n) { // the "more" row of a large directory: asking for its text means it is in view
        auto *dir = static_cast<Node *>(index.internalPointer());
        if (role == IsMoreRole)
            return true;
        if (role != Qt::DisplayRole || index.column() != Name)
            return {};
        if (!dir->fetching) {
            const QByteArray path = dir->path;
            const int generation = m_generation;
            auto *self = const_cast<SnapshotTreeModel *>(this);
            QTimer::singleShot(0, self, [self, path, generation] {
                if (generation == self->m_generation)
                    self->fetchMore(self->indexOfPath(path));
            });
        }
        return tr("Loading more… (%1 of %2 shown)")
            .arg(format::number(qint64(dir->children.size())), format::number(dir->total));
    }
    switch (role) {
    case PathRole: return n->path;
    case TypeRole: return n->type;
    case IsMoreRole: return false;
    case Qt::CheckStateRole:
        return index.column() == Name ? QVariant(isChecked(n->path) ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::ToolTipRole: return QString::fromUtf8(n->path);
    case Qt::TextAlignmentRole:
        return index.column() == Size ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return n->isDir() ? QString::fromUtf8(n->name) + QLatin1Char('/') : QString::fromUtf8(n->name);
        case Size: return n->isDir() ? QString() : format::bytes(n->size);
        case Modified: return format::dateTimeIso(n->mtime);
        default: return {};
        }
    default: return {};
    }
}

bool SnapshotTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    Node *n = nodeOf(index);
    if (!n || role != Qt::CheckStateRole || index.column() != Name || !(flags(index) & Qt::ItemIsUserCheckable))
        return false;
    setChecked(n->path, value.value<Qt::CheckState>() == Qt::Checked);
    return true;
}

Qt::ItemFlags SnapshotTreeModel::flags(const QModelIndex &index) const
{
    Node *n = nodeOf(index);
    if (!n)
        return index.isValid() ? Qt::ItemIsEnabled : Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    // Below a checked directory an entry is restored anyway: its box is not separately checkable.
    if (index.column() == Name && (n->parent == m_root.get() || !isChecked(n->parent->path)))
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant SnapshotTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Size: return tr("Size");
    case Modified: return tr("Modified");
    default: return {};
    }
}

void SnapshotTreeModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

} // namespace cairn::console
