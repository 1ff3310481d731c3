// Password hashing (Argon2id, PHC strings), bearer tokens and enrollment codes.
#include "api/Credentials.h"

#include <QSet>
#include <QTest>

using namespace cairn::server;

class TestCredentials : public QObject {
    Q_OBJECT
private slots:
    void passwordRoundTrip()
    {
        auto hash = hashPassword("correct horse battery");
        QVERIFY(hash.ok());
        QVERIFY(hash->startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        QVERIFY(verifyPassword("correct horse battery", *hash));
        QVERIFY(!verifyPassword("correct horse batterY", *hash));
        QVERIFY(!verifyPassword("", *hash));
    }
    void saltsDiffer()
    {
        QCOMPARE_NE(hashPassword("same").value(), hashPassword("same").value());
    }
    void malformedStoredHashesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("stored");
        const QByteArray good = hashPassword("pw").value();
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("other algorithm") << QByteArray(good).replace("argon2id", "argon2i");
        QTest::newRow("huge memory") << QByteArray(good).replace("m=19456", "m=99999999");
        QTest::newRow("zero iterations") << QByteArray(good).replace("t=2", "t=0");
        QTest::newRow("truncated") << good.left(good.size() - 10);
        QTest::newRow("garbage") << QByteArray("$argon2id$v=19$m=x,t=y,p=z$$");
    }
    void malformedStoredHashesAreRejected()
    {
        QFETCH(QByteArray, stored);
        QVERIFY(!verifyPassword("pw", stored));
    }
    void tokensAreUniqueAndTyped()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 1000; ++i) {
            const QByteArray t = newToken(i % 2 ? TokenKind::Session : TokenKind::Agent);
            QVERIFY(t.startsWith(i % 2 ? "cs_" : "ca_"));
            QCOMPARE(t.size(), 3 + 43);
            QVERIFY(!seen.contains(t));
            seen.insert(t);
        }
        QCOMPARE(tokenHash("abc").size(), 32);
        QCOMPARE_NE(tokenHash("abc"), tokenHash("abd"));
    }
    void enrollmentCodesNormalize()
    {
        const QString code = newEnrollmentCode();
        QCOMPARE(code.size(), 19);
        QCOMPARE(code.count(QLatin1Char('-')), 3);
        for (QChar c : code)
            QVERIFY(c == QLatin1Char('-') || QByteArray("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").contains(c.toLatin1()));
        QCOMPARE(normalizeEnrollmentCode(code.toLower().replace(QLatin1Char('-'), QLatin1Char(' '))),
                 normalizeEnrollmentCode(code));
        QCOMPARE_NE(newEnrollmentCode(), newEnrollmentCode());
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "TestCredentials.moc"
