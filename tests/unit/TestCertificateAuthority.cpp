// The server's own certificate authority: the generated files (modes, extensions, names, validity,
// serials) checked with Qt and the openssl CLI, refusal to overwrite or to take malformed names, the
// trust anchor agents pin and its fingerprint compared with openssl's.
#include "TlsTestSupport.h"
#include "tls/CertificateAuthority.h"

#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSslCertificateExtension>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test;

namespace {

QSslCertificateExtension extension(const QSslCertificate &cert, const QString &name)
{
    const QList<QSslCertificateExtension> all = cert.extensions();
    for (const QSslCertificateExtension &e : all) {
        if (e.name() == name)
            return e;
    }
    return QSslCertificateExtension();
}

} // namespace

class TestCertificateAuthority : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void createsTheFilesWithTheirModes();
    void opensslVerifiesTheServerCertificate();
    void serverCertificateNamesEveryHost();
    void onlyTheCaIsACa();
    void validityAndSerials();
    void refusesToOverwrite();
    void rejectsMalformedNames_data();
    void rejectsMalformedNames();
    void trustAnchorIsTheCa();
    void fingerprintMatchesOpenssl();
    void parseFingerprintAcceptsTheDocumentedForms();
    void parseFingerprintRejectsGarbage_data();
    void parseFingerprintRejectsGarbage();

private:
    QTemporaryDir m_tmp;
    QString m_ca; // generated with kServerNames
    QString m_otherCa; // a second, unrelated one
    QString path(const QString &dir, const char *name) const { return QDir(dir).filePath(QLatin1String(name)); }
};

void TestCertificateAuthority::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    QVERIFY(m_tmp.isValid());
    m_ca = m_tmp.filePath(QStringLiteral("ca")); // does not exist yet: created on demand
    const Status made = createCertificateAuthority(m_ca, kServerNames);
    QVERIFY2(made.ok(), why(made).constData());
    m_otherCa = m_tmp.filePath(QStringLiteral("other-ca"));
    const Status other = createCertificateAuthority(m_otherCa, {QStringLiteral("backup.example.com")});
    QVERIFY2(other.ok(), why(other).constData());
}

