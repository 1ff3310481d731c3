// SqlCatalog opening and migrations: CreateNew/OpenExisting rules, the version table, reopening
// without re-running migrations, a failed step leaving no trace, newer catalogs refused, files
// that are not catalogs reported as Corrupt, the per-connection pragmas, and one connection per
// thread that is closed when the catalog is destroyed or the thread exits.
#include "TestSqlCatalogFixture.h"

#include "catalog/Schema.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QThread>

#include <thread>

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

namespace {

// A plain QSQLITE connection to `path` for looking behind the catalog's back; removed on scope exit.
class RawDb {
public:
    explicit RawDb(const QString &path) : m_name(QStringLiteral("raw-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_ok = db.open();
    }
    ~RawDb() { QSqlDatabase::removeDatabase(m_name); }
    bool isOpen() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    // The first column of the first row of `sql` (invalid QVariant on error).
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return QVariant();
        return q.value(0);
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql);
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    bool m_ok = false;
};

QStringList catalogConnections()
{
    return QSqlDatabase::connectionNames().filter(QRegularExpression(QStringLiteral("^cairn-catalog-")));
}

} // namespace

class TestSqlCatalogSchema : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void createNewWritesEveryMigration();
    void createNewRefusesAnExistingFile();
    void openExistingRefusesAMissingFile();
    void reopeningDoesNotRerunMigrations();
    void newerCatalogIsUnsupported();
    void garbageFileIsCorrupt();
    void databaseWithoutVersionTableIsCorrupt();
    void failedMigrationStepLeavesNoTrace();
    void connectionHasThePragmas();
    void connectionPerThreadClosedWithCatalog();
    void connectionClosedWhenItsThreadExits();
};

void TestSqlCatalogSchema::createNewWritesEveryMigration()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    QCOMPARE(catalog->schemaVersion(), schema::latestVersion());
    catalog.reset();

    RawDb raw(dir.filePath(QStringLiteral("catalog.db")));
    QVERIFY(raw.isOpen());
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(),
        int(schema::catalogMigrations().size()));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT MAX(version) FROM schema_version")).toInt(), schema::latestVersion());
    const QStringList tables = raw.db().tables();
    for (const char *t : {"tenants", "users", "sessions", "enrollment_codes", "agents", "policies", "jobs", "snapshots",
             "packs", "chunks", "restore_tickets", "audit_log"})
        QVERIFY2(tables.contains(QLatin1String(t)), t);
    QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestSqlCatalogSchema::createNewRefusesAnExistingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("catalog.db"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("precious");
    f.close();

    auto catalog = SqlCatalog::open(path, SqlCatalog::OpenMode::CreateNew);
    QVERIFY_ERROR(catalog, ErrorCode::InvalidArgument);
    QVERIFY(catalog.error().message.contains(QLatin1String("already exists")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("precious"));
}

void TestSqlCatalogSchema::openExistingRefusesAMissingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing.db"));
    auto catalog = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_ERROR(catalog, ErrorCode::NotFound);
    QVERIFY(!QFileInfo::exists(path));
}

void TestSqlCatalogSchema::reopeningDoesNotRerunMigrations()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("catalog.db"));
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    auto tenant = addTenant(*catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    catalog.reset();

    QString before;
    {
        RawDb raw(path);
        before = raw.scalar(QStringLiteral("SELECT group_concat(version || ':' || applied_at) FROM schema_version"))
                     .toString();
    }
    QVERIFY(!before.isEmpty());
    QTest::qWait(5); // a re-run would stamp a later applied_at

    for (int i = 0; i < 2; ++i) {
        auto reopened = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
        QVERIFY_OK(reopened);
        QCOMPARE((*reopened)->schemaVersion(), schema::latestVersion());
        auto again = (*reopened)->tenantByName(QStringLiteral("acme"));
        QVERIFY_OK(again);
        QCOMPARE(again->id, tenant->id);
    }
    RawDb raw(path);
    QCOMPARE(
        raw.scalar(QStringLiteral("SELECT group_concat(version || ':' || applied_at) FROM schema_version")).toString(),
        before);
}

