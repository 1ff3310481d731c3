// SqlCatalog's mail outbox and report bookkeeping on a real SQLite file: queueing is idempotent on
// the dedup key, due messages come soonest first and only when due, sent/retry/failed move a
// queued message once, the failure-mail flag of a job and its mails are written together (an
// error in the middle leaves neither, a second pass adds nothing), a report day is claimed once,
// and the operators' listing filters by tenant and state. Also the Mailer's choice of the report
// period (ops/Mailer.h dueReport) in Asia/Seoul and in a zone with daylight saving time, and its
// retry delays.
#include "TestSqlCatalogFixture.h"

#include "ops/Mailer.h"

#include <QSqlQuery>

using namespace cairn;

// QVERIFY_OK for a call (evaluated once; QVERIFY_OK takes a variable).
#define QVERIFY_CALL(expr)                                                                                             \
    do {                                                                                                               \
        auto r_ = (expr);                                                                                              \
        QVERIFY_OK(r_);                                                                                                \
    } while (0)
using namespace cairn::server;
using namespace cairn::test::catalog;

class TestSqlCatalogMail : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup() { m_catalog.reset(); }

    void enqueueIsIdempotent();
    void dueOrderAndStates();
    void notifyIsAllOrNothing();
    void reportDayClaimedOnce();
    void outboxListing();
    void reportPeriod();

private:
    OutboxMail mail(const QString &key, const QDateTime &next, std::optional<qint64> tenant = std::nullopt)
    {
        OutboxMail m;
        m.tenantId = tenant;
        m.kind = QStringLiteral("failure");
        m.dedupKey = key;
        m.recipient = QStringLiteral("ops@acme.example");
        m.subject = QStringLiteral("subject ") + key;
        m.message = "From: a@b.example\r\n\r\nbody " + key.toUtf8() + "\r\n";
        m.createdAt = baseTime();
        m.nextAttemptAt = next;
        return m;
    }
    Job failedJob(qint64 tenant, qint64 agent, JobState state, int minutes)
    {
        Job j;
        j.tenantId = tenant;
        j.agentId = agent;
        j.state = state;
        j.scheduledAt = baseTime().addSecs(60 * minutes);
        j.startedAt = j.scheduledAt;
        j.finishedAt = j.scheduledAt.addSecs(60);
        j.requestedBy = QStringLiteral("schedule");
        auto added = m_catalog->addJob(j);
        return added ? *added : Job();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    int m_round = 0;
};

void TestSqlCatalogMail::init()
{
    m_catalog = createCatalog(m_dir, QStringLiteral("mail-%1.db").arg(++m_round));
    QVERIFY(m_catalog);
}

void TestSqlCatalogMail::enqueueIsIdempotent()
{
    auto first = m_catalog->enqueueMail(mail(QStringLiteral("k1"), baseTime()));
    QVERIFY_OK(first);
    QVERIFY(*first);
    OutboxMail again = mail(QStringLiteral("k1"), baseTime());
    again.subject = QStringLiteral("a different subject");
    auto second = m_catalog->enqueueMail(again);
    QVERIFY_OK(second);
    QVERIFY(!*second);
    auto due = m_catalog->dueMail(baseTime(), 10);
    QVERIFY_OK(due);
    QCOMPARE(due->size(), 1);
    QCOMPARE(due->first().subject, QStringLiteral("subject k1")); // the first one stays as it was
    QCOMPARE(due->first().message, mail(QStringLiteral("k1"), baseTime()).message);
    QCOMPARE(due->first().state, MailState::Queued);
    QCOMPARE(due->first().attempts, 0);

    OutboxMail empty = mail(QStringLiteral("k2"), baseTime());
    empty.message.clear();
    auto refused = m_catalog->enqueueMail(empty);
    QVERIFY_ERROR(refused, ErrorCode::InvalidArgument);
}

