// SqlCatalog after a crashed writer: a child process (this executable, started in writer mode)
// commits two packs, then starts a very large addPack and is SIGKILLed while it holds the write
// lock mid-transaction. The catalog must open again with every committed row, nothing of the
// killed transaction, a consistent chunk counter and an unbroken sequence.
#include "TestSqlCatalogFixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <cstdio>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

constexpr char kWriterVariable[] = "CAIRN_TEST_CATALOG_WRITER";
constexpr int kCommittedBlobs = 100;
constexpr int kHugeBlobs = 400000;

// Writer mode: opens the catalog, commits packs 2 and 3, then writes a huge pack 4 until killed.
int runWriter(const QString &path)
{
    auto catalog = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    if (!catalog) {
        std::fprintf(stderr, "writer: %s\n", qPrintable(catalog.error().message));
        return 2;
    }
    auto tenant = (*catalog)->tenantByName(QStringLiteral("crash"));
    if (!tenant)
        return 3;
    for (quint64 p : {2, 3}) {
        auto entries = entriesFor(seedRange(p * 1000, kCommittedBlobs));
        auto r = (*catalog)->addPack(tenant->id, packId(p), packSizeFor(entries), entries);
        if (!r)
            return 4;
        std::printf("committed %lld\n", qlonglong(r->seq));
    }
    auto huge = entriesFor(seedRange(10000000, kHugeBlobs), 16);
    std::printf("writing\n");
    std::fflush(stdout);
    auto r = (*catalog)->addPack(tenant->id, packId(4), packSizeFor(huge), huge);
    std::printf("finished %d\n", r.ok() ? 1 : 0); // the test fails if it gets here
    std::fflush(stdout);
    return 5;
}

} // namespace

class TestSqlCatalogCrash : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void killedWriterLeavesCommittedRows();
};

void TestSqlCatalogCrash::killedWriterLeavesCommittedRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("catalog.db"));
    qint64 tenantId = 0;
    {
        auto catalog = createCatalog(dir);
        QVERIFY(catalog);
        auto tenant = addTenant(*catalog, QStringLiteral("crash"));
        QVERIFY_OK(tenant);
        tenantId = tenant->id;
        auto entries = entriesFor(seedRange(1000, kCommittedBlobs));
        auto first = catalog->addPack(tenantId, packId(1), packSizeFor(entries), entries);
        QVERIFY_OK(first);
        QCOMPARE(first->seq, 1);
    }

    QProcess writer;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QLatin1String(kWriterVariable), path);
    writer.setProcessEnvironment(env);
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writer.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(writer.waitForStarted(10000));
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!out.contains("writing\n") && timer.elapsed() < 60000) {
        if (!writer.waitForReadyRead(1000) && writer.state() != QProcess::Running)
            break;
        out += writer.readAllStandardOutput();
    }
    QVERIFY2(out.contains("committed 2\ncommitted 3\nwriting\n"), out.constData());

    // Wait until the child holds the write lock (its big transaction is open), then kill it.
    bool locked = false;
    {
        QSqlDatabase probe = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        probe.setDatabaseName(path);
        probe.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        QVERIFY(probe.open());
        QSqlQuery q(probe);
        while (!locked && timer.elapsed() < 60000 && writer.state() == QProcess::Running) {
            if (q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
                q.exec(QStringLiteral("ROLLBACK"));
                QThread::msleep(2);
            } else {
                locked = q.lastError().nativeErrorCode() == QLatin1String("5"); // SQLITE_BUSY
                QVERIFY2(locked, qPrintable(q.lastError().text()));
            }
        }
        QThread::msleep(150); // let it write a good part of the transaction
        QVERIFY(writer.state() == QProcess::Running);
        writer.kill(); // SIGKILL
        QVERIFY(writer.waitForFinished(10000));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    QVERIFY(locked);
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
    out += writer.readAllStandardOutput();
    QVERIFY2(!out.contains("finished"), out.constData());

    auto reopened = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_OK(reopened);
    SqlCatalog &catalog = **reopened;
    auto packs = catalog.packsAfter(tenantId, 0, 100);
    QVERIFY_OK(packs);
    QCOMPARE(packs->size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(packs->at(i).seq, qint64(i + 1));
        QVERIFY(packs->at(i).id == packId(quint64(i) + 1));
    }
    auto killedPack = catalog.pack(tenantId, packId(4));
    QVERIFY_OK(killedPack);
    QVERIFY(!*killedPack);
    QCOMPARE(*catalog.chunkCount(tenantId), qint64(3 * kCommittedBlobs));
    auto loc = catalog.locateChunk(tenantId, chunkId(10000000));
    QVERIFY_OK(loc);
    QVERIFY(!*loc);
    {
        QSqlQuery q(QSqlDatabase::database(
            QSqlDatabase::connectionNames().filter(QStringLiteral("cairn-catalog-")).first(), false));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM chunks")) && q.next());
        QCOMPARE(q.value(0).toInt(), 3 * kCommittedBlobs);
        QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
    }
    // The sequence continues where the committed packs left it.
    auto entries = entriesFor(seedRange(5000, 10));
    auto next = catalog.addPack(tenantId, packId(5), packSizeFor(entries), entries);
    QVERIFY_OK(next);
    QCOMPARE(next->seq, 4);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kWriterVariable))
        return runWriter(qEnvironmentVariable(kWriterVariable));
    TestSqlCatalogCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestSqlCatalogCrash.moc"
