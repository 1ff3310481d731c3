// cairn-console: the desktop console of Cairn for customers and operators (Qt Widgets). It talks
// only to the server's HTTPS API. Options pre-fill (or perform) the login; see --help.
#include "api/ApiClient.h"
#include "core/Language.h"
#include "crypto/ProcessInit.h"
#include "shell/LoginPage.h"
#include "shell/MainWindow.h"
#include "shell/ScreenshotTour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QSslCertificate>
#include <QTimer>

#include <cstdio>

using namespace cairn::console;

int main(int argc, char **argv)
{
    cairn::crypto::initForProcess(); // for Qt's TLS backend
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Cairn"));
    QCoreApplication::setApplicationName(QStringLiteral("cairn-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cairn console: backups, restores and operations of a Cairn server."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOpt(QStringLiteral("server"), QStringLiteral("Server address (https://host:port)."), QStringLiteral("url"));
    const QCommandLineOption loginOpt(QStringLiteral("login"), QStringLiteral("Login name."), QStringLiteral("name"));
    const QCommandLineOption passwordFileOpt(QStringLiteral("password-file"),
        QStringLiteral("Read the password from this file and log in at once."), QStringLiteral("file"));
    const QCommandLineOption caOpt(QStringLiteral("ca"),
        QStringLiteral("Trust this certificate (PEM, e.g. the server's tls/ca.pem) for --server during this run, as if its fingerprint had been confirmed."),
        QStringLiteral("file"));
    const QCommandLineOption languageOpt(QStringLiteral("language"), QStringLiteral("Interface language: ko or en."), QStringLiteral("code"));
    const QCommandLineOption pageOpt(QStringLiteral("page"), QStringLiteral("Page to open after login (e.g. dashboardPage)."), QStringLiteral("name"));
    const QCommandLineOption shotsOpt(QStringLiteral("screenshots"),
        QStringLiteral("Save PNGs of the main views into this folder after login, then quit."), QStringLiteral("dir"));
    parser.addOptions({serverOpt, loginOpt, passwordFileOpt, caOpt, languageOpt, pageOpt, shotsOpt});
    parser.process(app);

    const QString language = parser.isSet(languageOpt) ? parser.value(languageOpt) : Language::initial();
    if (!Language::apply(language)) {
        std::fprintf(stderr, "cairn-console: unknown language \"%s\" (ko or en)\n", qPrintable(language));
        return 2;
    }

    ApiClient api;
    MainWindow window(&api);
    if (parser.isSet(serverOpt))
        window.loginPage()->setServer(parser.value(serverOpt));
    if (parser.isSet(caOpt)) {
        if (!parser.isSet(serverOpt)) {
            std::fprintf(stderr, "cairn-console: --ca needs --server\n");
            return 2;
        }
        QFile f(parser.value(caOpt));
        const QList<QSslCertificate> certs = f.open(QIODevice::ReadOnly) ? QSslCertificate::fromData(f.readAll(), QSsl::Pem)
                                                                          : QList<QSslCertificate>();
        if (certs.isEmpty()) {
            std::fprintf(stderr, "cairn-console: %s: no PEM certificate\n", qPrintable(parser.value(caOpt)));
            return 2;
        }
        QString address = parser.value(serverOpt);
        if (!address.contains(QLatin1String("://")))
            address.prepend(QLatin1String("https://"));
        // The trust anchor is the last certificate of the file (a chain file ends with its CA).
        // It is trusted for this run only; what the user pinned stays as it is.
        window.loginPage()->setSessionCertificate(QUrl(address), certs.last());
    }
    if (parser.isSet(loginOpt))
        window.loginPage()->setLogin(parser.value(loginOpt));
    if (parser.isSet(pageOpt)) {
        const QString page = parser.value(pageOpt);
        QObject::connect(&api, &ApiClient::loggedIn, &window, [&window, page] {
            QTimer::singleShot(0, &window, [&window, page] { window.showPage(page); });
        }, Qt::SingleShotConnection);
    }
    if (parser.isSet(shotsOpt))
        startScreenshotTour(&window, parser.value(shotsOpt), language);
    window.show();
    if (parser.isSet(passwordFileOpt)) {
        QFile f(parser.value(passwordFileOpt));
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cairn-console: cannot read %s\n", qPrintable(parser.value(passwordFileOpt)));
            return 2;
        }
        QString password = QString::fromUtf8(f.readAll());
        if (password.endsWith(QLatin1Char('\n')))
            password.chop(1); // the line end only: spaces may belong to the password
        if (password.endsWith(QLatin1Char('\r')))
            password.chop(1);
        window.loginPage()->setPassword(password);
        QTimer::singleShot(0, &window, [&window] { window.loginPage()->submit(); });
    }
    return app.exec();
}
