// The pure parts of the remote path, without a server: Content-Range, Retry-After and index feed
// parsing, fingerprints (checked against the openssl CLI), and validation of the credentials file.
// Main thread.
#include "VerifyResult.h"
#include "remote/Enrollment.h"
#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"
#include "remote/ServerConnection.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace cairn;

namespace {

// A fresh self-signed certificate from the openssl CLI, and the CLI's SHA-256 fingerprint of it.
bool makeCertificate(const QTemporaryDir &dir, QByteArray *pem, QString *fingerprint)
{
    QProcess p;
    p.start(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
            dir.filePath(QStringLiteral("cert.pem")), QStringLiteral("-subj"), QStringLiteral("/CN=cairn-test"),
            QStringLiteral("-days"), QStringLiteral("1")});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return false;
    QFile f(dir.filePath(QStringLiteral("cert.pem")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    *pem = f.readAll();
    QProcess fp;
    fp.start(QStringLiteral("openssl"),
        {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"), QStringLiteral("-sha256"),
            QStringLiteral("-in"), f.fileName()});
    if (!fp.waitForFinished(60000) || fp.exitCode() != 0)
        return false;
    // "sha256 Fingerprint=AB:CD:..." (the prefix's spelling varies between versions)
    const QString line = QString::fromLatin1(fp.readAllStandardOutput()).trimmed();
    *fingerprint = line.mid(line.indexOf(QLatin1Char('=')) + 1);
    return !fingerprint->isEmpty();
}

const QString kPackHex = QString(64, QLatin1Char('a'));
const QString kBlobHex = QString(64, QLatin1Char('b'));

// Blobs as a list of arrays: a QJsonArray parameter given {oneArray} would copy that array
// instead of holding it.
QJsonObject feedPack(qint64 seq, qint64 size, std::initializer_list<QJsonArray> blobs)
{
    QJsonArray list;
    for (const QJsonArray &b : blobs)
        list.append(b);
    return {{QStringLiteral("seq"), seq}, {QStringLiteral("id"), kPackHex}, {QStringLiteral("size"), size},
        {QStringLiteral("blobs"), list}};
}

QJsonArray feedBlob(const QJsonValue &type, qint64 offset, qint64 length)
{
    return {type, kBlobHex, offset, length, length + 10};
}

QJsonObject feedPage(const QJsonArray &packs, bool more = false)
{
    return {{QStringLiteral("packs"), packs}, {QStringLiteral("more"), more}};
}

} // namespace

class TestRemoteParsing : public QObject {
    Q_OBJECT

private slots:
    void contentRange_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("last");
        QTest::addColumn<qint64>("size");
        QTest::newRow("range") << QByteArray("bytes 0-0/1000") << true << qint64(0) << qint64(0) << qint64(1000);
        QTest::newRow("end") << QByteArray("bytes 990-999/1000") << true << qint64(990) << qint64(999) << qint64(1000);
        QTest::newRow("unsatisfied") << QByteArray("bytes */0") << true << qint64(-1) << qint64(-1) << qint64(0);
        QTest::newRow("spaces") << QByteArray("  bytes 5-9/10 ") << true << qint64(5) << qint64(9) << qint64(10);
        QTest::newRow("past size") << QByteArray("bytes 0-10/10") << false << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("backwards") << QByteArray("bytes 9-5/10") << false << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("unknown size") << QByteArray("bytes 0-5/*") << false << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("other unit") << QByteArray("items 0-5/10") << false << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("empty") << QByteArray() << false << qint64(0) << qint64(0) << qint64(0);
    }
    void contentRange()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        const auto r = parseContentRange(value);
        QCOMPARE(r.has_value(), valid);
        if (!valid)
            return;
        QTEST(r->first, "first");
        QTEST(r->last, "last");
        QTEST(r->size, "size");
    }

    void indexFeedPage()
    {
        const QJsonObject removed {{QStringLiteral("seq"), 9}, {QStringLiteral("id"), kPackHex},
            {QStringLiteral("removed"), true},
            {QStringLiteral("blobs"), QJsonArray {feedBlob(0, 0, 1), feedBlob(0, 1, 1)}}};
        const auto page = parseIndexFeedPage(
            feedPage({feedPack(4, 300, {feedBlob(0, 0, 100), feedBlob(1, 100, 200)}), removed}, true), 3);
        QVERIFY2(page, page ? "" : qPrintable(page.error().message));
        QCOMPARE(page->entries.size(), size_t(2));
        QVERIFY(page->more);
        const IndexFeedEntry &added = page->entries[0];
        QCOMPARE(added.seq, qint64(4));
        QCOMPARE(added.pack.toHex(), kPackHex);
        QVERIFY(!added.removed);
        QCOMPARE(added.size, qint64(300));
        QCOMPARE(added.blobs.size(), size_t(2));
        QCOMPARE(int(added.blobs[1].type), 1);
        QCOMPARE(added.blobs[1].id.toHex(), kBlobHex);
        QCOMPARE(added.blobs[1].offset, 100u);
        QCOMPARE(added.blobs[1].length, 200u);
        QCOMPARE(added.blobs[1].rawLength, 210u);
        QVERIFY(page->entries[1].removed);
        QVERIFY(page->entries[1].blobs.empty()); // a removed pack's blobs are not read

        // The end of the feed: no packs; "more" on an empty page would loop.
        const auto end = parseIndexFeedPage(feedPage({}, true), 9);
        QVERIFY(end && end->entries.empty() && !end->more);
    }

    void indexFeedPageRefusals_data()
    {
        QTest::addColumn<QJsonObject>("page");
        QTest::addColumn<QString>("message");
        const QString seq = QStringLiteral("sequence numbers do not increase");
        const QString blob = QStringLiteral("lists a malformed blob");
        QTest::newRow("seq not above after") << feedPage({feedPack(3, 10, {})}) << seq;
        QTest::newRow("seq repeats") << feedPage({feedPack(4, 10, {}), feedPack(4, 10, {})}) << seq;
        QTest::newRow("seq missing") << feedPage({QJsonObject {{QStringLiteral("id"), kPackHex}}}) << seq;
        QTest::newRow("seq huge double") << feedPage(
            {feedPack(4, 10, {}), QJsonObject {{QStringLiteral("seq"), 1e300}}})
                                         << seq;
        QTest::newRow("pack id short") << feedPage({QJsonObject {
            {QStringLiteral("seq"), 4}, {QStringLiteral("id"), QStringLiteral("abcd")}, {QStringLiteral("size"), 1}}})
                                       << QStringLiteral("without a valid id or size");
        QTest::newRow("size negative") << feedPage({feedPack(4, -1, {})})
                                       << QStringLiteral("without a valid id or size");
        QTest::newRow("removed id not hex") << feedPage({QJsonObject {{QStringLiteral("seq"), 4},
            {QStringLiteral("id"), QString(64, QLatin1Char('g'))}, {QStringLiteral("removed"), true}}})
                                            << QStringLiteral("removed pack has a malformed id");
        QTest::newRow("blob past pack") << feedPage({feedPack(4, 150, {feedBlob(0, 100, 100)})}) << blob;
        QTest::newRow("blob type unknown") << feedPage({feedPack(4, 150, {feedBlob(2, 0, 10)})}) << blob;
        QTest::newRow("blob type text") << feedPage({feedPack(4, 150, {feedBlob(QStringLiteral("0"), 0, 10)})}) << blob;
        QTest::newRow("blob offset over 32 bits")
            << feedPage({feedPack(4, qint64(1) << 40, {feedBlob(0, qint64(1) << 33, 10)})}) << blob;
        QTest::newRow("blob four fields") << feedPage({feedPack(4, 150, {QJsonArray {0, kBlobHex, 0, 10}})}) << blob;
        QTest::newRow("blob six fields") << feedPage({feedPack(4, 150, {QJsonArray {0, kBlobHex, 0, 10, 10, 0}})})
                                         << blob;
        QTest::newRow("blob length over 32 bits")
            << feedPage({feedPack(4, qint64(1) << 40, {QJsonArray {0, kBlobHex, 0, qint64(1) << 32, 10}})}) << blob;
        QTest::newRow("blob raw length over 32 bits")
            << feedPage({feedPack(4, 150, {QJsonArray {0, kBlobHex, 0, 10, qint64(1) << 32}})}) << blob;
        QTest::newRow("blob raw length negative")
            << feedPage({feedPack(4, 150, {QJsonArray {0, kBlobHex, 0, 10, -1}})}) << blob;
        QTest::newRow("blob id short") << feedPage(
            {feedPack(4, 150, {QJsonArray {0, QStringLiteral("bb"), 0, 10, 10}})})
                                       << blob;
    }
    void indexFeedPageRefusals()
    {
        QFETCH(QJsonObject, page);
        QFETCH(QString, message);
        const auto parsed = parseIndexFeedPage(page, 3);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::Corrupt);
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void retryAfter()
    {
        QCOMPARE(retryAfterMs("2"), qint64(2000));
        QCOMPARE(retryAfterMs(" 0 "), qint64(0));
        QCOMPARE(retryAfterMs(""), qint64(-1));
        QCOMPARE(retryAfterMs("soon"), qint64(-1));
        QCOMPARE(retryAfterMs("-5"), qint64(-1));
        const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(30);
        const qint64 ms = retryAfterMs(at.toString(Qt::RFC2822Date).toLatin1());
        QVERIFY2(ms > 25000 && ms <= 30000, qPrintable(QString::number(ms)));
        QCOMPARE(retryAfterMs("Sun, 06 Nov 1994 08:49:37 GMT"), qint64(0)); // in the past: now
    }

    void replyErrors()
    {
        const auto reply = [](int status, const QByteArray &code) {
            HttpReply r;
            r.status = status;
            r.body = QJsonDocument(QJsonObject {{QStringLiteral("error"),
                                       QJsonObject {{QStringLiteral("code"), QString::fromLatin1(code)},
                                           {QStringLiteral("message"), QStringLiteral("why")}}}})
                         .toJson();
            return r;
        };
        const std::pair<HttpReply, ErrorCode> cases[] = {
            {reply(404, "not_found"), ErrorCode::NotFound},
            {reply(401, "unauthorized"), ErrorCode::PermissionDenied},
            {reply(403, "forbidden"), ErrorCode::PermissionDenied},
            {reply(400, "id_mismatch"), ErrorCode::Corrupt},
            {reply(400, "bad_pack"), ErrorCode::Corrupt},
            {reply(400, "invalid_field"), ErrorCode::InvalidArgument},
            {reply(409, "missing_data"), ErrorCode::Permanent},
            {reply(413, "too_large"), ErrorCode::Permanent},
            {reply(503, "transient"), ErrorCode::Transient},
        };
        for (const auto &[r, code] : cases) {
            const Error e = ServerConnection::replyError(r, QStringLiteral("PUT pack x"));
            QCOMPARE(errorCodeName(e.code), errorCodeName(code));
            QVERIFY2(e.message.contains(QString::number(r.status)) && e.message.contains(QLatin1String("why")),
                qPrintable(e.message));
        }
        HttpReply headers;
        headers.headers = {{"Content-Range", "bytes */5"}};
        QCOMPARE(headers.header("content-range"), QByteArray("bytes */5"));
        QVERIFY(headers.header("Range").isEmpty());
    }

    void fingerprints()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray pem;
        QString expected;
        QVERIFY2(makeCertificate(dir, &pem, &expected), "the openssl CLI could not make a certificate");
        const auto digest = certificateFingerprint(pem);
        CAIRN_VERIFY_OK(digest);
        QCOMPARE(formatFingerprint(*digest), expected);
        for (const QString &typed : {expected, expected.toLower(), QString(expected).remove(QLatin1Char(':')),
                 QStringLiteral("  ") + expected + QStringLiteral("\n")}) {
            const auto parsed = parseFingerprint(typed);
            CAIRN_VERIFY_OK(parsed);
            QCOMPARE(*parsed, *digest);
        }
        for (const QString &bad : {QString(), QStringLiteral("AB:CD"), expected + QStringLiteral(":00"),
                 QString(expected).replace(0, 1, QLatin1Char('G'))})
            CAIRN_VERIFY_ERROR(parseFingerprint(bad), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(certificateFingerprint("not a certificate"), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(certificateFingerprint(pem + pem), ErrorCode::InvalidArgument); // only one anchor
    }

    void credentialsValidation()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray pem;
        QString fingerprint;
        QVERIFY(makeCertificate(dir, &pem, &fingerprint));
        KeySet keys = KeySet::generate();
        RepositoryConfig config;
        config.id = QStringLiteral("0123456789abcdef");
        AgentCredentials good;
        good.serverUrl = QStringLiteral("https://backup.example:8443");
        good.agentId = 7;
        good.tenantId = 3;
        good.token = "ca_secret";
        good.keys = keys.serialize();
        good.repositoryConfig = config.toJson();
        good.caPem = pem;
        const auto parsed = AgentCredentials::fromJson(good.toJson());
        CAIRN_VERIFY_OK(parsed);
        QCOMPARE(parsed->token, good.token);
        QCOMPARE(parsed->keys, good.keys);
        const auto opened = parsed->keySet();
        CAIRN_VERIFY_OK(opened);
        QVERIFY(opened->dataKey == keys.dataKey);

        const auto broken = [&](const char *field, const QJsonValue &value) {
            QJsonObject o = QJsonDocument::fromJson(good.toJson()).object();
            o.insert(QLatin1String(field), value);
            return AgentCredentials::fromJson(QJsonDocument(o).toJson());
        };
        CAIRN_VERIFY_ERROR(broken("server", QStringLiteral("http://backup.example")), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("token", QStringLiteral("cs_session")), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("keys", QStringLiteral("AAAA")), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("repository", QStringLiteral("{}")), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("ca", QStringLiteral("nothing")), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("agent", 0), ErrorCode::Corrupt);
        CAIRN_VERIFY_ERROR(broken("version", 2), ErrorCode::Unsupported);
        CAIRN_VERIFY_ERROR(AgentCredentials::fromJson("[]"), ErrorCode::Corrupt);
        keys.wipe();
    }

    void enrollmentChecksArgumentsFirst()
    {
        // Refused before any connection is made (nothing listens on port 9 of this address).
        const QString fp(64, QLatin1Char('a'));
        for (const QString &url : {QStringLiteral("http://127.0.0.1:9"), QStringLiteral("https://127.0.0.1:9/api"),
                 QStringLiteral("127.0.0.1:9"), QStringLiteral("https://user@127.0.0.1:9")})
            CAIRN_VERIFY_ERROR(enroll(url, QStringLiteral("CODE"), fp, QStringLiteral("h"), QString(), QString()),
                ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(enroll(QStringLiteral("https://127.0.0.1:9"), QStringLiteral("CODE"), QStringLiteral("xyz"),
                               QStringLiteral("h"), QString(), QString()),
            ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(enroll(QStringLiteral("https://127.0.0.1:9"), QStringLiteral(" "), fp, QStringLiteral("h"),
                               QString(), QString()),
            ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestRemoteParsing)
#include "TestRemoteParsing.moc"
