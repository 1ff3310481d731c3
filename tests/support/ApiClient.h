// A small synchronous HTTPS client for tests: one request at a time through QNetworkAccessManager
// and a local event loop, trusting only the test server's CA. Use one ApiClient per thread.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>

class QNetworkAccessManager;

namespace cairn::test {

struct ApiReply {
    int status = 0;                 // 0: no HTTP answer (see error)
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString error;                  // transport error, if any

    QJsonObject json() const;       // the body as a JSON object (empty if it is not one)
    QByteArray header(const QByteArray &name) const;
    QString describe() const;       // "status body" for failure messages
};

class ApiClient {
public:
    ApiClient(const QString &baseUrl, const QByteArray &caPem);
    ~ApiClient();

    void setToken(const QByteArray &token) { m_token = token; }
    const QByteArray &token() const { return m_token; }

    ApiReply request(const QByteArray &method, const QString &path, const QByteArray &body = QByteArray(),
                     const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 60000);
    ApiReply get(const QString &path) { return request("GET", path); }
    ApiReply post(const QString &path, const QJsonObject &body);
    ApiReply put(const QString &path, const QByteArray &body, const QByteArray &contentType = "application/octet-stream");
    ApiReply putJson(const QString &path, const QJsonObject &body);
    ApiReply patch(const QString &path, const QJsonObject &body);
    ApiReply del(const QString &path) { return request("DELETE", path); }

    // Logs in and keeps the session token; returns the reply.
    ApiReply login(const QString &login, const QString &password);

private:
    QString m_base;
    QByteArray m_caPem;
    QByteArray m_token;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

} // namespace cairn::test
