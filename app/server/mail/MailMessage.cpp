// MailMessage: RFC 5322 / MIME serialisation of a MailDraft (see MailMessage.h). Any thread.
#include "mail/MailMessage.h"

#include <QRandomGenerator>
#include <QSysInfo>
#include <QTimeZone>

#include <algorithm>

namespace cairn::server {

namespace {

constexpr int kFoldWidth = 78; // preferred header line length (RFC 5322 2.1.1)
constexpr int kBodyLineWidth = 76; // quoted-printable and base64 line length (RFC 2045 6.7, 6.8)
constexpr int kEncodedWordBytes = 45; // UTF-8 bytes per encoded-word: 12 + 60 base64 <= 75
constexpr int kPlainWordMax = 70; // longer unencoded words are sent as encoded-words

Error invalid(const QString &message)
{
    return Error(ErrorCode::InvalidArgument, message);
}

bool hasLineBreak(const QString &s)
{
    return s.contains(QLatin1Char('\r')) || s.contains(QLatin1Char('\n'));
}

Status checkHeaderText(const QString &value, const char *field)
{
    if (hasLineBreak(value))
        return invalid(QStringLiteral("mail: the %1 contains a line break").arg(QLatin1String(field)));
    return Status::success();
}

bool isPrintableAscii(const QString &s)
{
    for (const QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    return true;
}

// RFC 2047 encoded-words ("=?UTF-8?B?...?="), each holding whole UTF-8 characters. The first
// one fits in `firstWidth` characters (the rest of the header's first line) when it can.
QList<QByteArray> encodedWords(const QString &text, int firstWidth = kFoldWidth)
{
    const QByteArray utf8 = text.toUtf8();
    QList<QByteArray> words;
    qsizetype start = 0;
    while (start < utf8.size()) {
        // 12 characters of framing, 4 base64 characters per 3 bytes.
        const int firstBytes = std::max(6, (firstWidth - 12) / 4 * 3);
        const int limit = words.isEmpty() ? std::min(firstBytes, kEncodedWordBytes) : kEncodedWordBytes;
        qsizetype end = std::min(start + limit, utf8.size());
        // Step back over continuation bytes so that no character is split between words.
        while (end < utf8.size() && end > start && (uchar(utf8[end]) & 0xc0) == 0x80)
            --end;
        words.append("=?UTF-8?B?" + utf8.mid(start, end - start).toBase64() + "?=");
        start = end;
    }
    return words;
}

// An unstructured header value (Subject, extra fields) as tokens to be joined by single spaces.
QList<QByteArray> unstructuredTokens(const QByteArray &name, const QString &value)
{
    bool plain = isPrintableAscii(value) && !value.contains(QLatin1String("=?"));
    QList<QByteArray> tokens;
    if (plain) {
        for (const QString &word : value.split(QLatin1Char(' '))) {
            if (word.size() > kPlainWordMax) {
                plain = false;
                break;
            }
            tokens.append(word.toLatin1());
        }
    }
    if (!plain)
        tokens = encodedWords(value, kFoldWidth - int(name.size()) - 2);
    return tokens;
}

bool isAtext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

// "Name" <address> as tokens; the display name is a quoted-string or encoded-words.
QList<QByteArray> mailboxTokens(const MailAddress &mailbox)
{
    QList<QByteArray> tokens;
    const QString name = mailbox.name.trimmed();
    if (!name.isEmpty()) {
        if (isPrintableAscii(name) && !name.contains(QLatin1String("=?")) && name.size() <= kPlainWordMax) {
            QByteArray quoted = "\"";
            for (const char c : name.toLatin1()) {
                if (c == '"' || c == '\\')
                    quoted += '\\';
                quoted += c;
            }
            tokens.append(quoted + '"');
        } else {
            tokens = encodedWords(name);
        }
    }
    tokens.append('<' + mailbox.address.toLatin1() + '>');
    return tokens;
}

// Writes "Name: token token ..." folded before a token when the line would pass kFoldWidth (also
// before the first one, which RFC 5322 allows: "Name:" CRLF SP token).
void appendHeader(QByteArray &out, const QByteArray &name, const QList<QByteArray> &tokens)
{
    QByteArray line = name + ':';
    for (const QByteArray &token : tokens) {
        if (line.size() + 1 + token.size() > kFoldWidth && !line.trimmed().isEmpty()) {
            out += line + "\r\n";
            line.clear();
        }
        line += ' ' + token;
    }
    out += line + "\r\n";
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

bool isHostName(const QString &host)
{
    if (host.isEmpty() || host.size() > 253 || host.startsWith(QLatin1Char('.')) || host.endsWith(QLatin1Char('.')))
        return false;
    for (const QChar c : host) {
        const ushort u = c.unicode();
        const bool ok
            = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '.';
        if (!ok)
            return false;
    }
    for (const QString &label : host.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-'))
            || label.endsWith(QLatin1Char('-')))
            return false;
    }
    return true;
}

QByteArray crlfText(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.replace("\r\n", "\n");
    utf8.replace('\r', '\n');
    utf8.replace("\n", "\r\n");
    if (!utf8.endsWith("\r\n"))
        utf8 += "\r\n";
    return utf8;
}

const QList<QByteArray> &reservedHeaders()
{
    static const QList<QByteArray> names = {"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "auto-submitted", "sender", "reply-to"};
    return names;
}

Status checkExtraHeaderName(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 76)
        return invalid(QStringLiteral("mail: a header name must have 1 to 76 characters"));
    for (const char c : name)
        if (c < 33 || c > 126 || c == ':')
            return invalid(QStringLiteral("mail: the header name \"%1\" is not printable ASCII without ':'")
                               .arg(QString::fromLatin1(name.toPercentEncoding())));
    if (reservedHeaders().contains(name.toLower()))
        return invalid(
            QStringLiteral("mail: the header %1 is set by the message itself").arg(QString::fromLatin1(name)));
    return Status::success();
}

} // namespace

Status checkMailAddress(const QString &address)
{
    if (hasLineBreak(address))
        return invalid(QStringLiteral("mail: an address contains a line break"));
    if (address.size() > 254 || !isPrintableAscii(address))
        return invalid(QStringLiteral("mail: the address \"%1\" is not plain ASCII of at most 254 characters")
                           .arg(address.left(254)));
    const QByteArray a = address.toLatin1();
    const qsizetype at = a.lastIndexOf('@');
    if (at <= 0 || at == a.size() - 1 || a.count('@') != 1)
        return invalid(QStringLiteral("mail: \"%1\" is not an address of the form local@domain").arg(address));
    const QByteArray local = a.left(at);
    if (local.size() > 64 || local.startsWith('.') || local.endsWith('.') || local.contains(".."))
        return invalid(QStringLiteral("mail: the local part of \"%1\" is not valid").arg(address));
    for (const char c : local)
        if (!isAtext(c) && c != '.')
            return invalid(QStringLiteral("mail: the local part of \"%1\" is not valid").arg(address));
    if (!isHostName(QString::fromLatin1(a.mid(at + 1))))
        return invalid(QStringLiteral("mail: the domain of \"%1\" is not valid").arg(address));
    return Status::success();
}

QByteArray rfc5322Date(const QDateTime &time)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDate d = time.date();
    const QTime t = time.time();
    const int offset = time.offsetFromUtc() / 60;
    const int absOffset = offset < 0 ? -offset : offset;
    return QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()) + ' ' + months[d.month() - 1] + ' '
        + QByteArray::number(d.year()) + ' ' + QByteArray::number(t.hour()).rightJustified(2, '0') + ':'
        + QByteArray::number(t.minute()).rightJustified(2, '0') + ':'
        + QByteArray::number(t.second()).rightJustified(2, '0') + ' ' + (offset < 0 ? '-' : '+')
        + QByteArray::number(absOffset / 60).rightJustified(2, '0')
        + QByteArray::number(absOffset % 60).rightJustified(2, '0');
}

