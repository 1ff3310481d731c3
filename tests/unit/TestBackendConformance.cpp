// Runs the backend conformance suite against LocalBackend and MemoryBackend (plain file stores:
// default BackendTraits), plus the tests only the local backend needs: its layout, stale
// temporaries and crash safety of save(). RemoteBackend runs the same suite against a real
// server in tests/integration/TestRemoteBackend.cpp.
#include "BackendConformance.h"

#include "backend/LocalBackend.h"
#include "backend/MemoryBackend.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace cairn;
using namespace cairn::test;

namespace {

BackendUnderTest makeLocalBackend()
{
    auto dir = std::make_shared<QTemporaryDir>();
    if (!dir->isValid())
        return {};
    auto created = LocalBackend::create(dir->filePath(QStringLiteral("repo")));
    if (!created) {
        qWarning("%s", qPrintable(created.error().message));
        return {};
    }
    return BackendUnderTest{dir, std::move(created).value()};
}

BackendUnderTest makeMemoryBackend()
{
    return BackendUnderTest{nullptr, std::make_unique<MemoryBackend>()};
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestBackendConformance : public BackendConformance {
    Q_OBJECT

protected:
    QList<NamedBackendFactory> factories() const override
    {
        return {
            {QStringLiteral("local"), &makeLocalBackend},
            {QStringLiteral("memory"), &makeMemoryBackend},
        };
    }

private slots:
    void localCreateAndOpen();
    void localStaleTemporariesAreInvisibleAndRemoved();
    void localSaveSurvivesKilledWriter();
    void memoryFailNextSaves();
};

void TestBackendConformance::localCreateAndOpen()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString repo = dir.filePath(QStringLiteral("repo"));
    CAIRN_VERIFY_ERROR(LocalBackend::open(repo), ErrorCode::NotFound);
    QVERIFY(QDir().mkpath(repo));
    CAIRN_VERIFY_ERROR(LocalBackend::open(repo), ErrorCode::NotFound);

    auto created = LocalBackend::create(repo);
    CAIRN_VERIFY_OK(created);
    QCOMPARE((*created)->path(), repo);
    for (const char *sub : {"keys", "snapshots", "data", "tmp"})
        QVERIFY2(QFileInfo(repo + QLatin1Char('/') + QLatin1String(sub)).isDir(), sub);
    // Creating again over our own, still empty layout is fine.
    CAIRN_VERIFY_OK(LocalBackend::create(repo));

    // Packs go to data/<first two chars>/; keys are private to the user.
    CAIRN_VERIFY_OK((*created)->save(Handle{FileType::Pack, QStringLiteral("abcdef")}, QByteArrayLiteral("pack")));
    CAIRN_VERIFY_OK((*created)->save(Handle{FileType::Key, QStringLiteral("k")}, QByteArrayLiteral("key")));
    CAIRN_VERIFY_OK((*created)->save(Handle{FileType::Config, QStringLiteral("config")}, QByteArrayLiteral("cfg")));
    QVERIFY(QFileInfo::exists(repo + QStringLiteral("/data/ab/abcdef")));
    QVERIFY(QFileInfo::exists(repo + QStringLiteral("/config")));
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(repo + QStringLiteral("/keys/k")).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 077), 0);

    auto opened = LocalBackend::open(repo);
    CAIRN_VERIFY_OK(opened);
    const Result<QByteArray> pack = (*opened)->load(Handle{FileType::Pack, QStringLiteral("abcdef")});
    CAIRN_VERIFY_OK(pack);
    QCOMPARE(*pack, QByteArrayLiteral("pack"));

    // A directory with anything else in it is refused, and so is an existing repository.
    CAIRN_VERIFY_ERROR(LocalBackend::create(repo), ErrorCode::InvalidArgument);
    const QString foreign = dir.filePath(QStringLiteral("foreign"));
    QVERIFY(QDir().mkpath(foreign));
    QVERIFY(writeFile(foreign + QStringLiteral("/notes.txt"), "hello"));
    CAIRN_VERIFY_ERROR(LocalBackend::create(foreign), ErrorCode::InvalidArgument);
}

