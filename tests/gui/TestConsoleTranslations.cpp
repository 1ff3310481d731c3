// The console's committed translations are complete and current: lupdate, run on the sources
// into copies of translations/cairn_ko.ts and cairn_en.ts with the build's own options
// (-locations none -no-obsolete, the project description CMake generates for cairn_ui), leaves
// them byte for byte unchanged (a text added or changed without running the update_translations
// target fails here); the Korean file has no unfinished, vanished or obsolete entry and no empty
// translation; every plural (%n) text has its forms in both files. Test main thread.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#ifndef CAIRN_LUPDATE
#error "CAIRN_LUPDATE (the lupdate program) must be defined by the build"
#endif

namespace {

struct Entry {
    QString context;
    QString source;
    QString type; // the translation's type attribute: "", unfinished, vanished, obsolete
    bool numerus = false;
    QStringList forms; // the translation, or the numerus forms
};

QList<Entry> readTs(const QString &path, QString *error)
{
    QList<Entry> entries;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return entries;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Entry entry;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            entry = Entry();
            entry.context = context;
            entry.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            entry.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            entry.type = xml.attributes().value(QLatin1String("type")).toString();
            if (entry.numerus) {
                while (xml.readNextStartElement())
                    entry.forms << xml.readElementText();
            } else {
                entry.forms << xml.readElementText();
            }
            entries << entry;
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return entries;
}

QString describe(const Entry &e)
{
    return QStringLiteral("[%1] \"%2\"").arg(e.context, e.source.left(80));
}

// Fails with at most `limit` problems listed, and their count.
QString listProblems(const QStringList &problems, int limit = 40)
{
    QString text = QStringLiteral("%1 problem(s):\n").arg(problems.size());
    for (int i = 0; i < problems.size() && i < limit; ++i)
        text += QStringLiteral("  %1\n").arg(problems[i]);
    if (problems.size() > limit)
        text += QStringLiteral("  … and %1 more\n").arg(problems.size() - limit);
    return text;
}

const QStringList kTsFiles {QStringLiteral("cairn_ko.ts"), QStringLiteral("cairn_en.ts")};

} // namespace

class TestConsoleTranslations : public QObject {
    Q_OBJECT

private slots:
    void lupdateLeavesTheCommittedFilesUnchanged();
    void koreanIsComplete();
    void pluralsHaveTheirForms();
};

void TestConsoleTranslations::lupdateLeavesTheCommittedFilesUnchanged()
{
    const QDir committed(QStringLiteral(CAIRN_TS_DIR));
    QTemporaryDir work;
    QVERIFY(work.isValid());
    const QDir dir(work.path());
    QStringList copies;
    for (const QString &ts : kTsFiles) {
        QVERIFY2(QFile::copy(committed.filePath(ts), dir.filePath(ts)), qPrintable(committed.filePath(ts)));
        QFile::setPermissions(dir.filePath(ts), QFile::ReadOwner | QFile::WriteOwner);
        copies << dir.filePath(ts);
    }

    // The same project description the update_translations target gives lupdate.
    const QString project = dir.filePath(QStringLiteral("project.json"));
    QProcess generate;
    generate.setProcessChannelMode(QProcess::MergedChannels);
    generate.start(QStringLiteral(CAIRN_CMAKE),
        {QStringLiteral("-DIN_FILE=" CAIRN_LUPDATE_PROJECT), QStringLiteral("-DOUT_FILE=") + project,
            QStringLiteral("-P"), QStringLiteral(CAIRN_LUPDATE_GENERATOR)});
    QVERIFY(generate.waitForFinished(60000));
    QVERIFY2(generate.exitCode() == 0 && QFile::exists(project), generate.readAll().constData());

    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(CAIRN_LUPDATE),
        QStringList {QStringLiteral("-project"), project, QStringLiteral("-locations"), QStringLiteral("none"),
            QStringLiteral("-no-obsolete"), QStringLiteral("-ts")}
            + copies);
    QVERIFY(lupdate.waitForFinished(120000));
    const QByteArray output = lupdate.readAll();
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0, output.constData());

    QStringList problems;
    for (const QString &ts : kTsFiles) {
        QFile before(committed.filePath(ts));
        QFile after(dir.filePath(ts));
        QVERIFY(before.open(QIODevice::ReadOnly) && after.open(QIODevice::ReadOnly));
        const QList<QByteArray> a = before.readAll().split('\n');
        const QList<QByteArray> b = after.readAll().split('\n');
        if (a == b)
            continue;
        int line = 0;
        while (line < a.size() && line < b.size() && a[line] == b[line])
            ++line;
        problems << QStringLiteral(
            "translations/%1 is not what lupdate makes of the sources (first difference at line %2: "
            "committed \"%3\", lupdate \"%4\")")
                        .arg(ts)
                        .arg(line + 1)
                        .arg(QString::fromUtf8(a.value(line).trimmed()), QString::fromUtf8(b.value(line).trimmed()));
    }
    if (!problems.isEmpty())
        problems << QStringLiteral(
            "run `cmake --build <build folder> --target update_translations`, translate, and commit the .ts files");
    QVERIFY2(problems.isEmpty(), qPrintable(listProblems(problems) + QString::fromUtf8(output)));
}

void TestConsoleTranslations::koreanIsComplete()
{
    QString error;
    const QList<Entry> entries
        = readTs(QDir(QStringLiteral(CAIRN_TS_DIR)).filePath(QStringLiteral("cairn_ko.ts")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!entries.isEmpty());
    QStringList problems;
    for (const Entry &e : entries) {
        if (!e.type.isEmpty())
            problems << QStringLiteral("%1 is %2").arg(describe(e), e.type);
        else if (e.forms.isEmpty() || e.forms.contains(QString()))
            problems << QStringLiteral("%1 has an empty translation").arg(describe(e));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("translations/cairn_ko.ts: ") + listProblems(problems)));
}

void TestConsoleTranslations::pluralsHaveTheirForms()
{
    // Korean has one plural form, English two ("%n second" / "%n seconds").
    const QList<QPair<QString, int>> files {{QStringLiteral("cairn_ko.ts"), 1}, {QStringLiteral("cairn_en.ts"), 2}};
    QStringList problems;
    for (const auto &[ts, forms] : files) {
        QString error;
        const QList<Entry> entries = readTs(QDir(QStringLiteral(CAIRN_TS_DIR)).filePath(ts), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const Entry &e : entries) {
            if (e.source.contains(QLatin1String("%n")) && !e.numerus)
                problems << ts + QStringLiteral(": ") + describe(e)
                        + QStringLiteral(" uses %n without tr()'s count argument");
            if (!e.numerus)
                continue;
            if (e.forms.size() != forms || e.forms.contains(QString()))
                problems << ts + QStringLiteral(": ") + describe(e)
                        + QStringLiteral(" needs %1 plural form(s)").arg(forms);
            else if (!e.type.isEmpty())
                problems << ts + QStringLiteral(": ") + describe(e) + QStringLiteral(" is ") + e.type;
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(listProblems(problems)));
}

QTEST_GUILESS_MAIN(TestConsoleTranslations)
#include "TestConsoleTranslations.moc"
