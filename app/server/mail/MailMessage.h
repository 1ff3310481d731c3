// MailMessage: one e-mail as Cairn sends it, built once from a MailDraft into the exact bytes that
// go to the SMTP server (and that an outbox can keep): an RFC 5322 message with From, To,
// Subject, Date, Message-ID, MIME-Version, Auto-Submitted and a multipart/alternative body of a
// text/plain and a text/html part, both UTF-8 (quoted-printable, or base64 when most of a part is
// not ASCII, e.g. Korean). The result is 7-bit ASCII
// with CRLF line endings and no line over 78 octets (998 is the hard limit): non-ASCII
// subjects and display names become RFC 2047 encoded-words (UTF-8, base64), long headers are
// folded. Header injection is impossible: a CR or LF in any header value, name or address is
// refused with an InvalidArgument error, as is an address that is not a plain ASCII
// local@domain. Value type; build and read on any thread.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace cairn::server {

struct MailAddress {
    QString address; // "local@domain", ASCII, no quoted local part
    QString name; // display name, any text without line breaks; empty: none

    MailAddress() = default;
    MailAddress(QString a, QString n = QString()) : address(std::move(a)), name(std::move(n)) { }
};

struct MailDraft {
    MailAddress from;
    QList<MailAddress> to; // at least one
    QString subject; // leading and trailing white space is dropped
    QString text; // the plain-text part (any line endings)
    QString html; // the HTML part (a whole document)
    QDateTime date; // invalid: now
    // Right-hand side of the Message-ID, e.g. "backup.example.com" (letters, digits, '-', '.');
    // empty: this machine's host name, or "localhost" when that is not usable.
    QString host;
    // More header fields, e.g. {"X-Cairn-Report", "failure"}. The name must be printable ASCII
    // without ':' and not one of the fields set above; the value is treated like the subject.
    QList<QPair<QByteArray, QString>> extraHeaders;
};

class MailMessage {
public:
    MailMessage() = default; // empty (isNull); only build() makes a real one

    static Result<MailMessage> build(const MailDraft &draft);

    bool isNull() const { return m_bytes.isEmpty(); }
    const MailAddress &from() const { return m_from; }
    const QList<MailAddress> &to() const { return m_to; }
    QStringList recipientAddresses() const; // the envelope recipients (RCPT TO)
    const QString &subject() const { return m_subject; }
    const QDateTime &date() const { return m_date; }
    const QByteArray &messageId() const { return m_messageId; } // "<...@host>"
    const QByteArray &bytes() const { return m_bytes; } // the complete message

private:
    MailAddress m_from;
    QList<MailAddress> m_to;
    QString m_subject;
    QDateTime m_date;
    QByteArray m_messageId;
    QByteArray m_bytes;
};

// Checks that `address` is a plain ASCII "local@domain" that is safe on an SMTP command line and
// in a header (no white space, controls, quotes or angle brackets; at most 254 octets).
Status checkMailAddress(const QString &address);

// "Fri, 27 Nov 2026 09:00:00 +0900" (RFC 5322 date-time, English names whatever the locale).
QByteArray rfc5322Date(const QDateTime &time);

// Quoted-printable (RFC 2045) of UTF-8 text whose lines end in CRLF: lines of at most 76 octets
// (soft breaks), trailing white space and a leading '.' encoded. Exposed for tests.
QByteArray quotedPrintable(const QByteArray &crlfText);

} // namespace cairn::server
