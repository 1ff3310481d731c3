// Loading the serving chain and key, the trust anchor and fingerprints (see CertificateAuthority.h),
// plus the shared OpenSSL helpers of X509Support.h. Blocking file reads; any thread.
#include "tls/CertificateAuthority.h"

#include "crypto/Crypto.h"
#include "tls/NewFile.h"
#include "tls/X509Support.h"

#include <QCryptographicHash>
#include <QSslKey>
#include <QSslSocket>
#include <QStringList>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace cairn::server {

namespace detail {

QString openSslErrors()
{
    QStringList reasons;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256] = {};
        ERR_error_string_n(e, buf, sizeof buf);
        reasons << QString::fromLatin1(buf);
    }
    return reasons.isEmpty() ? QStringLiteral("no details") : reasons.join(QStringLiteral("; "));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

QString subjectLine(const X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0)
        return QStringLiteral("?");
    return QString::fromUtf8(bioContents(bio.get()));
}

} // namespace detail

using namespace detail;

namespace {

constexpr qint64 kMaxPemFile = 1 << 20;

// Wipes a buffer that held key material.
void wipe(QByteArray &b)
{
    if (!b.isEmpty())
        crypto::secureZero(b.data(), size_t(b.size()));
    b.clear();
}

Result<QByteArray> readPemFile(const QString &path, const QString &what)
{
    auto data = readSmallFile(path, kMaxPemFile);
    if (!data.ok()) {
        if (data.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound, QStringLiteral("%1 %2 does not exist").arg(what, path));
        return data.error().wrapped(QStringLiteral("cannot read the %1").arg(what));
    }
    return data;
}

QString ordinal(size_t index)
{
    return index == 0 ? QStringLiteral("the server certificate (first)")
                      : QStringLiteral("certificate %1").arg(index + 1);
}

struct Chain {
    std::vector<X509Ptr> x509;
    QList<QSslCertificate> qt;
};

// Every certificate of a PEM file, in order. InvalidArgument if there is none or one is malformed.
Result<Chain> readChain(const QString &path)
{
    auto pem = readPemFile(path, QStringLiteral("certificate file"));
    if (!pem.ok())
        return pem.error();
    ERR_clear_error();
    BioPtr bio(BIO_new_mem_buf(pem->constData(), int(pem->size())));
    if (!bio)
        return Error(ErrorCode::Permanent, QStringLiteral("BIO_new_mem_buf failed: %1").arg(openSslErrors()));
    Chain chain;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        chain.x509.emplace_back(cert);
    const unsigned long last = ERR_peek_last_error();
    const bool atEnd = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
    if (!atEnd)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 in %2 is malformed: %3").arg(ordinal(chain.x509.size()), path, openSslErrors()));
    ERR_clear_error();
    if (chain.x509.empty())
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 holds no certificate (expected PEM blocks \"-----BEGIN CERTIFICATE-----\")").arg(path));

    for (const X509Ptr &cert : chain.x509) {
        const int size = i2d_X509(cert.get(), nullptr);
        QByteArray der(size > 0 ? size : 0, Qt::Uninitialized);
        auto *out = reinterpret_cast<unsigned char *>(der.data());
        QSslCertificate qt
            = size > 0 && i2d_X509(cert.get(), &out) == size ? QSslCertificate(der, QSsl::Der) : QSslCertificate();
        if (qt.isNull())
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 in %2 cannot be used by Qt").arg(ordinal(size_t(chain.qt.size())), path));
        chain.qt.append(qt);
    }
    return chain;
}

// Each certificate must be issued and signed by the next one, and be valid now.
Status checkChain(const QString &path, const Chain &chain)
{
    for (size_t i = 0; i + 1 < chain.x509.size(); ++i) {
        X509 *cert = chain.x509[i].get();
        X509 *issuer = chain.x509[i + 1].get();
        const bool issued = X509_check_issued(issuer, cert) == X509_V_OK;
        const bool signedByIt = issued && X509_verify(cert, X509_get0_pubkey(issuer)) == 1;
        ERR_clear_error();
        if (!signedByIt)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 in %2 (%3) is not %4 by the certificate after it (%5); the file must hold "
                               "the server certificate first, then each certificate that issued the one "
                               "before it")
                    .arg(ordinal(i), path, subjectLine(cert),
                        issued ? QStringLiteral("signed") : QStringLiteral("issued"), subjectLine(issuer)));
    }
    X509 *leaf = chain.x509.front().get();
    const bool forServers = X509_check_purpose(leaf, X509_PURPOSE_SSL_SERVER, 0) == 1;
    ERR_clear_error();
    if (!forServers)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the server certificate (first) in %1 (%2) is not made for TLS servers (its key "
                           "usage or extended key usage excludes serverAuth)")
                .arg(path, subjectLine(leaf)));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (size_t i = 0; i < chain.x509.size(); ++i) {
        const QSslCertificate &cert = chain.qt.at(qsizetype(i));
        const QString subject = subjectLine(chain.x509[i].get());
        if (cert.expiryDate() < now)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 in %2 (%3) expired on %4; renew it")
                    .arg(ordinal(i), path, subject, cert.expiryDate().toString(Qt::ISODate)));
        if (cert.effectiveDate() > now)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 in %2 (%3) is not valid before %4; check this computer's clock")
                    .arg(ordinal(i), path, subject, cert.effectiveDate().toString(Qt::ISODate)));
    }
    return Status::success();
}

