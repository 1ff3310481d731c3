// HttpClient over libcurl's easy interface: a pool of transfer handles, each keeping its own
// live connection between requests. Any thread.
#include "remote/HttpClient.h"

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace cairn {

namespace {

constexpr size_t kMaxIdleHandles = 16;

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    HttpReply reply;
    qint64 maxBytes = 0;
    bool tooLarge = false;
    const std::function<bool()> *aborted = nullptr;
    std::atomic<qint64> *sent = nullptr;
    curl_off_t sentSoFar = 0;
};

// Called by libcurl during a transfer (at least once a second): counts the body bytes sent and
// aborts the transfer when asked to.
int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow)
{
    auto *t = static_cast<Transfer *>(user);
    if (ulnow > t->sentSoFar) {
        *t->sent += qint64(ulnow - t->sentSoFar);
        t->sentSoFar = ulnow;
    }
    return *t->aborted && (*t->aborted)() ? 1 : 0;
}

size_t onHeader(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    QByteArray line(data, qsizetype(n));
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    if (line.startsWith("HTTP/")) {
        t->reply.headers.clear(); // a new response (after 100 Continue or a redirect)
        return n;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0) {
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        t->reply.headers.append({name, value});
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            if (ok && length > 0 && length <= t->maxBytes)
                t->reply.body.reserve(qsizetype(length));
        }
    }
    return n;
}

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    if (t->reply.body.size() + qint64(n) > t->maxBytes) {
        t->tooLarge = true;
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    t->reply.body.append(data, qsizetype(n));
    return n;
}

bool isUntrustedServer(CURLcode rc)
{
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return true;
    default: return false;
    }
}

struct HeaderList {
    curl_slist *list = nullptr;
    ~HeaderList() { curl_slist_free_all(list); }
    bool add(const QByteArray &line)
    {
        curl_slist *next = curl_slist_append(list, line.constData());
        if (!next)
            return false;
        list = next;
        return true;
    }
};

bool isHeaderName(const QPair<QByteArray, QByteArray> &h, const char *name)
{
    return h.first.compare(name, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return QByteArray();
}

struct HttpClient::Pool {
    std::mutex mutex;
    std::vector<CURL *> idle;

    ~Pool()
    {
        for (CURL *h : idle)
            curl_easy_cleanup(h);
    }
    CURL *take()
    {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                CURL *h = idle.back();
                idle.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }
    void give(CURL *h)
    {
        {
            std::lock_guard lock(mutex);
            if (idle.size() < kMaxIdleHandles) {
                idle.push_back(h);
                return;
            }
        }
        curl_easy_cleanup(h);
    }
};

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)), m_pool(std::make_unique<Pool>())
{
    initCurlOnce();
    while (m_options.baseUrl.endsWith(QLatin1Char('/')))
        m_options.baseUrl.chop(1);
}

HttpClient::~HttpClient() = default;

Result<HttpReply> HttpClient::request(
    const QByteArray &method, const QString &path, const QByteArray &body, const HttpHeaders &headers)
{
    if (!path.startsWith(QLatin1Char('/')))
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("request path \"%1\" does not start with '/'").arg(path));
    if (m_options.verifyPeer && m_options.caPem.isEmpty())
        return Error(
            ErrorCode::InvalidArgument, QStringLiteral("no trusted certificate for %1").arg(m_options.baseUrl));
    const QByteArray url = (m_options.baseUrl + path).toUtf8();
    const QString what = QStringLiteral("%1 %2").arg(QString::fromLatin1(method), m_options.baseUrl + path);

    CURL *h = m_pool->take();
    if (!h)
        return Error(ErrorCode::Transient, what + QStringLiteral(": cannot create a transfer"));
    curl_easy_reset(h); // keeps the live connection and TLS session cache
    char errorText[CURL_ERROR_SIZE] = {};
    Transfer t;
    t.maxBytes = m_options.maxResponseBytes;

    curl_easy_setopt(h, CURLOPT_URL, url.constData());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connectTimeoutMs));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, long(m_options.stallSeconds));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorText);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(h, CURLOPT_MAX_SEND_SPEED_LARGE, curl_off_t(m_sendRateLimit.load()));
    t.aborted = &m_aborted;
    t.sent = &m_bytesSent;
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
    if (m_options.verifyPeer) {
        curl_blob ca {const_cast<char *>(m_options.caPem.constData()), size_t(m_options.caPem.size()), CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca);
        // The pinned certificate is the only trust anchor: no system CA directory or bundle.
        curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    } else {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }

    HeaderList list;
    bool listOk = list.add("Expect:"); // the server does not answer 100-continue
    bool hasType = false;
    for (const HttpHeaders *hs : std::initializer_list<const HttpHeaders *> {&m_options.defaultHeaders, &headers}) {
        for (const auto &hd : *hs) {
            hasType = hasType || isHeaderName(hd, "Content-Type");
            listOk = listOk && list.add(hd.first + ": " + hd.second);
        }
    }
    const bool sendsBody = !body.isEmpty() || method == "PUT" || method == "POST" || method == "PATCH";
    if (sendsBody && !hasType)
        listOk = listOk && list.add("Content-Type: application/octet-stream");
    if (!listOk) {
        m_pool->give(h);
        return Error(ErrorCode::Transient, what + QStringLiteral(": out of memory for headers"));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.list);

    if (method == "GET" && !sendsBody) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (method == "HEAD") {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.constData());
        if (sendsBody) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.constData());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
        }
    }

    const CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr); // `list` dies with this scope
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    m_pool->give(h);

    if (rc != CURLE_OK) {
        const QString detail
            = errorText[0] ? QString::fromUtf8(errorText).trimmed() : QString::fromUtf8(curl_easy_strerror(rc));
        if (t.tooLarge)
            return Error(ErrorCode::Permanent,
                what + QStringLiteral(": the answer exceeds %1 bytes").arg(m_options.maxResponseBytes));
        if (rc == CURLE_ABORTED_BY_CALLBACK)
            return Error(ErrorCode::Cancelled, what + QStringLiteral(": cancelled"));
        if (isUntrustedServer(rc))
            return Error(ErrorCode::Permanent,
                what + QStringLiteral(": TLS: the server's certificate is not trusted (%1)").arg(detail));
        if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
            return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": %1").arg(detail));
        return Error(ErrorCode::Transient, what + QStringLiteral(": %1").arg(detail));
    }
    t.reply.status = int(status);
    return std::move(t.reply);
}

} // namespace cairn
