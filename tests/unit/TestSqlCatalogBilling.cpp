// SqlCatalog's billing and verify tables on a real SQLite file: operator settings replace each
// other; one usage sample per tenant and day where the later sample of a day wins; samples of a
// range and the last sampled day; servers' periods including removed ones; a statement kept once
// (a second put returns the first unchanged); statements per tenant and month; verify runs
// recorded, updated with findings, listed newest first; packs to verify skip GC's tombstones and
// keep condemned packs, paged by pack id. The test's thread.
#include "TestSqlCatalogFixture.h"

#include <QJsonArray>
#include <QSqlQuery>

using namespace cairn;
using namespace cairn::test::catalog;

class TestSqlCatalogBilling : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SqlCatalog> m_catalog;
    qint64 m_a = 0, m_b = 0;

private slots:
    void initTestCase()
    {
        m_catalog = createCatalog(m_dir);
        QVERIFY(m_catalog);
        auto a = addTenant(*m_catalog, QStringLiteral("a"));
        auto b = addTenant(*m_catalog, QStringLiteral("b"));
        QVERIFY_OK(a);
        QVERIFY_OK(b);
        m_a = a->id;
        m_b = b->id;
    }

    void settingsReplaceEachOther()
    {
        auto missing = m_catalog->setting(QStringLiteral("billing.prices"));
        QVERIFY_ERROR(missing, ErrorCode::NotFound);
        OperatorSetting s;
        s.name = QStringLiteral("billing.prices");
        s.value = QJsonObject {{QStringLiteral("currency"), QStringLiteral("KRW")}};
        s.changedBy = QStringLiteral("cli");
        s.changedAt = baseTime();
        QVERIFY_OK(m_catalog->setSetting(s));
        s.value = QJsonObject {{QStringLiteral("currency"), QStringLiteral("USD")}};
        s.changedBy = QStringLiteral("operator:7");
        QVERIFY_OK(m_catalog->setSetting(s));
        auto read = m_catalog->setting(QStringLiteral("billing.prices"));
        QVERIFY_OK(read);
        QCOMPARE(read->value, s.value);
        QCOMPARE(read->changedBy, QStringLiteral("operator:7"));
        QCOMPARE(read->changedAt, baseTime());
    }

    void oneSamplePerDayTheLastWins()
    {
        auto none = m_catalog->lastUsageSampleDay(m_a);
        QVERIFY_OK(none);
        QVERIFY(!*none);
        UsageSample s;
        s.tenantId = m_a;
        for (int d = 1; d <= 3; ++d) {
            s.day = QDate(2026, 3, d);
            s.storedBytes = d * 1000;
            QVERIFY_OK(m_catalog->addUsageSample(s));
        }
        s.day = QDate(2026, 3, 2);
        s.storedBytes = 2500; // later the same day
        QVERIFY_OK(m_catalog->addUsageSample(s));
        s.tenantId = m_b;
        s.day = QDate(2026, 3, 9);
        QVERIFY_OK(m_catalog->addUsageSample(s));
        s.tenantId = 9999;
        auto unknown = m_catalog->addUsageSample(s);
        QVERIFY_ERROR(unknown, ErrorCode::NotFound);
        s.tenantId = m_a;
        s.storedBytes = -1;
        auto negative = m_catalog->addUsageSample(s);
        QVERIFY_ERROR(negative, ErrorCode::InvalidArgument);

        auto samples = m_catalog->usageSamples(m_a, QDate(2026, 3, 1), QDate(2026, 3, 31));
        QVERIFY_OK(samples);
        QCOMPARE(samples->size(), 3);
        QCOMPARE(samples->at(1).day, QDate(2026, 3, 2));
        QCOMPARE(samples->at(1).storedBytes, qint64(2500));
        auto some = m_catalog->usageSamples(m_a, QDate(2026, 3, 2), QDate(2026, 3, 2));
        QCOMPARE(some->size(), 1);
        auto last = m_catalog->lastUsageSampleDay(m_a);
        QVERIFY_OK(last);
        QCOMPARE(**last, QDate(2026, 3, 3));
    }

    void periodsIncludeRemovedServers()
    {
        auto one = enrollAgent(*m_catalog, m_a, QStringLiteral("one"));
        auto two = enrollAgent(*m_catalog, m_a, QStringLiteral("two"));
        QVERIFY_OK(one);
        QVERIFY_OK(two);
        QVERIFY_OK(m_catalog->removeAgent(m_a, two->id, baseTime().addDays(3)));
        auto periods = m_catalog->agentPeriods(m_a);
        QVERIFY_OK(periods);
        QCOMPARE(periods->size(), 2);
        QCOMPARE(periods->at(0).agentId, one->id);
        QVERIFY(!periods->at(0).removedAt);
        QCOMPARE(*periods->at(1).removedAt, baseTime().addDays(3));
        QCOMPARE(m_catalog->agentPeriods(m_b)->size(), 0);
    }

    void statementIsKeptOnce()
    {
        StoredStatement s;
        s.tenantId = m_a;
        s.month = QStringLiteral("2026-03");
        s.body = QJsonObject {{QStringLiteral("totalMinor"), 50000}};
        s.createdAt = baseTime();
        auto first = m_catalog->putStatement(s);
        QVERIFY_OK(first);
        QCOMPARE(first->body, s.body);
        StoredStatement again = s;
        again.body = QJsonObject {{QStringLiteral("totalMinor"), 60000}};
        again.createdAt = baseTime().addDays(1);
        auto second = m_catalog->putStatement(again);
        QVERIFY_OK(second);
        QCOMPARE(second->body, s.body); // the first one stays
        QCOMPARE(second->createdAt, baseTime());
        s.month = QStringLiteral("2026-04");
        QVERIFY_OK(m_catalog->putStatement(s));
        s.tenantId = m_b;
        QVERIFY_OK(m_catalog->putStatement(s));
        auto kept = m_catalog->statement(m_a, QStringLiteral("2026-03"));
        QVERIFY_OK(kept);
        QCOMPARE(kept->body.value(QStringLiteral("totalMinor")).toInt(), 50000);
        auto none = m_catalog->statement(m_b, QStringLiteral("2026-03"));
        QVERIFY_ERROR(none, ErrorCode::NotFound);
        QCOMPARE(m_catalog->statements(m_a, std::nullopt)->size(), 2);
        QCOMPARE(m_catalog->statements(std::nullopt, QStringLiteral("2026-04"))->size(), 2);
        QCOMPARE(m_catalog->statements(m_b, QStringLiteral("2026-03"))->size(), 0);
    }

    void verifyRunsRecordFindings()
    {
        VerifyRun r;
        r.tenantId = m_a;
        r.startedAt = baseTime();
        r.requestedBy = QStringLiteral("operator:1");
        auto added = m_catalog->addVerifyRun(r);
        QVERIFY_OK(added);
        QVERIFY(added->id > 0);
        QVERIFY(!added->finishedAt);
        VerifyRun all;
        all.startedAt = baseTime().addSecs(5);
        all.requestedBy = QStringLiteral("operator:1");
        auto second = m_catalog->addVerifyRun(all);
        QVERIFY_OK(second);
        QVERIFY(!second->tenantId);
        r.tenantId = 9999;
        auto unknown = m_catalog->addVerifyRun(r);
        QVERIFY_ERROR(unknown, ErrorCode::NotFound);
        QCOMPARE(m_catalog->unfinishedVerifyRuns()->size(), 2);

        VerifyRun done = *added;
        done.packs = 4;
        done.bytes = 1234;
        done.problems = 1;
        done.findings = QJsonArray {QJsonObject {{QStringLiteral("problem"), QStringLiteral("hash")}}};
        done.finishedAt = baseTime().addSecs(60);
        QVERIFY_OK(m_catalog->updateVerifyRun(done));
        auto read = m_catalog->verifyRun(added->id);
        QVERIFY_OK(read);
        QCOMPARE(read->findings, done.findings);
        QCOMPARE(read->bytes, qint64(1234));
        QCOMPARE(*read->finishedAt, baseTime().addSecs(60));
        auto unfinished = m_catalog->unfinishedVerifyRuns();
        QCOMPARE(unfinished->size(), 1);
        QCOMPARE(unfinished->first().id, second->id);
        auto page = m_catalog->verifyRuns(PageRequest {1, 0});
        QVERIFY_OK(page);
        QCOMPARE(page->items.first().id, second->id); // newest first
        QVERIFY(page->next);
        done.id = 9999;
        auto missing = m_catalog->updateVerifyRun(done);
        QVERIFY_ERROR(missing, ErrorCode::NotFound);
    }

    void packsToVerifyArePagedById()
    {
        for (quint64 seed = 1; seed <= 5; ++seed) {
            const auto entries = entriesFor(seedRange(seed * 100, 2));
            QVERIFY_OK(m_catalog->addPack(m_a, packId(seed), packSizeFor(entries), entries));
        }
        // Garbage collection's marks, set the way it sets them: pack 3 deleted (a tombstone),
        // pack 4 condemned (its file stays).
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(m_dir.filePath(QStringLiteral("catalog.db")));
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.prepare(QStringLiteral("UPDATE packs SET deleted_at = 1 WHERE pack_id = ?")));
            q.addBindValue(packId(3).toByteArray());
            QVERIFY(q.exec());
            QVERIFY(q.prepare(QStringLiteral("UPDATE packs SET condemned_at = 1 WHERE pack_id = ?")));
            q.addBindValue(packId(4).toByteArray());
            QVERIFY(q.exec());
            q.finish();
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        QList<PackId> seen;
        PackId after;
        for (;;) {
            auto page = m_catalog->packsToVerify(m_a, after, 2);
            QVERIFY_OK(page);
            for (const PackRecord &p : *page)
                seen.append(p.id);
            if (page->size() < 2)
                break;
            after = page->last().id;
        }
        QCOMPARE(seen.size(), 4);
        QVERIFY(!seen.contains(packId(3)));
        QVERIFY(seen.contains(packId(4)));
        for (int i = 1; i < seen.size(); ++i)
            QVERIFY(seen.at(i - 1).toByteArray() < seen.at(i).toByteArray());
        QCOMPARE(m_catalog->packsToVerify(m_b, PackId(), 100)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSqlCatalogBilling)
#include "TestSqlCatalogBilling.moc"