int refusePassphrase(char *, int, int, void *encrypted)
{
    *static_cast<bool *>(encrypted) = true;
    return -1;
}

// The private key for `leaf` as a QSslKey: any PEM form OpenSSL reads, RSA or EC, unencrypted.
Result<QSslKey> readPrivateKey(const QString &path, X509 *leaf, const QString &chainPath)
{
    auto pem = readPemFile(path, QStringLiteral("private key file"));
    if (!pem.ok())
        return pem.error();
    ERR_clear_error();
    const bool hasKeyBlock = pem->contains("-----BEGIN ") && pem->contains("PRIVATE KEY-----");
    bool encrypted = false;
    PkeyPtr key;
    {
        BioPtr bio(BIO_new_mem_buf(pem->constData(), int(pem->size())));
        if (bio)
            key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, refusePassphrase, &encrypted));
    }
    wipe(*pem);
    if (!key) {
        const QString details = openSslErrors();
        if (encrypted)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("private key %1 is protected by a passphrase; cairn-server needs it "
                               "unencrypted (openssl pkey -in %1 -out server.key, then chmod 600 server.key)")
                    .arg(path));
        if (!hasKeyBlock)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 holds no PEM private key (expected a block such as "
                               "\"-----BEGIN PRIVATE KEY-----\")")
                    .arg(path));
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the private key in %1 is malformed or of a kind OpenSSL does not know (%2)")
                .arg(path, details));
    }

    QSsl::KeyAlgorithm algorithm;
    switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA: algorithm = QSsl::Rsa; break;
    case EVP_PKEY_EC: algorithm = QSsl::Ec; break;
    default:
        return Error(ErrorCode::Unsupported,
            QStringLiteral("private key %1 is of type %2; cairn-server serves with RSA or EC keys")
                .arg(path, QString::fromLatin1(EVP_PKEY_get0_type_name(key.get()))));
    }
    const int bits = EVP_PKEY_get_bits(key.get());
    const int minimumBits = algorithm == QSsl::Rsa ? 2048 : 256;
    if (bits < minimumBits)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("private key %1 has %2 bits; TLS clients refuse %3 keys under %4 bits")
                .arg(path)
                .arg(bits)
                .arg(algorithm == QSsl::Rsa ? QStringLiteral("RSA") : QStringLiteral("EC"))
                .arg(minimumBits));
    if (EVP_PKEY_eq(X509_get0_pubkey(leaf), key.get()) != 1) {
        ERR_clear_error();
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("private key %1 does not belong to the server certificate (the first certificate "
                           "in %2)")
                .arg(path, chainPath));
    }

    // Hand Qt one canonical form (PKCS#8 PEM) through a secure-memory BIO.
    BioPtr out(BIO_new(BIO_s_secmem()));
    if (!out || PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return Error(ErrorCode::Permanent, QStringLiteral("PEM_write_bio_PrivateKey failed: %1").arg(openSslErrors()));
    QByteArray canonical = bioContents(out.get());
    QSslKey qtKey(canonical, algorithm, QSsl::Pem, QSsl::PrivateKey);
    wipe(canonical);
    if (qtKey.isNull())
        return Error(
            ErrorCode::Unsupported, QStringLiteral("Qt's TLS backend cannot use the private key %1").arg(path));
    return qtKey;
}

} // namespace

Result<QSslConfiguration> loadServerTls(const TlsPaths &paths)
{
    if (!QSslSocket::supportsSsl())
        return Error(ErrorCode::Unsupported, QStringLiteral("this Qt has no usable TLS backend (OpenSSL 3 missing?)"));
    auto chain = readChain(paths.certificate);
    if (!chain.ok())
        return chain.error();
    CAIRN_TRY(checkChain(paths.certificate, *chain));
    auto key = readPrivateKey(paths.privateKey, chain->x509.front().get(), paths.certificate);
    if (!key.ok())
        return key.error();

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain->qt);
    config.setPrivateKey(*key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // agents authenticate with tokens, not certificates
    config.setProtocol(QSsl::TlsV1_2OrLater);
    return config;
}

Result<QSslCertificate> trustAnchor(const QString &chainPath)
{
    auto chain = readChain(chainPath);
    if (!chain.ok())
        return chain.error();
    return chain->qt.last();
}

QString fingerprint(const QSslCertificate &cert)
{
    if (cert.isNull())
        return QString();
    return QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

std::optional<QByteArray> parseFingerprint(const QString &text)
{
    QString t = text.trimmed();
    if (const int eq = t.indexOf(QLatin1Char('=')); eq >= 0) {
        if (t.left(eq).trimmed().compare(QLatin1String("sha256 fingerprint"), Qt::CaseInsensitive) != 0)
            return std::nullopt;
        t = t.mid(eq + 1).trimmed();
    }
    QString hex;
    if (t.contains(QLatin1Char(':'))) {
        const QStringList pairs = t.split(QLatin1Char(':'));
        if (pairs.size() != 32)
            return std::nullopt;
        for (const QString &p : pairs) {
            if (p.size() != 2)
                return std::nullopt;
        }
        hex = pairs.join(QString());
    } else {
        hex = t;
    }
    if (hex.size() != 64)
        return std::nullopt;
    for (const QChar c : hex) {
        const bool isHex = (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            || (c >= QLatin1Char('a') && c <= QLatin1Char('f')) || (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
        if (!isHex)
            return std::nullopt;
    }
    return QByteArray::fromHex(hex.toLatin1());
}

} // namespace cairn::server
