// LoginPage implementation. GUI thread.
#include "shell/LoginPage.h"

#include "api/TrustStore.h"
#include "widgets/BusyIndicator.h"
#include "widgets/MessageBanner.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace cairn::console {

LoginPage::LoginPage(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_title(new QLabel(this))
    , m_serverLabel(new QLabel(this))
    , m_loginLabel(new QLabel(this))
    , m_passwordLabel(new QLabel(this))
    , m_server(new QComboBox(this))
    , m_login(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_submit(new QPushButton(this))
    , m_busy(new BusyIndicator(this))
    , m_banner(new MessageBanner(this))
    , m_trustPanel(new QFrame(this))
    , m_trustText(new QLabel(m_trustPanel))
    , m_fingerprint(new QLabel(m_trustPanel))
    , m_trust(new QPushButton(m_trustPanel))
    , m_distrust(new QPushButton(m_trustPanel))
{
    setObjectName(QStringLiteral("loginPage"));
    m_server->setObjectName(QStringLiteral("loginServer"));
    m_login->setObjectName(QStringLiteral("loginName"));
    m_password->setObjectName(QStringLiteral("loginPassword"));
    m_submit->setObjectName(QStringLiteral("loginSubmit"));
    m_trustPanel->setObjectName(QStringLiteral("trustPanel"));
    m_fingerprint->setObjectName(QStringLiteral("trustFingerprint"));
    m_trust->setObjectName(QStringLiteral("trustAccept"));
    m_distrust->setObjectName(QStringLiteral("trustReject"));

    m_server->setEditable(true);
    m_server->setInsertPolicy(QComboBox::NoInsert);
    m_server->setMinimumWidth(320);
    const QSettings settings;
    m_server->addItems(settings.value(QStringLiteral("login/servers")).toStringList());
    m_server->setCurrentText(settings.value(QStringLiteral("login/server"), QStringLiteral("https://127.0.0.1:8443")).toString());
    m_login->setText(settings.value(QStringLiteral("login/login")).toString());
    m_password->setEchoMode(QLineEdit::Password);
    m_submit->setDefault(true);
    m_submit->setAutoDefault(true);

    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_title->setFont(big);

    m_trustPanel->setFrameShape(QFrame::StyledPanel);
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fingerprint->setWordWrap(true);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_fingerprint->setFont(mono);
    m_trustText->setWordWrap(true);
    auto *trustButtons = new QHBoxLayout;
    trustButtons->addStretch();
    trustButtons->addWidget(m_distrust);
    trustButtons->addWidget(m_trust);
    auto *trustLayout = new QVBoxLayout(m_trustPanel);
    trustLayout->addWidget(m_trustText);
    trustLayout->addWidget(m_fingerprint);
    trustLayout->addLayout(trustButtons);
    m_trustPanel->hide();

    auto *form = new QFormLayout;
    form->addRow(m_serverLabel, m_server);
    form->addRow(m_loginLabel, m_login);
    form->addRow(m_passwordLabel, m_password);
    m_serverLabel->setBuddy(m_server);
    m_loginLabel->setBuddy(m_login);
    m_passwordLabel->setBuddy(m_password);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_busy);
    buttons->addStretch();
    buttons->addWidget(m_submit);

    auto *box = new QWidget(this);
    box->setMaximumWidth(560);
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->addWidget(m_title);
    boxLayout->addSpacing(12);
    boxLayout->addWidget(m_banner);
    boxLayout->addLayout(form);
    boxLayout->addLayout(buttons);
    boxLayout->addWidget(m_trustPanel);

    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(box, 3);
    row->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);

    setTabOrder(m_server, m_login);
    setTabOrder(m_login, m_password);
    setTabOrder(m_password, m_submit);

    connect(m_submit, &QPushButton::clicked, this, &LoginPage::submit);
    connect(m_password, &QLineEdit::returnPressed, this, &LoginPage::submit);
    connect(m_login, &QLineEdit::returnPressed, this, &LoginPage::submit);
    connect(m_trust, &QPushButton::clicked, this, &LoginPage::trustPresentedCertificate);
    connect(m_distrust, &QPushButton::clicked, this, [this] {
        m_trustPanel->hide();
        m_presented = QSslCertificate();
        m_banner->showError(tr("The server was not trusted. Ask your operator for the right address and fingerprint."));
    });
    connect(m_api, &ApiClient::loggedIn, this, [this] {
        setWorking(false);
        QSettings settings;
        const QString server = m_server->currentText().trimmed();
        QStringList servers = settings.value(QStringLiteral("login/servers")).toStringList();
        servers.removeAll(server);
        servers.prepend(server);
        settings.setValue(QStringLiteral("login/servers"), servers.mid(0, 10));
        settings.setValue(QStringLiteral("login/server"), server);
        settings.setValue(QStringLiteral("login/login"), m_login->text().trimmed());
        m_password->clear();
        m_banner->clear();
        emit loginSucceeded();
    });
    connect(m_api, &ApiClient::loginFailed, this, &LoginPage::onLoginFailed);
    retranslateUi();
}

