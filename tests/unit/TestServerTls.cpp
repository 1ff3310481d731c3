// Serving TLS with loadServerTls: real handshakes on loopback between a QSslServer and a QSslSocket
// that trusts only the pinned CA, with the generated files and with an admin-given RSA chain made by
// the openssl CLI; and refusal of every broken input (wrong key, expired, garbage, missing files,
// wrong order, encrypted, unsupported or weak keys) with a message naming the file.
#include "TlsTestSupport.h"
#include "tls/CertificateAuthority.h"

#include <QDir>
#include <QHostAddress>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test;

namespace {

struct Handshake {
    bool encrypted = false;
    QList<QSslError::SslError> errors;
    QStringList errorTexts;
    QByteArray serverReceived;
    QByteArray describe() const { return errorTexts.join(QStringLiteral("; ")).toLocal8Bit(); }
};

// A QSslServer on 127.0.0.1 serving `serverConfig`; a client trusting only `trusted` connects,
// verifying the server as `peerName`, and on success sends "ping" through the tunnel.
Handshake handshake(
    const QSslConfiguration &serverConfig, const QList<QSslCertificate> &trusted, const QString &peerName)
{
    Handshake outcome;
    QSslServer server;
    server.setSslConfiguration(serverConfig);
    if (!server.listen(QHostAddress::LocalHost))
        return outcome;

    QSslSocket client;
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates(trusted);
    clientConfig.setPeerVerifyMode(QSslSocket::VerifyPeer);
    client.setSslConfiguration(clientConfig);
    QObject::connect(&client, &QSslSocket::sslErrors, &client, [&outcome](const QList<QSslError> &errors) {
        for (const QSslError &e : errors) {
            outcome.errors << e.error();
            outcome.errorTexts << e.errorString();
        }
    });
    bool failed = false;
    QObject::connect(&client, &QAbstractSocket::errorOccurred, &client, [&failed] { failed = true; });
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), peerName);
    (void)QTest::qWaitFor([&] { return client.isEncrypted() || failed; }, 15000);
    outcome.encrypted = client.isEncrypted();
    if (!outcome.encrypted)
        return outcome;

    client.write("ping");
    QTcpSocket *accepted = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            if (!accepted && server.hasPendingConnections())
                accepted = server.nextPendingConnection();
            if (accepted)
                outcome.serverReceived += accepted->readAll();
            return outcome.serverReceived.size() >= 4;
        },
        15000);
    return outcome;
}

} // namespace

class TestServerTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void handshakeSucceedsForEveryName_data();
    void handshakeSucceedsForEveryName();
    void clientTrustingAnotherCaIsRefused();
    void clientExpectingAnotherNameIsRefused();
    void loadsAdminGivenRsaChain();
    void loadsEveryPemFormOfTheKey();
    void rejectsKeyOfAnotherCertificate();
    void rejectsExpiredCertificate();
    void rejectsCertificateNotYetValid();
    void rejectsGarbage_data();
    void rejectsGarbage();
    void rejectsMissingFiles();
    void rejectsChainInWrongOrder();
    void rejectsEncryptedKey();
    void rejectsUnsupportedKeyType();
    void rejectsWeakRsaKey();
    void rejectsCertificateNotForServers();

private:
    QTemporaryDir m_tmp;
    QString m_ca; // generated with kServerNames
    QString m_otherCa; // a second, unrelated one
    QString path(const QString &dir, const char *name) const { return QDir(dir).filePath(QLatin1String(name)); }
    QString m_admin; // an admin-given RSA chain root → intermediate → leaf, made with the openssl CLI
    void makeAdminChain();
};

void TestServerTls::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    QVERIFY(m_tmp.isValid());
    m_ca = m_tmp.filePath(QStringLiteral("ca")); // does not exist yet: created on demand
    const Status made = createCertificateAuthority(m_ca, kServerNames);
    QVERIFY2(made.ok(), why(made).constData());
    m_otherCa = m_tmp.filePath(QStringLiteral("other-ca"));
    const Status other = createCertificateAuthority(m_otherCa, {QStringLiteral("backup.example.com")});
    QVERIFY2(other.ok(), why(other).constData());
    makeAdminChain();
}

