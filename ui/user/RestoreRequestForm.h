// RestoreRequestForm: the "Request restore" form of SPEC §4 — what to restore (the paths chosen in
// the snapshot tree or search), onto which server of the tenant and into which folder (empty: the
// original location), what to do with existing files, a contact (prefilled from the user) and a
// note. It checks what it can before sending (a sentence in the form, nothing sent), then
// POST /restore-tickets and shows the ticket's due time with the SLA note. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace cairn::console {

class RestoreRequestForm : public QWidget {
    Q_OBJECT
public:
    explicit RestoreRequestForm(ApiClient *api, QWidget *parent = nullptr);

    void setSource(qint64 serverId, const QString &snapshotId, const QString &snapshotTime);
    void setPaths(const QList<QByteArray> &paths);
    // The tenant's servers (GET /servers items) for the destination; the source server is the default.
    void setServers(const QJsonArray &servers);
    // Fills the contact fields the user has not typed in yet.
    void setContact(const QString &name, const QString &email);
    // Why the form cannot be sent yet (a sentence), or empty.
    QString validationError(QWidget **field = nullptr) const;
    QString errorText() const;
    QString resultText() const;
    void resetResult();

public slots:
    void submit();

signals:
    void submitted(const QJsonObject &ticket);
    void closeRequested();

protected:
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void retranslateUi();
    void fillExisting();
    void fillServers();
    QJsonObject body() const;
    void showFormError(const QString &text);

    ApiClient *m_api;
    qint64 m_server = 0;
    QString m_snapshot;
    QString m_snapshotTime;
    QList<QByteArray> m_paths;
    QJsonArray m_servers;
    QLabel *m_heading;
    QFormLayout *m_form;
    QListWidget *m_pathList;
    QComboBox *m_targetServer;
    QLineEdit *m_targetPath;
    QComboBox *m_existing;
    QLineEdit *m_name;
    QLineEdit *m_phone;
    QLineEdit *m_email;
    QPlainTextEdit *m_note;
    QLabel *m_sla;
    QLabel *m_error;
    QLabel *m_result;
    QPushButton *m_submit;
    QPushButton *m_close;
    QList<QLabel *> m_captions;
    bool m_sending = false;
};

} // namespace cairn::console
