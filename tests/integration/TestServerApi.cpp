// End-to-end flow through a real cairn-server process over TLS: health and the trust anchor,
// operator/tenant/user set-up, sessions, enrollment, policies, "back up now" and the job life
// cycle, pack and snapshot upload, job history with filters and pagination, snapshot browsing,
// ranged pack downloads, the chunk index, the server's refusals (wrong pack id, missing tree),
// usage, the audit log and the login rate limit. Every error answer must carry error.code and
// error.message. The test functions build on each other and run in order on the main thread.
#include "ApiClient.h"
#include "ServerProcess.h"
#include "SimulatedAgent.h"

#include "repository/Pack.h"
#include "TestSupport.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTest>
#include <QThread>

using namespace cairn;
using namespace cairn::test;

namespace {

// A sanitizer build of the server reports at exit (SIGTERM is a normal exit); there must be no report.
bool sanitizerClean(const QByteArray &serverLog)
{
    return !serverLog.contains("ERROR: AddressSanitizer") && !serverLog.contains("ERROR: LeakSanitizer")
        && !serverLog.contains("runtime error:");
}

bool hasErrorBody(const ApiReply &r)
{
    const QJsonObject e = r.json().value(QStringLiteral("error")).toObject();
    return !e.value(QStringLiteral("code")).toString().isEmpty()
        && !e.value(QStringLiteral("message")).toString().isEmpty();
}

QString errorCode(const ApiReply &r)
{
    return r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QJsonObject obj(const QJsonValue &v)
{
    return v.toObject();
}

// The ids of a list answer's items.
QList<qint64> itemIds(const ApiReply &r)
{
    QList<qint64> ids;
    for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray())
        ids.append(v.toObject().value(QStringLiteral("id")).toInteger());
    return ids;
}

ChunkId randomChunkId()
{
    ChunkId id;
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(id.bytes.data()), ChunkId::Size / 4);
    return id;
}

QString isoMs(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// A file named `name` anywhere below `dir`.
bool fileExistsBelow(const QString &dir, const QString &name)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        if (it.next().endsWith(QLatin1Char('/') + name))
            return true;
    return false;
}

} // namespace

// Checks the status; an error answer must also carry {"error": {"code", "message"}}.
#define CHECK_STATUS(reply, expected)                                                                                  \
    do {                                                                                                               \
        const ApiReply &r_ = (reply);                                                                                  \
        QVERIFY2(r_.status == (expected), qPrintable(r_.describe()));                                                  \
        if (r_.status >= 400)                                                                                          \
            QVERIFY2(hasErrorBody(r_), qPrintable(QStringLiteral("no error.code/message: ") + r_.describe()));         \
    } while (false)

class TestServerApi : public QObject {
    Q_OBJECT

private:
    ServerProcess m_server;
    QString m_tag; // per-run suffix of names
    quint32 m_seed = 0;
    std::unique_ptr<ApiClient> m_operator, m_admin, m_member;
    std::unique_ptr<SimulatedAgent> m_agent, m_agent2;
    qint64 m_tenant = 0, m_job = 0;
    std::optional<SimulatedAgent::BuiltPack> m_pack;
    SnapshotId m_snapshot;
    QJsonObject m_policy;
    int m_addressFailures = 0; // failed logins from 127.0.0.1 so far (the server allows 20 per window)

    std::unique_ptr<ApiClient> newClient() const
    {
        return std::make_unique<ApiClient>(m_server.baseUrl(), m_server.caPem());
    }
    QString login(const char *role) const { return QStringLiteral("%1-%2").arg(QLatin1String(role), m_tag); }
    QString password(const QString &login) const { return login + QStringLiteral("-secret"); }
    QString serverPath(qint64 agent, const char *rest = "") const
    {
        return QStringLiteral("/api/v1/servers/%1%2").arg(agent).arg(QLatin1String(rest));
    }
    QString packPath(const PackId &id) const { return QStringLiteral("/api/v1/agent/packs/") + id.toHex(); }
    qint64 agentId() const { return m_agent ? m_agent->agentId() : 0; }
    qint64 agent2Id() const { return m_agent2 ? m_agent2->agentId() : 0; }

    // Walks GET `path` (which already has a query) page by page with `limit` per page.
    QList<qint64> walkJobs(const QString &query, int limit, int *pages)
    {
        QList<qint64> all;
        QString before;
        *pages = 0;
        for (int guard = 0; guard < 100; ++guard) {
            const ApiReply r = m_member->get(QStringLiteral("/api/v1/jobs?limit=%1%2%3").arg(limit).arg(query, before));
            if (r.status != 200) {
                qWarning("%s", qPrintable(r.describe()));
                return {};
            }
            ++*pages;
            const QList<qint64> page = itemIds(r);
            if (page.size() > limit)
                return {};
            all += page;
            const QJsonValue next = r.json().value(QStringLiteral("next"));
            if (next.isNull() || page.isEmpty())
                break;
            before = QStringLiteral("&before=%1").arg(next.toInteger());
        }
        return all;
    }