void TestSqlCatalogMail::dueOrderAndStates()
{
    // Queued out of order: due order is next_attempt_at, then id.
    QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("late"), baseTime().addSecs(120))));
    QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("early"), baseTime().addSecs(10))));
    QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("early2"), baseTime().addSecs(10))));
    QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("future"), baseTime().addSecs(3600))));
    auto due = m_catalog->dueMail(baseTime().addSecs(120), 10);
    QVERIFY_OK(due);
    QStringList keys;
    for (const OutboxMail &m : *due)
        keys << m.dedupKey;
    QCOMPARE(keys, (QStringList {QStringLiteral("early"), QStringLiteral("early2"), QStringLiteral("late")}));
    auto limited = m_catalog->dueMail(baseTime().addSecs(120), 1);
    QCOMPARE(limited->size(), 1);
    QCOMPARE(limited->first().dedupKey, QStringLiteral("early"));

    const qint64 early = due->at(0).id, early2 = due->at(1).id, late = due->at(2).id;
    QVERIFY_CALL(m_catalog->markMailSent(early, baseTime().addSecs(121)));
    QVERIFY_CALL(m_catalog->markMailRetry(early2, baseTime().addSecs(600), QStringLiteral("451 try later")));
    QVERIFY_CALL(m_catalog->markMailFailed(late, QStringLiteral("550 no such user")));
    // Only queued messages move.
    Status again = m_catalog->markMailSent(early, baseTime().addSecs(200));
    QVERIFY_ERROR(again, ErrorCode::NotFound);
    Status retryFailed = m_catalog->markMailRetry(late, baseTime(), QString());
    QVERIFY_ERROR(retryFailed, ErrorCode::NotFound);

    auto now = m_catalog->dueMail(baseTime().addSecs(599), 10);
    QVERIFY_OK(now);
    QCOMPARE(now->size(), 0); // early2 waits until +600, future until +3600
    auto later = m_catalog->dueMail(baseTime().addSecs(600), 10);
    QCOMPARE(later->size(), 1);
    QCOMPARE(later->first().id, early2);
    QCOMPARE(later->first().attempts, 1);
    QCOMPARE(later->first().lastError, QStringLiteral("451 try later"));

    auto sent = m_catalog->outbox(std::nullopt, MailState::Sent, PageRequest {});
    QVERIFY_OK(sent);
    QCOMPARE(sent->items.size(), 1);
    QCOMPARE(sent->items.first().sentAt, std::optional<QDateTime>(baseTime().addSecs(121)));
    QCOMPARE(sent->items.first().attempts, 1);
    auto failed = m_catalog->outbox(std::nullopt, MailState::Failed, PageRequest {});
    QCOMPARE(failed->items.size(), 1);
    QCOMPARE(failed->items.first().lastError, QStringLiteral("550 no such user"));
}

void TestSqlCatalogMail::notifyIsAllOrNothing()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    auto agent = enrollAgent(*m_catalog, tenant->id, QStringLiteral("web01"));
    QVERIFY_OK(agent);
    const Job failed = failedJob(tenant->id, agent->id, JobState::Failed, 0);
    const Job missed = failedJob(tenant->id, agent->id, JobState::Missed, 10);
    (void)failedJob(tenant->id, agent->id, JobState::Succeeded, 20);
    (void)failedJob(tenant->id, agent->id, JobState::Warning, 30);
    Job pending;
    pending.tenantId = tenant->id;
    pending.agentId = agent->id;
    pending.scheduledAt = baseTime();
    QVERIFY_CALL(m_catalog->addJob(pending));

    auto todo = m_catalog->jobsToNotify(10);
    QVERIFY_OK(todo);
    QCOMPARE(todo->size(), 2);
    QCOMPARE(todo->at(0).id, failed.id);
    QCOMPARE(todo->at(1).id, missed.id);

    // A bad second mail: the transaction rolls back, the first mail is not kept and the job
    // stays to notify (as after a crash before the commit).
    OutboxMail bad = mail(QStringLiteral("job-failed:x:b"), baseTime(), tenant->id);
    bad.recipient.clear();
    auto broken = m_catalog->markJobNotified(
        tenant->id, failed.id, {mail(QStringLiteral("job-failed:x:a"), baseTime(), tenant->id), bad});
    QVERIFY(!broken.ok());
    QCOMPARE(m_catalog->dueMail(baseTime(), 10)->size(), 0);
    QCOMPARE(m_catalog->jobsToNotify(10)->size(), 2);

    const QList<OutboxMail> mails = {mail(QStringLiteral("job-failed:x:a"), baseTime(), tenant->id),
        mail(QStringLiteral("job-failed:x:c"), baseTime(), tenant->id)};
    auto done = m_catalog->markJobNotified(tenant->id, failed.id, mails);
    QVERIFY_OK(done);
    QCOMPARE(*done, 2);
    QCOMPARE(m_catalog->jobsToNotify(10)->size(), 1);
    // Queued again (a pass that read the job before the flag was set): nothing doubles.
    auto twice = m_catalog->markJobNotified(tenant->id, failed.id, mails);
    QVERIFY_OK(twice);
    QCOMPARE(*twice, 0);
    QCOMPARE(m_catalog->dueMail(baseTime(), 10)->size(), 2);

    // Another tenant's job is NotFound, and nothing is queued for it.
    auto other = addTenant(*m_catalog, QStringLiteral("globex"));
    auto wrong = m_catalog->markJobNotified(other->id, missed.id, {mail(QStringLiteral("k-other"), baseTime())});
    QVERIFY_ERROR(wrong, ErrorCode::NotFound);
    QCOMPARE(m_catalog->dueMail(baseTime(), 10)->size(), 2);

    QVERIFY_CALL(m_catalog->markJobNotified(tenant->id, missed.id, {}));
    QCOMPARE(m_catalog->jobsToNotify(10)->size(), 0);
}

