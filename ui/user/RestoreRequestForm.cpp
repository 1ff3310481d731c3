// RestoreRequestForm implementation. GUI thread.
#include "user/RestoreRequestForm.h"

#include "core/Format.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace cairn::console {

namespace {

const char *const kExisting[] = {"skip", "overwrite", "keep-both"};
constexpr int kNameMax = 200;
constexpr int kNoteMax = 4000;

bool isUtf8(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes).toUtf8() == bytes;
}

} // namespace

RestoreRequestForm::RestoreRequestForm(ApiClient *api, QWidget *parent)
    : QWidget(parent),
      m_api(api),
      m_heading(new QLabel(this)),
      m_form(new QFormLayout),
      m_pathList(new QListWidget(this)),
      m_targetServer(new QComboBox(this)),
      m_targetPath(new QLineEdit(this)),
      m_existing(new QComboBox(this)),
      m_name(new QLineEdit(this)),
      m_phone(new QLineEdit(this)),
      m_email(new QLineEdit(this)),
      m_note(new QPlainTextEdit(this)),
      m_sla(new QLabel(this)),
      m_error(new QLabel(this)),
      m_result(new QLabel(this)),
      m_submit(new QPushButton(this)),
      m_close(new QPushButton(this))
{
    setObjectName(QStringLiteral("restoreRequestForm"));
    m_pathList->setObjectName(QStringLiteral("requestPaths"));
    m_targetServer->setObjectName(QStringLiteral("requestTargetServer"));
    m_targetPath->setObjectName(QStringLiteral("requestTargetPath"));
    m_existing->setObjectName(QStringLiteral("requestExisting"));
    m_name->setObjectName(QStringLiteral("requestContactName"));
    m_phone->setObjectName(QStringLiteral("requestContactPhone"));
    m_email->setObjectName(QStringLiteral("requestContactEmail"));
    m_note->setObjectName(QStringLiteral("requestNote"));
    m_error->setObjectName(QStringLiteral("requestError"));
    m_result->setObjectName(QStringLiteral("requestResult"));
    m_submit->setObjectName(QStringLiteral("requestSubmit"));
    m_close->setObjectName(QStringLiteral("requestClose"));
    m_sla->setObjectName(QStringLiteral("requestSlaNote"));

    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_pathList->setMaximumHeight(90);
    m_pathList->setFocusPolicy(Qt::NoFocus);
    m_note->setMaximumHeight(70);
    m_note->setTabChangesFocus(true);
    m_name->setMaxLength(kNameMax);
    m_phone->setMaxLength(40);
    m_email->setMaxLength(254);
    for (QLabel *l : {m_sla, m_error, m_result})
        l->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_result->setStyleSheet(QStringLiteral("color: #1565c0;"));
    m_error->hide();
    m_result->hide();
    m_submit->setDefault(true);

    const QList<QWidget *> fields {
        m_pathList, m_targetServer, m_targetPath, m_existing, m_name, m_phone, m_email, m_note};
    for (QWidget *field : fields) {
        auto *caption = new QLabel(this);
        caption->setBuddy(field);
        m_captions.append(caption);
        m_form->addRow(caption, field);
    }
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    buttons->addWidget(m_submit);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_heading);
    layout->addLayout(m_form);
    layout->addWidget(m_sla);
    layout->addWidget(m_error);
    layout->addWidget(m_result);
    layout->addLayout(buttons);
    setTabOrder(m_targetServer, m_targetPath);
    setTabOrder(m_targetPath, m_existing);
    setTabOrder(m_existing, m_name);
    setTabOrder(m_name, m_phone);
    setTabOrder(m_phone, m_email);
    setTabOrder(m_email, m_note);
    setTabOrder(m_note, m_submit);
    setTabOrder(m_submit, m_close);

    for (QLineEdit *e : {m_targetPath, m_name, m_phone, m_email})
        connect(e, &QLineEdit::returnPressed, this, &RestoreRequestForm::submit);
    connect(m_submit, &QPushButton::clicked, this, &RestoreRequestForm::submit);
    connect(m_close, &QPushButton::clicked, this, &RestoreRequestForm::closeRequested);
    retranslateUi();
}

