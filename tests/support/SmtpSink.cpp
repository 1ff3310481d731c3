// SmtpSink: starts and stops tests/support/smtp_sink.py (see SmtpSink.h). Test's thread.
#include "SmtpSink.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace cairn::test {

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

QString debianPython()
{
    if (QFileInfo(QStringLiteral("/usr/bin/python3")).isExecutable())
        return QStringLiteral("/usr/bin/python3");
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

QString smtpSinkScript()
{
    return QStringLiteral(CAIRN_SMTP_SINK_SCRIPT);
}

QStringList ParsedMail::header(const QString &name) const
{
    QStringList values;
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            values.append(h.second);
    return values;
}

bool parseMail(const QByteArray &message, ParsedMail *out, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    QTemporaryFile file;
    if (!file.open() || file.write(message) != message.size() || !file.flush())
        return fail(QStringLiteral("cannot write the message to a temporary file"));
    QProcess p;
    p.start(debianPython(), {smtpSinkScript(), QStringLiteral("parse"), file.fileName()});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return fail(QStringLiteral("smtp_sink.py parse failed: ") + QString::fromUtf8(p.readAllStandardError()));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &pe);
    if (!doc.isObject())
        return fail(QStringLiteral("smtp_sink.py parse printed no JSON: ") + pe.errorString());
    const QJsonObject o = doc.object();
    const auto str = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto list = [&o](const char *key) {
        QStringList l;
        for (const QJsonValue v : o.value(QLatin1String(key)).toArray())
            l.append(v.toString());
        return l;
    };
    *out = ParsedMail();
    out->subject = str("subject");
    out->from = str("from");
    out->fromName = str("from_display_name");
    out->toAddresses = list("to_addresses");
    out->toNames = list("to_names");
    out->messageId = str("message_id");
    out->date = str("date");
    out->contentType = str("content_type");
    out->defects = list("defects");
    for (const QJsonValue h : o.value(QLatin1String("headers")).toArray())
        out->headers.append({h.toArray().at(0).toString(), h.toArray().at(1).toString()});
    for (const QJsonValue v : o.value(QLatin1String("parts")).toArray()) {
        const QJsonObject part = v.toObject();
        out->parts.append({part.value(QLatin1String("content_type")).toString(),
            part.value(QLatin1String("charset")).toString(), part.value(QLatin1String("transfer_encoding")).toString(),
            part.value(QLatin1String("text")).toString()});
    }
    return true;
}

SmtpSink::SmtpSink(SmtpSinkOptions options) : m_options(std::move(options)) { }

SmtpSink::~SmtpSink()
{
    kill();
}

QString SmtpSink::folder() const
{
    return m_dir.filePath(QStringLiteral("messages"));
}

bool SmtpSink::makeCertificate()
{
    m_certPath = m_dir.filePath(QStringLiteral("sink-cert.pem"));
    m_keyPath = m_dir.filePath(QStringLiteral("sink-key.pem"));
    QProcess p;
    p.start(QStringLiteral("openssl"),
        {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
            QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
            QStringLiteral("-keyout"), m_keyPath, QStringLiteral("-out"), m_certPath});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl req failed: ") + QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

bool SmtpSink::start(int timeoutMs)
{
    m_error.clear();
    if (isRunning())
        return true;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary folder");
        return false;
    }
    const QString python = debianPython();
    if (python.isEmpty()) {
        m_error = QStringLiteral("no Python interpreter (/usr/bin/python3 or python3)");
        return false;
    }
    const bool tls = m_options.security != SinkSecurity::Plain;
    if (tls && m_certPath.isEmpty() && !makeCertificate())
        return false;

    QStringList args = {smtpSinkScript(), QStringLiteral("serve"), QStringLiteral("--folder"), folder(),
        QStringLiteral("--port"), QString::number(m_port)};
    if (tls)
        args << QStringLiteral("--tls-cert") << m_certPath << QStringLiteral("--tls-key") << m_keyPath;
    if (m_options.security == SinkSecurity::ImplicitTls)
        args << QStringLiteral("--implicit-tls");
    if (!m_options.user.isEmpty())
        args << QStringLiteral("--user") << m_options.user << QStringLiteral("--password") << m_options.password;
    for (const QString &r : m_options.rejectRecipients)
        args << QStringLiteral("--reject") << r;
    for (const QString &r : m_options.deferRecipients)
        args << QStringLiteral("--defer") << r;

    // Output goes to files: a pipe nobody reads while a test blocks in send() could fill up.
    ++m_starts;
    const QString out = m_dir.filePath(QStringLiteral("sink-%1.out").arg(m_starts));
    const QString err = m_dir.filePath(QStringLiteral("sink-%1.err").arg(m_starts));
    m_process = std::make_unique<QProcess>();
    m_process->setStandardOutputFile(out);
    m_process->setStandardErrorFile(err);
    m_process->start(python, args);
    if (!m_process->waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(python, m_process->errorString());
        m_process.reset();
        return false;
    }
    quint16 port = 0;
    const bool ready = waitUntil(
        [&] {
            const QByteArray line = readFile(out);
            if (line.startsWith("READY ") && line.endsWith('\n'))
                port = quint16(line.mid(6).trimmed().toUInt());
            return port != 0 || m_process->state() == QProcess::NotRunning;
        },
        timeoutMs, 20);
    if (!ready || port == 0) {
        m_error = QStringLiteral("smtp_sink.py did not become ready: ") + QString::fromUtf8(readFile(err));
        kill();
        return false;
    }
    m_port = port;
    return true;
}

void SmtpSink::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(10000);
    }
    m_process.reset();
}

void SmtpSink::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(10000);
        }
    }
    m_process.reset();
}

bool SmtpSink::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QList<SinkMessage> SmtpSink::messages() const
{
    QList<SinkMessage> list;
    const QDir dir(folder());
    for (const QString &name : dir.entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name)) {
        SinkMessage m;
        m.path = dir.filePath(name);
        m.bytes = readFile(m.path);
        QString meta = m.path;
        meta.replace(meta.size() - 4, 4, QStringLiteral(".json"));
        const QJsonObject o = QJsonDocument::fromJson(readFile(meta)).object();
        m.mailFrom = o.value(QStringLiteral("mail_from")).toString();
        for (const QJsonValue v : o.value(QStringLiteral("rcpt_tos")).toArray())
            m.recipients.append(v.toString());
        m.login = o.value(QStringLiteral("login")).toString();
        m.helo = o.value(QStringLiteral("helo")).toString();
        m.tls = o.value(QStringLiteral("tls")).toBool();
        list.append(m);
    }
    return list;
}

} // namespace cairn::test
