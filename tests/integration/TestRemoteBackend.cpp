// RemoteBackend against a real cairn-server: the whole backend conformance suite (a fresh tenant
// and an enrolled agent per backend; one server process for the executable), then what only the
// remote path has — retries across a server restart in the middle of uploads, the retry budget,
// enrollment refusals (wrong fingerprint, used code), a wrong CA being a TLS error with no
// fallback, the credentials file, and the incremental index sync between two agents.
// Main thread; the upload test runs one uploader thread.
#include "BackendConformance.h"
#include "ServerProcess.h"

#include "crypto/Crypto.h"
#include "remote/Enrollment.h"
#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"
#include "repository/Pack.h"
#include "repository/Snapshot.h"
#include "repository/SqliteIndex.h"
#include "repository/Tree.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace cairn;
using namespace cairn::test;

namespace {

ServerProcess *g_server = nullptr; // started by initTestCase, lives for the whole run
int g_tenants = 0;

QString newTenant()
{
    const QString name = QStringLiteral("tenant-%1").arg(++g_tenants);
    return g_server->addTenant(name) > 0 ? name : QString();
}

Result<AgentCredentials> enrollAgent(const QString &tenant, const QString &fingerprint = QString())
{
    const QString code = g_server->enrollmentCode(tenant);
    if (code.isEmpty())
        return Error(ErrorCode::Permanent, QStringLiteral("no enrollment code: ") + QString::fromUtf8(g_server->log()));
    return enroll(g_server->baseUrl(), code, fingerprint.isEmpty() ? g_server->fingerprint() : fingerprint,
        QStringLiteral("conformance-host"), QStringLiteral("Linux"), QStringLiteral(CAIRN_VERSION));
}

// Valid content under a tenant's keys: packs of random (incompressible) blobs, and snapshot
// records whose root tree (one empty directory) is uploaded once, first.
class TenantContent {
public:
    TenantContent(const KeySet &keys, const RepositoryConfig &config) : m_codec(keys, config.compressionLevel) { }

    PackWriter::Finished pack(qint64 size, quint64 seed)
    {
        PackWriter w(m_codec);
        quint64 k = 0;
        while (w.isEmpty() || w.size() < size) {
            const QByteArray plain = testPattern(std::clamp<qint64>(size - w.size(), 1, 1 << 20), seed * 7919 + k++);
            w.add(BlobType::Data, m_codec.chunkId(plain.constData(), size_t(plain.size())), plain.constData(),
                size_t(plain.size()));
        }
        return w.finish();
    }

    Result<TestFile> file(Backend &backend, FileType type, qint64 size, quint64 seed)
    {
        TestFile f;
        if (type == FileType::Pack) {
            PackWriter::Finished p = pack(size, seed);
            return TestFile {Handle {FileType::Pack, p.id.toHex()}, p.bytes, {}};
        }
        if (type != FileType::Snapshot)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("only packs and snapshots can be made"));
        if (m_tree.isNull()) {
            const QByteArray cbor = encodeTree(Tree {});
            m_tree = m_codec.chunkId(cbor.constData(), size_t(cbor.size()));
            PackWriter w(m_codec);
            w.add(BlobType::Tree, m_tree, cbor.constData(), size_t(cbor.size()));
            PackWriter::Finished p = w.finish();
            CAIRN_TRY(backend.save(Handle {FileType::Pack, p.id.toHex()}, p.bytes));
            f.alsoStoredPacks.insert(p.id.toHex(), p.bytes.size());
        }
        Snapshot s;
        s.time = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addSecs(qint64(seed));
        s.endTime = s.time.addSecs(1);
        s.hostname = QStringLiteral("conformance-host");
        s.tree = m_tree;
        s.programVersion = QStringLiteral(CAIRN_VERSION);
        s.paths = {QByteArrayLiteral("/data")};
        f.data = sealSnapshot(m_codec, s);
        while (f.data.size() < size) { // pad a path until the record is big enough
            s.paths = {'/' + QByteArray(s.paths.first().size() + (size - f.data.size()), 'p')};
            f.data = sealSnapshot(m_codec, s);
        }
        SnapshotId id;
        id.bytes = crypto::sha256(f.data);
        f.handle = Handle {FileType::Snapshot, id.toHex()};
        return f;
    }

private:
    BlobCodec m_codec;
    ChunkId m_tree;
};

struct RemoteAgent {
    AgentCredentials credentials;
    KeySet keys;
    RepositoryConfig config;
    std::shared_ptr<ServerConnection> connection;
    std::unique_ptr<TenantContent> content;
};