void LoginPage::setServer(const QString &url)
{
    m_server->setCurrentText(url);
}

void LoginPage::setSessionCertificate(const QUrl &server, const QSslCertificate &certificate)
{
    m_sessionServer = server;
    m_sessionCertificate = certificate;
}

void LoginPage::setLogin(const QString &login)
{
    m_login->setText(login);
}

void LoginPage::setPassword(const QString &password)
{
    m_password->setText(password);
}

void LoginPage::showMessage(const QString &text, bool error)
{
    if (error)
        m_banner->showError(text);
    else
        m_banner->showInfo(text);
}

void LoginPage::submit()
{
    QString address = m_server->currentText().trimmed();
    if (!address.contains(QLatin1String("://")))
        address.prepend(QLatin1String("https://"));
    const QUrl url(address, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || url.scheme() != QLatin1String("https")) {
        m_banner->showError(tr("Enter the server address, for example https://backup.example.com:8443."));
        m_server->setFocus();
        return;
    }
    if (m_login->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        m_banner->showError(tr("Enter your login and password."));
        (m_login->text().trimmed().isEmpty() ? static_cast<QWidget *>(m_login) : m_password)->setFocus();
        return;
    }
    m_api->setServer(url);
    const bool session = !m_sessionCertificate.isNull() && url.host().compare(m_sessionServer.host(), Qt::CaseInsensitive) == 0
        && url.port(8443) == m_sessionServer.port(8443);
    // None pinned yet: the server is checked on first use.
    m_api->setTrustedCertificate(session ? m_sessionCertificate : TrustStore::pinned(url));
    m_banner->clear();
    m_trustPanel->hide();
    setWorking(true);
    m_api->login(m_login->text().trimmed(), m_password->text());
}

void LoginPage::onLoginFailed(const ApiError &error)
{
    setWorking(false);
    if (error.kind == ApiError::Kind::UntrustedServer && !error.certificate.isNull()) {
        m_presented = error.certificate;
        const bool changed = !TrustStore::pinned(m_api->server()).isNull();
        m_trustText->setText(changed
                ? tr("The server presented a DIFFERENT certificate from the one this console trusted before. "
                     "This can mean someone is intercepting the connection. Trust it only if your operator "
                     "told you the certificate was replaced and the fingerprint below matches theirs.")
                : tr("This console has not connected to this server before. Compare the SHA-256 fingerprint of "
                     "the server's certificate authority below with the one your operator gave you (printed by "
                     "cairn-server init); trust the server only if they match."));
        m_fingerprint->setText(certificateFingerprint(m_presented));
        m_trustPanel->show();
        m_banner->showError(errorSentence(error));
        m_trust->setFocus();
        return;
    }
    m_banner->showError(errorSentence(error));
    if (error.code == QLatin1String("bad_credentials")) {
        m_password->selectAll();
        m_password->setFocus();
    }
}

void LoginPage::trustPresentedCertificate()
{
    if (m_presented.isNull())
        return;
    TrustStore::pin(m_api->server(), m_presented);
    m_api->setTrustedCertificate(m_presented);
    m_trustPanel->hide();
    m_presented = QSslCertificate();
    submit();
}

void LoginPage::setWorking(bool working)
{
    m_busy->setBusy(working);
    m_submit->setEnabled(!working);
}

void LoginPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LoginPage::retranslateUi()
{
    m_title->setText(tr("Cairn Backup"));
    m_serverLabel->setText(tr("&Server:"));
    m_loginLabel->setText(tr("&Login:"));
    m_passwordLabel->setText(tr("&Password:"));
    m_submit->setText(tr("Log in"));
    m_trust->setText(tr("&Trust this server"));
    m_distrust->setText(tr("Do &not trust"));
    m_server->setToolTip(tr("The address of your Cairn server, e.g. https://backup.example.com:8443"));
}

} // namespace cairn::console
