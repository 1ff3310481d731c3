// Strict JSON body reading: every problem is a 400 that names the field.
#include "api/JsonInput.h"

#include <QJsonDocument>
#include <QTest>

using namespace cairn::server;
using P = JsonInput::Presence;

namespace {
QJsonObject errorOf(const std::optional<HttpResponse> &r)
{
    return r ? QJsonDocument::fromJson(r->body).object().value(QStringLiteral("error")).toObject() : QJsonObject();
}
} // namespace

class TestJsonInput : public QObject {
    Q_OBJECT
private slots:
    void acceptsWellFormed()
    {
        JsonInput in(QByteArray(R"({"name":"x","hour":5,"on":true,"paths":["/a","/b"]})"));
        QCOMPARE(in.string(QStringLiteral("name"), P::Required).value(), QStringLiteral("x"));
        QCOMPARE(in.integer(QStringLiteral("hour"), P::Required, 0, 23).value(), 5);
        QCOMPARE(in.boolean(QStringLiteral("on"), P::Optional).value(), true);
        QCOMPARE(in.stringList(QStringLiteral("paths"), P::Required, 10).value(), QStringList({QStringLiteral("/a"), QStringLiteral("/b")}));
        QVERIFY(!in.integer(QStringLiteral("absent"), P::Optional, 0, 1));
        QVERIFY(!in.finish());
    }
    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("out of range") << QByteArray(R"({"hour":24})") << QStringLiteral("hour");
        QTest::newRow("string for int") << QByteArray(R"({"hour":"2"})") << QStringLiteral("hour");
        QTest::newRow("fraction") << QByteArray(R"({"hour":2.5})") << QStringLiteral("hour");
        QTest::newRow("missing") << QByteArray(R"({})") << QStringLiteral("hour");
        QTest::newRow("null") << QByteArray(R"({"hour":null})") << QStringLiteral("hour");
        QTest::newRow("unknown field") << QByteArray(R"({"hour":2,"colour":"red"})") << QStringLiteral("colour");
        QTest::newRow("list item type") << QByteArray(R"({"hour":2,"paths":["/a",3]})") << QStringLiteral("paths");
        QTest::newRow("list not a list") << QByteArray(R"({"hour":2,"paths":"/a"})") << QStringLiteral("paths");
    }
    void errorsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        JsonInput in(body);
        in.integer(QStringLiteral("hour"), P::Required, 0, 23);
        in.stringList(QStringLiteral("paths"), P::Optional, 10);
        const auto r = in.finish();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QCOMPARE(errorOf(r).value(QStringLiteral("field")).toString(), field);
        QVERIFY(errorOf(r).value(QStringLiteral("message")).toString().startsWith(field + QLatin1Char(':')));
    }
    void malformedBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("truncated") << QByteArray("{");
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01", 4);
    }
    void malformedBodies()
    {
        QFETCH(QByteArray, body);
        JsonInput in(body);
        in.string(QStringLiteral("x"), P::Optional);
        const auto r = in.finish();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QCOMPARE(errorOf(r).value(QStringLiteral("code")).toString(), QStringLiteral("invalid_json"));
    }
};

QTEST_GUILESS_MAIN(TestJsonInput)
#include "TestJsonInput.moc"
