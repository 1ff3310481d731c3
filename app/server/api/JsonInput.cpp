#include "api/JsonInput.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace cairn::server {

JsonInput::JsonInput(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return;
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError)
        m_error = HttpResponse::error(400, QStringLiteral("invalid_json"),
                                      QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                          .arg(perr.errorString())
                                          .arg(perr.offset));
    else if (!doc.isObject())
        m_error = HttpResponse::error(400, QStringLiteral("invalid_json"), QStringLiteral("the body must be a JSON object"));
    else
        m_object = doc.object();
}

JsonInput::JsonInput(const QJsonObject &object, const QString &prefix) : m_object(object), m_prefix(prefix) {}

void JsonInput::fail(const QString &field, const QString &message)
{
    if (!m_error)
        m_error = HttpResponse::error(400, QStringLiteral("invalid_field"),
                                      QStringLiteral("%1: %2").arg(name(field), message), name(field));
}

std::optional<QJsonValue> JsonInput::take(const QString &field, Presence presence, const char *type)
{
    m_read.insert(field);
    if (m_error)
        return std::nullopt;
    const QJsonValue v = m_object.value(field);
    if (v.isUndefined() || v.isNull()) {
        if (presence == Presence::Required)
            fail(field, QStringLiteral("is required (%1)").arg(QLatin1String(type)));
        return std::nullopt;
    }
    return v;
}

std::optional<QString> JsonInput::string(const QString &field, Presence presence, int maxLength)
{
    auto v = take(field, presence, "string");
    if (!v)
        return std::nullopt;
    if (!v->isString()) {
        fail(field, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    const QString s = v->toString();
    if (s.size() > maxLength) {
        fail(field, QStringLiteral("must be at most %1 characters").arg(maxLength));
        return std::nullopt;
    }
    return s;
}

std::optional<qint64> JsonInput::integer(const QString &field, Presence presence, qint64 min, qint64 max)
{
    auto v = take(field, presence, "integer");
    if (!v)
        return std::nullopt;
    const double d = v->toDouble();
    if (!v->isDouble() || std::floor(d) != d || std::fabs(d) > 9.0e15) {
        fail(field, QStringLiteral("must be an integer"));
        return std::nullopt;
    }
    const qint64 i = qint64(d);
    if (i < min || i > max) {
        fail(field, QStringLiteral("must be between %1 and %2, not %3").arg(min).arg(max).arg(i));
        return std::nullopt;
    }
    return i;
}

std::optional<bool> JsonInput::boolean(const QString &field, Presence presence)
{
    auto v = take(field, presence, "boolean");
    if (!v)
        return std::nullopt;
    if (!v->isBool()) {
        fail(field, QStringLiteral("must be true or false"));
        return std::nullopt;
    }
    return v->toBool();
}

std::optional<QJsonArray> JsonInput::array(const QString &field, Presence presence, int maxItems)
{
    auto v = take(field, presence, "array");
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        fail(field, QStringLiteral("must be an array"));
        return std::nullopt;
    }
    const QJsonArray a = v->toArray();
    if (a.size() > maxItems) {
        fail(field, QStringLiteral("must have at most %1 items").arg(maxItems));
        return std::nullopt;
    }
    return a;
}

std::optional<QStringList> JsonInput::stringList(const QString &field, Presence presence, int maxItems, int maxLength)
{
    auto a = array(field, presence, maxItems);
    if (!a)
        return std::nullopt;
    QStringList out;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QJsonValue v = a->at(i);
        if (!v.isString() || v.toString().size() > maxLength) {
            fail(field, QStringLiteral("item %1 must be a string of at most %2 characters").arg(i).arg(maxLength));
            return std::nullopt;
        }
        out.append(v.toString());
    }
    return out;
}

std::optional<QJsonObject> JsonInput::object(const QString &field, Presence presence)
{
    auto v = take(field, presence, "object");
    if (!v)
        return std::nullopt;
    if (!v->isObject()) {
        fail(field, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    return v->toObject();
}

std::optional<HttpResponse> JsonInput::finish()
{
    if (m_error)
        return m_error;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_read.contains(it.key())) {
            fail(it.key(), QStringLiteral("is not a known field"));
            return m_error;
        }
    }
    return std::nullopt;
}

} // namespace cairn::server
