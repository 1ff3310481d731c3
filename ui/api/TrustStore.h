// TrustStore: the server certificates this console has pinned, one per server address, kept in
// QSettings ("trust/<host>:<port>" → PEM). A server is trusted on first use only after the user
// compared its fingerprint with the one the operator gave them; from then on any other
// certificate is refused. GUI thread.
#pragma once

#include <QSslCertificate>
#include <QUrl>

namespace cairn::console {

class TrustStore {
public:
    static QSslCertificate pinned(const QUrl &server);
    static void pin(const QUrl &server, const QSslCertificate &certificate);
    static void forget(const QUrl &server);
};

} // namespace cairn::console
