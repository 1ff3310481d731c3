#include "http/HttpTypes.h"

#include <QJsonDocument>

namespace cairn::server {

QByteArray HttpRequestHead::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return QByteArray();
}

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    return bytes(status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json");
}

HttpResponse HttpResponse::bytes(int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    if (!contentType.isEmpty())
        r.headers.append({"Content-Type", contentType});
    return r;
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message, const QString &field)
{
    QJsonObject e{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!field.isEmpty())
        e.insert(QStringLiteral("field"), field);
    return json(status, QJsonObject{{QStringLiteral("error"), e}});
}

HttpResponse &HttpResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

} // namespace cairn::server