void TestServerTls::makeAdminChain()
{
    m_admin = m_tmp.filePath(QStringLiteral("admin"));
    QVERIFY(QDir().mkpath(m_admin));
    QVERIFY(writeFile(path(m_admin, "ext.cnf"),
        "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        "[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:backup.example.org,IP:127.0.0.1\n"));
    const QList<QStringList> steps = {
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("root.key"), QStringLiteral("-out"),
            QStringLiteral("root.pem"), QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"),
            QStringLiteral("/CN=Admin Root"), QStringLiteral("-addext"),
            QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
            QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
        {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), QStringLiteral("int.key"), QStringLiteral("-out"), QStringLiteral("int.csr"),
            QStringLiteral("-subj"), QStringLiteral("/CN=Admin Intermediate")},
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("int.csr"),
            QStringLiteral("-CA"), QStringLiteral("root.pem"), QStringLiteral("-CAkey"), QStringLiteral("root.key"),
            QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("30"),
            QStringLiteral("-extfile"), QStringLiteral("ext.cnf"), QStringLiteral("-extensions"), QStringLiteral("ca"),
            QStringLiteral("-out"), QStringLiteral("int.pem")},
        {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), QStringLiteral("leaf.key"), QStringLiteral("-out"), QStringLiteral("leaf.csr"),
            QStringLiteral("-subj"), QStringLiteral("/CN=backup.example.org")},
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("leaf.csr"),
            QStringLiteral("-CA"), QStringLiteral("int.pem"), QStringLiteral("-CAkey"), QStringLiteral("int.key"),
            QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("30"),
            QStringLiteral("-extfile"), QStringLiteral("ext.cnf"), QStringLiteral("-extensions"),
            QStringLiteral("leaf"), QStringLiteral("-out"), QStringLiteral("leaf.pem")},
    };
    for (const QStringList &args : steps) {
        const Run r = openssl(args, m_admin);
        QVERIFY2(r.exitCode == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.describe()));
    }
    QVERIFY(writeFile(path(m_admin, "chain.pem"),
        readFile(path(m_admin, "leaf.pem")) + readFile(path(m_admin, "int.pem"))
            + readFile(path(m_admin, "root.pem"))));
}