QByteArray quotedPrintable(const QByteArray &crlfText)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(crlfText.size() * 3 / 2);
    const QList<QByteArray> lines = crlfText.split('\n');
    for (qsizetype li = 0; li < lines.size(); ++li) {
        QByteArray line = lines[li];
        const bool hadBreak = li + 1 < lines.size();
        if (!hadBreak && line.isEmpty())
            break; // the text ended with CRLF
        if (line.endsWith('\r'))
            line.chop(1);
        // A '.' or "From " opening a line can be mangled by mail software; those are encoded.
        const auto escaped = [&line](qsizetype i, int column) {
            const uchar c = uchar(line[i]);
            const bool last = i + 1 == line.size();
            if (column == 0 && (c == '.' || line.mid(i, 5) == "From "))
                return true;
            return !((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last));
        };
        int column = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const uchar c = uchar(line[i]);
            const bool last = i + 1 == line.size();
            bool escape = escaped(i, column);
            if (column + (escape ? 3 : 1) + (last ? 0 : 1) > kBodyLineWidth) {
                out += "=\r\n"; // soft line break
                column = 0;
                escape = escaped(i, column);
            }
            if (escape) {
                out += '=';
                out += hex[c >> 4];
                out += hex[c & 15];
                column += 3;
            } else {
                out += char(c);
                column += 1;
            }
        }
        out += "\r\n";
    }
    return out;
}

