// Strict reading of a JSON request body. Every field is read through a typed accessor with its
// limits; the first problem (wrong type, out of range, missing, unknown field) is kept with the
// field's name so the API answers 400 with a message that names it. Value type, one per request.
#pragma once

#include "http/HttpTypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace cairn::server {

class JsonInput {
public:
    enum class Presence { Required, Optional };

    // An object body; an empty body is an empty object. Anything else is an error (see error()).
    explicit JsonInput(const QByteArray &body);
    explicit JsonInput(const QJsonObject &object, const QString &prefix = QString());

    bool has(const QString &field) const { return m_object.contains(field); }
    std::optional<QString> string(const QString &field, Presence presence, int maxLength = 1024);
    std::optional<qint64> integer(const QString &field, Presence presence, qint64 min, qint64 max);
    std::optional<bool> boolean(const QString &field, Presence presence);
    std::optional<QStringList> stringList(const QString &field, Presence presence, int maxItems, int maxLength = 1024);
    std::optional<QJsonObject> object(const QString &field, Presence presence);
    std::optional<QJsonArray> array(const QString &field, Presence presence, int maxItems);

    // Records a caller-detected problem with a field (e.g. a path that is not absolute).
    void fail(const QString &field, const QString &message);
    bool ok() const { return !m_error; }
    // The first error, or an "unknown field" error for any field no accessor read; nullopt if fine.
    std::optional<HttpResponse> finish();

private:
    std::optional<QJsonValue> take(const QString &field, Presence presence, const char *type);
    QString name(const QString &field) const { return m_prefix + field; }

    QJsonObject m_object;
    QString m_prefix;
    QSet<QString> m_read;
    std::optional<HttpResponse> m_error;
};

} // namespace cairn::server
