// JSON views of catalog rows as the API returns them (one function per type, so every endpoint
// shows an object the same way; docs/API.md documents these shapes). Pure functions.
#pragma once

#include "catalog/CatalogTypes.h"

#include <QJsonObject>

namespace cairn::server {

QJsonObject tenantJson(const Tenant &t);
QJsonObject userJson(const User &u);
QJsonObject agentJson(const Agent &a);
QJsonObject policyJson(const Policy &p);
QJsonObject jobJson(const Job &j);
QJsonObject snapshotJson(const SnapshotRecord &s);
QJsonObject ticketJson(const RestoreTicket &t);
QJsonObject auditJson(const AuditEntry &e);
// A byte string path as JSON: {"path": "..."} when it is UTF-8, else {"path_b64": "..."}.
void putBytes(QJsonObject &o, const QString &key, const QByteArray &bytes);

} // namespace cairn::server
