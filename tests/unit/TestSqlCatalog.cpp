// SqlCatalog accounts and agents, method by method on a real SQLite file: tenants, users,
// sessions, enrollment codes, agents and policies come back intact (times, JSON, byte-string
// paths, optional fields); unique names and logins are refused with InvalidArgument; sessions
// expire; enrollment codes are single use and expire; a reopened catalog keeps everything.
#include "TestSqlCatalogFixture.h"

using namespace cairn;
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalog : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup() { m_catalog.reset(); }

    void tenantsRoundTrip();
    void tenantNameIsUnique();
    void usersRoundTrip();
    void loginIsUnique();
    void sessionsExpireAndAreRemoved();
    void enrollmentCodeIsSingleUse();
    void enrollmentCodeExpires();
    void agentsRenameRemoveTouch();
    void policySetAndReplace();
    void policyValuesAreChecked();
    void reopenedCatalogKeepsEverything();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    int m_round = 0;
};

void TestSqlCatalog::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
    m_catalog = createCatalog(m_dir, QStringLiteral("catalog-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
}

void TestSqlCatalog::tenantsRoundTrip()
{
    Tenant t;
    t.name = QStringLiteral("한빛 상사");
    t.timeZone = QStringLiteral("Europe/Berlin");
    t.language = QStringLiteral("en");
    t.reportRecipients = {QStringLiteral("a@example.com"), QStringLiteral("b@example.com")};
    t.createdAt = baseTime();
    t.wrappedKeys = QByteArray("\x00\x01\xff keys", 8);
    t.repositoryConfig = QByteArray("{\"packSize\":16777216}");
    auto added = m_catalog->addTenant(t);
    QVERIFY_OK(added);
    QVERIFY(added->id > 0);
    auto other = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(other);

    auto got = m_catalog->tenant(added->id);
    QVERIFY_OK(got);
    QCOMPARE(got->name, t.name);
    QCOMPARE(got->timeZone, t.timeZone);
    QCOMPARE(got->language, t.language);
    QCOMPARE(got->reportRecipients, t.reportRecipients);
    QCOMPARE(got->createdAt, baseTime());
    QVERIFY(!got->activatedAt);
    QCOMPARE(got->wrappedKeys, t.wrappedKeys);
    QCOMPARE(got->repositoryConfig, t.repositoryConfig);
    auto byName = m_catalog->tenantByName(t.name);
    QVERIFY_OK(byName);
    QCOMPARE(byName->id, added->id);

    Tenant settings = *got;
    settings.timeZone = QStringLiteral("Asia/Seoul");
    settings.language = QStringLiteral("ko");
    settings.reportRecipients = {QStringLiteral("c@example.com")};
    settings.activatedAt = baseTime().addDays(3);
    settings.name = QStringLiteral("not renamed by settings");
    Status updated = m_catalog->updateTenantSettings(settings);
    QVERIFY_OK(updated);
    got = m_catalog->tenant(added->id);
    QCOMPARE(got->name, t.name);
    QCOMPARE(got->timeZone, QStringLiteral("Asia/Seoul"));
    QCOMPARE(got->reportRecipients, QStringList {QStringLiteral("c@example.com")});
    QCOMPARE(*got->activatedAt, baseTime().addDays(3));

    auto all = m_catalog->tenants();
    QVERIFY_OK(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).name, QStringLiteral("acme")); // by name

    auto missing = m_catalog->tenant(999);
    QVERIFY_ERROR(missing, ErrorCode::NotFound);
    settings.id = 999;
    Status missingUpdate = m_catalog->updateTenantSettings(settings);
    QVERIFY_ERROR(missingUpdate, ErrorCode::NotFound);
}

void TestSqlCatalog::tenantNameIsUnique()
{
    QVERIFY(addTenant(*m_catalog, QStringLiteral("acme")).ok());
    auto again = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_ERROR(again, ErrorCode::InvalidArgument);
    QVERIFY2(again.error().message.contains(QLatin1String("taken")), qPrintable(again.error().message));
    QCOMPARE(m_catalog->tenants()->size(), 1);
}