Result<std::shared_ptr<RemoteAgent>> remoteAgent(const QString &tenant)
{
    auto credentials = enrollAgent(tenant);
    if (!credentials)
        return credentials.error();
    auto keys = credentials->keySet();
    auto config = credentials->config();
    if (!keys || !config)
        return Error(ErrorCode::Corrupt, QStringLiteral("the enrolled credentials do not open"));
    auto agent = std::make_shared<RemoteAgent>();
    agent->credentials = *credentials;
    agent->keys = *keys;
    agent->config = *config;
    agent->connection = std::make_shared<ServerConnection>(credentials->connectionSettings());
    agent->content = std::make_unique<TenantContent>(*keys, *config);
    return agent;
}

BackendUnderTest makeRemoteBackend()
{
    auto agent = remoteAgent(newTenant());
    if (!agent) {
        qWarning("%s", qPrintable(agent.error().message));
        return {};
    }
    (*agent)->connection->setRetryObserver(
        [](const Error &e, qint64 waitMs) { qInfo("retrying in %lld ms: %s", waitMs, qPrintable(e.message)); });
    auto backend = std::make_unique<RemoteBackend>((*agent)->connection);
    BackendTraits traits;
    traits.appendOnly = true;
    traits.contentAddressed = true;
    traits.writableTypes = {FileType::Pack, FileType::Snapshot};
    traits.providedTypes = {FileType::Config};
    Backend *raw = backend.get();
    std::weak_ptr<RemoteAgent> weak = *agent;
    traits.makeFile = [raw, weak](FileType type, qint64 size, quint64 seed) -> Result<TestFile> {
        auto a = weak.lock();
        if (!a)
            return Error(ErrorCode::Permanent, QStringLiteral("the backend is gone"));
        return a->content->file(*raw, type, size, seed);
    };
    return BackendUnderTest {*agent, std::move(backend), traits};
}