QStringList MailMessage::recipientAddresses() const
{
    QStringList list;
    for (const MailAddress &a : m_to)
        list.append(a.address);
    return list;
}

Result<MailMessage> MailMessage::build(const MailDraft &draft)
{
    CAIRN_TRY(checkMailAddress(draft.from.address));
    CAIRN_TRY(checkHeaderText(draft.from.name, "sender's name"));
    if (draft.to.isEmpty())
        return invalid(QStringLiteral("mail: a message needs at least one recipient"));
    for (const MailAddress &a : draft.to) {
        CAIRN_TRY(checkMailAddress(a.address));
        CAIRN_TRY(checkHeaderText(a.name, "recipient's name"));
    }
    CAIRN_TRY(checkHeaderText(draft.subject, "subject"));
    for (const auto &h : draft.extraHeaders) {
        if (h.first.contains('\r') || h.first.contains('\n'))
            return invalid(QStringLiteral("mail: a header name contains a line break"));
        CAIRN_TRY(checkExtraHeaderName(h.first));
        CAIRN_TRY(checkHeaderText(h.second, "value of an extra header"));
    }
    QString host = draft.host;
    if (hasLineBreak(host))
        return invalid(QStringLiteral("mail: the Message-ID host contains a line break"));
    if (host.isEmpty()) {
        host = QSysInfo::machineHostName();
        if (!isHostName(host))
            host = QStringLiteral("localhost");
    } else if (!isHostName(host)) {
        return invalid(QStringLiteral("mail: \"%1\" is not a host name for the Message-ID").arg(host));
    }

    MailMessage m;
    m.m_from = draft.from;
    m.m_to = draft.to;
    m.m_subject = draft.subject.trimmed();
    m.m_date = draft.date.isValid() ? draft.date : QDateTime::currentDateTime();
    m.m_date = m.m_date.addMSecs(-m.m_date.time().msec()); // the header has whole seconds
    m.m_messageId
        = '<' + randomHex(16) + '.' + QByteArray::number(m.m_date.toSecsSinceEpoch()) + '@' + host.toLatin1() + '>';
    const QByteArray boundary = "=_cairn_" + randomHex(16);

    QByteArray out;
    appendHeader(out, "From", mailboxTokens(m.m_from));
    QList<QByteArray> toTokens;
    for (qsizetype i = 0; i < m.m_to.size(); ++i) {
        QList<QByteArray> t = mailboxTokens(m.m_to[i]);
        if (i + 1 < m.m_to.size())
            t.last() += ',';
        toTokens += t;
    }
    appendHeader(out, "To", toTokens);
    appendHeader(out, "Subject", unstructuredTokens("Subject", m.m_subject));
    appendHeader(out, "Date", {rfc5322Date(m.m_date)});
    appendHeader(out, "Message-ID", {m.m_messageId});
    appendHeader(out, "MIME-Version", {"1.0"});
    appendHeader(out, "Auto-Submitted", {"auto-generated"});
    for (const auto &h : draft.extraHeaders)
        appendHeader(out, h.first, unstructuredTokens(h.first, h.second.trimmed()));
    appendHeader(out, "Content-Type", {"multipart/alternative;", "boundary=\"" + boundary + '"'});
    out += "\r\nThis is a MIME message with a plain-text and an HTML version.\r\n";

    // Quoted-printable keeps mostly-ASCII text readable; text that is mostly Hangul (3 bytes a
    // character, 9 in quoted-printable) is smaller in base64.
    const auto appendPart = [&](const char *type, const QString &content) {
        const QByteArray utf8 = crlfText(content);
        const qsizetype nonAscii = std::count_if(utf8.begin(), utf8.end(), [](char c) { return uchar(c) >= 0x80; });
        const bool base64 = nonAscii * 3 > utf8.size();
        out += "\r\n--" + boundary + "\r\n";
        out += QByteArray("Content-Type: ") + type + "; charset=UTF-8\r\n";
        out += QByteArray("Content-Transfer-Encoding: ") + (base64 ? "base64" : "quoted-printable") + "\r\n\r\n";
        if (base64) {
            const QByteArray encoded = utf8.toBase64();
            for (qsizetype i = 0; i < encoded.size(); i += kBodyLineWidth)
                out += encoded.mid(i, kBodyLineWidth) + "\r\n";
        } else {
            out += quotedPrintable(utf8);
        }
    };
    appendPart("text/plain", draft.text);
    appendPart("text/html", draft.html);
    out += "\r\n--" + boundary + "--\r\n";
    m.m_bytes = out;
    return m;
}

} // namespace cairn::server