void TestSqlCatalog::usersRoundTrip()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    User member;
    member.tenantId = tenant->id;
    member.login = QStringLiteral("kim");
    member.displayName = QStringLiteral("김민수");
    member.email = QStringLiteral("kim@acme.example");
    member.role = Role::Admin;
    member.passwordHash = QByteArray("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
    member.createdAt = baseTime();
    auto added = m_catalog->addUser(member);
    QVERIFY_OK(added);
    User op;
    op.login = QStringLiteral("operator");
    op.role = Role::Operator;
    op.disabled = true;
    auto addedOp = m_catalog->addUser(op);
    QVERIFY_OK(addedOp);

    auto got = m_catalog->user(added->id);
    QVERIFY_OK(got);
    QCOMPARE(*got->tenantId, tenant->id);
    QCOMPARE(got->displayName, member.displayName);
    QCOMPARE(got->email, member.email);
    QCOMPARE(got->role, Role::Admin);
    QCOMPARE(got->passwordHash, member.passwordHash);
    QCOMPARE(got->createdAt, baseTime());
    QVERIFY(!got->disabled);
    auto gotOp = m_catalog->userByLogin(QStringLiteral("operator"));
    QVERIFY_OK(gotOp);
    QVERIFY(!gotOp->tenantId);
    QCOMPARE(gotOp->role, Role::Operator);
    QVERIFY(gotOp->disabled);
    QVERIFY(gotOp->createdAt.isValid()); // defaulted to now

    QCOMPARE(m_catalog->users(tenant->id)->size(), 1);
    QCOMPARE(m_catalog->users(std::nullopt)->size(), 2);
    auto none = m_catalog->userByLogin(QStringLiteral("Kim")); // logins are case-sensitive
    QVERIFY_ERROR(none, ErrorCode::NotFound);

    User orphan;
    orphan.login = QStringLiteral("orphan");
    orphan.tenantId = 777;
    auto refused = m_catalog->addUser(orphan);
    QVERIFY_ERROR(refused, ErrorCode::NotFound);
}

void TestSqlCatalog::loginIsUnique()
{
    User u;
    u.login = QStringLiteral("lee");
    QVERIFY(m_catalog->addUser(u).ok());
    auto again = m_catalog->addUser(u);
    QVERIFY_ERROR(again, ErrorCode::InvalidArgument);
    QVERIFY2(again.error().message.contains(QLatin1String("'lee' is taken")), qPrintable(again.error().message));
}

void TestSqlCatalog::sessionsExpireAndAreRemoved()
{
    User u;
    u.login = QStringLiteral("park");
    auto user = m_catalog->addUser(u);
    QVERIFY_OK(user);
    Session s;
    s.tokenHash = sha256("bearer-1");
    s.userId = user->id;
    s.createdAt = baseTime();
    s.expiresAt = baseTime().addSecs(3600);
    s.peer = QStringLiteral("10.0.0.7");
    Status added = m_catalog->addSession(s);
    QVERIFY_OK(added);
    Status duplicate = m_catalog->addSession(s);
    QVERIFY_ERROR(duplicate, ErrorCode::InvalidArgument);

    auto found = m_catalog->sessionByTokenHash(s.tokenHash, baseTime().addSecs(600));
    QVERIFY_OK(found);
    QCOMPARE(found->userId, user->id);
    QCOMPARE(found->peer, s.peer);
    QCOMPARE(found->lastSeen, baseTime().addSecs(600)); // updated on use
    QCOMPARE(found->expiresAt, s.expiresAt);

    auto expired = m_catalog->sessionByTokenHash(s.tokenHash, baseTime().addSecs(3600));
    QVERIFY_ERROR(expired, ErrorCode::NotFound);
    auto unknown = m_catalog->sessionByTokenHash(sha256("other"), baseTime());
    QVERIFY_ERROR(unknown, ErrorCode::NotFound);

    Session s2 = s;
    s2.tokenHash = sha256("bearer-2");
    s2.expiresAt = baseTime().addDays(2);
    QVERIFY(m_catalog->addSession(s2).ok());
    Status swept = m_catalog->removeExpiredSessions(baseTime().addDays(1));
    QVERIFY_OK(swept);
    QVERIFY(m_catalog->sessionByTokenHash(s2.tokenHash, baseTime()).ok());
    Status removed = m_catalog->removeSession(s2.tokenHash);
    QVERIFY_OK(removed);
    auto gone = m_catalog->sessionByTokenHash(s2.tokenHash, baseTime());
    QVERIFY_ERROR(gone, ErrorCode::NotFound);
}