// A loopback port bound without listening, for as long as the object lives: connections to it
// are refused, and no other process can take the port meanwhile. port() is 0 if that failed.
class RefusingPort {
public:
    RefusingPort()
    {
        m_socket = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_socket >= 0 && ::bind(m_socket, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && ::getsockname(m_socket, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            m_port = ntohs(address.sin_port);
    }
    ~RefusingPort()
    {
        if (m_socket >= 0)
            ::close(m_socket);
    }
    RefusingPort(const RefusingPort &) = delete;
    RefusingPort &operator=(const RefusingPort &) = delete;
    quint16 port() const { return m_port; }

private:
    int m_socket = -1;
    quint16 m_port = 0;
};

// Connection settings for https://127.0.0.1:`port` with `caPem` and a token nobody checks.
ServerConnectionSettings loopbackSettings(quint16 port, const QByteArray &caPem)
{
    ServerConnectionSettings settings;
    settings.serverUrl = QStringLiteral("https://127.0.0.1:%1").arg(port);
    settings.caPem = caPem;
    settings.token = "ca_unused";
    return settings;
}

} // namespace

class TestRemoteBackend : public BackendConformance {
    Q_OBJECT

protected:
    QList<NamedBackendFactory> factories() const override { return {{QStringLiteral("remote"), &makeRemoteBackend}}; }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void savesSurviveServerRestart();
    void retryBudgetEndsInTransient();
    void stopConditionEndsWaitsAndTransfers();
    void enrollmentRefusesWrongFingerprint();
    void enrollmentRefusesUsedCode();
    void wrongCaIsTlsErrorWithoutFallback();
    void credentialsFileIsPrivateAndRoundTrips();
    void indexSyncIsIncrementalAcrossAgents();

private:
    ServerProcess m_server;
};

void TestRemoteBackend::initTestCase()
{
    QVERIFY2(m_server.init(), m_server.log().constData());
    QVERIFY2(m_server.start(), m_server.log().constData());
    QVERIFY(!m_server.fingerprint().isEmpty());
    g_server = &m_server;
}

void TestRemoteBackend::cleanupTestCase()
{
    g_server = nullptr;
}

void TestRemoteBackend::cleanup()
{
    const QByteArray log = m_server.log();
    if (QTest::currentTestFailed())
        qInfo("server output:\n%s", log.right(8000).constData());
}

void TestRemoteBackend::savesSurviveServerRestart()
{
    auto agent = remoteAgent(newTenant());
    CAIRN_VERIFY_OK(agent);
    std::atomic<int> retries {0};
    (*agent)->connection->setRetryObserver([&](const Error &, qint64) { ++retries; });
    RemoteBackend backend((*agent)->connection);
    std::vector<PackWriter::Finished> packs;
    for (int i = 0; i < 6; ++i)
        packs.push_back((*agent)->content->pack(16 << 20, quint64(500 + i)));

    std::vector<Status> results(packs.size());
    QElapsedTimer timer;
    timer.start();
    std::thread uploader([&] {
        for (size_t i = 0; i < packs.size(); ++i)
            results[i] = backend.save(Handle {FileType::Pack, packs[i].id.toHex()}, packs[i].bytes);
    });
    QTest::qSleep(100); // the uploads are under way: cut them off
    m_server.kill9();
    const qint64 killedAt = timer.elapsed();
    QTest::qSleep(3000);
    const bool restarted = m_server.start();
    uploader.join();
    QVERIFY2(restarted, m_server.log().constData());
    qInfo("server killed after %lld ms, uploads done after %lld ms with %d retries", killedAt, timer.elapsed(),
        retries.load());
    for (const Status &s : results)
        CAIRN_VERIFY_OK(s);
    QVERIFY2(retries > 0, "no request was retried: the server stop did not hit the uploads");
    for (const PackWriter::Finished &p : packs) {
        const Result<FileInfo> info = backend.stat(Handle {FileType::Pack, p.id.toHex()});
        CAIRN_VERIFY_OK(info);
        QCOMPARE(info->size, qint64(p.bytes.size()));
        const Result<QByteArray> tail = backend.load(Handle {FileType::Pack, p.id.toHex()}, p.bytes.size() - 4096, -1);
        CAIRN_VERIFY_OK(tail);
        QVERIFY(*tail == p.bytes.right(4096));
    }
}

void TestRemoteBackend::retryBudgetEndsInTransient()
{
    const RefusingPort refusing;
    QVERIFY(refusing.port() != 0);
    ServerConnectionSettings settings = loopbackSettings(refusing.port(), m_server.caPem());
    settings.retry.initialDelayMs = 100;
    settings.retry.giveUpAfterMs = 2000;
    auto connection = std::make_shared<ServerConnection>(settings);
    int retries = 0;
    connection->setRetryObserver([&](const Error &e, qint64 waitMs) {
        ++retries;
        QVERIFY(waitMs <= settings.retry.maxDelayMs);
        QCOMPARE(errorCodeName(e.code), errorCodeName(ErrorCode::Transient));
    });
    RemoteBackend backend(connection);
    QElapsedTimer timer;
    timer.start();
    const Result<FileInfo> info = backend.stat(Handle {FileType::Pack, QString(64, QLatin1Char('a'))});
    const qint64 elapsed = timer.elapsed();
    CAIRN_VERIFY_ERROR(info, ErrorCode::Transient);
    QVERIFY2(info.error().message.contains(QLatin1String("gave up")), qPrintable(info.error().message));
    QVERIFY2(retries >= 3, qPrintable(QString::number(retries)));
    QVERIFY2(elapsed >= 700 && elapsed <= 2500, qPrintable(QString::number(elapsed)));
}

// A connection whose stop condition turns true ends its call as Cancelled within seconds:
// while it waits to retry (nothing listens) and in the middle of a transfer (a listener that
// never answers the TLS handshake). Without the condition both would go on for a minute.
void TestRemoteBackend::stopConditionEndsWaitsAndTransfers()
{
    QTcpServer silent; // accepts connections (the kernel's backlog) and never says a word
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    const RefusingPort refusing;
    QVERIFY(refusing.port() != 0);
    for (const quint16 port : {refusing.port(), silent.serverPort()}) {
        ServerConnectionSettings settings = loopbackSettings(port, m_server.caPem());
        settings.retry.initialDelayMs = 5000;
        settings.retry.giveUpAfterMs = 60000;
        settings.connectTimeoutMs = 60000;
        settings.stallSeconds = 60;
        auto connection = std::make_shared<ServerConnection>(settings);
        std::atomic<bool> stop {false};
        connection->setStopCondition([&stop] { return stop.load(); });
        std::thread stopper([&stop] {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            stop = true;
        });
        QElapsedTimer timer;
        timer.start();
        const Result<HttpReply> reply = connection->call("GET", QStringLiteral("/api/v1/agent/config"));
        const qint64 elapsed = timer.elapsed();
        stopper.join();
        CAIRN_VERIFY_ERROR(reply, ErrorCode::Cancelled);
        QVERIFY2(elapsed >= 400 && elapsed <= 5000, qPrintable(QStringLiteral("port %1: %2 ms").arg(port).arg(elapsed)));
        // Later calls end before they start.
        CAIRN_VERIFY_ERROR(connection->call("GET", QStringLiteral("/api/v1/health")), ErrorCode::Cancelled);
    }
}

void TestRemoteBackend::enrollmentRefusesWrongFingerprint()
{
    const QString tenant = newTenant();
    QVERIFY(!tenant.isEmpty());
    const QString code = m_server.enrollmentCode(tenant);
    QVERIFY(!code.isEmpty());
    QString wrong = m_server.fingerprint();
    wrong[0] = wrong[0] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    const auto refused
        = enroll(m_server.baseUrl(), code, wrong, QStringLiteral("h"), QStringLiteral("Linux"), QStringLiteral("1"));
    CAIRN_VERIFY_ERROR(refused, ErrorCode::Corrupt);
    QVERIFY2(refused.error().message.contains(QLatin1String("refusing to enroll"))
            && refused.error().message.contains(m_server.fingerprint()),
        qPrintable(refused.error().message));
    CAIRN_VERIFY_ERROR(enroll(m_server.baseUrl(), code, QStringLiteral("12:34"), QStringLiteral("h"),
                           QStringLiteral("Linux"), QStringLiteral("1")),
        ErrorCode::InvalidArgument);
    // Nothing reached the enrollment endpoint: the code still works, also with the fingerprint
    // typed as plain lower-case hex.
    const QString plain = m_server.fingerprint().remove(QLatin1Char(':')).toLower();
    const auto enrolled
        = enroll(m_server.baseUrl(), code, plain, QStringLiteral("h"), QStringLiteral("Linux"), QStringLiteral("1"));
    CAIRN_VERIFY_OK(enrolled);
    QVERIFY(enrolled->token.startsWith("ca_"));
    QCOMPARE(enrolled->caPem, m_server.caPem());
}

void TestRemoteBackend::enrollmentRefusesUsedCode()
{
    const QString tenant = newTenant();
    QVERIFY(!tenant.isEmpty());
    const QString code = m_server.enrollmentCode(tenant);
    QVERIFY(!code.isEmpty());
    const auto first = enroll(m_server.baseUrl(), code, m_server.fingerprint(), QStringLiteral("a"),
        QStringLiteral("Linux"), QStringLiteral("1"));
    CAIRN_VERIFY_OK(first);
    const auto second = enroll(m_server.baseUrl(), code, m_server.fingerprint(), QStringLiteral("b"),
        QStringLiteral("Linux"), QStringLiteral("1"));
    CAIRN_VERIFY_ERROR(second, ErrorCode::PermissionDenied);
    QVERIFY2(second.error().message.contains(QLatin1String("already used")), qPrintable(second.error().message));
    // The first agent's token works.
    RemoteBackend backend(std::make_shared<ServerConnection>(first->connectionSettings()));
    CAIRN_VERIFY_OK(backend.stat(Handle {FileType::Config, QStringLiteral("config")}));
}

void TestRemoteBackend::wrongCaIsTlsErrorWithoutFallback()
{
    ServerProcess other; // another data folder: another CA, whose certificate we now pin
    QVERIFY2(other.init(), other.log().constData());
    const QByteArray otherCa = other.caPem();
    QVERIFY(!otherCa.isEmpty() && otherCa != m_server.caPem());
    const QString tenant = newTenant();
    const auto credentials = enrollAgent(tenant);
    CAIRN_VERIFY_OK(credentials);
    ServerConnectionSettings settings = credentials->connectionSettings();
    settings.caPem = otherCa;
    auto connection = std::make_shared<ServerConnection>(settings);
    int retries = 0;
    connection->setRetryObserver([&](const Error &, qint64) { ++retries; });
    RemoteBackend backend(connection);
    QElapsedTimer timer;
    timer.start();
    const Result<FileInfo> info = backend.stat(Handle {FileType::Config, QStringLiteral("config")});
    CAIRN_VERIFY_ERROR(info, ErrorCode::Permanent);
    QVERIFY2(info.error().message.contains(QLatin1String("TLS")), qPrintable(info.error().message));
    QCOMPARE(retries, 0);
    QVERIFY(timer.elapsed() < 10000);
    // Saving is refused the same way: nothing is sent without a trusted server.
    CAIRN_VERIFY_ERROR(backend.save(Handle {FileType::Pack, QString(64, QLatin1Char('b'))}, QByteArrayLiteral("x")),
        ErrorCode::Permanent);
    // With the right anchor the same agent gets through.
    RemoteBackend good(std::make_shared<ServerConnection>(credentials->connectionSettings()));
    CAIRN_VERIFY_OK(good.stat(Handle {FileType::Config, QStringLiteral("config")}));
}

void TestRemoteBackend::credentialsFileIsPrivateAndRoundTrips()
{
    const auto credentials = enrollAgent(newTenant());
    CAIRN_VERIFY_OK(credentials);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("agent.json"));
    CAIRN_VERIFY_ERROR(AgentCredentials::load(path), ErrorCode::NotFound);
    CAIRN_VERIFY_OK(credentials->save(path));
    struct stat st;
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    const auto loaded = AgentCredentials::load(path);
    CAIRN_VERIFY_OK(loaded);
    QCOMPARE(loaded->serverUrl, credentials->serverUrl);
    QCOMPARE(loaded->agentId, credentials->agentId);
    QCOMPARE(loaded->tenantId, credentials->tenantId);
    QCOMPARE(loaded->token, credentials->token);
    QCOMPARE(loaded->keys, credentials->keys);
    QCOMPARE(loaded->repositoryConfig, credentials->repositoryConfig);
    QCOMPARE(loaded->caPem, credentials->caPem);
    // Saving again replaces the file atomically and leaves no temporary behind.
    CAIRN_VERIFY_OK(loaded->save(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList {QStringLiteral("agent.json")});
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
    CAIRN_VERIFY_ERROR(AgentCredentials::load(path), ErrorCode::InvalidArgument);
}

void TestRemoteBackend::indexSyncIsIncrementalAcrossAgents()
{
    const QString tenant = newTenant();
    auto a = remoteAgent(tenant);
    CAIRN_VERIFY_OK(a);
    auto b = remoteAgent(tenant);
    CAIRN_VERIFY_OK(b);
    QCOMPARE((*a)->config.id, (*b)->config.id);
    RemoteBackend backendA((*a)->connection);
    const PackWriter::Finished first = (*a)->content->pack(3 << 20, 1);
    CAIRN_VERIFY_OK(backendA.save(Handle {FileType::Pack, first.id.toHex()}, first.bytes));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("index.sqlite"));
    auto index = SqliteIndex::open(path);
    CAIRN_VERIFY_OK(index);
    RemoteIndexSync sync(*(*b)->connection, **index, path, (*b)->config.id);
    auto stats = sync.sync();
    CAIRN_VERIFY_OK(stats);
    QCOMPARE(stats->packs, qint64(1));
    QCOMPARE(stats->blobs, qint64(first.entries.size()));
    for (const PackEntry &e : first.entries) {
        const auto loc = (*index)->lookup(e.id);
        CAIRN_VERIFY_OK(loc);
        QVERIFY(loc->has_value());
        QVERIFY((*loc)->pack == first.id);
        QCOMPARE((*loc)->offset, e.offset);
        QCOMPARE((*loc)->length, e.length);
        QCOMPARE((*loc)->rawLength, e.rawLength);
    }
    const qint64 position = stats->lastSeq;
    QVERIFY(position > 0);