void TestSqlCatalogMail::reportDayClaimedOnce()
{
    auto tenant = addTenant(*m_catalog, QStringLiteral("acme"));
    QVERIFY_OK(tenant);
    auto last = m_catalog->lastReportDay(tenant->id);
    QVERIFY_OK(last);
    QCOMPARE(*last, QString());

    auto claimed = m_catalog->claimReportDay(
        tenant->id, QStringLiteral("2026-11-27"), {mail(QStringLiteral("d1"), baseTime(), tenant->id)});
    QVERIFY_OK(claimed);
    QVERIFY(*claimed);
    QCOMPARE(*m_catalog->lastReportDay(tenant->id), QStringLiteral("2026-11-27"));
    auto again = m_catalog->claimReportDay(
        tenant->id, QStringLiteral("2026-11-27"), {mail(QStringLiteral("d2"), baseTime(), tenant->id)});
    QVERIFY_OK(again);
    QVERIFY(!*again);
    auto earlier = m_catalog->claimReportDay(
        tenant->id, QStringLiteral("2026-11-26"), {mail(QStringLiteral("d3"), baseTime(), tenant->id)});
    QVERIFY_OK(earlier);
    QVERIFY(!*earlier);
    QCOMPARE(m_catalog->dueMail(baseTime(), 10)->size(), 1); // d2 and d3 were not queued
    auto next = m_catalog->claimReportDay(tenant->id, QStringLiteral("2026-11-28"), {});
    QVERIFY_OK(next);
    QVERIFY(*next);

    auto unknown = m_catalog->claimReportDay(999, QStringLiteral("2026-11-28"), {});
    QVERIFY_ERROR(unknown, ErrorCode::NotFound);
    auto notADay = m_catalog->claimReportDay(tenant->id, QStringLiteral("tomorrow"), {});
    QVERIFY_ERROR(notADay, ErrorCode::InvalidArgument);
}

void TestSqlCatalogMail::outboxListing()
{
    auto acme = addTenant(*m_catalog, QStringLiteral("acme"));
    auto globex = addTenant(*m_catalog, QStringLiteral("globex"));
    for (int i = 0; i < 5; ++i)
        QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("a%1").arg(i), baseTime(), acme->id)));
    QVERIFY_CALL(m_catalog->enqueueMail(mail(QStringLiteral("g"), baseTime(), globex->id)));
    auto page = m_catalog->outbox(acme->id, MailState::Queued, PageRequest {3, 0});
    QVERIFY_OK(page);
    QCOMPARE(page->items.size(), 3);
    QCOMPARE(page->items.first().dedupKey, QStringLiteral("a4")); // newest first
    QVERIFY(page->items.first().message.isEmpty()); // listings leave the bytes out
    QVERIFY(page->next);
    auto rest = m_catalog->outbox(acme->id, MailState::Queued, PageRequest {3, *page->next});
    QCOMPARE(rest->items.size(), 2);
    QVERIFY(!rest->next);
    QCOMPARE(m_catalog->outbox(globex->id, std::nullopt, PageRequest {})->items.size(), 1);
    QCOMPARE(m_catalog->outbox(std::nullopt, std::nullopt, PageRequest {})->items.size(), 6);
    QCOMPARE(m_catalog->outbox(std::nullopt, MailState::Sent, PageRequest {})->items.size(), 0);
}