void RestoreRequestForm::setSource(qint64 serverId, const QString &snapshotId, const QString &snapshotTime)
{
    const bool otherServer = serverId != m_server;
    m_server = serverId;
    m_snapshot = snapshotId;
    m_snapshotTime = snapshotTime;
    if (otherServer)
        fillServers();
    retranslateUi();
}

void RestoreRequestForm::setPaths(const QList<QByteArray> &paths)
{
    m_paths = paths;
    m_pathList->clear();
    for (const QByteArray &p : paths)
        m_pathList->addItem(QString::fromUtf8(p));
}

void RestoreRequestForm::setServers(const QJsonArray &servers)
{
    if (servers == m_servers)
        return;
    m_servers = servers;
    fillServers();
}

void RestoreRequestForm::fillServers()
{
    const qint64 chosen = m_targetServer->currentData().toLongLong();
    const QSignalBlocker block(m_targetServer);
    m_targetServer->clear();
    bool haveSource = false;
    for (const QJsonValue &v : std::as_const(m_servers)) {
        const QJsonObject s = v.toObject();
        const qint64 id = s.value(QLatin1String("id")).toInteger();
        const QString name = s.value(QLatin1String("name")).toString();
        if (id == m_server) {
            haveSource = true;
            m_targetServer->insertItem(0, tr("%1 (this server)").arg(name), id);
        } else {
            m_targetServer->addItem(name, id);
        }
    }
    if (!haveSource && m_server > 0)
        m_targetServer->insertItem(0, tr("This server"), m_server);
    const int at = m_targetServer->findData(chosen > 0 ? chosen : m_server);
    m_targetServer->setCurrentIndex(at >= 0 ? at : 0);
}

void RestoreRequestForm::setContact(const QString &name, const QString &email)
{
    if (m_name->text().isEmpty() && !m_name->isModified())
        m_name->setText(name);
    if (m_email->text().isEmpty() && !m_email->isModified())
        m_email->setText(email);
}