    // Nothing new: nothing fetched. A new pack of agent A: only that one.
    auto again = sync.sync();
    CAIRN_VERIFY_OK(again);
    QCOMPARE(again->packs, qint64(0));
    const PackWriter::Finished second = (*a)->content->pack(1 << 20, 2);
    CAIRN_VERIFY_OK(backendA.save(Handle {FileType::Pack, second.id.toHex()}, second.bytes));
    auto more = sync.sync();
    CAIRN_VERIFY_OK(more);
    QCOMPARE(more->packs, qint64(1));
    QVERIFY(more->lastSeq > position);
    auto stored = RemoteIndexSync(*(*b)->connection, **index, path, (*b)->config.id).position();
    CAIRN_VERIFY_OK(stored);
    QCOMPARE(*stored, more->lastSeq);
    const auto packSize = (*index)->packSize(second.id);
    CAIRN_VERIFY_OK(packSize);
    QCOMPARE(packSize->value_or(-1), qint64(second.bytes.size()));

    // The cache belongs to this tenant's repository: another tenant's agent may not use it.
    auto stranger = remoteAgent(newTenant());
    CAIRN_VERIFY_OK(stranger);
    QVERIFY((*stranger)->config.id != (*b)->config.id);
    CAIRN_VERIFY_ERROR(RemoteIndexSync(*(*stranger)->connection, **index, path, (*stranger)->config.id).sync(),
        ErrorCode::InvalidArgument);
}

QTEST_GUILESS_MAIN(TestRemoteBackend)
#include "TestRemoteBackend.moc"