    // HEAD through a raw TLS socket, so that any byte after the head is seen (a client library
    // would hide it or wait for it).
    struct RawReply {
        int status = 0;
        QByteArray head, extra;
        QString error;
        QByteArray header(const QByteArray &name) const
        {
            for (const QByteArray &line : head.split('\n')) {
                const int colon = line.indexOf(':');
                if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                    return line.mid(colon + 1).trimmed();
            }
            return QByteArray();
        }
    };
    RawReply rawHead(const QString &path, const QByteArray &token)
    {
        RawReply r;
        QSslSocket socket;
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(m_server.caPem(), QSsl::Pem));
        socket.setSslConfiguration(ssl);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server.port());
        if (!socket.waitForEncrypted(15000)) {
            r.error = socket.errorString();
            return r;
        }
        socket.write(
            "HEAD " + path.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        QByteArray data;
        QElapsedTimer timer;
        timer.start();
        while (!data.contains("\r\n\r\n") && timer.elapsed() < 15000) {
            socket.waitForReadyRead(500);
            data += socket.readAll();
            if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
                break;
        }
        const int end = data.indexOf("\r\n\r\n");
        if (end < 0) {
            r.error = QStringLiteral("no complete head: ") + QString::fromLatin1(data.left(500));
            return r;
        }
        r.head = data.left(end);
        r.extra = data.mid(end + 4);
        if (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(700))
            r.extra += socket.readAll();
        const QList<QByteArray> statusLine = r.head.left(r.head.indexOf('\r')).split(' ');
        r.status = statusLine.size() >= 2 ? statusLine[1].toInt() : 0;
        return r;
    }