void TestSqlCatalog::enrollmentCodeIsSingleUse()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    EnrollmentCode code;
    code.codeHash = sha256("ABCD-EFGH");
    code.tenantId = tenant->id;
    code.expiresAt = baseTime().addDays(1);
    Status added = m_catalog->addEnrollmentCode(code);
    QVERIFY_OK(added);

    Agent a;
    a.hostname = QStringLiteral("db01");
    a.os = QStringLiteral("Rocky 9");
    a.version = QStringLiteral("0.1.0");
    a.tokenHash = sha256("agent-token-1");
    a.tenantId = 9999; // ignored: the code decides the tenant
    auto enrolled = m_catalog->enrollAgent(code.codeHash, a, baseTime());
    QVERIFY_OK(enrolled);
    QCOMPARE(enrolled->tenantId, tenant->id);
    QCOMPARE(enrolled->name, QStringLiteral("db01")); // defaults to the hostname
    QCOMPARE(enrolled->enrolledAt, baseTime());

    Agent b = a;
    b.tokenHash = sha256("agent-token-2");
    auto reused = m_catalog->enrollAgent(code.codeHash, b, baseTime().addSecs(1));
    QVERIFY_ERROR(reused, ErrorCode::NotFound);
    QCOMPARE(m_catalog->agents(tenant->id)->size(), 1);

    // A failed enrollment (token already in use) does not consume the code.
    EnrollmentCode second = code;
    second.codeHash = sha256("IJKL-MNOP");
    QVERIFY(m_catalog->addEnrollmentCode(second).ok());
    auto clash = m_catalog->enrollAgent(second.codeHash, a, baseTime());
    QVERIFY_ERROR(clash, ErrorCode::InvalidArgument);
    auto retry = m_catalog->enrollAgent(second.codeHash, b, baseTime());
    QVERIFY_OK(retry);
    QCOMPARE(m_catalog->agents(tenant->id)->size(), 2);
}

void TestSqlCatalog::enrollmentCodeExpires()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    EnrollmentCode code;
    code.codeHash = sha256("late");
    code.tenantId = tenant->id;
    code.expiresAt = baseTime().addSecs(900);
    QVERIFY(m_catalog->addEnrollmentCode(code).ok());
    Agent a;
    a.hostname = QStringLiteral("web01");
    a.tokenHash = sha256("web01");
    auto late = m_catalog->enrollAgent(code.codeHash, a, baseTime().addSecs(900));
    QVERIFY_ERROR(late, ErrorCode::NotFound);
    auto unknown = m_catalog->enrollAgent(sha256("never issued"), a, baseTime());
    QVERIFY_ERROR(unknown, ErrorCode::NotFound);
    QCOMPARE(m_catalog->agents(tenant->id)->size(), 0);
    QVERIFY(m_catalog->enrollAgent(code.codeHash, a, baseTime().addSecs(899)).ok());
}

void TestSqlCatalog::agentsRenameRemoveTouch()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    auto web = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    auto db = enrollAgent(*m_catalog, tenant->id, QStringLiteral("db01"));
    QVERIFY_OK(web);
    QVERIFY_OK(db);

    Status renamed = m_catalog->renameAgent(tenant->id, web->id, QStringLiteral("front end"));
    QVERIFY_OK(renamed);
    Status touched = m_catalog->touchAgent(web->id, baseTime().addDays(1), QStringLiteral("0.2.0"));
    QVERIFY_OK(touched);
    auto got = m_catalog->agent(tenant->id, web->id);
    QVERIFY_OK(got);
    QCOMPARE(got->name, QStringLiteral("front end"));
    QCOMPARE(got->hostname, QStringLiteral("web01"));
    QCOMPARE(got->version, QStringLiteral("0.2.0"));
    QCOMPARE(*got->lastSeen, baseTime().addDays(1));
    QVERIFY(!got->removedAt);
    auto byToken = m_catalog->agentByTokenHash(web->tokenHash);
    QVERIFY_OK(byToken);
    QCOMPARE(byToken->id, web->id);

    auto list = m_catalog->agents(tenant->id);
    QVERIFY_OK(list);
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).name, QStringLiteral("db01")); // by name
    QCOMPARE(list->at(1).name, QStringLiteral("front end"));

    Status removed = m_catalog->removeAgent(tenant->id, db->id, baseTime().addDays(2));
    QVERIFY_OK(removed);
    Status removedAgain = m_catalog->removeAgent(tenant->id, db->id, baseTime().addDays(5));
    QVERIFY_OK(removedAgain);
    auto removedAgent = m_catalog->agent(tenant->id, db->id);
    QVERIFY_OK(removedAgent);
    QCOMPARE(*removedAgent->removedAt, baseTime().addDays(2)); // the first removal counts
    QCOMPARE(m_catalog->agents(tenant->id)->size(), 1);
    auto revoked = m_catalog->agentByTokenHash(db->tokenHash);
    QVERIFY_ERROR(revoked, ErrorCode::NotFound);
    Status touchRemoved = m_catalog->touchAgent(db->id, baseTime(), QString());
    QVERIFY_ERROR(touchRemoved, ErrorCode::NotFound);
    Status emptyName = m_catalog->renameAgent(tenant->id, web->id, QStringLiteral("  "));
    QVERIFY_ERROR(emptyName, ErrorCode::InvalidArgument);
}