QString RestoreRequestForm::validationError(QWidget **field) const
{
    const auto fail = [field](QWidget *w, const QString &text) {
        if (field)
            *field = w;
        return text;
    };
    if (m_snapshot.isEmpty())
        return fail(nullptr, tr("Choose a snapshot first."));
    if (m_paths.isEmpty())
        return fail(m_pathList,
            tr("Choose at least one file or folder to restore: tick it in the snapshot's files or in the search "
               "results."));
    const QString target = m_targetPath->text().trimmed();
    if (!target.isEmpty() && !target.startsWith(QLatin1Char('/')))
        return fail(m_targetPath,
            tr("The destination folder must be an absolute path starting with /, or empty to restore to the original "
               "location."));
    if (target.contains(QLatin1String("/../")) || target.endsWith(QLatin1String("/..")))
        return fail(m_targetPath, tr("The destination folder must not contain \"..\"."));
    static const QRegularExpression mail(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    static const QRegularExpression tel(QStringLiteral("^\\+?[0-9][0-9 ()./-]{2,39}$"));
    const QString phone = m_phone->text().trimmed();
    if (!phone.isEmpty() && !tel.match(phone).hasMatch())
        return fail(m_phone, tr("The phone number may contain only digits, spaces and + ( ) . / -."));
    const QString email = m_email->text().trimmed();
    if (!email.isEmpty() && !mail.match(email).hasMatch())
        return fail(m_email, tr("\"%1\" is not an e-mail address.").arg(email));
    if (m_note->toPlainText().size() > kNoteMax)
        return fail(m_note, tr("The note may be at most %1 characters long.").arg(kNoteMax));
    return QString();
}

QJsonObject RestoreRequestForm::body() const
{
    QJsonArray paths, pathsB64;
    for (const QByteArray &p : m_paths) {
        if (isUtf8(p))
            paths.append(QString::fromUtf8(p));
        else
            pathsB64.append(QString::fromLatin1(p.toBase64()));
    }
    QJsonObject b {{QStringLiteral("server"), m_server}, {QStringLiteral("snapshot"), m_snapshot},
        {QStringLiteral("paths"), paths}, {QStringLiteral("target"), m_targetPath->text().trimmed()},
        {QStringLiteral("existing"), QLatin1String(kExisting[std::max(0, m_existing->currentIndex())])},
        {QStringLiteral("target_server"),
            m_targetServer->currentData().toLongLong() > 0 ? m_targetServer->currentData().toLongLong() : m_server},
        {QStringLiteral("contact"),
            QJsonObject {{QStringLiteral("name"), m_name->text().trimmed()},
                {QStringLiteral("phone"), m_phone->text().trimmed()},
                {QStringLiteral("email"), m_email->text().trimmed()}}},
        {QStringLiteral("note"), m_note->toPlainText()}};
    if (!pathsB64.isEmpty())
        b.insert(QStringLiteral("paths_b64"), pathsB64);
    return b;
}

void RestoreRequestForm::showFormError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void RestoreRequestForm::submit()
{
    if (m_sending)
        return;
    m_result->hide();
    QWidget *field = nullptr;
    const QString problem = validationError(&field);
    showFormError(problem);
    if (!problem.isEmpty()) {
        if (field)
            field->setFocus();
        return;
    }
    m_sending = true;
    m_submit->setEnabled(false);
    m_api->post(QStringLiteral("/restore-tickets"), body())
        ->then(
            this,
            [this](const QJsonValue &answer) {
                m_sending = false;
                m_submit->setEnabled(true);
                const QJsonObject ticket = answer.toObject();
                const QString due = ticket.value(QLatin1String("due_at")).toString();
                m_result->setText((due.isEmpty() ? tr("Request submitted as ticket #%1; it has no due time yet.")
                                                       .arg(ticket.value(QLatin1String("id")).toInteger())
                                                 : tr("Request submitted as ticket #%1; due %2.")
                                                       .arg(ticket.value(QLatin1String("id")).toInteger())
                                                       .arg(format::dateTimeIso(due)))
                    + QLatin1Char(' ') + m_sla->text());
                m_result->show();
                emit submitted(ticket);
            },
            [this](const ApiError &e) {
                m_sending = false;
                m_submit->setEnabled(true);
                QString text = errorSentence(e);
                if (!e.field.isEmpty() && !text.contains(fieldLabel(e.field)))
                    text = tr("%1: %2").arg(fieldLabel(e.field), text);
                showFormError(text);
            });
}

QString RestoreRequestForm::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString RestoreRequestForm::resultText() const
{
    return m_result->isVisibleTo(this) ? m_result->text() : QString();
}

void RestoreRequestForm::resetResult()
{
    m_result->hide();
    showFormError(QString());
}

void RestoreRequestForm::fillExisting()
{
    const int current = std::max(0, m_existing->currentIndex());
    m_existing->clear();
    m_existing->addItems({tr("Skip them (keep the files on the server)"), tr("Overwrite them"),
        tr("Keep both (restore under a new name)")});
    m_existing->setCurrentIndex(current);
}

void RestoreRequestForm::retranslateUi()
{
    m_heading->setText(m_snapshotTime.isEmpty() ? tr("Request a restore")
                                                : tr("Request a restore from the snapshot of %1").arg(m_snapshotTime));
    const QStringList captions {tr("What:"), tr("Restore &onto:"), tr("Destination &folder:"), tr("&Existing files:"),
        tr("Contact &name:"), tr("&Phone:"), tr("E-&mail:"), tr("N&ote:")};
    for (int i = 0; i < m_captions.size(); ++i)
        m_captions[i]->setText(captions.value(i));
    m_targetPath->setPlaceholderText(tr("Empty: back to the original location"));
    m_phone->setPlaceholderText(tr("+82 10-1234-5678"));
    m_note->setPlaceholderText(tr("Anything the operators should know (optional)"));
    m_sla->setText(tr("Operators handle restore requests on business days from 10:00 to 19:00 (Korean time); a request "
                      "is due 3 business hours after it is submitted."));
    m_submit->setText(tr("&Submit request"));
    m_close->setText(tr("C&lose"));
    fillExisting();
    fillServers();
}

void RestoreRequestForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RestoreRequestForm::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        emit closeRequested();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace cairn::console
