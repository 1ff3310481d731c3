// Secrets the API hands out and checks: user passwords (Argon2id, PHC string format), bearer
// tokens for sessions and agents, enrollment codes. Only hashes are stored: a token's SHA-256 in
// the catalog, a password's Argon2id string. Pure functions, thread-safe.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

namespace cairn::server {

// "$argon2id$v=19$m=19456,t=2,p=1$<salt b64>$<hash b64>" (OWASP's minimum for Argon2id).
Result<QByteArray> hashPassword(const QByteArray &password);
// Constant-time check; false for a malformed stored hash.
bool verifyPassword(const QByteArray &password, const QByteArray &stored);

enum class TokenKind { Session, Agent };
// A new random bearer token: "cs_" (session) or "ca_" (agent) + 43 base64url characters.
QByteArray newToken(TokenKind kind);
// The SHA-256 under which a token or code is stored.
QByteArray tokenHash(const QByteArray &token);
// "XXXX-XXXX-XXXX-XXXX" from an alphabet without look-alike characters (80 bits).
QString newEnrollmentCode();
// Upper-cases and strips spaces and dashes, so a code typed by hand matches.
QByteArray normalizeEnrollmentCode(const QString &code);

} // namespace cairn::server
