// SmtpClient: hands one message to an SMTP server (libcurl's SMTP support underneath, hidden here)
// and says what became of it — Sent, Transient (keep it and try again later) or Permanent (the
// server rejected it, or the settings cannot work) — with the server's reply, so that an outbox
// can keep every message until a server accepts it.
//
// Security: plain SMTP, STARTTLS (required: a server that does not offer it is not used) or TLS
// from the first byte (SMTPS). The server certificate and host name are always verified, against
// the system's CAs or against an explicit CA file only; a self-signed test server is trusted by
// giving its certificate as that file. AUTH (curl picks PLAIN, LOGIN or better) when a user name
// is set. A rejected recipient fails the whole message (no partial delivery). Nothing is logged
// and no reply or error text carries the password.
//
// send() blocks for up to the configured timeout: call it on a worker thread, never on the
// thread of an event loop that serves requests. An SmtpClient may be used from several threads
// at once (each send opens its own connection).
#pragma once

#include "mail/MailMessage.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace cairn::server {

enum class SmtpSecurity { None, StartTls, Tls };

struct SmtpSettings {
    QString host; // name or IP address of the SMTP server
    int port = 0; // 0: 25 (None), 587 (StartTls), 465 (Tls)
    SmtpSecurity security = SmtpSecurity::StartTls;
    QString username; // empty: no AUTH
    QString password;
    QString fromAddress; // envelope sender; empty: the message's From
    int timeoutMs = 60000; // bound on connecting and on the whole exchange
    QString caFile = QStringLiteral("system"); // "system" (or empty), else a PEM file of the only trusted CAs
    QString heloName; // EHLO name; empty: this machine's host name
};

enum class SmtpVerdict {
    Sent, // the server accepted the message (2xx after the data)
    Transient, // retry later: no connection, timeout, TLS or connection broken, 4xx reply
    Permanent, // do not retry as is: 5xx reply (550 recipient, 535 authentication, ...), an
               // untrusted certificate, STARTTLS not offered, unusable settings or message
};
const char *smtpVerdictName(SmtpVerdict verdict); // "sent", "transient", "permanent"

struct SmtpResult {
    SmtpVerdict verdict = SmtpVerdict::Transient;
    int replyCode = 0; // the SMTP reply that decided (250 when sent); 0: no reply decided it
    QString reply; // that reply as the server sent it (lines joined by '\n'), or what went wrong

    bool isSent() const { return verdict == SmtpVerdict::Sent; }
};

class SmtpClient {
public:
    explicit SmtpClient(SmtpSettings settings);

    const SmtpSettings &settings() const { return m_settings; }

    // Sends `message` to its To addresses. Blocking (see above).
    SmtpResult send(const MailMessage &message) const;
    // Sends ready-made message bytes (CRLF lines, e.g. MailMessage::bytes() kept by an outbox)
    // from `envelopeFrom` (empty: settings' fromAddress) to `recipients`. Blocking.
    SmtpResult send(const QString &envelopeFrom, const QStringList &recipients, const QByteArray &message) const;

private:
    SmtpSettings m_settings;
};

} // namespace cairn::server
