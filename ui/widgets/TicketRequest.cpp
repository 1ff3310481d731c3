// TicketRequest implementation. GUI thread.
#include "widgets/TicketRequest.h"

#include <QJsonArray>
#include <QLabel>

namespace cairn::console::ticketrequest {

QStringList paths(const QJsonObject &request)
{
    QStringList out;
    for (const QJsonValue &p : request.value(QLatin1String("paths")).toArray())
        out << p.toString();
    for (const QJsonValue &p : request.value(QLatin1String("paths_b64")).toArray())
        out << QString::fromUtf8(QByteArray::fromBase64(p.toString().toLatin1()));
    return out;
}

QStringList contact(const QJsonObject &request)
{
    const QJsonObject c = request.value(QLatin1String("contact")).toObject();
    QStringList out;
    for (const char *key : {"name", "phone", "email"}) {
        const QString v = c.value(QLatin1String(key)).toString();
        if (!v.isEmpty())
            out << v;
    }
    return out;
}

QLabel *valueLabel(QWidget *parent, const char *objectName)
{
    auto *l = new QLabel(parent);
    l->setObjectName(QLatin1String(objectName));
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace cairn::console::ticketrequest