void TestSqlCatalogSchema::newerCatalogIsUnsupported()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("catalog.db"));
    QVERIFY(createCatalog(dir));
    {
        RawDb raw(path);
        QVERIFY(raw.exec(QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (%1, 0)")
                             .arg(schema::latestVersion() + 1)));
    }
    auto catalog = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_ERROR(catalog, ErrorCode::Unsupported);
    QVERIFY2(catalog.error().message.contains(QLatin1String("newer")), qPrintable(catalog.error().message));
    QVERIFY(catalog.error().message.contains(QString::number(schema::latestVersion() + 1)));
}

void TestSqlCatalogSchema::garbageFileIsCorrupt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("garbage.db"));
    QByteArray junk;
    for (int i = 0; i < 64 * 1024; ++i)
        junk.append(char((i * 7919) ^ (i >> 3)));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(junk);
    f.close();

    auto catalog = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_ERROR(catalog, ErrorCode::Corrupt);
    QVERIFY2(
        catalog.error().message.contains(QLatin1String("not a SQLite database")), qPrintable(catalog.error().message));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), junk); // looked at, not touched
}

void TestSqlCatalogSchema::databaseWithoutVersionTableIsCorrupt()
{
    QTemporaryDir dir;
    const QString other = dir.filePath(QStringLiteral("other.db"));
    {
        RawDb raw(other);
        QVERIFY(raw.exec(QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")));
    }
    auto catalog = SqlCatalog::open(other, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_ERROR(catalog, ErrorCode::Corrupt);
    QVERIFY2(catalog.error().message.contains(QLatin1String("schema_version")), qPrintable(catalog.error().message));

    const QString empty = dir.filePath(QStringLiteral("empty.db"));
    QFile f(empty);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    auto fromEmpty = SqlCatalog::open(empty, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_ERROR(fromEmpty, ErrorCode::Corrupt);
}

void TestSqlCatalogSchema::failedMigrationStepLeavesNoTrace()
{
    QTemporaryDir dir;
    RawDb raw(dir.filePath(QStringLiteral("steps.db")));
    QVERIFY(raw.isOpen());
    const schema::Migration v1 {1,
        {QStringLiteral("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT)"),
            QStringLiteral("CREATE TABLE first (id {id})")}};
    const schema::Migration brokenV2 {2,
        {QStringLiteral("CREATE TABLE second (id {id})"), QStringLiteral("INSERT INTO second (id) VALUES (1)"),
            QStringLiteral("CREATE TABLE broken (")}};
    const schema::Migration fixedV2 {2, {QStringLiteral("CREATE TABLE second (id {id})")}};

    Status failed = schema::migrate(raw.db(), {v1, brokenV2}, schema::Start::Empty);
    QVERIFY(!failed.ok());
    QCOMPARE(errorCodeName(failed.error().code), errorCodeName(ErrorCode::Io));
    QVERIFY2(failed.error().message.contains(QLatin1String("version 2")), qPrintable(failed.error().message));
    auto version = schema::currentVersion(raw.db(), schema::Start::Existing);
    QVERIFY_OK(version);
    QCOMPARE(*version, 1); // step 1 committed on its own
    QVERIFY(raw.db().tables().contains(QLatin1String("first")));
    QVERIFY(!raw.db().tables().contains(QLatin1String("second"))); // step 2 rolled back whole

    Status fixed = schema::migrate(raw.db(), {v1, fixedV2}, schema::Start::Existing);
    QVERIFY_OK(fixed);
    version = schema::currentVersion(raw.db(), schema::Start::Existing);
    QCOMPARE(*version, 2);
    QVERIFY(raw.db().tables().contains(QLatin1String("second")));
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM second")).toInt(), 0);

    Status again = schema::migrate(raw.db(), {v1, fixedV2}, schema::Start::Existing);
    QVERIFY_OK(again);
    QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(), 2);
    Status older = schema::migrate(raw.db(), {v1}, schema::Start::Existing);
    QVERIFY_ERROR(older, ErrorCode::Unsupported);
}

void TestSqlCatalogSchema::connectionHasThePragmas()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    const QStringList names = catalogConnections();
    QCOMPARE(names.size(), 1); // this thread's
    {
        QSqlQuery q(QSqlDatabase::database(names.first(), false));
        auto pragma = [&](const char *name) {
            q.exec(QStringLiteral("PRAGMA %1").arg(QLatin1String(name)));
            return q.next() ? q.value(0) : QVariant();
        };
        QCOMPARE(pragma("journal_mode").toString(), QStringLiteral("wal"));
        QCOMPARE(pragma("synchronous").toInt(), 2); // FULL
        QCOMPARE(pragma("foreign_keys").toInt(), 1);
        QCOMPARE(pragma("busy_timeout").toInt(), 15000);
    }

    // Foreign keys are enforced: a session of a user that does not exist is refused.
    Session s;
    s.tokenHash = sha256("t");
    s.userId = 4242;
    s.expiresAt = baseTime().addDays(1);
    Status added = catalog->addSession(s);
    QVERIFY_ERROR(added, ErrorCode::NotFound);
}

void TestSqlCatalogSchema::connectionPerThreadClosedWithCatalog()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    auto tenant = addTenant(*catalog, QStringLiteral("threads"));
    QVERIFY_OK(tenant);

    // Three long-lived threads (like a worker pool) each use the catalog.
    std::vector<std::unique_ptr<QThread>> threads;
    std::vector<std::unique_ptr<QObject>> contexts;
    for (int i = 0; i < 3; ++i) {
        threads.push_back(std::make_unique<QThread>());
        contexts.push_back(std::make_unique<QObject>());
        contexts.back()->moveToThread(threads.back().get());
        threads.back()->start();
    }
    QStringList seenNames;
    for (auto &ctx : contexts) {
        bool ok = false;
        QMetaObject::invokeMethod(
            ctx.get(),
            [&] {
                auto t = catalog->tenant(tenant->id);
                auto again = catalog->tenant(tenant->id); // reuses the thread's connection
                ok = t.ok() && again.ok() && t->name == QLatin1String("threads");
            },
            Qt::BlockingQueuedConnection);
        QVERIFY(ok);
    }
    QCOMPARE(catalog->openConnectionCount(), 4);
    QCOMPARE(catalogConnections().size(), 4);

    // The pool stops (threads still exist), then the catalog is destroyed on this thread.
    catalog.reset();
    QCOMPARE(catalogConnections().size(), 0);
    for (auto &ctx : contexts)
        QMetaObject::invokeMethod(
            ctx.get(), [&] { ctx.reset(); }, Qt::BlockingQueuedConnection);
    for (auto &t : threads) {
        t->quit();
        QVERIFY(t->wait(10000));
    }
    QCOMPARE(catalogConnections().size(), 0);
}

void TestSqlCatalogSchema::connectionClosedWhenItsThreadExits()
{
    QTemporaryDir dir;
    auto catalog = createCatalog(dir);
    QVERIFY(catalog);
    QCOMPARE(catalog->openConnectionCount(), 1);
    for (int round = 0; round < 5; ++round) {
        bool ok = false;
        std::thread worker([&] {
            auto t = addTenant(*catalog, QStringLiteral("round-%1").arg(round));
            ok = t.ok() && catalog->openConnectionCount() == 2;
        });
        worker.join();
        QVERIFY(ok);
        QCOMPARE(catalog->openConnectionCount(), 1); // the exited thread's connection is gone
    }
    auto all = catalog->tenants();
    QVERIFY_OK(all);
    QCOMPARE(all->size(), 5);
    QCOMPARE(catalogConnections().size(), 1);
}

QTEST_GUILESS_MAIN(TestSqlCatalogSchema)
#include "TestSqlCatalogSchema.moc"
