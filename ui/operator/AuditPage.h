// AuditPage: the audit log for operators (GET /audit, all tenants or ?tenant=), newest first,
// loaded page by page as the table scrolls (fetchMore with the keyset `next`), new entries added
// at the top on every live tick; columns time, actor, action, tenant, detail; a filter on the
// action text. GUI thread.
#pragma once

#include "shell/Page.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace cairn::console {

class TenantDirectory;

class AuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Actor, Action, Tenant, Detail, ColumnCount };
    AuditModel(ApiClient *api, TenantDirectory *directory, QObject *parent = nullptr);

    void setTenant(std::optional<qint64> tenant); // clears and loads again
    void refreshTop(); // entries newer than the first row
    void setUserNames(const QHash<qint64, QString> &names);
    void retranslate();

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void failed(const cairn::console::ApiError &error);

private:
    QUrlQuery baseQuery() const;
    ApiClient *m_api;
    TenantDirectory *m_directory;
    std::optional<qint64> m_tenant;
    QList<QJsonObject> m_rows;
    QHash<qint64, QString> m_users;
    QJsonValue m_next = QJsonValue(QJsonValue::Null); // before= for the next older page
    bool m_started = false;
    bool m_fetching = false;
    bool m_topFetching = false;
    quint64 m_generation = 0;
};

class AuditPage : public Page {
    Q_OBJECT
public:
    explicit AuditPage(ApiClient *api, QWidget *parent = nullptr);
    void retranslateUi() override;
    QString title() const override;
    void refresh() override;
    AuditModel *model() const { return m_model; }

private:
    void fillTenants();
    TenantDirectory *m_directory;
    AuditModel *m_model;
    QSortFilterProxyModel *m_filter;
    QLabel *m_tenantLabel;
    QComboBox *m_tenant;
    QLabel *m_actionLabel;
    QLineEdit *m_action;
    QTableView *m_table;
};

} // namespace cairn::console
