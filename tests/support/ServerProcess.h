// A real cairn-server process for integration tests: `init` of a data folder in a temporary
// directory, `serve` on 127.0.0.1 with a port the server picks (read from its first output line),
// SIGKILL and restart, and the admin commands (tenant add, user add, enrollment-code).
// The binary is $CAIRN_SERVER (set by CTest). Used from the test's main thread.
#pragma once

#include "TestSupport.h"

#include <QDateTime>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace cairn::test {

QString serverBinary();

class ServerProcess {
public:
    ServerProcess();
    ~ServerProcess(); // stops the server (SIGKILL if it does not stop on SIGTERM)

    // cairn-server init --data <tmp>/data --name localhost [extra]. False (see log()) on failure.
    bool init(const QStringList &extra = {});
    // cairn-server serve --data … --listen 127.0.0.1:<port or 0> [extra]; waits for "listening on".
    // A restart reuses the previous port.
    bool start(const QStringList &extra = {}, int timeoutMs = 30000);
    // Writes `ini` (QSettings INI text, e.g. "[schedule]\ntest_offset_seconds=90\n") to a new file in
    // the temporary folder and returns its path, for start({"--config", path}). Empty on failure.
    QString writeConfig(const QByteArray &ini);
    // The server's test clock: writeClock() puts `at` into the file `clockPath()` (next to the data
    // folder) that a config with "[testing] clock_file=" + clockPath() makes the server follow.
    QString clockPath() const { return m_dir.filePath(QStringLiteral("clock")); }
    bool writeClock(const QDateTime &at);
    bool stop(int timeoutMs = 15000); // SIGTERM, wait
    void kill9();                     // SIGKILL, wait
    bool isRunning() const;

    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    QString baseUrl() const { return QStringLiteral("https://127.0.0.1:%1").arg(m_port); }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    QByteArray caPem() const;       // the trust anchor written by init
    QString fingerprint() const { return m_fingerprint; }
    QByteArray log();               // what admin commands and this run of the server printed so far

    // Runs `cairn-server <args> --data <dataDir>`; `password` goes to $CAIRN_PASSWORD.
    ProcessResult admin(const QStringList &args, const QByteArray &password = QByteArray());
    qint64 addTenant(const QString &name);                       // -1 on failure
    bool addUser(const QString &login, const QByteArray &password, const QString &tenant, const QString &role); // role member|admin|operator
    QString enrollmentCode(const QString &tenant);               // empty on failure

private:
    QByteArray readLogFile() const;

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;      // output of admin commands and failed starts
    QString m_logPath;     // the serving process's output (a file: a pipe could fill and block it)
    qint64 m_logOffset = 0;
    int m_starts = 0;
    int m_configs = 0;
    quint16 m_port = 0;
    QString m_fingerprint;
};

} // namespace cairn::test
