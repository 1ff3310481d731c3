// Enrollment and the agent's credentials file. Any thread.
#include "remote/Enrollment.h"

#include "base/FileIo.h"
#include "crypto/Crypto.h"
#include "remote/HttpClient.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cairn {

namespace {

constexpr int kFileVersion = 1;
const QByteArray kBegin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
const QByteArray kEnd = QByteArrayLiteral("-----END CERTIFICATE-----");

Status checkServerUrl(const QString &serverUrl)
{
    const QUrl url(serverUrl, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != u"https" || url.host().isEmpty()
        || !url.path(QUrl::FullyEncoded).remove(QLatin1Char('/')).isEmpty() || url.hasQuery() || url.hasFragment()
        || !url.userInfo().isEmpty())
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the server URL must look like https://HOST[:PORT], not \"%1\"").arg(serverUrl));
    return Status::success();
}

} // namespace

Result<QByteArray> parseFingerprint(const QString &text)
{
    QString hex;
    for (const QChar c : text) {
        if (c == u':' || c.isSpace())
            continue;
        hex += c.toLower();
    }
    bool ok = hex.size() == 64;
    for (const QChar c : hex)
        ok = ok && ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'));
    if (!ok)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("the fingerprint must be 64 hex digits (SHA-256), optionally in pairs joined by ':'"));
    return QByteArray::fromHex(hex.toLatin1());
}

QString formatFingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

