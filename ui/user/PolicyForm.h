// PolicyForm: the fields of a backup policy (SPEC §2, docs/API.md "Servers") and their rules —
// absolute paths (1–100), exclude globs, one file system, every day or every week on a weekday,
// the start hour 0–23, retention 7/14/21/30 days, pre/post commands (≤ 4000 bytes of UTF-8) with
// their timeout (1–86400 s) and what a failed pre-command does, and the bandwidth limit (0 or
// 128–10,000,000 KiB/s). Only allowed values can be chosen; what can still be typed wrong is
// checked on every change, with a sentence next to the field (isValid() is false until fixed).
// The server's refusal of a field can be shown there too. GUI thread.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace cairn::console {

class PolicyForm : public QWidget {
    Q_OBJECT
public:
    explicit PolicyForm(QWidget *parent = nullptr);

    // Fills the fields from a policy object (missing fields take the API's defaults).
    void setPolicy(const QJsonObject &policy);
    // The defaults for a server without a policy (no paths yet, daily at 02:00, 30 days).
    void setDefaults();
    // The policy as PUT /servers/{id}/policy takes it (every field).
    QJsonObject policy() const;

    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }
    bool isValid() const { return m_valid; }
    // Shows the server's sentence next to the field it named ("paths", "hour", …); false if the
    // form has no such field.
    bool showServerError(const QString &field, const QString &sentence);
    void retranslateUi();

signals:
    void edited(); // the user changed a field
    void validityChanged(bool valid);

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *errorLabel(const QString &field, const char *objectName);
    void addPath();
    void removePath();
    void validate();
    void onEdited();
    void fillCombos();

    QListWidget *m_paths;
    QLineEdit *m_pathInput;
    QPushButton *m_addPath;
    QPushButton *m_removePath;
    QPlainTextEdit *m_excludes;
    QCheckBox *m_oneFileSystem;
    QComboBox *m_interval;
    QComboBox *m_weekday;
    QComboBox *m_hour;
    QComboBox *m_retention;
    QPlainTextEdit *m_preCommand;
    QPlainTextEdit *m_postCommand;
    QSpinBox *m_timeout;
    QComboBox *m_onPreFailure;
    QSpinBox *m_bandwidth;
    QLabel *m_rootWarning;
    QHash<QString, QLabel *> m_errors; // API field name → the sentence next to it
    QHash<QString, QLabel *> m_labels; // captions, by field
    QLabel *m_pathInputLabel;
    bool m_readOnly = false;
    bool m_valid = true;
    bool m_filling = false;
};

} // namespace cairn::console
