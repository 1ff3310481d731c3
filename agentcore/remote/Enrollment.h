// Enrollment: how an agent joins a tenant, and the credentials it keeps afterwards.
//
// The administrator hands out the server URL, a one-time enrollment code and the fingerprint of
// the server's trust anchor (SHA-256 of the certificate, "AB:CD:…" as openssl prints it; plain
// hex of any case is accepted too). enroll() fetches the anchor from GET /api/v1/tls/ca without
// verification, refuses it unless its fingerprint matches, and from then on trusts that
// certificate alone: POST /api/v1/enroll trades the code for the agent token, the tenant's key
// set and its repository config. The code is spent by the server; a second use is refused.
//
// AgentCredentials is what the agent stores (agent.json in its state folder): a JSON file with
// the server URL, agent and tenant ids, token, keys (base64 of KeySet::serialize()), repository
// config and the pinned CA — written atomically with mode 0600 because it holds secrets.
// Value types and free functions; any thread.
#pragma once

#include "base/Result.h"
#include "remote/ServerConnection.h"
#include "repository/Keys.h"
#include "repository/Repository.h"

#include <QByteArray>
#include <QString>

namespace cairn {

struct AgentCredentials {
    QString serverUrl;
    qint64 agentId = 0;
    qint64 tenantId = 0;
    QByteArray token; // "ca_…"; a secret
    QByteArray keys; // KeySet::serialize(); a secret
    QByteArray repositoryConfig; // RepositoryConfig JSON
    QByteArray caPem; // the pinned trust anchor

    Result<KeySet> keySet() const;
    Result<RepositoryConfig> config() const;
    // Settings for a ServerConnection as this agent (default retry policy).
    ServerConnectionSettings connectionSettings() const;

    QByteArray toJson() const;
    static Result<AgentCredentials> fromJson(const QByteArray &json);
    // Writes the file atomically (temporary file, fsync, rename) with mode 0600.
    Status save(const QString &path) const;
    // NotFound if there is no file; InvalidArgument if others may read it (mode & 077).
    static Result<AgentCredentials> load(const QString &path);
    void wipe(); // zeroes the secrets
};

// A fingerprint as the administrator typed it → the 32 digest bytes (InvalidArgument if not
// 64 hex digits, with or without ':' separators).
Result<QByteArray> parseFingerprint(const QString &text);
// "AB:CD:…" of 32 digest bytes.
QString formatFingerprint(const QByteArray &digest);
// SHA-256 of the DER of the single certificate in `pem` (InvalidArgument if there is not
// exactly one CERTIFICATE block).
Result<QByteArray> certificateFingerprint(const QByteArray &pem);

struct EnrollmentOptions {
    int connectTimeoutMs = 15000;
    int stallSeconds = 60;
    QString kernel, architecture; // registered with the machine when given
};

// Enrolls this machine. Errors: InvalidArgument (URL or fingerprint unusable), Corrupt (the
// served certificate does not have the expected fingerprint), PermissionDenied (the code is
// unknown, used or expired), Permanent (TLS not trusted, unexpected answers), Transient (the
// server is unreachable). Nothing is retried: a lost answer may have spent the code.
Result<AgentCredentials> enroll(const QString &serverUrl, const QString &code, const QString &fingerprint,
    const QString &hostname, const QString &os, const QString &version, const EnrollmentOptions &options = {});

} // namespace cairn