Result<QByteArray> certificateFingerprint(const QByteArray &pem)
{
    const qsizetype begin = pem.indexOf(kBegin);
    const qsizetype end = begin < 0 ? -1 : pem.indexOf(kEnd, begin);
    if (begin < 0 || end < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the trust anchor is not a PEM certificate"));
    if (pem.indexOf(kBegin, end) >= 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the trust anchor holds more than one certificate"));
    QByteArray base64 = pem.mid(begin + kBegin.size(), end - begin - kBegin.size());
    base64 = base64.simplified().replace(' ', QByteArray());
    const auto decoded = QByteArray::fromBase64Encoding(base64, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the trust anchor's PEM is not valid base64"));
    const crypto::Digest d = crypto::sha256(decoded.decoded);
    return QByteArray(reinterpret_cast<const char *>(d.data()), int(d.size()));
}

Result<KeySet> AgentCredentials::keySet() const
{
    auto k = KeySet::deserialize(keys);
    if (!k)
        return k.error().wrapped(QStringLiteral("the agent's key set"));
    return k;
}

Result<RepositoryConfig> AgentCredentials::config() const
{
    return RepositoryConfig::fromJson(repositoryConfig);
}

ServerConnectionSettings AgentCredentials::connectionSettings() const
{
    ServerConnectionSettings s;
    s.serverUrl = serverUrl;
    s.caPem = caPem;
    s.token = token;
    return s;
}

QByteArray AgentCredentials::toJson() const
{
    QJsonObject o {{QStringLiteral("version"), kFileVersion}, {QStringLiteral("server"), serverUrl},
        {QStringLiteral("agent"), agentId}, {QStringLiteral("tenant"), tenantId},
        {QStringLiteral("token"), QString::fromLatin1(token)},
        {QStringLiteral("keys"), QString::fromLatin1(keys.toBase64())},
        {QStringLiteral("repository"), QString::fromUtf8(repositoryConfig)},
        {QStringLiteral("ca"), QString::fromLatin1(caPem)}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<AgentCredentials> AgentCredentials::fromJson(const QByteArray &json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("the credentials are not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("version")).toInt() != kFileVersion)
        return Error(ErrorCode::Unsupported,
            QStringLiteral("credentials version %1 is not supported").arg(o.value(QStringLiteral("version")).toInt()));
    AgentCredentials c;
    c.serverUrl = o.value(QStringLiteral("server")).toString();
    c.agentId = o.value(QStringLiteral("agent")).toInteger();
    c.tenantId = o.value(QStringLiteral("tenant")).toInteger();
    c.token = o.value(QStringLiteral("token")).toString().toLatin1();
    const auto keys = QByteArray::fromBase64Encoding(
        o.value(QStringLiteral("keys")).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    c.keys = keys ? keys.decoded : QByteArray();
    c.repositoryConfig = o.value(QStringLiteral("repository")).toString().toUtf8();
    c.caPem = o.value(QStringLiteral("ca")).toString().toLatin1();
    QStringList bad;
    if (!checkServerUrl(c.serverUrl).ok())
        bad << QStringLiteral("server");
    if (c.agentId <= 0)
        bad << QStringLiteral("agent");
    if (c.tenantId <= 0)
        bad << QStringLiteral("tenant");
    if (!c.token.startsWith("ca_"))
        bad << QStringLiteral("token");
    if (!c.keySet().ok())
        bad << QStringLiteral("keys");
    if (!c.config().ok())
        bad << QStringLiteral("repository");
    if (!certificateFingerprint(c.caPem).ok())
        bad << QStringLiteral("ca");
    if (!bad.isEmpty()) {
        c.wipe();
        return Error(
            ErrorCode::Corrupt, QStringLiteral("the credentials have unusable fields: %1").arg(bad.join(u", ")));
    }
    return c;
}

Status AgentCredentials::save(const QString &path) const
{
    QByteArray json = toJson();
    const Status s = writeFileAtomically(QFile::encodeName(path), json, 0600);
    crypto::secureZero(json.data(), size_t(json.size()));
    return s;
}

Result<AgentCredentials> AgentCredentials::load(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat st;
    if (::stat(name.constData(), &st) != 0) {
        if (errno == ENOENT)
            return Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist: enroll this agent first").arg(path));
        return systemError(QStringLiteral("stat"), name, errno);
    }
    if (st.st_mode & 077)
        return Error(ErrorCode::InvalidArgument,
            QStringLiteral("%1 holds secrets but others may read it (mode %2); run chmod 600 on it")
                .arg(path)
                .arg(st.st_mode & 0777, 3, 8, QLatin1Char('0')));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QByteArray json = f.readAll();
    auto c = fromJson(json);
    crypto::secureZero(json.data(), size_t(json.size()));
    if (!c)
        return c.error().wrapped(path);
    return c;
}

void AgentCredentials::wipe()
{
    for (QByteArray *secret : {&token, &keys}) {
        secret->detach();
        crypto::secureZero(secret->data(), size_t(secret->size()));
        secret->clear();
    }
}

Result<AgentCredentials> enroll(const QString &serverUrl, const QString &code, const QString &fingerprint,
    const QString &hostname, const QString &os, const QString &version, const EnrollmentOptions &options)
{
    QString url = serverUrl.trimmed();
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    CAIRN_TRY(checkServerUrl(url));
    auto expected = parseFingerprint(fingerprint);
    if (!expected)
        return expected.error();
    if (code.trimmed().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the enrollment code is empty"));

    // 1. The trust anchor, fetched without verification and accepted only by its fingerprint.
    HttpClientOptions o;
    o.baseUrl = url;
    o.verifyPeer = false;
    o.connectTimeoutMs = options.connectTimeoutMs;
    o.stallSeconds = options.stallSeconds;
    o.maxResponseBytes = 1 << 20;
    o.defaultHeaders = {{"X-Cairn-Version", CAIRN_VERSION}};
    HttpReply anchor;
    {
        HttpClient bootstrap(o);
        auto reply = bootstrap.request("GET", QStringLiteral("/api/v1/tls/ca"));
        if (!reply)
            return reply.error().wrapped(QStringLiteral("fetching the server's certificate"));
        if (reply->status != 200)
            return ServerConnection::replyError(*reply, QStringLiteral("GET /api/v1/tls/ca"));
        anchor = std::move(*reply);
    }
    auto actual = certificateFingerprint(anchor.body);
    if (!actual)
        return actual.error().wrapped(url);
    if (*actual != *expected)
        return Error(ErrorCode::Corrupt,
            QStringLiteral("refusing to enroll: the certificate served by %1 has fingerprint %2, not the expected "
                           "%3 (a different server, or someone in between)")
                .arg(url, formatFingerprint(*actual), formatFingerprint(*expected)));

    // 2. Enroll over TLS verified against that certificate alone.
    o.verifyPeer = true;
    o.caPem = anchor.body;
    HttpClient client(o);
    QJsonObject request {{QStringLiteral("code"), code.trimmed()}, {QStringLiteral("hostname"), hostname},
        {QStringLiteral("os"), os}, {QStringLiteral("version"), version}};
    if (!options.kernel.isEmpty())
        request.insert(QStringLiteral("kernel"), options.kernel);
    if (!options.architecture.isEmpty())
        request.insert(QStringLiteral("architecture"), options.architecture);
    auto reply = client.request("POST", QStringLiteral("/api/v1/enroll"),
        QJsonDocument(request).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}});
    if (!reply)
        return reply.error().wrapped(QStringLiteral("enrolling"));
    if (reply->status != 201 && reply->status != 200) {
        Error e = ServerConnection::replyError(*reply, QStringLiteral("POST /api/v1/enroll"));
        if (ServerConnection::errorCodeOf(*reply) == u"invalid_enrollment_code")
            return Error(ErrorCode::PermissionDenied,
                QStringLiteral("the enrollment code is unknown, already used or expired; ask for a new one (%1)")
                    .arg(e.message));
        return e;
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->body).object();
    crypto::secureZero(reply->body.data(), size_t(reply->body.size()));
    QJsonObject out {{QStringLiteral("version"), kFileVersion}, {QStringLiteral("server"), url},
        {QStringLiteral("agent"), answer.value(QStringLiteral("agent")).toObject().value(QStringLiteral("id"))},
        {QStringLiteral("tenant"), answer.value(QStringLiteral("tenant")).toObject().value(QStringLiteral("id"))},
        {QStringLiteral("token"), answer.value(QStringLiteral("token"))},
        {QStringLiteral("keys"), answer.value(QStringLiteral("keys"))},
        {QStringLiteral("repository"), answer.value(QStringLiteral("repository"))},
        {QStringLiteral("ca"), QString::fromLatin1(anchor.body)}};
    QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    auto credentials = AgentCredentials::fromJson(json);
    crypto::secureZero(json.data(), size_t(json.size()));
    if (!credentials)
        return credentials.error().wrapped(QStringLiteral("the server's enrollment answer"));
    return credentials;
}

} // namespace cairn
