// TrustStore: pinned certificates in QSettings. GUI thread.
#include "api/TrustStore.h"

#include <QSettings>

namespace cairn::console {

namespace {
QString keyFor(const QUrl &server)
{
    return QStringLiteral("trust/%1:%2").arg(server.host().toLower()).arg(server.port(8443));
}
} // namespace

QSslCertificate TrustStore::pinned(const QUrl &server)
{
    const QByteArray pem = QSettings().value(keyFor(server)).toByteArray();
    if (pem.isEmpty())
        return QSslCertificate();
    const QList<QSslCertificate> certs = QSslCertificate::fromData(pem, QSsl::Pem);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

void TrustStore::pin(const QUrl &server, const QSslCertificate &certificate)
{
    QSettings().setValue(keyFor(server), certificate.toPem());
}

void TrustStore::forget(const QUrl &server)
{
    QSettings().remove(keyFor(server));
}

} // namespace cairn::console