void TestCertificateAuthority::createsTheFilesWithTheirModes()
{
    QCOMPARE(fileMode(path(m_ca, "ca.pem")), 0644u);
    QCOMPARE(fileMode(path(m_ca, "ca.key")), 0600u);
    QCOMPARE(fileMode(path(m_ca, "server.pem")), 0644u);
    QCOMPARE(fileMode(path(m_ca, "server.key")), 0600u);
    QCOMPARE(QDir(m_ca).entryList(QDir::Files | QDir::Hidden).size(), 4); // no temporaries left

    // server.pem is the server certificate followed by the CA certificate.
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(path(m_ca, "server.pem"));
    const QList<QSslCertificate> ca = QSslCertificate::fromPath(path(m_ca, "ca.pem"));
    QCOMPARE(chain.size(), 2);
    QCOMPARE(ca.size(), 1);
    QCOMPARE(chain.at(1), ca.at(0));
    QVERIFY(readFile(path(m_ca, "ca.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    QVERIFY(readFile(path(m_ca, "server.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    QCOMPARE(CertificateAuthorityFiles::serverPaths(m_ca).certificate, path(m_ca, "server.pem"));
    QCOMPARE(CertificateAuthorityFiles::serverPaths(m_ca).privateKey, path(m_ca, "server.key"));
}

void TestCertificateAuthority::opensslVerifiesTheServerCertificate()
{
    const Run r = openssl({QStringLiteral("verify"), QStringLiteral("-purpose"), QStringLiteral("sslserver"),
        QStringLiteral("-CAfile"), path(m_ca, "ca.pem"), path(m_ca, "server.pem")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains(": OK"), qPrintable(r.describe()));

    // …and not against another CA.
    const Run other = openssl(
        {QStringLiteral("verify"), QStringLiteral("-CAfile"), path(m_otherCa, "ca.pem"), path(m_ca, "server.pem")});
    QVERIFY2(other.exitCode != 0, qPrintable(other.describe()));

    // Both keys are EC P-256, and each matches its certificate.
    for (const char *key : {"ca.key", "server.key"}) {
        const Run k = openssl({QStringLiteral("pkey"), QStringLiteral("-in"), path(m_ca, key), QStringLiteral("-noout"),
            QStringLiteral("-text")});
        QVERIFY2(k.exitCode == 0 && k.out.contains("prime256v1"), qPrintable(k.describe()));
    }
    const Run usage = openssl({QStringLiteral("x509"), QStringLiteral("-in"), path(m_ca, "server.pem"),
        QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("keyUsage,extendedKeyUsage")});
    QVERIFY2(usage.exitCode == 0, qPrintable(usage.describe()));
    QVERIFY2(usage.out.contains("Digital Signature") && usage.out.contains("TLS Web Server Authentication"),
        qPrintable(usage.describe()));
    QVERIFY2(!usage.out.contains("Certificate Sign"), qPrintable(usage.describe()));
    const Run caUsage = openssl({QStringLiteral("x509"), QStringLiteral("-in"), path(m_ca, "ca.pem"),
        QStringLiteral("-noout"), QStringLiteral("-ext"), QStringLiteral("keyUsage")});
    QVERIFY2(caUsage.out.contains("critical") && caUsage.out.contains("Certificate Sign")
            && caUsage.out.contains("CRL Sign"),
        qPrintable(caUsage.describe()));
}

void TestCertificateAuthority::serverCertificateNamesEveryHost()
{
    const QSslCertificate server = QSslCertificate::fromPath(path(m_ca, "server.pem")).value(0);
    QVERIFY(!server.isNull());
    const auto sans = server.subjectAlternativeNames();
    const QStringList dns = sans.values(QSsl::DnsEntry);
    QVERIFY2(dns.contains(QStringLiteral("backup.example.com")), qPrintable(dns.join(QLatin1Char(' '))));
    QVERIFY2(dns.contains(QStringLiteral("cairn.internal")), qPrintable(dns.join(QLatin1Char(' '))));
    QVERIFY2(dns.contains(QStringLiteral("localhost")), qPrintable(dns.join(QLatin1Char(' '))));
    QCOMPARE(dns.size(), 3);

    QList<QHostAddress> ips;
    for (const QString &ip : sans.values(QSsl::IpAddressEntry))
        ips << QHostAddress(ip);
    for (const char *expected : {"192.0.2.10", "2001:db8::5", "127.0.0.1", "::1"})
        QVERIFY2(ips.contains(QHostAddress(QLatin1String(expected))), expected);
    QCOMPARE(ips.size(), 4);

    QCOMPARE(server.subjectInfo(QSslCertificate::CommonName), QStringList {QStringLiteral("backup.example.com")});
    const QStringList issuer = server.issuerInfo(QSslCertificate::CommonName);
    QCOMPARE(issuer.size(), 1);
    QVERIFY2(QRegularExpression(QStringLiteral("^Cairn CA [0-9a-f]{8}$")).match(issuer.at(0)).hasMatch(),
        qPrintable(issuer.at(0)));

    // Without names the server is still reachable as localhost.
    const QString bare = m_tmp.filePath(QStringLiteral("bare"));
    QVERIFY(createCertificateAuthority(bare, {}).ok());
    const QSslCertificate bareServer = QSslCertificate::fromPath(path(bare, "server.pem")).value(0);
    QCOMPARE(bareServer.subjectInfo(QSslCertificate::CommonName), QStringList {QStringLiteral("localhost")});
    QCOMPARE(bareServer.subjectAlternativeNames().size(), 3);
}

void TestCertificateAuthority::onlyTheCaIsACa()
{
    const QSslCertificate ca = QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0);
    const QSslCertificate server = QSslCertificate::fromPath(path(m_ca, "server.pem")).value(0);
    QVERIFY(ca.isSelfSigned());
    QVERIFY(!server.isSelfSigned());

    const QSslCertificateExtension caConstraints = extension(ca, QStringLiteral("basicConstraints"));
    QVERIFY(caConstraints.isSupported());
    QVERIFY(caConstraints.isCritical());
    QCOMPARE(caConstraints.value().toMap().value(QStringLiteral("ca")).toBool(), true);

    const QSslCertificateExtension serverConstraints = extension(server, QStringLiteral("basicConstraints"));
    QVERIFY(serverConstraints.isSupported());
    QCOMPARE(serverConstraints.value().toMap().value(QStringLiteral("ca")).toBool(), false);
}

void TestCertificateAuthority::validityAndSerials()
{
    const QSslCertificate ca = QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0);
    const QSslCertificate server = QSslCertificate::fromPath(path(m_ca, "server.pem")).value(0);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(ca.effectiveDate() <= now && server.effectiveDate() <= now);
    QVERIFY(ca.effectiveDate() > now.addSecs(-2 * 3600));
    const qint64 caDays = ca.effectiveDate().daysTo(ca.expiryDate());
    QVERIFY2(caDays >= 3652 && caDays <= 3654, qPrintable(QString::number(caDays)));
    const qint64 serverSecs = server.effectiveDate().secsTo(server.expiryDate());
    QCOMPARE(serverSecs, qint64(825) * 86400 + 3600);

    // Random 128-bit serials: long, and different for every certificate.
    const QByteArray caSerial = ca.serialNumber();
    const QByteArray serverSerial = server.serialNumber();
    const QByteArray otherSerial = QSslCertificate::fromPath(path(m_otherCa, "ca.pem")).value(0).serialNumber();
    QVERIFY2(caSerial.split(':').size() >= 15, caSerial.constData());
    QVERIFY2(caSerial.split(':').size() <= 17, caSerial.constData());
    QVERIFY(caSerial != serverSerial && caSerial != otherSerial);
}

void TestCertificateAuthority::refusesToOverwrite()
{
    const QByteArray caBefore = readFile(path(m_ca, "ca.pem"));
    const QByteArray keyBefore = readFile(path(m_ca, "ca.key"));
    const Status again = createCertificateAuthority(m_ca, kServerNames);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(again.error().message.contains(path(m_ca, "ca.pem")), why(again).constData());
    QCOMPARE(readFile(path(m_ca, "ca.pem")), caBefore);
    QCOMPARE(readFile(path(m_ca, "ca.key")), keyBefore);

    // One existing file of the four is enough to refuse, and nothing else is written.
    const QString partial = m_tmp.filePath(QStringLiteral("partial"));
    QVERIFY(QDir().mkpath(partial));
    QVERIFY(writeFile(path(partial, "server.key"), "mine\n"));
    const Status s = createCertificateAuthority(partial, kServerNames);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(s.error().message.contains(path(partial, "server.key")), why(s).constData());
    QCOMPARE(QDir(partial).entryList(QDir::Files | QDir::Hidden), QStringList {QStringLiteral("server.key")});
    QCOMPARE(readFile(path(partial, "server.key")), QByteArray("mine\n"));
}

void TestCertificateAuthority::rejectsMalformedNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("space") << QStringLiteral("backup server");
    QTest::newRow("comma") << QStringLiteral("a.example,IP:10.0.0.1");
    QTest::newRow("three-part ipv4") << QStringLiteral("10.0.1");
    QTest::newRow("ipv4 out of range") << QStringLiteral("10.0.0.256");
    QTest::newRow("scoped ipv6") << QStringLiteral("fe80::1%eth0");
    QTest::newRow("bad ipv6") << QStringLiteral("2001:db8:::1");
    QTest::newRow("leading hyphen") << QStringLiteral("-x.example");
    QTest::newRow("empty label") << QStringLiteral("a..example");
    QTest::newRow("empty") << QString();
    QTest::newRow("non-ascii") << QStringLiteral("bücher.example");
    QTest::newRow("label too long") << QString(64, QLatin1Char('a')) + QStringLiteral(".example");
}

void TestCertificateAuthority::rejectsMalformedNames()
{
    QFETCH(QString, name);
    const QString dir = m_tmp.filePath(
        QStringLiteral("badname-%1")
            .arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    const Status s = createCertificateAuthority(dir, {QStringLiteral("good.example"), name});
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(s.error().message.contains(QLatin1Char('"') + name + QLatin1Char('"')), why(s).constData());
    QVERIFY(!QFile::exists(path(dir, "ca.pem")));
}

void TestCertificateAuthority::trustAnchorIsTheCa()
{
    const QSslCertificate ca = QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0);
    auto fromChain = trustAnchor(path(m_ca, "server.pem"));
    QVERIFY2(fromChain.ok(), why(fromChain).constData());
    QCOMPARE(*fromChain, ca);
    auto fromCa = trustAnchor(path(m_ca, "ca.pem"));
    QVERIFY(fromCa.ok());
    QCOMPARE(*fromCa, ca);

    auto missing = trustAnchor(path(m_ca, "nothing.pem"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestCertificateAuthority::fingerprintMatchesOpenssl()
{
    for (const QString &file : {path(m_ca, "ca.pem"), path(m_otherCa, "ca.pem")}) {
        const Run r = openssl({QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
            QStringLiteral("-sha256"), QStringLiteral("-in"), file});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString line = QString::fromLatin1(r.out).trimmed();
        const QString expected = line.mid(line.indexOf(QLatin1Char('=')) + 1);
        QCOMPARE(expected.size(), 95);

        const QSslCertificate cert = QSslCertificate::fromPath(file).value(0);
        QCOMPARE(fingerprint(cert), expected);
        // The whole openssl line parses to the certificate's digest.
        QCOMPARE(parseFingerprint(line), std::optional<QByteArray>(cert.digest(QCryptographicHash::Sha256)));
    }
    QCOMPARE(fingerprint(*trustAnchor(path(m_ca, "server.pem"))),
        fingerprint(QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0)));
    QVERIFY(fingerprint(QSslCertificate()).isEmpty());
}

void TestCertificateAuthority::parseFingerprintAcceptsTheDocumentedForms()
{
    const QSslCertificate ca = QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0);
    const QByteArray digest = ca.digest(QCryptographicHash::Sha256);
    const QString colons = fingerprint(ca);
    const std::optional<QByteArray> expected(digest);

    QCOMPARE(parseFingerprint(colons), expected);
    QCOMPARE(parseFingerprint(colons.toLower()), expected);
    QCOMPARE(parseFingerprint(QString::fromLatin1(digest.toHex())), expected);
    QCOMPARE(parseFingerprint(QString::fromLatin1(digest.toHex().toUpper())), expected);
    QCOMPARE(parseFingerprint(QStringLiteral("  ") + colons + QStringLiteral("\n")), expected);
    QCOMPARE(parseFingerprint(QStringLiteral("SHA256 Fingerprint=") + colons), expected);
    QCOMPARE(parseFingerprint(fingerprint(QSslCertificate::fromPath(path(m_otherCa, "ca.pem")).value(0))) == expected,
        false);
}

void TestCertificateAuthority::parseFingerprintRejectsGarbage_data()
{
    const QString good = QStringLiteral("AB:").repeated(31) + QStringLiteral("AB");
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   ");
    QTest::newRow("31 pairs") << QStringLiteral("AB:").repeated(30) + QStringLiteral("AB");
    QTest::newRow("33 pairs") << good + QStringLiteral(":AB");
    QTest::newRow("63 hex digits") << QStringLiteral("a").repeated(63);
    QTest::newRow("65 hex digits") << QStringLiteral("a").repeated(65);
    QTest::newRow("non-hex") << QString(good).replace(0, 2, QStringLiteral("GG"));
    QTest::newRow("single-digit pair") << QStringLiteral("A:") + QString(good).mid(3) + QStringLiteral("B");
    QTest::newRow("trailing colon") << good + QLatin1Char(':');
    QTest::newRow("spaces between pairs") << QString(good).replace(QLatin1Char(':'), QLatin1Char(' '));
    QTest::newRow("sha1 label") << QStringLiteral("SHA1 Fingerprint=") + good;
    QTest::newRow("prose") << QStringLiteral("fingerprint please");
    QTest::newRow("sha1 size") << QStringLiteral("AB:").repeated(19) + QStringLiteral("AB");
}

void TestCertificateAuthority::parseFingerprintRejectsGarbage()
{
    QFETCH(QString, text);
    QCOMPARE(parseFingerprint(text), std::optional<QByteArray>());
}

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "TestCertificateAuthority.moc"
