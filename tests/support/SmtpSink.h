// SmtpSink: a real SMTP server on 127.0.0.1 for the mail tests — tests/support/smtp_sink.py run
// by Debian's Python (/usr/bin/python3, which has python3-aiosmtpd; `python3` from PATH only when
// that is missing). Optionally STARTTLS or TLS from the first byte, with a throwaway self-signed
// certificate made with the openssl command (its PEM doubles as the client's CA file), AUTH LOGIN/PLAIN with a fixed
// user and password (anything else gets 535), recipients answered with 550 or 451. Every accepted message is saved as a
// file that messages() reads back. kill() and start() again reuse the port, for outage tests. Also parses a message
// with Python's email package (parseMail), so that tests check what a standard reader makes of Cairn's messages. Used
// from the test's thread.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace cairn::test {

enum class SinkSecurity {
    Plain,
    StartTls, // offer STARTTLS and require it before MAIL
    ImplicitTls, // TLS from the first byte (SMTPS)
};

struct SmtpSinkOptions {
    SinkSecurity security = SinkSecurity::Plain;
    QString user, password; // user set: AUTH required with exactly these
    QStringList rejectRecipients; // RCPT TO answered "550 5.1.1 ..."
    QStringList deferRecipients; // RCPT TO answered "451 4.3.0 ..."
};

struct SinkMessage {
    QString mailFrom;
    QStringList recipients;
    QString login; // the AUTH user, empty without AUTH
    QString helo; // the name the client gave in EHLO
    bool tls = false;
    QByteArray bytes; // as received (dot-unstuffed)
    QString path; // the saved .eml file
};

// The interpreter that has aiosmtpd: /usr/bin/python3, else python3 from PATH.
QString debianPython();
// Absolute path of tests/support/smtp_sink.py.
QString smtpSinkScript();
// What Python's email package makes of a message (smtp_sink.py parse).
struct ParsedMailPart {
    QString contentType; // "text/plain"
    QString charset; // "utf-8"
    QString transferEncoding;
    QString text; // decoded, '\n' line endings
};

struct ParsedMail {
    QString subject; // decoded
    QString from, fromName;
    QStringList toAddresses, toNames;
    QString messageId, date, contentType;
    QList<QPair<QString, QString>> headers; // decoded values, in order
    QList<ParsedMailPart> parts; // the leaf parts, in order
    QStringList defects; // what the parser found wrong

    QStringList header(const QString &name) const; // every value of that field
};

// Parses `message` with Python's email package; false and *error on failure.
bool parseMail(const QByteArray &message, ParsedMail *out, QString *error = nullptr);

class SmtpSink {
public:
    explicit SmtpSink(SmtpSinkOptions options = {});
    ~SmtpSink(); // kills the server

    // Starts the server (the same port as before after a kill or stop, else a free one) and
    // waits until it accepts connections. False with errorString() on failure.
    bool start(int timeoutMs = 20000);
    void kill(); // SIGKILL, wait: an SMTP server that vanishes
    void stop(); // SIGTERM, wait (SIGKILL after 5 s)
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString caFile() const { return m_certPath; } // PEM certificate (empty without TLS)
    QString folder() const; // where accepted messages are saved
    QString errorString() const { return m_error; }
    QList<SinkMessage> messages() const; // every accepted message so far, oldest first

private:
    bool makeCertificate();

    SmtpSinkOptions m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    int m_starts = 0;
    QString m_certPath, m_keyPath;
    QString m_error;
};

} // namespace cairn::test