void TestSqlCatalogMail::reportPeriod()
{
    Tenant t;
    t.timeZone = QStringLiteral("Asia/Seoul");
    t.reportTime = QStringLiteral("09:00");
    t.createdAt = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    const QTimeZone seoul("Asia/Seoul");
    // 08:59 KST: yesterday's report is the latest due one.
    auto before = dueReport(t, QString(), QDateTime(QDate(2026, 11, 27), QTime(8, 59), seoul));
    QVERIFY(before);
    QCOMPARE(before->day, QStringLiteral("2026-11-26"));
    QVERIFY(!dueReport(t, QStringLiteral("2026-11-26"), QDateTime(QDate(2026, 11, 27), QTime(8, 59, 59), seoul)));
    auto at = dueReport(t, QStringLiteral("2026-11-26"), QDateTime(QDate(2026, 11, 27), QTime(9, 0), seoul));
    QVERIFY(at);
    QCOMPARE(at->day, QStringLiteral("2026-11-27"));
    QCOMPARE(at->to, QDateTime(QDate(2026, 11, 27), QTime(0, 0), Qt::UTC));
    QCOMPARE(at->from, QDateTime(QDate(2026, 11, 26), QTime(0, 0), Qt::UTC));
    QVERIFY(!dueReport(t, QStringLiteral("2026-11-27"), QDateTime(QDate(2026, 11, 27), QTime(23, 0), seoul)));
    // A tenant made after that report time gets its first report the next day.
    t.createdAt = QDateTime(QDate(2026, 11, 27), QTime(1, 0), Qt::UTC); // 10:00 KST
    QVERIFY(!dueReport(t, QString(), QDateTime(QDate(2026, 11, 27), QTime(11, 0), seoul)));

    // Daylight saving time: the report at 07:30 local covers the time since the previous day's
    // 07:30, whatever the offsets (Berlin, the morning after the change to summer time on 2027-03-28).
    t.timeZone = QStringLiteral("Europe/Berlin");
    t.reportTime = QStringLiteral("07:30");
    const QTimeZone berlin("Europe/Berlin");
    auto dst = dueReport(t, QString(), QDateTime(QDate(2027, 3, 29), QTime(7, 31), berlin));
    QVERIFY(dst);
    QCOMPARE(dst->day, QStringLiteral("2027-03-29"));
    QCOMPARE(dst->to, QDateTime(QDate(2027, 3, 29), QTime(5, 30), Qt::UTC)); // 07:30 CEST
    QCOMPARE(dst->from.secsTo(dst->to), qint64(24 * 3600));
    // The report of the change day itself covers the 23 hours since the previous one: from
    // 07:30 CET on the 27th to 07:30 CEST on the 28th, no hour reported twice.
    auto change = dueReport(t, QString(), QDateTime(QDate(2027, 3, 28), QTime(7, 31), berlin));
    QVERIFY(change);
    QCOMPARE(change->from, QDateTime(QDate(2027, 3, 27), QTime(6, 30), Qt::UTC)); // 07:30 CET
    QCOMPARE(change->to, QDateTime(QDate(2027, 3, 28), QTime(5, 30), Qt::UTC));   // 07:30 CEST
    QCOMPARE(change->from.secsTo(change->to), qint64(23 * 3600));
    QCOMPARE(change->to, dueReport(t, QString(), QDateTime(QDate(2027, 3, 29), QTime(7, 31), berlin))->from);

    // Retries: 30 s doubling to 10 min.
    const MailerSettings defaults;
    QCOMPARE(Mailer::retryDelaySeconds(1, defaults), qint64(30));
    QCOMPARE(Mailer::retryDelaySeconds(2, defaults), qint64(60));
    QCOMPARE(Mailer::retryDelaySeconds(5, defaults), qint64(480));
    QCOMPARE(Mailer::retryDelaySeconds(6, defaults), qint64(600));
    QCOMPARE(Mailer::retryDelaySeconds(500, defaults), qint64(600));
}

QTEST_GUILESS_MAIN(TestSqlCatalogMail)
#include "TestSqlCatalogMail.moc"
