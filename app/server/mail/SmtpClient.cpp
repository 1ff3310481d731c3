// SmtpClient over libcurl's easy interface: one connection per send, the server's replies read
// from curl's debug stream (incoming lines only, so the AUTH exchange the client sends is never
// looked at). Any thread; blocking.
#include "mail/SmtpClient.h"

#include <QSysInfo>
#include <QUrl>

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace cairn::server {

namespace {

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Reply {
    int code = 0;
    QByteArray text; // all lines of a multi-line reply, joined by '\n'
};

struct Exchange {
    QByteArray message;
    qsizetype offset = 0;
    QByteArray pending; // an incoming line not yet complete
    QByteArray current; // lines of a multi-line reply read so far
    QList<Reply> replies;

    void takeLine(const QByteArray &line)
    {
        if (line.size() < 3)
            return;
        bool ok = false;
        const int code = line.left(3).toInt(&ok);
        if (!ok)
            return;
        if (!current.isEmpty())
            current += '\n';
        current += line;
        if (line.size() > 3 && line[3] == '-')
            return; // more lines of the same reply follow
        replies.append({code, current});
        current.clear();
    }
};

int onDebug(CURL *, curl_infotype type, char *data, size_t size, void *user)
{
    if (type != CURLINFO_HEADER_IN) // only what the server says; never what we send
        return 0;
    auto *x = static_cast<Exchange *>(user);
    x->pending.append(data, qsizetype(size));
    qsizetype nl;
    while ((nl = x->pending.indexOf('\n')) >= 0) {
        QByteArray line = x->pending.left(nl);
        x->pending.remove(0, nl + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        x->takeLine(line);
    }
    return 0;
}

size_t onRead(char *buffer, size_t size, size_t count, void *user)
{
    auto *x = static_cast<Exchange *>(user);
    const qsizetype n = std::min(qsizetype(size * count), x->message.size() - x->offset);
    memcpy(buffer, x->message.constData() + x->offset, size_t(n));
    x->offset += n;
    return size_t(n);
}

struct CurlEasy {
    CURL *handle = curl_easy_init();
    ~CurlEasy()
    {
        if (handle)
            curl_easy_cleanup(handle);
    }
};

struct SList {
    curl_slist *list = nullptr;
    ~SList() { curl_slist_free_all(list); }
    bool add(const QByteArray &item)
    {
        curl_slist *next = curl_slist_append(list, item.constData());
        if (!next)
            return false;
        list = next;
        return true;
    }
};

SmtpResult failure(SmtpVerdict verdict, const QString &text)
{
    SmtpResult r;
    r.verdict = verdict;
    r.reply = text;
    return r;
}

// Errors that a retry with the same settings cannot fix.
bool isPermanentCurlError(CURLcode rc)
{
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_USE_SSL_FAILED: // STARTTLS required but not offered
    case CURLE_LOGIN_DENIED:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_FILESIZE_EXCEEDED: return true;
    default: return false;
    }
}

// Removes the password (as is, and in the base64 forms AUTH uses) from a text for the caller.
QString redacted(QString text, const SmtpSettings &s)
{
    if (s.password.size() < 3)
        return text;
    const QByteArray pw = s.password.toUtf8();
    const QByteArray plain = QByteArray(1, '\0') + s.username.toUtf8() + '\0' + pw;
    for (const QByteArray &secret : {pw, pw.toBase64(), plain.toBase64(), (s.username.toUtf8() + plain).toBase64()})
        text.replace(QString::fromUtf8(secret), QStringLiteral("***"));
    return text;
}

Status checkSettings(const SmtpSettings &s)
{
    const auto bad = [](const QString &m) { return Error(ErrorCode::InvalidArgument, m); };
    if (s.host.isEmpty())
        return bad(QStringLiteral("no SMTP host is set"));
    for (const QChar c : s.host)
        if (c.isSpace() || c.unicode() < 0x20 || c == QLatin1Char('/') || c == QLatin1Char('@'))
            return bad(QStringLiteral("the SMTP host \"%1\" is not a host name").arg(s.host));
    if (s.port < 0 || s.port > 65535)
        return bad(QStringLiteral("the SMTP port %1 is outside 0..65535").arg(s.port));
    if (s.timeoutMs <= 0)
        return bad(QStringLiteral("the SMTP timeout must be positive"));
    for (const QString *v : {&s.username, &s.password, &s.heloName, &s.caFile})
        if (v->contains(QLatin1Char('\r')) || v->contains(QLatin1Char('\n')) || v->contains(QChar(0)))
            return bad(QStringLiteral("an SMTP setting contains a line break"));
    return Status::success();
}

QByteArray smtpUrl(const SmtpSettings &s)
{
    const bool tls = s.security == SmtpSecurity::Tls;
    int port = s.port;
    if (port == 0)
        port = tls ? 465 : s.security == SmtpSecurity::StartTls ? 587 : 25;
    QString host = s.host;
    if (host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('[')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    QString helo = s.heloName.isEmpty() ? QSysInfo::machineHostName() : s.heloName;
    if (helo.isEmpty())
        helo = QStringLiteral("localhost");
    // curl takes the URL's path as the EHLO name.
    return (tls ? QByteArray("smtps://") : QByteArray("smtp://")) + QUrl::toAce(host) + ':' + QByteArray::number(port)
        + '/' + QUrl::toPercentEncoding(helo);
}

} // namespace

const char *smtpVerdictName(SmtpVerdict verdict)
{
    switch (verdict) {
    case SmtpVerdict::Sent: return "sent";
    case SmtpVerdict::Transient: return "transient";
    case SmtpVerdict::Permanent: return "permanent";
    }
    return "unknown";
}

SmtpClient::SmtpClient(SmtpSettings settings) : m_settings(std::move(settings))
{
    initCurlOnce();
}

SmtpResult SmtpClient::send(const MailMessage &message) const
{
    if (message.isNull())
        return failure(SmtpVerdict::Permanent, QStringLiteral("the message is empty"));
    return send(m_settings.fromAddress.isEmpty() ? message.from().address : m_settings.fromAddress,
        message.recipientAddresses(), message.bytes());
}

SmtpResult SmtpClient::send(const QString &envelopeFrom, const QStringList &recipients, const QByteArray &message) const
{
    const SmtpSettings &s = m_settings;
    if (Status st = checkSettings(s); !st)
        return failure(SmtpVerdict::Permanent, st.error().message);
    const QString from = envelopeFrom.isEmpty() ? s.fromAddress : envelopeFrom;
    if (Status st = checkMailAddress(from); !st)
        return failure(SmtpVerdict::Permanent, QStringLiteral("sender: ") + st.error().message);
    if (recipients.isEmpty())
        return failure(SmtpVerdict::Permanent, QStringLiteral("the message has no recipient"));
    for (const QString &r : recipients)
        if (Status st = checkMailAddress(r); !st)
            return failure(SmtpVerdict::Permanent, QStringLiteral("recipient: ") + st.error().message);
    if (message.isEmpty())
        return failure(SmtpVerdict::Permanent, QStringLiteral("the message is empty"));

    CurlEasy easy;
    SList rcpt;
    if (!easy.handle)
        return failure(SmtpVerdict::Transient, QStringLiteral("curl: cannot create a transfer"));
    for (const QString &r : recipients)
        if (!rcpt.add('<' + r.toLatin1() + '>'))
            return failure(SmtpVerdict::Transient, QStringLiteral("curl: out of memory"));

    Exchange x;
    x.message = message;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    CURL *h = easy.handle;
    const QByteArray url = smtpUrl(s);
    const QByteArray mailFrom = '<' + from.toLatin1() + '>';
    const QByteArray user = s.username.toUtf8();
    QByteArray password = s.password.toUtf8();
    const QByteArray caFile = s.caFile.toLocal8Bit();
    curl_easy_setopt(h, CURLOPT_URL, url.constData());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); // feeds onDebug, which keeps the server's replies
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, onDebug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &x);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(s.timeoutMs));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(s.timeoutMs));
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL, long(s.security == SmtpSecurity::None ? CURLUSESSL_NONE : CURLUSESSL_ALL));
    curl_easy_setopt(h, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!s.caFile.isEmpty() && s.caFile != QLatin1String("system")) {
        curl_easy_setopt(h, CURLOPT_CAINFO, caFile.constData());
        curl_easy_setopt(h, CURLOPT_CAPATH, static_cast<const char *>(nullptr)); // that file only
    }
    if (!s.username.isEmpty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(h, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mailFrom.constData());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.list);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.size()));
    curl_easy_setopt(h, CURLOPT_READFUNCTION, onRead);
    curl_easy_setopt(h, CURLOPT_READDATA, &x);

    const CURLcode rc = curl_easy_perform(h);
    password.fill('\0');

    SmtpResult result;
    if (rc == CURLE_OK) {
        result.verdict = SmtpVerdict::Sent;
        // The reply to the end of the data: the last 2xx before QUIT's 221.
        for (qsizetype i = x.replies.size() - 1; i >= 0; --i) {
            if (x.replies[i].code >= 200 && x.replies[i].code < 300 && x.replies[i].code != 221) {
                result.replyCode = x.replies[i].code;
                result.reply = redacted(QString::fromUtf8(x.replies[i].text), s);
                break;
            }
        }
        return result;
    }
    for (qsizetype i = x.replies.size() - 1; i >= 0; --i) {
        const Reply &r = x.replies[i];
        if (r.code >= 400 && r.code < 600) {
            result.verdict = r.code >= 500 ? SmtpVerdict::Permanent : SmtpVerdict::Transient;
            result.replyCode = r.code;
            result.reply = redacted(QString::fromUtf8(r.text), s);
            return result;
        }
    }
    result.verdict = isPermanentCurlError(rc) ? SmtpVerdict::Permanent : SmtpVerdict::Transient;
    QString text = QString::fromUtf8(curl_easy_strerror(rc));
    if (errorBuffer[0])
        text += QStringLiteral(": ") + QString::fromUtf8(errorBuffer).trimmed();
    result.reply = redacted(text, s);
    return result;
}

} // namespace cairn::server
