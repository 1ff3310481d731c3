// Creating the Cairn CA and the server certificate it signs (see CertificateAuthority.h), with the
// OpenSSL 3 API. Blocking; any thread.
#include "tls/CertificateAuthority.h"

#include "crypto/Crypto.h"
#include "tls/NewFile.h"
#include "tls/X509Support.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>

#include <openssl/pem.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include <sys/stat.h>

namespace cairn::server {

using namespace detail;

TlsPaths CertificateAuthorityFiles::serverPaths(const QString &dir)
{
    const QDir d(dir);
    return TlsPaths {d.filePath(QLatin1String(serverChain)), d.filePath(QLatin1String(serverKey))};
}

namespace {

constexpr int kCaValidityYears = 10;
constexpr int kServerValidityDays = 825;
constexpr qint64 kBackdateSeconds = 3600;
constexpr int kMaxCommonNameLength = 64; // ub-common-name (RFC 5280)

struct SubjectAltName {
    bool isIp = false;
    QString text; // normalised: lower-case DNS name, or the address as QHostAddress prints it
};

Error openSslFailure(const char *what)
{
    return Error(
        ErrorCode::Permanent, QStringLiteral("OpenSSL %1 failed: %2").arg(QLatin1String(what), openSslErrors()));
}

bool isDnsLabel(const QString &label, bool allowWildcard)
{
    if (allowWildcard && label == QLatin1String("*"))
        return true;
    if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-')) || label.endsWith(QLatin1Char('-')))
        return false;
    for (const QChar c : label) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-');
        if (!ok)
            return false;
    }
    return true;
}

// Tells IP addresses from DNS names and checks both.
Result<SubjectAltName> parseName(const QString &raw)
{
    QString name = raw.trimmed();
    auto invalid = [&raw](const QString &why) {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid server name \"%1\": %2").arg(raw, why));
    };
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        name = name.mid(1, name.size() - 2);
    if (name.contains(QLatin1Char(':'))) {
        QHostAddress address;
        if (name.contains(QLatin1Char('%')) || !address.setAddress(name)
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return invalid(QStringLiteral("not an IPv6 address (and a DNS name cannot contain ':')"));
        return SubjectAltName {true, address.toString()};
    }
    bool numeric = !name.isEmpty();
    for (const QChar c : name)
        numeric = numeric && (c.isDigit() || c == QLatin1Char('.'));
    if (numeric) {
        QHostAddress address;
        if (name.split(QLatin1Char('.')).size() != 4 || !address.setAddress(name)
            || address.protocol() != QAbstractSocket::IPv4Protocol)
            return invalid(QStringLiteral("not an IPv4 address"));
        return SubjectAltName {true, address.toString()};
    }

    name = name.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name.isEmpty() || name.size() > 253)
        return invalid(QStringLiteral("a DNS name has 1 to 253 characters"));
    const QStringList labels = name.split(QLatin1Char('.'));
    for (int i = 0; i < labels.size(); ++i) {
        if (!isDnsLabel(labels.at(i), i == 0 && labels.size() > 2))
            return invalid(QStringLiteral("a DNS name consists of labels of letters, digits and '-' separated by "
                                          "'.' (write international names in their xn-- form)"));
    }
    return SubjectAltName {false, name};
}

Result<QList<SubjectAltName>> subjectAltNames(const QStringList &names)
{
    QList<SubjectAltName> out;
    QStringList all = names;
    all << QStringLiteral("localhost") << QStringLiteral("127.0.0.1") << QStringLiteral("::1");
    for (const QString &raw : all) {
        auto parsed = parseName(raw);
        if (!parsed.ok())
            return parsed.error();
        const bool seen = std::any_of(out.cbegin(), out.cend(),
            [&parsed](const SubjectAltName &n) { return n.isIp == parsed->isIp && n.text == parsed->text; });
        if (!seen)
            out.append(*parsed);
    }
    return out;
}

Result<PkeyPtr> generateKey()
{
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return openSslFailure("EC P-256 key generation");
    return key;
}

Status setRandomSerial(X509 *cert)
{
    unsigned char bytes[16];
    do {
        crypto::randomBytes(bytes, sizeof bytes);
    } while (std::all_of(std::begin(bytes), std::end(bytes), [](unsigned char b) { return b == 0; }));
    BignumPtr bn(BN_bin2bn(bytes, int(sizeof bytes), nullptr));
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)))
        return openSslFailure("setting the serial number");
    return Status::success();
}

