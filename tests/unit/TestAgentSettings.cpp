// AgentSettings: agent.conf is read key by key; a missing file gives the defaults (unless it
// was named explicitly), and every unusable value is refused with the key in the message.
// The service log's line format (journald priority prefix or time and level) is checked too.
#include "VerifyResult.h"

#include "service/AgentSettings.h"
#include "service/Log.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

using namespace cairn;

class TestAgentSettings : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QByteArray &text)
    {
        static int n = 0;
        const QString path = m_dir.filePath(QStringLiteral("agent-%1.conf").arg(++n));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void missingFileGivesDefaults()
    {
        auto s = AgentSettings::load(m_dir.filePath(QStringLiteral("absent.conf")), false);
        CAIRN_VERIFY_OK(s);
        QCOMPARE(s->stateDir, QStringLiteral("/var/lib/cairn"));
        QCOMPARE(s->pollSeconds, 10);
        QVERIFY(s->lowPriority);
        QVERIFY(s->allowCommands);
        QCOMPARE(int(s->logLevel), int(LogLevel::Info));
        CAIRN_VERIFY_ERROR(AgentSettings::load(m_dir.filePath(QStringLiteral("absent.conf")), true), ErrorCode::NotFound);
    }

    void readsEveryKey()
    {
        auto s = AgentSettings::load(write("[agent]\nstate_dir=/srv/cairn-state\npoll_seconds=3\nlow_priority=no\n"
                                           "allow_commands=false\n[log]\nlevel=debug\n"),
            true);
        CAIRN_VERIFY_OK(s);
        QCOMPARE(s->stateDir, QStringLiteral("/srv/cairn-state"));
        QCOMPARE(s->pollSeconds, 3);
        QVERIFY(!s->lowPriority);
        QVERIFY(!s->allowCommands);
        QCOMPARE(int(s->logLevel), int(LogLevel::Debug));
    }

    void refusesBadValuesNamingTheKey_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("key");
        QTest::newRow("relative state") << QByteArray("[agent]\nstate_dir=var/lib\n") << QStringLiteral("agent/state_dir");
        QTest::newRow("poll zero") << QByteArray("[agent]\npoll_seconds=0\n") << QStringLiteral("agent/poll_seconds");
        QTest::newRow("poll word") << QByteArray("[agent]\npoll_seconds=often\n") << QStringLiteral("agent/poll_seconds");
        QTest::newRow("poll huge") << QByteArray("[agent]\npoll_seconds=99999\n") << QStringLiteral("agent/poll_seconds");
        QTest::newRow("bool") << QByteArray("[agent]\nlow_priority=maybe\n") << QStringLiteral("agent/low_priority");
        QTest::newRow("commands") << QByteArray("[agent]\nallow_commands=2\n") << QStringLiteral("agent/allow_commands");
        QTest::newRow("level") << QByteArray("[log]\nlevel=loud\n") << QStringLiteral("log/level");
    }
    void refusesBadValuesNamingTheKey()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, key);
        auto s = AgentSettings::load(write(text), true);
        CAIRN_VERIFY_ERROR(s, ErrorCode::InvalidArgument);
        QVERIFY2(s.error().message.contains(key), qPrintable(s.error().message));
    }

    void unreadableFileIsAnError()
    {
        if (::geteuid() == 0)
            QSKIP("root reads any file");
        const QString path = write("[agent]\npoll_seconds=5\n");
        QFile::setPermissions(path, QFileDevice::WriteOwner);
        CAIRN_VERIFY_ERROR(AgentSettings::load(path, true), ErrorCode::PermissionDenied);
    }

    void logLinesCarryTheLevel()
    {
        // stderr to a file: the plain format with time and level; a journal stream: "<N>".
        const QString path = m_dir.filePath(QStringLiteral("log.txt"));
        std::fflush(stderr);
        const int saved = ::dup(STDERR_FILENO);
        FILE *f = std::fopen(QFile::encodeName(path).constData(), "w");
        QVERIFY(f);
        ::dup2(::fileno(f), STDERR_FILENO);
        ::unsetenv("JOURNAL_STREAM");
        log::setup();
        log::setLevel(LogLevel::Info);
        log::debug(QStringLiteral("hidden debug line"));
        log::warning(QStringLiteral("plain warning\nsecond line"));
        struct stat st;
        ::fstat(STDERR_FILENO, &st);
        ::setenv("JOURNAL_STREAM", QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino)), 1);
        log::setup();
        log::error(QStringLiteral("journal error"));
        log::info(QStringLiteral("journal info"));
        ::unsetenv("JOURNAL_STREAM");
        log::setup();
        std::fflush(stderr);
        ::dup2(saved, STDERR_FILENO);
        ::close(saved);
        std::fclose(f);
        QFile in(path);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = in.readAll().split('\n');
        QCOMPARE(lines.size(), 5); // 4 lines + the empty rest after the last newline
        QVERIFY2(lines[0].contains(" WARNING plain warning"), lines[0].constData());
        QVERIFY2(QDateTime::fromString(QString::fromLatin1(lines[0].left(24)), Qt::ISODateWithMs).isValid(), lines[0].constData());
        QCOMPARE(lines[1], QByteArray("  second line")); // continuation stays in the record
        QCOMPARE(lines[2], QByteArray("<3>journal error"));
        QCOMPARE(lines[3], QByteArray("<6>journal info"));
    }
};

QTEST_GUILESS_MAIN(TestAgentSettings)
#include "TestAgentSettings.moc"
