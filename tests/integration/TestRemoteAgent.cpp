// The cairn-agent `enroll` and `remote` commands end to end against a real cairn-server: enroll,
// back up a small tree, back it up again without reading or uploading anything, restore it
// identical, check it, and let a second agent of the same tenant back up the same files while
// uploading (almost) nothing: deduplication is tenant-wide. Main thread.
#include "FixtureTree.h"
#include "ServerProcess.h"
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace cairn::test;

class TestRemoteAgent : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QTemporaryDir m_tmp;
    QByteArray m_work, m_source;
    QString m_stateA, m_stateB;
    QString m_firstSnapshot;

    QByteArray path(const char *name) const { return m_work + '/' + name; }

    ProcessResult enroll(const QString &state, const QString &code, const QString &fingerprint)
    {
        return runAgent(
            {QStringLiteral("enroll"), QStringLiteral("--server"), m_server.baseUrl(), QStringLiteral("--code"), code,
                QStringLiteral("--fingerprint"), fingerprint, QStringLiteral("--state"), state},
            QByteArray());
    }
    ProcessResult remote(const QString &cmd, const QString &state, const QStringList &extra = {})
    {
        return runAgent(
            QStringList {QStringLiteral("remote"), cmd, QStringLiteral("--state"), state} + extra, QByteArray());
    }
    // Runs a backup; returns the snapshot id (empty on failure, with the reason in `r`).
    QString backup(const QString &state, ProcessResult &r, const QStringList &extra = {})
    {
        r = remote(QStringLiteral("backup"), state, extra + QStringList {QString::fromLocal8Bit(m_source)});
        const auto m
            = QRegularExpression(QStringLiteral("^snapshot ([0-9a-f]{64}) saved$"), QRegularExpression::MultilineOption)
                  .match(QString::fromLocal8Bit(r.out));
        return r.exitCode == 0 && m.hasMatch() ? m.captured(1) : QString();
    }
    // The snapshot's entry of `remote snapshots --json`, empty if missing.
    QJsonObject snapshotInfo(const QString &state, const QString &id)
    {
        const ProcessResult r = remote(QStringLiteral("snapshots"), state, {QStringLiteral("--json")});
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
            if (v.toObject().value(QStringLiteral("id")).toString() == id)
                return v.toObject();
        return QJsonObject();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_work = QFile::encodeName(m_tmp.path());
        m_source = path("src");
        m_stateA = QString::fromLocal8Bit(path("state-a"));
        m_stateB = QString::fromLocal8Bit(path("state-b"));
        FixtureTree fixture;
        FixtureOptions options;
        options.bigSparseFile = false;
        options.smallFiles = 300;
        options.smallDirs = 12;
        QVERIFY2(fixture.build(m_source, options), qPrintable(fixture.error));
        // Something worth deduplicating: 6 MiB that does not compress.
        QVERIFY(writeFile(m_source + "/big.bin", randomBytes(6 << 20, 42)));
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY(m_server.addTenant(QStringLiteral("acme")) > 0);
    }

    void cleanupTestCase() { QVERIFY(removeTree(m_work)); }

    void enrollWritesPrivateCredentials()
    {
        const QString code = m_server.enrollmentCode(QStringLiteral("acme"));
        QVERIFY(!code.isEmpty());
        const ProcessResult r = enroll(m_stateA, code, m_server.fingerprint());
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QByteArray file = QFile::encodeName(m_stateA + QStringLiteral("/agent.json"));
        struct stat st;
        QCOMPARE(::stat(file.constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        // Enrolling again is refused without --force; a spent code is refused with --force.
        const ProcessResult again = enroll(m_stateA, code, m_server.fingerprint());
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("already enrolled"), qPrintable(describe(again)));
        const ProcessResult spent
            = runAgent({QStringLiteral("enroll"), QStringLiteral("--server"), m_server.baseUrl(),
                           QStringLiteral("--code"), code, QStringLiteral("--fingerprint"), m_server.fingerprint(),
                           QStringLiteral("--state"), QString::fromLocal8Bit(path("state-spent"))},
                QByteArray());
        QCOMPARE(spent.exitCode, 1);
        QVERIFY2(spent.err.contains("already used"), qPrintable(describe(spent)));
    }

    void firstBackupStoresEverything()
    {
        ProcessResult r;
        m_firstSnapshot = backup(m_stateA, r);
        QVERIFY2(!m_firstSnapshot.isEmpty(), qPrintable(describe(r)));
        qInfo("first backup:\n%s", r.out.constData());
        const QJsonObject info = snapshotInfo(m_stateA, m_firstSnapshot);
        QVERIFY(!info.isEmpty());
        QVERIFY(info.value(QStringLiteral("bytes_stored")).toInteger() > 6 << 20);
    }

    void secondBackupReadsAndStoresNothing()
    {
        ProcessResult r;
        const QString id = backup(m_stateA, r);
        QVERIFY2(!id.isEmpty(), qPrintable(describe(r)));
        QVERIFY(id != m_firstSnapshot);
        // Only directories above the source may have changed (their metadata is in the trees).
        QVERIFY2(r.out.contains(", read 0 B,") && r.out.contains("(new 0, changed 0,"), qPrintable(describe(r)));
        const QJsonObject info = snapshotInfo(m_stateA, id);
        QVERIFY(!info.isEmpty());
        QCOMPARE(
            info.value(QStringLiteral("files_unchanged")).toInteger(), info.value(QStringLiteral("files")).toInteger());
        QVERIFY2(info.value(QStringLiteral("bytes_stored")).toInteger() < 64 << 10, qPrintable(describe(r)));
        const ProcessResult list = remote(QStringLiteral("snapshots"), m_stateA);
        QVERIFY2(list.exitCode == 0 && list.out.contains("2 snapshots"), qPrintable(describe(list)));
    }

    void restoreIsIdentical()
    {
        const QByteArray target = path("restored");
        const ProcessResult r = remote(QStringLiteral("restore"), m_stateA,
            {QStringLiteral("--snapshot"), m_firstSnapshot, QStringLiteral("--target"),
                QString::fromLocal8Bit(target)});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList diffs = compareTrees(m_source, target + m_source);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.mid(0, 30).join(QLatin1Char('\n'))));
    }

    void checkReadsEverythingBack()
    {
        const ProcessResult r = remote(QStringLiteral("check"), m_stateA, {QStringLiteral("--read-data")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("no problems found"), qPrintable(describe(r)));
    }

    void secondAgentOfTenantUploadsAlmostNothing()
    {
        const QString code = m_server.enrollmentCode(QStringLiteral("acme"));
        QVERIFY(!code.isEmpty());
        const ProcessResult e = enroll(m_stateB, code, m_server.fingerprint().remove(QLatin1Char(':')).toLower());
        QVERIFY2(e.exitCode == 0, qPrintable(describe(e)));
        // Another host name: no parent snapshot, so every file is read — and found already stored.
        ProcessResult r;
        const QString id = backup(m_stateB, r, {QStringLiteral("--host"), QStringLiteral("second-machine")});
        QVERIFY2(!id.isEmpty(), qPrintable(describe(r)));
        qInfo("second agent's backup:\n%s", r.out.constData());
        const QJsonObject info = snapshotInfo(m_stateB, id);
        QVERIFY(!info.isEmpty());
        QVERIFY2(info.value(QStringLiteral("bytes_read")).toInteger() >= 6 << 20, qPrintable(describe(r)));
        QVERIFY2(info.value(QStringLiteral("bytes_stored")).toInteger() < 64 << 10, qPrintable(describe(r)));
        // Both agents see the tenant's three snapshots, and B restores A's data.
        const ProcessResult list = remote(QStringLiteral("snapshots"), m_stateB);
        QVERIFY2(list.exitCode == 0 && list.out.contains("3 snapshots"), qPrintable(describe(list)));
        const QByteArray target = path("restored-by-b");
        const ProcessResult restored = remote(QStringLiteral("restore"), m_stateB,
            {QStringLiteral("--snapshot"), m_firstSnapshot, QStringLiteral("--target"), QString::fromLocal8Bit(target),
                QString::fromLocal8Bit(m_source + "/big.bin")});
        QVERIFY2(restored.exitCode == 0, qPrintable(describe(restored)));
        QVERIFY(readFile(target + m_source + "/big.bin") == randomBytes(6 << 20, 42));
    }
};

QTEST_GUILESS_MAIN(TestRemoteAgent)
#include "TestRemoteAgent.moc"
