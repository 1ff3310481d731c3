// cairn-server init and serve on what an administrator brings or breaks: their own certificate
// chain, a data folder that already exists, a key that does not match, a master key others can
// read, a corrupt catalog, and the admin commands' refusals. Each case runs the real binary.
#include "ApiClient.h"
#include "ServerProcess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn::test;

namespace {

bool openssl(const QStringList &args, const QString &dir, QByteArray *output = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    const bool ok = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (output)
        *output = p.readAll();
    return ok;
}

// A root CA and a server certificate for localhost/127.0.0.1 signed by it, made with the CLI the
// way an administrator would; chain.pem is the leaf followed by the root.
bool makeAdminChain(const QString &dir)
{
    QFile ext(dir + QStringLiteral("/ext.cnf"));
    if (!ext.open(QIODevice::WriteOnly)
        || ext.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n") < 0)
        return false;
    ext.close();
    const QStringList steps[] = {
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
         QStringLiteral("-nodes"), QStringLiteral("-keyout"), QStringLiteral("root.key"), QStringLiteral("-out"),
         QStringLiteral("root.pem"), QStringLiteral("-subj"), QStringLiteral("/CN=Example Root"), QStringLiteral("-days"),
         QStringLiteral("30")},
        {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
         QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"), QStringLiteral("server.csr"),
         QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("server.csr"),
         QStringLiteral("-CA"), QStringLiteral("root.pem"), QStringLiteral("-CAkey"), QStringLiteral("root.key"),
         QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), QStringLiteral("server.pem"), QStringLiteral("-days"),
         QStringLiteral("30"), QStringLiteral("-extfile"), QStringLiteral("ext.cnf")},
        {QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
         QStringLiteral("-keyout"), QStringLiteral("other.key"), QStringLiteral("-out"), QStringLiteral("other.csr"),
         QStringLiteral("-subj"), QStringLiteral("/CN=other")},
    };
    for (const QStringList &step : steps)
        if (!openssl(step, dir))
            return false;
    QFile leaf(dir + QStringLiteral("/server.pem")), root(dir + QStringLiteral("/root.pem")),
        chain(dir + QStringLiteral("/chain.pem"));
    if (!leaf.open(QIODevice::ReadOnly) || !root.open(QIODevice::ReadOnly) || !chain.open(QIODevice::WriteOnly))
        return false;
    return chain.write(leaf.readAll() + root.readAll()) > 0;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestServerInit : public QObject {
    Q_OBJECT

private slots:
    void adminGivenCertificateIsServedAndPinned()
    {
        QTemporaryDir certs;
        QVERIFY(makeAdminChain(certs.path()));
        ServerProcess server;
        QVERIFY2(server.init({QStringLiteral("--cert"), certs.filePath(QStringLiteral("chain.pem")), QStringLiteral("--key"),
                              certs.filePath(QStringLiteral("server.key"))}),
                 server.log().constData());
        QByteArray fp;
        QVERIFY(openssl({QStringLiteral("x509"), QStringLiteral("-in"), QStringLiteral("root.pem"), QStringLiteral("-noout"),
                         QStringLiteral("-fingerprint"), QStringLiteral("-sha256")},
                        certs.path(), &fp));
        // The pinned anchor is the root of the given chain.
        QVERIFY2(fp.contains(server.fingerprint().toLatin1()), qPrintable(QString::fromLatin1(fp) + QStringLiteral(" vs ") + server.fingerprint()));
        QVERIFY2(server.start(), server.log().constData());
        ApiClient client(server.baseUrl(), readFile(certs.filePath(QStringLiteral("root.pem"))));
        const ApiReply health = client.get(QStringLiteral("/api/v1/health"));
        QVERIFY2(health.status == 200, qPrintable(health.describe()));
        const ApiReply anchor = client.get(QStringLiteral("/api/v1/tls/ca"));
        QCOMPARE(anchor.status, 200);
        QCOMPARE(QSslCertificate(anchor.body).digest(QCryptographicHash::Sha256),
                 QSslCertificate(readFile(certs.filePath(QStringLiteral("root.pem")))).digest(QCryptographicHash::Sha256));
        // A client that trusts only the server's own private CA would not accept this server.
        const QString key = server.dataDir() + QStringLiteral("/tls/server.key");
        QCOMPARE(QFile::permissions(key) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    }

    void initRefusesBadCertificatesAndExistingFolders()
    {
        QTemporaryDir certs;
        QVERIFY(makeAdminChain(certs.path()));
        ServerProcess server;
        // A key that does not belong to the certificate.
        ProcessResult r = server.admin({QStringLiteral("init"), QStringLiteral("--cert"), certs.filePath(QStringLiteral("chain.pem")),
                                        QStringLiteral("--key"), certs.filePath(QStringLiteral("other.key"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("key"), r.err.constData());
        QVERIFY(!QFile::exists(server.dataDir() + QStringLiteral("/catalog.sqlite")));
        // --cert without --key is a usage error.
        r = server.admin({QStringLiteral("init"), QStringLiteral("--cert"), certs.filePath(QStringLiteral("chain.pem"))});
        QCOMPARE(r.exitCode, 2);
        // A second init over a data folder never overwrites it.
        QVERIFY2(server.init(), server.log().constData());
        const QByteArray masterBefore = readFile(server.dataDir() + QStringLiteral("/master.key"));
        r = server.admin({QStringLiteral("init")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("refusing"), r.err.constData());
        QCOMPARE(readFile(server.dataDir() + QStringLiteral("/master.key")), masterBefore);
    }

    void serveRefusesAnExposedMasterKeyAndACorruptCatalog()
    {
        ServerProcess server;
        QVERIFY2(server.init(), server.log().constData());
        const QString key = server.dataDir() + QStringLiteral("/master.key");
        QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        QVERIFY(!server.start({}, 10000));
        QVERIFY2(server.log().contains("chmod 600"), server.log().constData());
        QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        // The admin commands check it too.
        ProcessResult r = server.admin({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 0);

        // A catalog overwritten with garbage: a clear error, nothing served, the file untouched.
        const QString catalog = server.dataDir() + QStringLiteral("/catalog.sqlite");
        for (const char *suffix : {"-wal", "-shm"})
            QFile::remove(catalog + QLatin1String(suffix));
        QFile f(catalog);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        const QByteArray garbage = QByteArray("this is not a database ").repeated(200);
        QVERIFY(f.write(garbage) == garbage.size());
        f.close();
        QVERIFY(!server.start({}, 10000));
        QVERIFY2(server.log().contains("is not a SQLite database"), server.log().constData());
        QCOMPARE(readFile(catalog), garbage);
    }

    void adminCommandsRefuseBadInput()
    {
        ServerProcess server;
        QVERIFY2(server.init(), server.log().constData());
        QVERIFY(server.addTenant(QStringLiteral("acme")) > 0);
        ProcessResult r = server.admin({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("acme")});
        QCOMPARE(r.exitCode, 1); // the name is taken
        r = server.admin({QStringLiteral("tenant"), QStringLiteral("add"), QStringLiteral("b"), QStringLiteral("--time-zone"),
                          QStringLiteral("Mars/Olympus")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("time zone"), r.err.constData());
        r = server.admin({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("kim"), QStringLiteral("--tenant"),
                          QStringLiteral("acme")},
                         "short");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("10 characters"), r.err.constData());
        r = server.admin({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("kim"), QStringLiteral("--tenant"),
                          QStringLiteral("nosuch")},
                         "long enough password");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no tenant"), r.err.constData());
        r = server.admin({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("kim"), QStringLiteral("--operator"),
                          QStringLiteral("--tenant"), QStringLiteral("acme")},
                         "long enough password");
        QCOMPARE(r.exitCode, 2);
        r = server.admin({QStringLiteral("enrollment-code"), QStringLiteral("--tenant"), QStringLiteral("acme"),
                          QStringLiteral("--days"), QStringLiteral("400")});
        QCOMPARE(r.exitCode, 2);
        r = server.admin({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!server.enrollmentCode(QStringLiteral("acme")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestServerInit)
#include "TestServerInit.moc"