void TestServerTls::handshakeSucceedsForEveryName_data()
{
    QTest::addColumn<QString>("peerName");
    for (const char *name : {"127.0.0.1", "localhost", "backup.example.com", "cairn.internal", "192.0.2.10", "::1"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestServerTls::handshakeSucceedsForEveryName()
{
    QFETCH(QString, peerName);
    auto config = loadServerTls(CertificateAuthorityFiles::serverPaths(m_ca));
    QVERIFY2(config.ok(), why(config).constData());
    QCOMPARE(config->localCertificateChain().size(), 2);
    QVERIFY(!config->privateKey().isNull());
    auto anchor = trustAnchor(path(m_ca, "server.pem"));
    QVERIFY(anchor.ok());

    const Handshake h = handshake(*config, {*anchor}, peerName);
    QVERIFY2(h.errors.isEmpty(), h.describe().constData());
    QVERIFY(h.encrypted);
    QCOMPARE(h.serverReceived, QByteArray("ping"));
}

void TestServerTls::clientTrustingAnotherCaIsRefused()
{
    auto config = loadServerTls(CertificateAuthorityFiles::serverPaths(m_ca));
    QVERIFY2(config.ok(), why(config).constData());
    const QSslCertificate otherCa = QSslCertificate::fromPath(path(m_otherCa, "ca.pem")).value(0);
    QVERIFY(!otherCa.isNull());

    const Handshake h = handshake(*config, {otherCa}, QStringLiteral("backup.example.com"));
    QVERIFY(!h.encrypted);
    QVERIFY(h.serverReceived.isEmpty());
    // The server sends its CA along; a client that does not trust it sees a self-signed root.
    QVERIFY2(h.errors.contains(QSslError::SelfSignedCertificateInChain)
            || h.errors.contains(QSslError::UnableToGetLocalIssuerCertificate)
            || h.errors.contains(QSslError::CertificateUntrusted),
        h.describe().constData());
}

void TestServerTls::clientExpectingAnotherNameIsRefused()
{
    auto config = loadServerTls(CertificateAuthorityFiles::serverPaths(m_ca));
    QVERIFY(config.ok());
    const QSslCertificate ca = QSslCertificate::fromPath(path(m_ca, "ca.pem")).value(0);
    const Handshake h = handshake(*config, {ca}, QStringLiteral("other.example.com"));
    QVERIFY(!h.encrypted);
    QVERIFY2(h.errors.contains(QSslError::HostNameMismatch), h.describe().constData());
}

void TestServerTls::loadsAdminGivenRsaChain()
{
    auto config = loadServerTls({path(m_admin, "chain.pem"), path(m_admin, "leaf.key")});
    QVERIFY2(config.ok(), why(config).constData());
    QCOMPARE(config->localCertificateChain().size(), 3);
    QCOMPARE(config->privateKey().algorithm(), QSsl::Rsa);

    const QSslCertificate root = QSslCertificate::fromPath(path(m_admin, "root.pem")).value(0);
    const Handshake h = handshake(*config, {root}, QStringLiteral("backup.example.org"));
    QVERIFY2(h.errors.isEmpty(), h.describe().constData());
    QVERIFY(h.encrypted);
    QCOMPARE(h.serverReceived, QByteArray("ping"));

    // Agents pin the chain's last certificate, the admin's root.
    auto anchor = trustAnchor(path(m_admin, "chain.pem"));
    QVERIFY2(anchor.ok(), why(anchor).constData());
    QCOMPARE(*anchor, root);

    // A chain of the leaf alone is fine for loading too.
    auto leafOnly = loadServerTls({path(m_admin, "leaf.pem"), path(m_admin, "leaf.key")});
    QVERIFY2(leafOnly.ok(), why(leafOnly).constData());
}

void TestServerTls::loadsEveryPemFormOfTheKey()
{
    // PKCS#8 (generated), SEC1 "EC PRIVATE KEY" and PKCS#1 "RSA PRIVATE KEY".
    const QString sec1 = m_tmp.filePath(QStringLiteral("server-sec1.key"));
    const QString pkcs1 = m_tmp.filePath(QStringLiteral("leaf-pkcs1.key"));
    const Run a = openssl({QStringLiteral("pkey"), QStringLiteral("-in"), path(m_ca, "server.key"),
        QStringLiteral("-traditional"), QStringLiteral("-out"), sec1});
    QVERIFY2(a.exitCode == 0, qPrintable(a.describe()));
    QVERIFY(readFile(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----"));
    const Run b = openssl({QStringLiteral("pkey"), QStringLiteral("-in"), path(m_admin, "leaf.key"),
        QStringLiteral("-traditional"), QStringLiteral("-out"), pkcs1});
    QVERIFY2(b.exitCode == 0, qPrintable(b.describe()));
    QVERIFY(readFile(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

    auto ec = loadServerTls({path(m_ca, "server.pem"), sec1});
    QVERIFY2(ec.ok(), why(ec).constData());
    QCOMPARE(ec->privateKey().algorithm(), QSsl::Ec);
    auto rsa = loadServerTls({path(m_admin, "chain.pem"), pkcs1});
    QVERIFY2(rsa.ok(), why(rsa).constData());
    QCOMPARE(rsa->privateKey().algorithm(), QSsl::Rsa);
}

void TestServerTls::rejectsKeyOfAnotherCertificate()
{
    const QList<TlsPaths> wrong = {
        {path(m_ca, "server.pem"), path(m_ca, "ca.key")},
        {path(m_ca, "server.pem"), path(m_otherCa, "server.key")},
        {path(m_admin, "chain.pem"), path(m_admin, "int.key")},
    };
    for (const TlsPaths &p : wrong) {
        auto config = loadServerTls(p);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(config.error().message.contains(QLatin1String("does not belong")), why(config).constData());
        QVERIFY2(config.error().message.contains(p.privateKey), why(config).constData());
    }
}

void TestServerTls::rejectsExpiredCertificate()
{
    const QString dir = m_tmp.filePath(QStringLiteral("expired"));
    const QDateTime issued = QDateTime::currentDateTimeUtc().addDays(-900); // server cert ran out 75 days ago
    QVERIFY(createCertificateAuthority(dir, kServerNames, issued).ok());
    auto config = loadServerTls(CertificateAuthorityFiles::serverPaths(dir));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    const QString message = config.error().message;
    QVERIFY2(message.contains(QLatin1String("server certificate")) && message.contains(QLatin1String("expired")),
        qPrintable(message));
    QVERIFY2(message.contains(path(dir, "server.pem")), qPrintable(message));

    // openssl agrees that it is expired; the CA itself is still valid.
    const Run r = openssl({QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-checkend"),
        QStringLiteral("0"), QStringLiteral("-in"), path(dir, "server.pem")});
    QCOMPARE(r.exitCode, 1);
    const Run ca = openssl({QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-checkend"),
        QStringLiteral("0"), QStringLiteral("-in"), path(dir, "ca.pem")});
    QCOMPARE(ca.exitCode, 0);
}

void TestServerTls::rejectsCertificateNotYetValid()
{
    const QString dir = m_tmp.filePath(QStringLiteral("future"));
    QVERIFY(createCertificateAuthority(dir, kServerNames, QDateTime::currentDateTimeUtc().addDays(3)).ok());
    auto config = loadServerTls(CertificateAuthorityFiles::serverPaths(dir));
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(QLatin1String("not valid before")), why(config).constData());
}

void TestServerTls::rejectsGarbage_data()
{
    QTest::addColumn<bool>("brokenChain"); // else the key file is broken
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray badBase64 = "-----BEGIN CERTIFICATE-----\nMIIB!!!!not*base64\n-----END CERTIFICATE-----\n";
    const QByteArray badDer
        = "-----BEGIN CERTIFICATE-----\n" + QByteArray(300, 'A').toBase64() + "\n-----END CERTIFICATE-----\n";
    const QByteArray badKey
        = "-----BEGIN PRIVATE KEY-----\n" + QByteArray(100, 'B').toBase64() + "\n-----END PRIVATE KEY-----\n";
    QTest::newRow("chain: text") << true << QByteArray("hello, I am not a certificate\n")
                                 << QStringLiteral("holds no certificate");
    QTest::newRow("chain: empty") << true << QByteArray() << QStringLiteral("holds no certificate");
    QTest::newRow("chain: bad base64") << true << badBase64 << QStringLiteral("malformed");
    QTest::newRow("chain: bad DER") << true << badDer << QStringLiteral("malformed");
    QTest::newRow("chain: key instead") << true << readFile(path(m_ca, "server.key"))
                                        << QStringLiteral("holds no certificate");
    QTest::newRow("key: text") << false << QByteArray("hello\n") << QStringLiteral("holds no PEM private key");
    QTest::newRow("key: empty") << false << QByteArray() << QStringLiteral("holds no PEM private key");
    QTest::newRow("key: bad DER") << false << badKey << QStringLiteral("is malformed");
    QTest::newRow("key: certificate instead")
        << false << readFile(path(m_ca, "ca.pem")) << QStringLiteral("holds no PEM private key");
}

void TestServerTls::rejectsGarbage()
{
    QFETCH(bool, brokenChain);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString broken = m_tmp.filePath(QStringLiteral("garbage.pem"));
    QVERIFY(writeFile(broken, content));
    const TlsPaths paths
        = brokenChain ? TlsPaths {broken, path(m_ca, "server.key")} : TlsPaths {path(m_ca, "server.pem"), broken};
    auto config = loadServerTls(paths);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(expected), why(config).constData());
    QVERIFY2(config.error().message.contains(broken), why(config).constData());
    if (brokenChain) {
        auto anchor = trustAnchor(broken);
        QVERIFY(!anchor.ok());
        QCOMPARE(anchor.error().code, ErrorCode::InvalidArgument);
    }
}

void TestServerTls::rejectsMissingFiles()
{
    const QString missing = m_tmp.filePath(QStringLiteral("no-such-file.pem"));
    auto noChain = loadServerTls({missing, path(m_ca, "server.key")});
    QVERIFY(!noChain.ok());
    QCOMPARE(noChain.error().code, ErrorCode::NotFound);
    QVERIFY2(
        noChain.error().message.contains(missing) && noChain.error().message.contains(QLatin1String("certificate")),
        why(noChain).constData());

    auto noKey = loadServerTls({path(m_ca, "server.pem"), missing});
    QVERIFY(!noKey.ok());
    QCOMPARE(noKey.error().code, ErrorCode::NotFound);
    QVERIFY2(noKey.error().message.contains(missing) && noKey.error().message.contains(QLatin1String("private key")),
        why(noKey).constData());
}

void TestServerTls::rejectsChainInWrongOrder()
{
    const QString reversed = m_tmp.filePath(QStringLiteral("reversed.pem"));
    QVERIFY(writeFile(reversed,
        readFile(path(m_ca, "ca.pem"))
            + readFile(path(m_ca, "server.pem"))
                  .left(readFile(path(m_ca, "server.pem")).indexOf("-----END CERTIFICATE-----") + 26)));
    auto config = loadServerTls({reversed, path(m_ca, "server.key")});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(QLatin1String("server certificate first")), why(config).constData());

    // A chain whose second certificate did not issue the first (another CA's).
    const QString foreign = m_tmp.filePath(QStringLiteral("foreign.pem"));
    const QByteArray serverPem = readFile(path(m_ca, "server.pem"));
    QVERIFY(writeFile(foreign,
        serverPem.left(serverPem.indexOf("-----END CERTIFICATE-----") + 26) + readFile(path(m_otherCa, "ca.pem"))));
    auto mixed = loadServerTls({foreign, path(m_ca, "server.key")});
    QVERIFY(!mixed.ok());
    QVERIFY2(mixed.error().message.contains(QLatin1String("not issued")), why(mixed).constData());
}

void TestServerTls::rejectsEncryptedKey()
{
    const QString encrypted = m_tmp.filePath(QStringLiteral("encrypted.key"));
    const Run r
        = openssl({QStringLiteral("pkey"), QStringLiteral("-in"), path(m_ca, "server.key"), QStringLiteral("-aes256"),
            QStringLiteral("-passout"), QStringLiteral("pass:secret"), QStringLiteral("-out"), encrypted});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    auto config = loadServerTls({path(m_ca, "server.pem"), encrypted});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(QLatin1String("passphrase")) && config.error().message.contains(encrypted),
        why(config).constData());
}

void TestServerTls::rejectsUnsupportedKeyType()
{
    const QString dir = m_tmp.filePath(QStringLiteral("ed25519"));
    QVERIFY(QDir().mkpath(dir));
    const Run r = openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
        QStringLiteral("ed25519"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(dir, "ed.key"),
        QStringLiteral("-out"), path(dir, "ed.pem"), QStringLiteral("-days"), QStringLiteral("30"),
        QStringLiteral("-subj"), QStringLiteral("/CN=ed")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    auto config = loadServerTls({path(dir, "ed.pem"), path(dir, "ed.key")});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::Unsupported);
    QVERIFY2(config.error().message.contains(QLatin1String("RSA or EC")), why(config).constData());
}

void TestServerTls::rejectsWeakRsaKey()
{
    const QString dir = m_tmp.filePath(QStringLiteral("rsa1024"));
    QVERIFY(QDir().mkpath(dir));
    const Run r = openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
        QStringLiteral("rsa:1024"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(dir, "weak.key"),
        QStringLiteral("-out"), path(dir, "weak.pem"), QStringLiteral("-days"), QStringLiteral("30"),
        QStringLiteral("-subj"), QStringLiteral("/CN=localhost")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    auto config = loadServerTls({path(dir, "weak.pem"), path(dir, "weak.key")});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(QLatin1String("1024 bits")), why(config).constData());
}

void TestServerTls::rejectsCertificateNotForServers()
{
    // The CA certificate with its own key: they match, but keyUsage allows only certificate signing.
    auto config = loadServerTls({path(m_ca, "ca.pem"), path(m_ca, "ca.key")});
    QVERIFY(!config.ok());
    QCOMPARE(config.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(config.error().message.contains(QLatin1String("not made for TLS servers")), why(config).constData());
}

QTEST_GUILESS_MAIN(TestServerTls)
#include "TestServerTls.moc"