void TestBackendConformance::localStaleTemporariesAreInvisibleAndRemoved()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto created = LocalBackend::create(dir.filePath(QStringLiteral("repo")));
    CAIRN_VERIFY_OK(created);
    LocalBackend &backend = **created;
    const QString repo = backend.path();
    CAIRN_VERIFY_OK(backend.save(Handle{FileType::Pack, QStringLiteral("aa11")}, QByteArrayLiteral("p")));
    CAIRN_VERIFY_OK(backend.save(Handle{FileType::Key, QStringLiteral("k1")}, QByteArrayLiteral("k")));

    // What a crash in the middle of save() leaves behind, plus odd files a user might drop in.
    QVERIFY(writeFile(repo + QStringLiteral("/tmp/0123abcd.tmp"), "half a pa"));
    QVERIFY(writeFile(repo + QStringLiteral("/tmp/deadbeef"), "looks like a name"));
    QVERIFY(writeFile(repo + QStringLiteral("/keys/k2.tmp"), "editor leftover"));
    QVERIFY(writeFile(repo + QStringLiteral("/data/aa/AA11"), "not a valid name"));
    QVERIFY(writeFile(repo + QStringLiteral("/data/stray"), "not in a subdirectory"));

    const QMap<FileType, QMap<QString, qint64>> expected = {
        {FileType::Pack, {{QStringLiteral("aa11"), 1}}},
        {FileType::Key, {{QStringLiteral("k1"), 1}}},
    };
    for (FileType type : {FileType::Pack, FileType::Snapshot, FileType::Key, FileType::Config}) {
        const auto listed = listedFiles(backend, type);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, expected.value(type));
    }

    // A fresh temporary may belong to another process's save in progress: kept by default.
    CAIRN_VERIFY_OK(backend.removeStaleTemporaries());
    QVERIFY(!QDir(repo + QStringLiteral("/tmp")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    CAIRN_VERIFY_OK(backend.removeStaleTemporaries(0));
    QVERIFY(QDir(repo + QStringLiteral("/tmp")).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    CAIRN_VERIFY_OK(backend.load(Handle{FileType::Pack, QStringLiteral("aa11")}));
}

void TestBackendConformance::localSaveSurvivesKilledWriter()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto created = LocalBackend::create(dir.filePath(QStringLiteral("repo")));
    CAIRN_VERIFY_OK(created);
    LocalBackend &backend = **created;
    const Handle h{FileType::Pack, QStringLiteral("c0ffee")};
    const QByteArray newData = testPattern(64 << 20, 64);
    const QByteArray oldData = testPattern((64 << 20) - 4096, 63);

    // Time one whole save so that the kills land anywhere in it (and some after it).
    QElapsedTimer timer;
    timer.start();
    CAIRN_VERIFY_OK(backend.save(h, newData));
    const qint64 saveUs = std::max<qint64>(timer.nsecsElapsed() / 1000, 1000);

    int completed = 0;
    for (int i = 0; i < 10; ++i) {
        // Even rounds start without the file, odd ones with an older version to replace.
        const bool hadOld = i % 2 == 1;
        const Status removed = backend.remove(h);
        QVERIFY(removed.ok() || removed.error().code == ErrorCode::NotFound);
        if (hadOld)
            CAIRN_VERIFY_OK(backend.save(h, oldData));

        const qint64 delayUs = QRandomGenerator::global()->bounded(2 * saveUs);
        const pid_t pid = ::fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            const Status s = backend.save(h, newData);
            ::_exit(s.ok() ? 0 : 1);
        }
        ::usleep(useconds_t(delayUs));
        ::kill(pid, SIGKILL);
        int status = 0;
        pid_t waited;
        do {
            waited = ::waitpid(pid, &status, 0);
        } while (waited < 0 && errno == EINTR);
        QCOMPARE(waited, pid);
        if (WIFEXITED(status)) {
            QCOMPARE(WEXITSTATUS(status), 0);
            ++completed;
        }

        const Result<FileInfo> info = backend.stat(h);
        if (!info) {
            QCOMPARE(errorCodeName(info.error().code), errorCodeName(ErrorCode::NotFound));
            QVERIFY2(!hadOld && !WIFEXITED(status), qPrintable(QStringLiteral("round %1: the file vanished").arg(i)));
            continue;
        }
        const Result<QByteArray> loaded = backend.load(h);
        CAIRN_VERIFY_OK(loaded);
        const bool isNew = *loaded == newData;
        const bool isOld = hadOld && *loaded == oldData;
        QVERIFY2(isNew || isOld, qPrintable(QStringLiteral("round %1: a partial file of %2 bytes").arg(i).arg(loaded->size())));
        if (WIFEXITED(status))
            QVERIFY(isNew);
    }
    qDebug("writer completed its save in %d of 10 rounds (save takes ~%lld ms)", completed, saveUs / 1000);

    CAIRN_VERIFY_OK(backend.removeStaleTemporaries(0));
    QVERIFY(QDir(backend.path() + QStringLiteral("/tmp")).isEmpty());
    const auto listed = listedFiles(backend, FileType::Pack);
    CAIRN_VERIFY_OK(listed);
    QVERIFY(listed->size() <= 1);
}

void TestBackendConformance::memoryFailNextSaves()
{
    MemoryBackend backend;
    const Handle h{FileType::Pack, QStringLiteral("f00d")};
    backend.setFailNextSaves(2);
    CAIRN_VERIFY_ERROR(backend.save(h, QByteArrayLiteral("1")), ErrorCode::Transient);
    CAIRN_VERIFY_ERROR(backend.save(h, QByteArrayLiteral("2")), ErrorCode::Transient);
    CAIRN_VERIFY_ERROR(backend.stat(h), ErrorCode::NotFound);
    CAIRN_VERIFY_OK(backend.save(h, QByteArrayLiteral("3")));
    const Result<QByteArray> loaded = backend.load(h);
    CAIRN_VERIFY_OK(loaded);
    QCOMPARE(*loaded, QByteArrayLiteral("3"));
}

QTEST_GUILESS_MAIN(TestBackendConformance)
#include "TestBackendConformance.moc"