private slots:
    void initTestCase()
    {
        m_seed = testSeed();
        m_tag = QString::number(m_seed, 16);
        QVERIFY2(m_server.init(), m_server.log().constData());
        QVERIFY2(m_server.start(), m_server.log().constData());
        QVERIFY2(!m_server.fingerprint().isEmpty(), "init printed no fingerprint");
    }

    void healthNeedsNoCredentials()
    {
        auto c = newClient();
        const ApiReply r = c->get(QStringLiteral("/api/v1/health"));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        CHECK_STATUS(c->get(QStringLiteral("/api/v1/session/me")), 401);
    }

    void trustAnchorMatchesInitFingerprint()
    {
        auto c = newClient();
        const ApiReply r = c->get(QStringLiteral("/api/v1/tls/ca"));
        CHECK_STATUS(r, 200);
        const QList<QSslCertificate> certs = QSslCertificate::fromData(r.body, QSsl::Pem);
        QCOMPARE(certs.size(), 1);
        const QString served
            = QString::fromLatin1(certs.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        QCOMPARE(served, m_server.fingerprint());
        QCOMPARE(QString::fromLatin1(r.header("X-Cairn-Fingerprint")), m_server.fingerprint());
        // The served PEM alone is enough to trust the server.
        ApiClient pinned(m_server.baseUrl(), r.body);
        CHECK_STATUS(pinned.get(QStringLiteral("/api/v1/health")), 200);
    }

    void operatorCreatesTenant()
    {
        const QString op = login("operator");
        QVERIFY2(m_server.addUser(op, password(op).toUtf8(), QString(), QStringLiteral("operator")),
            m_server.log().constData());
        m_operator = newClient();
        CHECK_STATUS(m_operator->login(op, password(op)), 200);
        const QString name = QStringLiteral("Acme ") + m_tag;
        ApiReply r = m_operator->post(QStringLiteral("/api/v1/tenants"),
            QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("language"), QStringLiteral("en")}});
        CHECK_STATUS(r, 201);
        m_tenant = r.json().value(QStringLiteral("id")).toInteger();
        QVERIFY(m_tenant > 0);
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), name);
        QCOMPARE(r.json().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
        r = m_operator->get(QStringLiteral("/api/v1/tenants"));
        CHECK_STATUS(r, 200);
        QVERIFY2(itemIds(r).contains(m_tenant), r.body.constData());
    }

    void cliUsersLogIn()
    {
        QVERIFY(m_tenant > 0);
        const QString tenant = QString::number(m_tenant);
        const QString admin = login("admin"), member = login("member");
        QVERIFY2(m_server.addUser(admin, password(admin).toUtf8(), tenant, QStringLiteral("admin")),
            m_server.log().constData());
        QVERIFY2(m_server.addUser(member, password(member).toUtf8(), tenant, QStringLiteral("member")),
            m_server.log().constData());
        m_admin = newClient();
        m_member = newClient();
        ApiReply r = m_admin->login(admin, password(admin));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("role")).toString(),
            QStringLiteral("admin"));
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("tenant")).toInteger(), m_tenant);
        QVERIFY(!r.json().value(QStringLiteral("expires_at")).toString().isEmpty());
        r = m_member->login(member, password(member));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("role")).toString(),
            QStringLiteral("member"));
    }

    void sessionLifecycle()
    {
        const QString member = login("member");
        auto c = newClient();
        CHECK_STATUS(c->login(member, password(member)), 200);
        ApiReply r = c->get(QStringLiteral("/api/v1/session/me"));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("user"))).value(QStringLiteral("login")).toString(), member);
        QCOMPARE(obj(r.json().value(QStringLiteral("tenant"))).value(QStringLiteral("id")).toInteger(), m_tenant);
        CHECK_STATUS(c->post(QStringLiteral("/api/v1/session/logout"), QJsonObject()), 200);
        r = c->get(QStringLiteral("/api/v1/session/me"));
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("unauthorized"));
        CHECK_STATUS(c->post(QStringLiteral("/api/v1/session/logout"), QJsonObject()), 401);
        // Another session of the same user lives on.
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/session/me")), 200);
    }

    void wrongPasswordIs401()
    {
        auto c = newClient();
        ApiReply r = c->login(login("member"), QStringLiteral("not-the-password"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("bad_credentials"));
        QVERIFY(c->token().isEmpty());
        r = c->login(login("nobody"), QStringLiteral("whatever"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        QCOMPARE(errorCode(r), QStringLiteral("bad_credentials"));
    }

    void enrollment()
    {
        QVERIFY(m_admin);
        ApiReply r = m_admin->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject());
        CHECK_STATUS(r, 201);
        const QString code = r.json().value(QStringLiteral("code")).toString();
        QVERIFY(!code.isEmpty());
        QCOMPARE(r.json().value(QStringLiteral("fingerprint")).toString(), m_server.fingerprint());
        CHECK_STATUS(m_member->post(QStringLiteral("/api/v1/enrollment-codes"), QJsonObject()), 403);

        m_agent = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        r = m_agent->enroll(code, QStringLiteral("host-one-") + m_tag);
        CHECK_STATUS(r, 201);
        QVERIFY(r.json().value(QStringLiteral("token")).toString().startsWith(QLatin1String("ca_")));
        QVERIFY(!r.json().value(QStringLiteral("keys")).toString().isEmpty());
        QVERIFY(m_agent->codec());
        QCOMPARE(m_agent->tenantId(), m_tenant);
        QVERIFY(m_agent->agentId() > 0);

        SimulatedAgent again(m_server.baseUrl(), m_server.caPem());
        r = again.enroll(code, QStringLiteral("host-again-") + m_tag);
        CHECK_STATUS(r, 403);
        QCOMPARE(errorCode(r), QStringLiteral("invalid_enrollment_code"));

        const QString cliCode = m_server.enrollmentCode(QString::number(m_tenant));
        QVERIFY2(!cliCode.isEmpty(), m_server.log().constData());
        m_agent2 = std::make_unique<SimulatedAgent>(m_server.baseUrl(), m_server.caPem());
        CHECK_STATUS(m_agent2->enroll(cliCode, QStringLiteral("host-two-") + m_tag), 201);

        r = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(r, 200);
        const QList<qint64> listed = itemIds(r);
        QCOMPARE(QSet<qint64>(listed.begin(), listed.end()), (QSet<qint64> {agentId(), agent2Id()}));
        r = m_member->get(serverPath(agentId()));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("host-one-") + m_tag);
    }

    void policyReachesAgent()
    {
        QVERIFY(m_agent);
        ApiReply r = m_agent->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QVERIFY2(r.json().contains(QStringLiteral("policy")) && r.json().value(QStringLiteral("policy")).isNull(),
            r.body.constData());
        CHECK_STATUS(m_member->get(serverPath(agentId(), "/policy")), 404);

        const QJsonObject policy {
            {QStringLiteral("paths"), QJsonArray {QStringLiteral("/srv/data"), QStringLiteral("/etc")}},
            {QStringLiteral("excludes"), QJsonArray {QStringLiteral("*.tmp")}},
            {QStringLiteral("one_file_system"), false}, {QStringLiteral("interval_days"), 7},
            {QStringLiteral("weekday"), 3}, {QStringLiteral("hour"), 22}, {QStringLiteral("retention_days"), 14}};
        CHECK_STATUS(m_member->putJson(serverPath(agentId(), "/policy"), policy), 403);
        QJsonObject bad = policy;
        bad.insert(QStringLiteral("retention_days"), 10);
        r = m_admin->putJson(serverPath(agentId(), "/policy"), bad);
        CHECK_STATUS(r, 400);
        QCOMPARE(obj(r.json().value(QStringLiteral("error"))).value(QStringLiteral("field")).toString(),
            QStringLiteral("retention_days"));

        r = m_admin->putJson(serverPath(agentId(), "/policy"), policy);
        CHECK_STATUS(r, 200);
        m_policy = r.json();
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        const QJsonObject seen = obj(r.json().value(QStringLiteral("policy")));
        for (const QString &key : policy.keys())
            QVERIFY2(seen.value(key) == policy.value(key),
                qPrintable(key + QStringLiteral(": ") + QString::fromUtf8(r.body)));
        QCOMPARE(seen, m_policy);
    }

    void copyPolicy()
    {
        QVERIFY(!m_policy.isEmpty());
        ApiReply r = m_admin->post(
            serverPath(agentId(), "/policy/copy"), QJsonObject {{QStringLiteral("servers"), QJsonArray {agent2Id()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("copied_to")).toArray(), QJsonArray {agent2Id()});
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/config"));
        CHECK_STATUS(r, 200);
        QJsonObject copied = obj(r.json().value(QStringLiteral("policy"))), original = m_policy;
        copied.remove(QStringLiteral("updated_at"));
        original.remove(QStringLiteral("updated_at"));
        QCOMPARE(copied, original);
        r = m_admin->post(serverPath(agentId(), "/policy/copy"),
            QJsonObject {{QStringLiteral("servers"), QJsonArray {agent2Id() + 1000}}});
        CHECK_STATUS(r, 404);
    }

    void backupNowJobLifecycle()
    {
        QVERIFY(m_agent && m_agent2);
        ApiReply r = m_member->post(serverPath(agentId(), "/backup"), QJsonObject());
        CHECK_STATUS(r, 201);
        m_job = r.json().value(QStringLiteral("id")).toInteger();
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
        QCOMPARE(r.json().value(QStringLiteral("server")).toInteger(), agentId());

        r = m_agent->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(itemIds(r).contains(m_job), r.body.constData());
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(!itemIds(r).contains(m_job), r.body.constData());

        const QString jobPath = QStringLiteral("/api/v1/agent/jobs/%1").arg(m_job);
        r = m_agent->client().post(jobPath + QStringLiteral("/progress"),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 3}}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(m_job));
        CHECK_STATUS(r, 200);
        QCOMPARE(obj(r.json().value(QStringLiteral("progress"))).value(QStringLiteral("files")).toInt(), 3);
        // Another agent of the tenant may not report on this job.
        CHECK_STATUS(m_agent2->client().post(jobPath + QStringLiteral("/progress"),
                         QJsonObject {{QStringLiteral("progress"), QJsonObject()}}),
            404);

        m_pack = m_agent->buildPack(m_seed, 4, 40000, true);
        r = m_agent->uploadPack(*m_pack);
        CHECK_STATUS(r, 201);
        QCOMPARE(r.json().value(QStringLiteral("existed")).toBool(), false);
        r = m_agent->uploadPack(*m_pack);
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("existed")).toBool(), true);
        r = m_agent->commitSnapshot(*m_pack->tree, &m_snapshot, m_job);
        CHECK_STATUS(r, 201);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), m_snapshot.toHex());

        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")},
                {QStringLiteral("snapshot"), m_snapshot.toHex()},
                {QStringLiteral("stats"), QJsonObject {{QStringLiteral("files"), 1}}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        r = m_member->get(QStringLiteral("/api/v1/jobs/%1").arg(m_job));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(r.json().value(QStringLiteral("snapshot")).toString(), m_snapshot.toHex());
        QVERIFY(!r.json().value(QStringLiteral("finished_at")).toString().isEmpty());
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/jobs"));
        CHECK_STATUS(r, 200);
        QVERIFY2(!itemIds(r).contains(m_job), r.body.constData());

        // A result sent again (its answer was lost) gets the same answer; a different one or more
        // progress conflicts with the finished job.
        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("succeeded")}, {QStringLiteral("snapshot"), m_snapshot.toHex()}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        r = m_agent->client().post(jobPath + QStringLiteral("/result"),
            QJsonObject {{QStringLiteral("state"), QStringLiteral("failed")}, {QStringLiteral("error"), QStringLiteral("late")}});
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("job_finished"));
        r = m_agent->client().post(jobPath + QStringLiteral("/progress"),
            QJsonObject {{QStringLiteral("progress"), QJsonObject {{QStringLiteral("files"), 2}}}});
        CHECK_STATUS(r, 409);
    }

    void jobHistoryFiltersAndPages()
    {
        QVERIFY(m_job > 0);
        QThread::msleep(5);
        const QDateTime from = QDateTime::currentDateTimeUtc();
        QList<qint64> batch, batch2;
        for (int i = 0; i < 5; ++i) {
            const ApiReply r = m_member->post(serverPath(agentId(), "/backup"), QJsonObject());
            CHECK_STATUS(r, 201);
            batch.append(r.json().value(QStringLiteral("id")).toInteger());
        }
        for (int i = 0; i < 2; ++i) {
            const ApiReply r = m_admin->post(serverPath(agent2Id(), "/backup"), QJsonObject());
            CHECK_STATUS(r, 201);
            batch2.append(r.json().value(QStringLiteral("id")).toInteger());
        }
        QThread::msleep(5);
        const QDateTime to = QDateTime::currentDateTimeUtc();
        const QList<qint64> everything = QList<qint64> {m_job} + batch + batch2;

        int pages = 0;
        const QList<qint64> walked = walkJobs(QString(), 3, &pages);
        QCOMPARE(walked.size(), everything.size());
        QCOMPARE(pages, 3); // 8 jobs in pages of 3
        QCOMPARE(QSet<qint64>(walked.begin(), walked.end()), QSet<qint64>(everything.begin(), everything.end()));
        for (qsizetype i = 1; i < walked.size(); ++i)
            QVERIFY2(walked[i] < walked[i - 1], "jobs are not newest first");

        QList<qint64> got = walkJobs(QStringLiteral("&server=%1").arg(agent2Id()), 50, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()), QSet<qint64>(batch2.begin(), batch2.end()));
        got = walkJobs(QStringLiteral("&status=succeeded"), 50, &pages);
        QCOMPARE(got, QList<qint64> {m_job});
        got = walkJobs(QStringLiteral("&status=pending&server=%1").arg(agentId()), 2, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()), QSet<qint64>(batch.begin(), batch.end()));
        QCOMPARE(pages, 3);
        got = walkJobs(QStringLiteral("&from=%1&to=%2").arg(isoMs(from), isoMs(to)), 4, &pages);
        QCOMPARE(QSet<qint64>(got.begin(), got.end()),
            QSet<qint64>(batch.begin(), batch.end()) + QSet<qint64>(batch2.begin(), batch2.end()));
        got = walkJobs(QStringLiteral("&to=%1").arg(isoMs(from)), 50, &pages);
        QCOMPARE(got, QList<qint64> {m_job});
        got = walkJobs(QStringLiteral("&from=%1").arg(isoMs(to)), 50, &pages);
        QVERIFY(got.isEmpty());

        ApiReply r = m_member->get(QStringLiteral("/api/v1/jobs?status=sleeping"));
        CHECK_STATUS(r, 400);
        r = m_member->get(QStringLiteral("/api/v1/jobs?from=yesterday"));
        CHECK_STATUS(r, 400);
        r = m_member->get(QStringLiteral("/api/v1/jobs?limit=0"));
        CHECK_STATUS(r, 400);
    }

    void snapshotsListed()
    {
        QVERIFY(m_pack);
        ApiReply r = m_member->get(QStringLiteral("/api/v1/snapshots"));
        CHECK_STATUS(r, 200);
        const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        const QJsonObject s = items.first().toObject();
        QCOMPARE(s.value(QStringLiteral("id")).toString(), m_snapshot.toHex());
        QCOMPARE(s.value(QStringLiteral("server")).toInteger(), agentId());
        QCOMPARE(s.value(QStringLiteral("job")).toInteger(), m_job);
        QCOMPARE(s.value(QStringLiteral("tree")).toString(), m_pack->tree->toHex());
        r = m_member->get(QStringLiteral("/api/v1/snapshots?server=%1").arg(agent2Id()));
        CHECK_STATUS(r, 200);
        QVERIFY(r.json().value(QStringLiteral("items")).toArray().isEmpty());
        r = m_member->get(QStringLiteral("/api/v1/snapshots/") + m_snapshot.toHex());
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), m_snapshot.toHex());
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/snapshots/") + randomChunkId().toHex()), 404);
        r = m_agent2->client().get(QStringLiteral("/api/v1/agent/snapshots"));
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("items")).toArray().size(), 1);
    }

    void browseTree()
    {
        QVERIFY(m_pack);
        const QString base = QStringLiteral("/api/v1/snapshots/%1/tree").arg(m_snapshot.toHex());
        ApiReply r = m_member->get(base + QStringLiteral("?path=/"));
        CHECK_STATUS(r, 200);
        const QJsonArray entries = r.json().value(QStringLiteral("entries")).toArray();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(
            entries.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("file-%1").arg(m_seed));
        QCOMPARE(entries.first().toObject().value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(entries.first().toObject().value(QStringLiteral("size")).toInteger(), qint64(4 * 40000));
        QCOMPARE(r.json().value(QStringLiteral("total")).toInt(), 1);
        CHECK_STATUS(m_member->get(base + QStringLiteral("?path=/no-such-dir")), 404);
        CHECK_STATUS(m_member->get(base + QStringLiteral("?path=relative")), 400);
    }

    void packRanges()
    {
        QVERIFY(m_pack);
        const QString url = packPath(m_pack->id);
        const qint64 size = m_pack->bytes.size();
        ApiReply r = m_agent->client().request("GET", url, QByteArray(), {{"Range", "bytes=10-99"}});
        CHECK_STATUS(r, 206);
        QCOMPARE(r.body, m_pack->bytes.mid(10, 90));
        QCOMPARE(r.header("Content-Range"), "bytes 10-99/" + QByteArray::number(size));
        r = m_agent->client().request("GET", url, QByteArray(), {{"Range", "bytes=-16"}});
        CHECK_STATUS(r, 206);
        QCOMPARE(r.body, m_pack->bytes.right(16));
        r = m_agent2->client().get(url); // any agent of the tenant reads the tenant's packs
        CHECK_STATUS(r, 200);
        QCOMPARE(r.body, m_pack->bytes);
        r = m_agent->client().request("GET", url, QByteArray(),
            {{"Range", "bytes=" + QByteArray::number(size) + '-' + QByteArray::number(size + 10)}});
        CHECK_STATUS(r, 416);
        QCOMPARE(r.header("Content-Range"), "bytes */" + QByteArray::number(size));
        CHECK_STATUS(m_agent->client().get(packPath(PackId::fromBytes(randomChunkId().toByteArray()).value())), 404);
    }

    void packHeadHasNoBody()
    {
        QVERIFY(m_pack);
        const RawReply r = rawHead(packPath(m_pack->id), m_agent->client().token());
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Length"), QByteArray::number(m_pack->bytes.size()));
        QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
        QVERIFY2(
            r.extra.isEmpty(), qPrintable(QStringLiteral("HEAD answer carried %1 body bytes").arg(r.extra.size())));
    }

    void missingChunksAreExactlyTheAbsentOnes()
    {
        QVERIFY(m_pack && m_pack->entries.size() >= 2);
        const ChunkId absent1 = randomChunkId(), absent2 = randomChunkId();
        const QJsonArray ids {m_pack->entries[0].id.toHex(), absent1.toHex(), m_pack->tree->toHex(), absent2.toHex(),
            m_pack->entries[1].id.toHex()};
        const ApiReply r = m_agent2->client().post(
            QStringLiteral("/api/v1/agent/chunks/missing"), QJsonObject {{QStringLiteral("ids"), ids}});
        CHECK_STATUS(r, 200);
        QSet<QString> missing;
        for (const QJsonValue &v : r.json().value(QStringLiteral("missing")).toArray())
            missing.insert(v.toString());
        QCOMPARE(missing, (QSet<QString> {absent1.toHex(), absent2.toHex()}));
        CHECK_STATUS(m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
                         QJsonObject {{QStringLiteral("ids"), QJsonArray {QStringLiteral("not-hex")}}}),
            400);
    }

    void indexFeedListsPacksWithBlobs()
    {
        QVERIFY(m_pack);
        ApiReply r = m_agent->client().get(QStringLiteral("/api/v1/agent/index"));
        CHECK_STATUS(r, 200);
        const QJsonArray packs = r.json().value(QStringLiteral("packs")).toArray();
        QCOMPARE(packs.size(), 1);
        const QJsonObject p = packs.first().toObject();
        QCOMPARE(p.value(QStringLiteral("id")).toString(), m_pack->id.toHex());
        QCOMPARE(p.value(QStringLiteral("size")).toInteger(), qint64(m_pack->bytes.size()));
        QSet<QString> served, built;
        for (const QJsonValue &v : p.value(QStringLiteral("blobs")).toArray()) {
            const QJsonArray b = v.toArray();
            served.insert(QStringLiteral("%1 %2 %3 %4 %5")
                              .arg(b[0].toInt())
                              .arg(b[1].toString())
                              .arg(b[2].toInteger())
                              .arg(b[3].toInteger())
                              .arg(b[4].toInteger()));
        }
        for (const PackEntry &e : m_pack->entries)
            built.insert(QStringLiteral("%1 %2 %3 %4 %5")
                             .arg(int(e.type))
                             .arg(e.id.toHex())
                             .arg(e.offset)
                             .arg(e.length)
                             .arg(e.rawLength));
        QCOMPARE(served, built);
        const qint64 last = r.json().value(QStringLiteral("last")).toInteger();
        QCOMPARE(last, p.value(QStringLiteral("seq")).toInteger());
        r = m_agent->client().get(QStringLiteral("/api/v1/agent/index?after=%1").arg(last));
        CHECK_STATUS(r, 200);
        QVERIFY(r.json().value(QStringLiteral("packs")).toArray().isEmpty());
    }

    void packWithWrongIdIsRefused()
    {
        QVERIFY(m_pack);
        const ApiReply before = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(before, 200);
        const SimulatedAgent::BuiltPack other = m_agent->buildPack(m_seed + 7, 2, 3000, false);
        const PackId wrong = PackId::fromBytes(randomChunkId().toByteArray()).value();
        ApiReply r = m_agent->client().put(packPath(wrong), other.bytes);
        CHECK_STATUS(r, 400);
        QCOMPARE(errorCode(r), QStringLiteral("id_mismatch"));
        CHECK_STATUS(m_agent->client().get(packPath(wrong)), 404);
        CHECK_STATUS(m_agent->client().get(packPath(other.id)), 404);
        QVERIFY(!fileExistsBelow(m_server.dataDir(), wrong.toHex()));
        QVERIFY(!fileExistsBelow(m_server.dataDir(), other.id.toHex()));
        r = m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
            QJsonObject {{QStringLiteral("ids"), QJsonArray {other.entries[0].id.toHex()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("missing")).toArray().size(), 1);
        const ApiReply after = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(after, 200);
        QCOMPARE(after.json(), before.json());
    }

    // A pack whose header claims a chunk id its blob does not hash to would make later backups
    // deduplicate against data that is not there: the server opens every blob and refuses it.
    void packClaimingForeignChunkIsRefused()
    {
        QVERIFY(m_agent && m_agent->codec());
        const QByteArray data = QByteArray("not what the id says ").repeated(100);
        const ChunkId claimed = m_agent->codec()->chunkId("content the attacker predicts", 29);
        PackWriter writer(*m_agent->codec());
        writer.add(BlobType::Data, claimed, data.constData(), size_t(data.size()));
        const PackWriter::Finished forged = writer.finish();
        ApiReply r = m_agent->client().put(packPath(forged.id), forged.bytes);
        CHECK_STATUS(r, 400);
        QCOMPARE(errorCode(r), QStringLiteral("bad_pack"));
        CHECK_STATUS(m_agent->client().get(packPath(forged.id)), 404);
        r = m_agent->client().post(QStringLiteral("/api/v1/agent/chunks/missing"),
            QJsonObject {{QStringLiteral("ids"), QJsonArray {claimed.toHex()}}});
        CHECK_STATUS(r, 200);
        QCOMPARE(r.json().value(QStringLiteral("missing")).toArray().size(), 1);
    }

    void snapshotWithoutTreeIsRefused()
    {
        QVERIFY(m_agent);
        SnapshotId id;
        const ApiReply r = m_agent->commitSnapshot(randomChunkId(), &id);
        CHECK_STATUS(r, 409);
        QCOMPARE(errorCode(r), QStringLiteral("missing_data"));
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/snapshots/") + id.toHex()), 404);
        QVERIFY(!fileExistsBelow(m_server.dataDir(), id.toHex()));
    }

    void usageCounts()
    {
        QVERIFY(m_pack);
        const ApiReply r = m_member->get(QStringLiteral("/api/v1/usage"));
        CHECK_STATUS(r, 200);
        const QJsonObject u = r.json();
        QCOMPARE(u.value(QStringLiteral("tenant")).toInteger(), m_tenant);
        QCOMPARE(u.value(QStringLiteral("servers")).toInteger(), qint64(2));
        QCOMPARE(u.value(QStringLiteral("packs")).toInteger(), qint64(1));
        QCOMPARE(u.value(QStringLiteral("stored_bytes")).toInteger(), qint64(m_pack->bytes.size()));
        QCOMPARE(u.value(QStringLiteral("chunks")).toInteger(), qint64(m_pack->entries.size()));
        QCOMPARE(u.value(QStringLiteral("snapshots")).toInteger(), qint64(1));
    }

    void auditShowsPolicyChange()
    {
        QVERIFY(!m_policy.isEmpty());
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/audit")), 403);
        const ApiReply r = m_admin->get(QStringLiteral("/api/v1/audit?limit=500"));
        CHECK_STATUS(r, 200);
        const QString object = QStringLiteral("agent:%1").arg(agentId());
        bool set = false, copied = false;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject e = v.toObject();
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("policy.set")
                && e.value(QStringLiteral("object")).toString() == object) {
                set = true;
                QCOMPARE(obj(e.value(QStringLiteral("detail"))).value(QStringLiteral("paths")),
                    m_policy.value(QStringLiteral("paths")));
                QVERIFY(!e.value(QStringLiteral("user")).isNull());
            }
            if (e.value(QStringLiteral("action")).toString() == QLatin1String("policy.copy")
                && e.value(QStringLiteral("object")).toString() == object)
                copied = true;
        }
        QVERIFY2(set, r.body.left(3000).constData());
        QVERIFY2(copied, r.body.left(3000).constData());
    }

    // Last: it exhausts the per-address allowance of 127.0.0.1 for the rest of the window.
    // A removed server keeps its history but takes no more actions, and its token stops working.
    void removedServerRefusesActions()
    {
        QVERIFY(m_agent2);
        const QString server = QStringLiteral("/api/v1/servers/%1").arg(m_agent2->agentId());
        CHECK_STATUS(m_member->del(server), 403);
        CHECK_STATUS(m_admin->del(server), 200);
        CHECK_STATUS(m_member->get(server), 404);
        CHECK_STATUS(m_member->post(server + QStringLiteral("/backup"), QJsonObject()), 404);
        CHECK_STATUS(m_admin->putJson(server + QStringLiteral("/policy"), m_policy), 404);
        CHECK_STATUS(m_agent2->client().get(QStringLiteral("/api/v1/agent/config")), 401);
        CHECK_STATUS(m_member->get(QStringLiteral("/api/v1/jobs?server=%1").arg(m_agent2->agentId())), 200);
        const ApiReply list = m_member->get(QStringLiteral("/api/v1/servers"));
        CHECK_STATUS(list, 200);
        QVERIFY2(!itemIds(list).contains(m_agent2->agentId()), list.body.constData());
    }

    void loginRateLimit()
    {
        const QString victim = login("victim"), admin = login("admin"), member = login("member");
        QVERIFY2(
            m_server.addUser(victim, password(victim).toUtf8(), QString::number(m_tenant), QStringLiteral("member")),
            m_server.log().constData());
        QVERIFY(m_addressFailures + 5 < 20);
        auto c = newClient();
        for (int i = 0; i < 5; ++i) {
            const ApiReply r = c->login(victim, QStringLiteral("wrong-%1").arg(i));
            ++m_addressFailures;
            CHECK_STATUS(r, 401);
        }
        ApiReply r = c->login(victim, QStringLiteral("wrong-5"));
        CHECK_STATUS(r, 429);
        QCOMPARE(errorCode(r), QStringLiteral("too_many_attempts"));
        const int wait = r.header("Retry-After").toInt();
        QVERIFY2(wait >= 1 && wait <= 15 * 60, r.header("Retry-After").constData());
        r = c->login(victim, password(victim)); // even the right password waits now
        CHECK_STATUS(r, 429);
        QVERIFY(c->token().isEmpty());

        // Other logins from the same address go on working until the address limit.
        auto other = newClient();
        CHECK_STATUS(other->login(member, password(member)), 200);
        for (int i = 0; m_addressFailures < 19; ++i) {
            r = c->login(QStringLiteral("stranger-%1-%2").arg(m_tag).arg(i), QStringLiteral("x"));
            ++m_addressFailures;
            CHECK_STATUS(r, 401);
        }
        CHECK_STATUS(other->login(admin, password(admin)), 200);
        r = c->login(QStringLiteral("stranger-%1-last").arg(m_tag), QStringLiteral("x"));
        ++m_addressFailures;
        CHECK_STATUS(r, 401);
        r = other->login(admin, password(admin));
        CHECK_STATUS(r, 429);
        QVERIFY(r.header("Retry-After").toInt() >= 1);
    }

    void cleanupTestCase()
    {
        QVERIFY(m_server.stop());
        const QByteArray log = m_server.log();
        if (qEnvironmentVariableIsSet("CAIRN_TEST_VERBOSE"))
            qInfo("server log:\n%s", log.right(8000).constData());
        QVERIFY2(sanitizerClean(log), log.right(8000).constData());
    }
};

QTEST_GUILESS_MAIN(TestServerApi)
#include "TestServerApi.moc"
