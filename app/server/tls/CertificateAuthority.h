// The TLS identity of cairn-server. `cairn-server init` either creates a small certificate
// authority of its own (a self-signed Cairn CA and a server certificate it signs) or the admin
// gives a certificate chain and key. Agents do not use the system trust store: they pin one
// certificate, the trust anchor (the last certificate of the chain file), by its SHA-256
// fingerprint, which the admin hands out with the enrollment code.
// Blocking file I/O and key generation; called at start and by the CLI, from any thread.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>

#include <optional>

namespace cairn::server {

// The PEM files the server serves with: the chain (leaf first, then the certificates that issued
// it, up to the trust anchor) and the leaf's private key.
struct TlsPaths {
    QString certificate;
    QString privateKey;
};

// File names createCertificateAuthority() writes in its directory.
struct CertificateAuthorityFiles {
    static constexpr const char *caCertificate = "ca.pem"; // the Cairn CA (the trust anchor)
    static constexpr const char *caKey = "ca.key"; // its private key, mode 0600
    static constexpr const char *serverChain = "server.pem"; // server certificate, then ca.pem
    static constexpr const char *serverKey = "server.key"; // the server's private key, mode 0600
    // The serving paths inside `dir`.
    static TlsPaths serverPaths(const QString &dir);
};

// Creates ca.pem, ca.key, server.pem and server.key in `dir` (made if missing).
// CA: EC P-256, self-signed, CN "Cairn CA <8 random hex digits>", basicConstraints CA:TRUE
// (critical), keyUsage keyCertSign + cRLSign, 10 years, random 128-bit serial.
// Server: EC P-256, signed by the CA with SHA-256, CA:FALSE, keyUsage digitalSignature,
// extendedKeyUsage serverAuth, subjectAltName = every entry of `names` (DNS names and IPv4/IPv6
// addresses, told apart automatically) plus localhost, 127.0.0.1 and ::1; 825 days; CN = the first
// name (localhost if `names` is empty). Both are dated from one hour before now (clock skew).
// InvalidArgument for a malformed name, or naming the file if any of the four already exists
// (nothing is written then). If writing fails midway, the files written so far are removed.
Status createCertificateAuthority(const QString &dir, const QStringList &names);
// The same with the certificates dated as if issued at `issuedAt` (tests of expiry).
Status createCertificateAuthority(const QString &dir, const QStringList &names, const QDateTime &issuedAt);

// Loads a chain and private key for serving (generated ones or an admin's, RSA or EC key, PEM in
// any of the usual forms, unencrypted). Checks, each with a message naming the file and the fix:
// both files exist and hold PEM; each certificate is issued and signed by the next; every
// certificate is currently valid; the key matches the first certificate.
// Errors: NotFound (a file is missing), InvalidArgument (everything else the admin can fix),
// Unsupported (key type other than RSA/EC, or this Qt has no TLS backend).
Result<QSslConfiguration> loadServerTls(const TlsPaths &paths);

// The certificate agents pin: the last certificate of the chain file.
Result<QSslCertificate> trustAnchor(const QString &chainPath);

// SHA-256 fingerprint as uppercase hex pairs joined by ':' (as printed by
// `openssl x509 -noout -fingerprint -sha256`).
QString fingerprint(const QSslCertificate &cert);
// Accepts that form, plain hex (64 digits) in either case, and the whole openssl output line
// ("sha256 Fingerprint=AB:CD:..."); surrounding whitespace is ignored. Returns the 32 raw bytes,
// or nullopt if malformed.
std::optional<QByteArray> parseFingerprint(const QString &text);

} // namespace cairn::server