Status addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        return openSslFailure(OBJ_nid2sn(nid));
    return Status::success();
}

Status addSubjectAltNames(X509 *cert, const QList<SubjectAltName> &names)
{
    GeneralNamesPtr gens(sk_GENERAL_NAME_new_null());
    if (!gens)
        return openSslFailure("sk_GENERAL_NAME_new_null");
    for (const SubjectAltName &n : names) {
        GeneralNamePtr gen(GENERAL_NAME_new());
        if (!gen)
            return openSslFailure("GENERAL_NAME_new");
        const QByteArray text = n.text.toLatin1();
        if (n.isIp) {
            ASN1_OCTET_STRING *ip = a2i_IPADDRESS(text.constData());
            if (!ip)
                return openSslFailure("a2i_IPADDRESS");
            GENERAL_NAME_set0_value(gen.get(), GEN_IPADD, ip);
        } else {
            ASN1_IA5STRING *dns = ASN1_IA5STRING_new();
            if (!dns || !ASN1_STRING_set(dns, text.constData(), int(text.size()))) {
                ASN1_IA5STRING_free(dns);
                return openSslFailure("ASN1_STRING_set");
            }
            GENERAL_NAME_set0_value(gen.get(), GEN_DNS, dns);
        }
        if (!sk_GENERAL_NAME_push(gens.get(), gen.get()))
            return openSslFailure("sk_GENERAL_NAME_push");
        gen.release(); // owned by the stack now
    }
    if (X509_add1_ext_i2d(cert, NID_subject_alt_name, gens.get(), 0, X509V3_ADD_DEFAULT) != 1)
        return openSslFailure("adding subjectAltName");
    return Status::success();
}

// A version 3 certificate for `key` named CN=`commonName`, valid from notBefore to notAfter, with
// a random serial; unsigned, without extensions. `issuer` null: self-issued.
Result<X509Ptr> newCertificate(
    EVP_PKEY *key, const QString &commonName, const QDateTime &notBefore, const QDateTime &notAfter, X509 *issuer)
{
    X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return openSslFailure("X509_new");
    CAIRN_TRY(setRandomSerial(cert.get()));
    if (!ASN1_TIME_set(X509_getm_notBefore(cert.get()), time_t(notBefore.toSecsSinceEpoch()))
        || !ASN1_TIME_set(X509_getm_notAfter(cert.get()), time_t(notAfter.toSecsSinceEpoch())))
        return openSslFailure("setting the validity");
    const QByteArray cn = commonName.toUtf8();
    X509_NAME *subject = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
            reinterpret_cast<const unsigned char *>(cn.constData()), int(cn.size()), -1, 0)
        != 1)
        return openSslFailure("setting the subject");
    if (X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) != 1
        || X509_set_pubkey(cert.get(), key) != 1)
        return openSslFailure("setting the issuer");
    return cert;
}

Status sign(X509 *cert, EVP_PKEY *issuerKey)
{
    if (X509_sign(cert, issuerKey, EVP_sha256()) <= 0)
        return openSslFailure("X509_sign");
    return Status::success();
}

Result<QByteArray> certificatePem(X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return openSslFailure("PEM_write_bio_X509");
    return bioContents(bio.get());
}

// PKCS#8 PEM, unencrypted. The BIO is a secure-memory one, so its buffers are wiped when freed.
Result<QByteArray> privateKeyPem(EVP_PKEY *key)
{
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return openSslFailure("PEM_write_bio_PrivateKey");
    return bioContents(bio.get());
}

struct GeneratedFiles {
    QByteArray caPem;
    QByteArray caKeyPem;
    QByteArray serverChainPem;
    QByteArray serverKeyPem;
    ~GeneratedFiles()
    {
        for (QByteArray *secret : {&caKeyPem, &serverKeyPem}) {
            if (!secret->isEmpty())
                crypto::secureZero(secret->data(), size_t(secret->size()));
        }
    }
};