void TestSqlCatalog::policySetAndReplace()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    auto none = m_catalog->policy(tenant->id, agent->id);
    QVERIFY_ERROR(none, ErrorCode::NotFound);

    Policy p;
    p.paths
        = {QByteArray("/srv/data"), QByteArray("/home/\xed\x95\x9c\xea\xb8\x80"), QByteArray("/odd/\xff\xfe\x01name")};
    p.excludes = {QStringLiteral("*.tmp"), QStringLiteral("/proc/**")};
    p.oneFileSystem = false;
    p.intervalDays = 7;
    p.weekday = 6;
    p.hour = 23;
    p.retentionDays = 21;
    p.updatedAt = baseTime();
    Status set = m_catalog->setPolicy(tenant->id, agent->id, p);
    QVERIFY_OK(set);
    auto got = m_catalog->policy(tenant->id, agent->id);
    QVERIFY_OK(got);
    QCOMPARE(got->paths, p.paths); // byte strings survive, including invalid UTF-8
    QCOMPARE(got->excludes, p.excludes);
    QCOMPARE(got->oneFileSystem, false);
    QCOMPARE(got->intervalDays, 7);
    QCOMPARE(got->weekday, 6);
    QCOMPARE(got->hour, 23);
    QCOMPARE(got->retentionDays, 21);
    QCOMPARE(got->updatedAt, baseTime());

    Policy q;
    q.paths = {QByteArray("/etc")};
    q.updatedAt = baseTime().addDays(1);
    QVERIFY(m_catalog->setPolicy(tenant->id, agent->id, q).ok());
    got = m_catalog->policy(tenant->id, agent->id);
    QCOMPARE(got->paths, q.paths);
    QVERIFY(got->excludes.isEmpty());
    QCOMPARE(got->intervalDays, 1);
    QCOMPARE(got->updatedAt, baseTime().addDays(1));
}

void TestSqlCatalog::policyValuesAreChecked()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    for (auto mutate :
        std::initializer_list<void (*)(Policy &)> {[](Policy &p) { p.intervalDays = 3; },
            [](Policy &p) { p.weekday = 0; }, [](Policy &p) { p.hour = 24; }, [](Policy &p) { p.retentionDays = 0; }}) {
        Policy p;
        mutate(p);
        Status s = m_catalog->setPolicy(tenant->id, agent->id, p);
        QVERIFY_ERROR(s, ErrorCode::InvalidArgument);
    }
    auto none = m_catalog->policy(tenant->id, agent->id);
    QVERIFY_ERROR(none, ErrorCode::NotFound);
}

void TestSqlCatalog::reopenedCatalogKeepsEverything()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    const QString path = m_catalog->path();
    m_catalog.reset();
    auto reopened = SqlCatalog::open(path, SqlCatalog::OpenMode::OpenExisting);
    QVERIFY_OK(reopened);
    auto got = (*reopened)->agent(tenant->id, agent->id);
    QVERIFY_OK(got);
    QCOMPARE(got->tokenHash, agent->tokenHash);
    QCOMPARE(got->enrolledAt, agent->enrolledAt);
}

QTEST_GUILESS_MAIN(TestSqlCatalog)
#include "TestSqlCatalog.moc"
