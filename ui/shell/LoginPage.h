// LoginPage: the first thing the console shows — server address, login and password, with the
// remembered address and login (QSettings "login/…"). A server whose certificate is not pinned
// yet shows its SHA-256 fingerprint to compare with the one the operator gave out, and is
// trusted only when the user says so (TrustStore). Errors are sentences in the page: wrong
// password, unreachable server, untrusted certificate, expired session. GUI thread.
#pragma once

#include "api/ApiClient.h"

#include <QWidget>

class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;

namespace cairn::console {

class BusyIndicator;
class MessageBanner;

class LoginPage : public QWidget {
    Q_OBJECT
public:
    explicit LoginPage(ApiClient *api, QWidget *parent = nullptr);

    void setServer(const QString &url);
    void setLogin(const QString &login);
    void setPassword(const QString &password);
    // Shows why the user is back here ("Your session has expired…").
    void showMessage(const QString &text, bool error);
    void submit(); // the "Log in" button
    // A certificate given on the command line (--ca) for one server address: trusted for this
    // run only, instead of the pinned one; never stored.
    void setSessionCertificate(const QUrl &server, const QSslCertificate &certificate);

signals:
    void loginSucceeded();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void setWorking(bool working);
    void onLoginFailed(const ApiError &error);
    void trustPresentedCertificate();

    ApiClient *m_api;
    QLabel *m_title;
    QLabel *m_serverLabel;
    QLabel *m_loginLabel;
    QLabel *m_passwordLabel;
    QComboBox *m_server;
    QLineEdit *m_login;
    QLineEdit *m_password;
    QPushButton *m_submit;
    BusyIndicator *m_busy;
    MessageBanner *m_banner;
    QFrame *m_trustPanel;
    QLabel *m_trustText;
    QLabel *m_fingerprint;
    QPushButton *m_trust;
    QPushButton *m_distrust;
    QSslCertificate m_presented;
    QUrl m_sessionServer;
    QSslCertificate m_sessionCertificate;
};

} // namespace cairn::console
