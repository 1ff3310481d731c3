// SnapshotTreeModel: the files of one snapshot as a lazily loaded tree — a directory's entries are
// fetched only when it is expanded (GET /snapshots/{id}/tree?path=…&start=&limit=), a page at a
// time; a huge directory ends in a "more" row that fetches the next page when it scrolls into
// view. Items are checkable to choose what to restore: a checked directory restores everything
// below it (its entries show checked). Paths are the snapshot's byte strings (names that are not
// UTF-8 travel as base64). Columns: name, size, modified. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QAbstractItemModel>
#include <QSet>

#include <memory>
#include <vector>

namespace cairn::console {

class SnapshotTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Modified, ColumnCount };
    enum Role { PathRole = Qt::UserRole, TypeRole, IsMoreRole };
    static constexpr int kPageSize = 500;

    explicit SnapshotTreeModel(ApiClient *api, QObject *parent = nullptr);
    ~SnapshotTreeModel() override;

    void setSnapshot(const QString &snapshotId); // empty: nothing
    QString snapshot() const { return m_snapshot; }
    // The checked paths (absolute, inside the snapshot), sorted; a path below a checked one is left out.
    QList<QByteArray> checkedPaths() const;
    void setChecked(const QByteArray &path, bool checked);
    bool isChecked(const QByteArray &path) const; // itself or a directory above it
    void clearChecked();
    // The index of a loaded path (invalid if that part of the tree is not loaded yet).
    QModelIndex indexOfPath(const QByteArray &path) const;
    bool isLoading() const { return m_pending > 0; }
    void retranslate();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void checkedChanged();
    void loadingChanged(bool loading);
    void directoryLoaded(const QModelIndex &directory);
    void failed(const cairn::console::ApiError &error);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const; // nullptr for the root's index and "more" rows
    Node *dirOf(const QModelIndex &parent) const; // the directory an index's children belong to
    QModelIndex indexOf(Node *node, int column = 0) const;
    void fetch(Node *dir);
    void notifyCheckedBelow(Node *dir);

    ApiClient *m_api;
    QString m_snapshot;
    std::unique_ptr<Node> m_root;
    QSet<QByteArray> m_checked;
    int m_generation = 0;
    int m_pending = 0;
};

} // namespace cairn::console
