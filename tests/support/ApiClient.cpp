#include "ApiClient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace cairn::test {

QJsonObject ApiReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray ApiReply::header(const QByteArray &name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return QByteArray();
}

QString ApiReply::describe() const
{
    return QStringLiteral("HTTP %1 %2 %3").arg(status).arg(error, QString::fromUtf8(body.left(2000)));
}

ApiClient::ApiClient(const QString &baseUrl, const QByteArray &caPem)
    : m_base(baseUrl), m_caPem(caPem), m_nam(std::make_unique<QNetworkAccessManager>())
{
}

ApiClient::~ApiClient() = default;

ApiReply ApiClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                            const QList<QPair<QByteArray, QByteArray>> &headers, int timeoutMs)
{
    QNetworkRequest req(QUrl(m_base + path));
    if (!m_caPem.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(m_caPem, QSsl::Pem));
        req.setSslConfiguration(ssl);
    }
    if (!m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty() && !req.hasRawHeader("Content-Type"))
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = m_nam->sendCustomRequest(req, method, body);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();
    ApiReply r;
    if (!reply->isFinished()) {
        reply->abort();
        r.error = QStringLiteral("timeout after %1 ms").arg(timeoutMs);
    }
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.headers = reply->rawHeaderPairs();
    if (r.error.isEmpty() && reply->error() != QNetworkReply::NoError && r.status == 0)
        r.error = reply->errorString();
    reply->deleteLater();
    return r;
}

ApiReply ApiClient::post(const QString &path, const QJsonObject &body)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiReply ApiClient::put(const QString &path, const QByteArray &body, const QByteArray &contentType)
{
    return request("PUT", path, body, {{"Content-Type", contentType}});
}

ApiReply ApiClient::putJson(const QString &path, const QJsonObject &body)
{
    return request("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiReply ApiClient::patch(const QString &path, const QJsonObject &body)
{
    return request("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiReply ApiClient::login(const QString &login, const QString &password)
{
    m_token.clear();
    ApiReply r = post(QStringLiteral("/api/v1/session/login"),
                      QJsonObject{{QStringLiteral("login"), login}, {QStringLiteral("password"), password}});
    if (r.status == 200)
        m_token = r.json().value(QStringLiteral("token")).toString().toLatin1();
    return r;
}

} // namespace cairn::test