Status generate(
    const QList<SubjectAltName> &names, const QString &commonName, const QDateTime &issuedAt, GeneratedFiles &out)
{
    const QDateTime notBefore = issuedAt.addSecs(-kBackdateSeconds);

    auto caKey = generateKey();
    if (!caKey.ok())
        return caKey.error();
    const QString caName = QStringLiteral("Cairn CA %1").arg(QString::fromLatin1(crypto::randomBytes(4).toHex()));
    auto ca = newCertificate(caKey->get(), caName, notBefore, issuedAt.addYears(kCaValidityYears), nullptr);
    if (!ca.ok())
        return ca.error();
    X509 *caCert = ca->get();
    CAIRN_TRY(addExtension(caCert, caCert, NID_basic_constraints, "critical,CA:TRUE"));
    CAIRN_TRY(addExtension(caCert, caCert, NID_key_usage, "critical,keyCertSign,cRLSign"));
    CAIRN_TRY(addExtension(caCert, caCert, NID_subject_key_identifier, "hash"));
    CAIRN_TRY(addExtension(caCert, caCert, NID_authority_key_identifier, "keyid:always"));
    CAIRN_TRY(sign(caCert, caKey->get()));

    auto serverKey = generateKey();
    if (!serverKey.ok())
        return serverKey.error();
    auto server
        = newCertificate(serverKey->get(), commonName, notBefore, issuedAt.addDays(kServerValidityDays), caCert);
    if (!server.ok())
        return server.error();
    X509 *serverCert = server->get();
    CAIRN_TRY(addExtension(serverCert, caCert, NID_basic_constraints, "critical,CA:FALSE"));
    CAIRN_TRY(addExtension(serverCert, caCert, NID_key_usage, "critical,digitalSignature"));
    CAIRN_TRY(addExtension(serverCert, caCert, NID_ext_key_usage, "serverAuth"));
    CAIRN_TRY(addExtension(serverCert, caCert, NID_subject_key_identifier, "hash"));
    CAIRN_TRY(addExtension(serverCert, caCert, NID_authority_key_identifier, "keyid:always"));
    CAIRN_TRY(addSubjectAltNames(serverCert, names));
    CAIRN_TRY(sign(serverCert, caKey->get()));

    auto caPem = certificatePem(caCert);
    if (!caPem.ok())
        return caPem.error();
    auto serverPem = certificatePem(serverCert);
    if (!serverPem.ok())
        return serverPem.error();
    auto caKeyPem = privateKeyPem(caKey->get());
    if (!caKeyPem.ok())
        return caKeyPem.error();
    out.caKeyPem = std::move(*caKeyPem);
    auto serverKeyPem = privateKeyPem(serverKey->get());
    if (!serverKeyPem.ok())
        return serverKeyPem.error();
    out.serverKeyPem = std::move(*serverKeyPem);
    out.caPem = *caPem;
    out.serverChainPem = *serverPem + *caPem;
    return Status::success();
}

} // namespace

Status createCertificateAuthority(const QString &dir, const QStringList &names)
{
    return createCertificateAuthority(dir, names, QDateTime::currentDateTimeUtc());
}

Status createCertificateAuthority(const QString &dir, const QStringList &names, const QDateTime &issuedAt)
{
    auto altNames = subjectAltNames(names);
    if (!altNames.ok())
        return altNames.error();
    QString commonName = names.isEmpty() ? QStringLiteral("localhost") : altNames->first().text;
    if (commonName.size() > kMaxCommonNameLength)
        commonName = QStringLiteral("Cairn server");

    const QDir d(dir);
    const QString files[] = {d.filePath(QLatin1String(CertificateAuthorityFiles::caCertificate)),
        d.filePath(QLatin1String(CertificateAuthorityFiles::caKey)),
        d.filePath(QLatin1String(CertificateAuthorityFiles::serverChain)),
        d.filePath(QLatin1String(CertificateAuthorityFiles::serverKey))};
    for (const QString &f : files) {
        struct stat st;
        if (::lstat(QFile::encodeName(f).constData(), &st) == 0)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1 already exists; refusing to overwrite it (move it away first)").arg(f));
    }
    if (!QDir().mkpath(dir))
        return Error(ErrorCode::Io, QStringLiteral("cannot create the directory %1").arg(dir));

    GeneratedFiles generated;
    if (Status s = generate(*altNames, commonName, issuedAt.toUTC(), generated); !s)
        return s.error().wrapped(QStringLiteral("cannot create the certificate authority"));

    const std::pair<const QByteArray *, unsigned> contents[] = {{&generated.caPem, 0644}, {&generated.caKeyPem, 0600},
        {&generated.serverChainPem, 0644}, {&generated.serverKeyPem, 0600}};
    for (size_t i = 0; i < std::size(files); ++i) {
        if (Status s = writeNewFile(files[i], *contents[i].first, contents[i].second); !s) {
            for (size_t j = 0; j < i; ++j)
                QFile::remove(files[j]);
            return s.error();
        }
    }
    return Status::success();
}

} // namespace cairn::server
