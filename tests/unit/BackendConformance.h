// The storage-backend conformance suite: the behaviour every Backend must show, written once
// against Backend&. A test executable derives from BackendConformance, returns its backend
// factories from factories(), and every test function of the suite runs once per factory (one
// row of a data-driven Qt Test table). Add this header to the executable's SOURCES so that
// AUTOMOC sees it, e.g. for a remote backend:
//
//   class TestRemoteBackend : public cairn::test::BackendConformance {
//       Q_OBJECT
//   protected:
//       QList<cairn::test::NamedBackendFactory> factories() const override
//       { return {{QStringLiteral("remote"), &makeRemoteBackend}}; }
//   };
//
// Not every store is a plain file store. A factory describes its backend with BackendTraits:
//  - appendOnly: remove() is refused with PermissionDenied and the file stays;
//  - contentAddressed: a name is derived from the bytes and the store verifies both, so the
//    suite asks the factory's makeFile() for valid content (instead of a name and a pattern),
//    an existing name can only be saved again with the same bytes (other bytes: Corrupt), and
//    an empty file or a name that is no content id is refused;
//  - writableTypes: save() of another type is refused with PermissionDenied and changes nothing;
//  - providedTypes: types whose single file the store supplies itself (always present).
// Every test runs for every backend; where a plain store's expectation cannot hold, the test
// asserts the adapted one (stated at the test) instead of skipping.
//
// Runs on the test's main thread; the concurrency tests start their own std::threads and join
// them before checking.
#pragma once

#include "VerifyResult.h"
#include "TestSupport.h"
#include "backend/Backend.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn::test {

// A file for a test to save.
struct TestFile {
    Handle handle;
    QByteArray data;
    QMap<QString, qint64> alsoStoredPacks; // packs the maker had to save first (name → size)
};

struct BackendTraits {
    bool appendOnly = false;
    bool contentAddressed = false;
    QList<FileType> writableTypes {FileType::Pack, FileType::Snapshot, FileType::Key, FileType::Config};
    QList<FileType> providedTypes;
    // contentAddressed only: valid content of at least `size` bytes (or the smallest valid
    // content), different for different seeds, with its name. Called from the main thread.
    std::function<Result<TestFile>(FileType type, qint64 size, quint64 seed)> makeFile;
};

// A backend under test plus whatever must outlive it (a temporary directory, a server).
struct BackendUnderTest {
    std::shared_ptr<void> keepAlive; // declared first: destroyed after the backend
    std::unique_ptr<Backend> backend;
    BackendTraits traits;
};

// Makes a fresh, empty backend; a null backend means it could not (the test then fails).
using BackendFactory = std::function<BackendUnderTest()>;

struct NamedBackendFactory {
    QString name;
    BackendFactory make;
};

// Every file of `type` as name → size; an error if list() fails or visits a name twice.
inline Result<QMap<QString, qint64>> listedFiles(Backend &backend, FileType type)
{
    QMap<QString, qint64> files;
    QStringList duplicates;
    const Status s = backend.list(type, [&](const FileInfo &info) {
        if (files.contains(info.name))
            duplicates.append(info.name);
        files.insert(info.name, info.size);
    });
    if (!s)
        return s.error();
    if (!duplicates.isEmpty())
        return Error(ErrorCode::Corrupt, QStringLiteral("list() visited twice: ") + duplicates.join(QLatin1Char(' ')));
    return files;
}

// The file a test saves: `name` holding testPattern(size, seed) on a plain store; on a
// content-addressed store valid content from the factory, named after itself.
inline Result<TestFile> fileFor(
    const BackendUnderTest &b, FileType type, const QString &name, qint64 size, quint64 seed)
{
    if (!b.traits.contentAddressed)
        return TestFile {
            Handle {type, type == FileType::Config ? QStringLiteral("config") : name}, testPattern(size, seed), {}};
    if (!b.traits.makeFile)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a content-addressed backend needs traits.makeFile"));
    return b.traits.makeFile(type, size, seed);
}

} // namespace cairn::test

Q_DECLARE_METATYPE(cairn::test::BackendFactory)

// Declares `var` as the TestFile fileFor() makes, failing the test if it cannot.
#define CAIRN_TEST_FILE(var, b, type, name, size, seed)                                                                \
    const Result<TestFile> var##_made_ = ::cairn::test::fileFor((b), (type), (name), (size), (seed));                  \
    CAIRN_VERIFY_OK(var##_made_);                                                                                      \
    const TestFile &var = *var##_made_

namespace cairn::test {

class BackendConformance : public QObject {
    Q_OBJECT

protected:
    // The backends to run the suite against, one data row each.
    virtual QList<NamedBackendFactory> factories() const = 0;

    void addFactoryRows()
    {
        QTest::addColumn<BackendFactory>("factory");
        for (const NamedBackendFactory &f : factories())
            QTest::newRow(qPrintable(f.name)) << f.make;
    }

    // The current row's fresh backend.
    static BackendUnderTest makeBackend()
    {
        QFETCH(BackendFactory, factory);
        return factory();
    }

    static QList<FileType> allTypes() { return {FileType::Pack, FileType::Snapshot, FileType::Key, FileType::Config}; }

    static Handle handle(FileType type, const QString &name)
    {
        return Handle {type, type == FileType::Config ? QStringLiteral("config") : name};
    }

    // What list(type) must show when `saved` are the files the test saved: those, plus the
    // store's own file of a provided type.
    static Result<QMap<QString, qint64>> expectedListing(
        BackendUnderTest &b, FileType type, QMap<QString, qint64> saved = {})
    {
        if (b.traits.providedTypes.contains(type)) {
            const Result<FileInfo> own = b.backend->stat(handle(type, QStringLiteral("provided")));
            if (!own)
                return own.error();
            saved.insert(own->name, own->size);
        }
        return saved;
    }

    // A refused save changes nothing: what load() gives before and after must be the same.
    static bool sameOutcome(const Result<QByteArray> &before, const Result<QByteArray> &after)
    {
        if (before.ok() != after.ok())
            return false;
        return before.ok() ? *before == *after : before.error().code == after.error().code;
    }

private slots:
    // Plain stores: the same name in every type holds its own bytes (the types do not share a
    // namespace). Types a store does not let agents write: save() is PermissionDenied and
    // changes nothing.
    void roundTripEveryType_data() { addFactoryRows(); }
    void roundTripEveryType()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        QMap<FileType, TestFile> saved;
        quint64 seed = 1;
        for (FileType type : allTypes()) {
            const qint64 size = 1000 + qint64(seed) * 37;
            if (!b.traits.writableTypes.contains(type)) {
                const Handle h = handle(type, QStringLiteral("abc123"));
                const Result<QByteArray> before = backend.load(h);
                CAIRN_VERIFY_ERROR(backend.save(h, testPattern(size, seed++)), ErrorCode::PermissionDenied);
                QVERIFY2(sameOutcome(before, backend.load(h)), fileTypeName(type));
                continue;
            }
            CAIRN_TEST_FILE(file, b, type, QStringLiteral("abc123"), size, seed++);
            saved.insert(type, file);
            CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
            const Result<QByteArray> loaded = backend.load(file.handle);
            CAIRN_VERIFY_OK(loaded);
            QVERIFY(*loaded == file.data);
            const Result<FileInfo> info = backend.stat(file.handle);
            CAIRN_VERIFY_OK(info);
            QCOMPARE(info->name, file.handle.name);
            QCOMPARE(info->size, qint64(file.data.size()));
        }
        QVERIFY(!saved.isEmpty());
        for (const TestFile &file : saved) {
            const Result<QByteArray> loaded = backend.load(file.handle);
            CAIRN_VERIFY_OK(loaded);
            QVERIFY2(*loaded == file.data, fileTypeName(file.handle.type));
        }
    }

    // Plain stores keep an empty file. Content-addressed stores refuse one (an empty pack is
    // not valid content: Corrupt, nothing stored); zero-length reads of a real file still work.
    void emptyFile_data() { addFactoryRows(); }
    void emptyFile()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        if (b.traits.contentAddressed) {
            const Handle empty {
                FileType::Pack, QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")};
            CAIRN_VERIFY_ERROR(backend.save(empty, QByteArray()), ErrorCode::Corrupt);
            CAIRN_VERIFY_ERROR(backend.stat(empty), ErrorCode::NotFound);
            CAIRN_TEST_FILE(file, b, FileType::Pack, QStringLiteral("e0"), 100, 1);
            CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
            const qint64 size = file.data.size();
            for (const auto &[offset, length] : {std::pair<qint64, qint64> {0, 0}, {size, 0}, {size, -1}}) {
                const Result<QByteArray> loaded = backend.load(file.handle, offset, length);
                CAIRN_VERIFY_OK(loaded);
                QVERIFY(loaded->isEmpty());
            }
            CAIRN_VERIFY_ERROR(backend.load(file.handle, size, 1), ErrorCode::Permanent);
            QMap<QString, qint64> expected = file.alsoStoredPacks;
            expected.insert(file.handle.name, size);
            const auto listed = listedFiles(backend, FileType::Pack);
            CAIRN_VERIFY_OK(listed);
            QCOMPARE(*listed, expected);
            return;
        }
        const Handle h {FileType::Pack, QStringLiteral("e0")};
        CAIRN_VERIFY_OK(backend.save(h, QByteArray()));
        for (const qint64 length : {qint64(-1), qint64(0)}) {
            const Result<QByteArray> loaded = backend.load(h, 0, length);
            CAIRN_VERIFY_OK(loaded);
            QVERIFY(loaded->isEmpty());
        }
        CAIRN_VERIFY_ERROR(backend.load(h, 0, 1), ErrorCode::Permanent);
        const Result<FileInfo> info = backend.stat(h);
        CAIRN_VERIFY_OK(info);
        QCOMPARE(info->size, qint64(0));
        const auto listed = listedFiles(backend, FileType::Pack);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, (QMap<QString, qint64> {{h.name, 0}}));
    }

    void largeFile_data() { addFactoryRows(); }
    void largeFile()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(file, b, FileType::Pack, QStringLiteral("b16f11e"), 20 << 20, 20);
        const QByteArray &data = file.data;
        const Handle &h = file.handle;
        const qint64 size = data.size();
        QVERIFY(size >= 20 << 20);
        CAIRN_VERIFY_OK(backend.save(h, data));
        const Result<FileInfo> info = backend.stat(h);
        CAIRN_VERIFY_OK(info);
        QCOMPARE(info->size, size);
        const Result<QByteArray> all = backend.load(h);
        CAIRN_VERIFY_OK(all);
        QCOMPARE(all->size(), size);
        QVERIFY(*all == data);
        const Result<QByteArray> middle = backend.load(h, 10 << 20, 1 << 20);
        CAIRN_VERIFY_OK(middle);
        QVERIFY(*middle == data.mid(10 << 20, 1 << 20));
        const Result<QByteArray> tail = backend.load(h, size - 100, -1);
        CAIRN_VERIFY_OK(tail);
        QVERIFY(*tail == data.right(100));
    }

    void rangedLoads_data() { addFactoryRows(); }
    void rangedLoads()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(file, b, FileType::Snapshot, QStringLiteral("ranges"), 1000, 7);
        const QByteArray &data = file.data;
        const qint64 n = data.size(); // 1000 on a plain store
        QVERIFY(n >= 200);
        CAIRN_VERIFY_OK(backend.save(file.handle, data));
        const std::pair<qint64, qint64> ranges[] = {
            {0, 10}, {0, n}, {n / 2, 100}, {n - 10, 10}, {n - 1, 1}, // start, whole, middle, end
            {0, 0}, {n / 2, 0}, {n, 0}, // length 0, also at the end
            {0, -1}, {n * 3 / 10, -1}, {n - 1, -1}, {n, -1}, // to the end
        };
        for (const auto &[offset, length] : ranges) {
            const QByteArray what = QByteArray::number(offset) + ", " + QByteArray::number(length);
            const Result<QByteArray> loaded = backend.load(file.handle, offset, length);
            QVERIFY2(loaded.ok(), what.constData());
            const QByteArray expected = data.mid(offset, length < 0 ? -1 : length);
            QVERIFY2(loaded->size() == expected.size(), what.constData());
            QVERIFY2(*loaded == expected, what.constData());
        }
    }

    void rangePastEndIsPermanent_data() { addFactoryRows(); }
    void rangePastEndIsPermanent()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(file, b, FileType::Pack, QStringLiteral("short"), 1000, 3);
        const qint64 n = file.data.size();
        CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
        const std::pair<qint64, qint64> ranges[]
            = {{n - 5, 10}, {0, n + 1}, {n, 1}, {n + 1, 0}, {2 * n, -1}, {n + 1, -1}};
        for (const auto &[offset, length] : ranges) {
            const Result<QByteArray> loaded = backend.load(file.handle, offset, length);
            QVERIFY2(!loaded.ok(),
                qPrintable(QStringLiteral("load(%1, %2) returned %3 bytes")
                               .arg(offset)
                               .arg(length)
                               .arg(loaded.ok() ? loaded->size() : 0)));
            QCOMPARE(errorCodeName(loaded.error().code), errorCodeName(ErrorCode::Permanent));
        }
    }

    void negativeOffsetIsInvalid_data() { addFactoryRows(); }
    void negativeOffsetIsInvalid()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(file, b, FileType::Pack, QStringLiteral("neg"), 100, 4);
        CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
        CAIRN_VERIFY_ERROR(backend.load(file.handle, -1, 10), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(backend.load(file.handle, -1, -1), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(backend.load(file.handle, -1000, 0), ErrorCode::InvalidArgument);
    }

    // A provided type's file is always there and cannot be removed (PermissionDenied).
    // Append-only stores answer remove() with PermissionDenied whether or not the file exists
    // (they never delete).
    void missingIsNotFound_data() { addFactoryRows(); }
    void missingIsNotFound()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const ErrorCode removeCode = b.traits.appendOnly ? ErrorCode::PermissionDenied : ErrorCode::NotFound;
        for (FileType type : allTypes()) {
            const Handle h = handle(type, QStringLiteral("missing0"));
            if (b.traits.providedTypes.contains(type)) {
                CAIRN_VERIFY_OK(backend.load(h));
                CAIRN_VERIFY_OK(backend.stat(h));
                CAIRN_VERIFY_ERROR(backend.remove(h), ErrorCode::PermissionDenied);
                CAIRN_VERIFY_OK(backend.stat(h));
                continue;
            }
            CAIRN_VERIFY_ERROR(backend.load(h), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.load(h, 10, 5), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.stat(h), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.remove(h), removeCode);
        }
    }

    // Plain stores replace a file. Content-addressed stores cannot hold other bytes under a
    // taken name: saving the same bytes again succeeds, other bytes are refused (Corrupt) and
    // the file is unchanged.
    void overwriteReplaces_data() { addFactoryRows(); }
    void overwriteReplaces()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(first, b, FileType::Snapshot, QStringLiteral("again"), 3000, 10);
        const Handle &h = first.handle;
        const QByteArray second = testPattern(1234, 11);
        CAIRN_VERIFY_OK(backend.save(h, first.data));
        QByteArray expected = second;
        if (b.traits.contentAddressed) {
            CAIRN_VERIFY_OK(backend.save(h, first.data));
            CAIRN_VERIFY_ERROR(backend.save(h, second), ErrorCode::Corrupt);
            expected = first.data;
        } else {
            CAIRN_VERIFY_OK(backend.save(h, second));
        }
        const Result<QByteArray> loaded = backend.load(h);
        CAIRN_VERIFY_OK(loaded);
        QVERIFY(*loaded == expected);
        const auto listed = listedFiles(backend, FileType::Snapshot);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, (QMap<QString, qint64> {{h.name, qint64(expected.size())}}));
    }

    // Readers never see a mixture while a name is saved again and again (on a content-addressed
    // store with the same bytes each time).
    void overwriteIsAtomicForReaders_data() { addFactoryRows(); }
    void overwriteIsAtomicForReaders()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        CAIRN_TEST_FILE(file, b, FileType::Pack, QStringLiteral("flipflop"), 96 << 10, 12);
        const Handle h = file.handle;
        const QByteArray versions[] = {file.data, b.traits.contentAddressed ? file.data : testPattern(160 << 10, 13)};
        CAIRN_VERIFY_OK(backend.save(h, versions[0]));

        std::mutex mutex;
        QStringList failures;
        auto fail = [&](const QString &what) {
            std::lock_guard<std::mutex> lock(mutex);
            failures.append(what);
        };
        std::atomic<bool> done {false};
        std::thread writer([&] {
            for (int i = 1; i <= 40; ++i) {
                const Status s = backend.save(h, versions[i % 2]);
                if (!s)
                    fail(QStringLiteral("save: ") + s.error().message);
            }
            done = true;
        });
        int reads = 0;
        while (!done || reads < 20) {
            const Result<QByteArray> loaded = backend.load(h);
            ++reads;
            if (!loaded)
                fail(QStringLiteral("load: ") + loaded.error().message);
            else if (*loaded != versions[0] && *loaded != versions[1])
                fail(QStringLiteral("load returned a mixture of %1 bytes").arg(loaded->size()));
        }
        writer.join();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));
    }

    // Types the store does not let agents write stay as they were (empty, or the provided file).
    void listReturnsExactlyTheSavedFiles_data() { addFactoryRows(); }
    void listReturnsExactlyTheSavedFiles()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            const auto expected = expectedListing(b, type);
            CAIRN_VERIFY_OK(expected);
            QVERIFY2(*listed == *expected, fileTypeName(type));
        }
        const QMap<FileType, QMap<QString, qint64>> planned = {
            {FileType::Pack,
                {{QStringLiteral("00aa"), 10}, {QStringLiteral("00ab"), 0}, {QStringLiteral("ff01"), 300},
                    {QStringLiteral("1"), 7}, {QStringLiteral("a-b_c"), 1}, {QString(64, QLatin1Char('e')), 4096}}},
            {FileType::Snapshot, {{QStringLiteral("s1"), 20}, {QStringLiteral("s2"), 21}}},
            {FileType::Key, {{QStringLiteral("k1"), 33}}},
            {FileType::Config, {{QStringLiteral("config"), 55}}},
        };
        QMap<FileType, QMap<QString, qint64>> saved;
        quint64 seed = 100;
        for (auto t = planned.cbegin(); t != planned.cend(); ++t) {
            for (auto f = t->cbegin(); f != t->cend(); ++f) {
                if (!b.traits.writableTypes.contains(t.key())) {
                    CAIRN_VERIFY_ERROR(backend.save(handle(t.key(), f.key()), testPattern(f.value(), seed++)),
                        ErrorCode::PermissionDenied);
                    continue;
                }
                CAIRN_TEST_FILE(file, b, t.key(), f.key(), f.value(), seed++);
                CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
                saved[t.key()].insert(file.handle.name, file.data.size());
                for (auto p = file.alsoStoredPacks.cbegin(); p != file.alsoStoredPacks.cend(); ++p)
                    saved[FileType::Pack].insert(p.key(), p.value());
            }
        }
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            const auto expected = expectedListing(b, type, saved.value(type));
            CAIRN_VERIFY_OK(expected);
            QCOMPARE(*listed, *expected);
        }
    }

    // Append-only stores refuse remove() with PermissionDenied and keep the file listed and
    // readable.
    void removeThenList_data() { addFactoryRows(); }
    void removeThenList()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        QList<TestFile> packs;
        QMap<QString, qint64> all;
        for (const QString &name : {QStringLiteral("aa01"), QStringLiteral("aa02"), QStringLiteral("bb03")}) {
            CAIRN_TEST_FILE(file, b, FileType::Pack, name, 50, 5 + quint64(packs.size()));
            CAIRN_VERIFY_OK(backend.save(file.handle, file.data));
            packs.append(file);
            all.insert(file.handle.name, file.data.size());
        }
        const bool keysWritable = b.traits.writableTypes.contains(FileType::Key);
        const Handle key {FileType::Key, packs[1].handle.name}; // the same name as the removed pack
        if (keysWritable)
            CAIRN_VERIFY_OK(backend.save(key, testPattern(60, 6)));
        else
            CAIRN_VERIFY_ERROR(backend.save(key, testPattern(60, 6)), ErrorCode::PermissionDenied);
        const TestFile &gone = packs[1];
        const auto listedAfter = [&](const QMap<QString, qint64> &expected) {
            const auto listed = listedFiles(backend, FileType::Pack);
            return listed.ok() && *listed == expected;
        };
        if (b.traits.appendOnly) {
            CAIRN_VERIFY_ERROR(backend.remove(gone.handle), ErrorCode::PermissionDenied);
            QVERIFY(listedAfter(all));
            const Result<QByteArray> kept = backend.load(gone.handle);
            CAIRN_VERIFY_OK(kept);
            QVERIFY(*kept == gone.data);
            CAIRN_VERIFY_OK(backend.stat(gone.handle));
            CAIRN_VERIFY_ERROR(backend.remove(gone.handle), ErrorCode::PermissionDenied);
        } else {
            CAIRN_VERIFY_OK(backend.remove(gone.handle));
            all.remove(gone.handle.name);
            QVERIFY(listedAfter(all));
            CAIRN_VERIFY_ERROR(backend.load(gone.handle), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.stat(gone.handle), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.remove(gone.handle), ErrorCode::NotFound);
        }
        // The key of the same name is untouched.
        const auto keys = listedFiles(backend, FileType::Key);
        CAIRN_VERIFY_OK(keys);
        const QMap<QString, qint64> expectedKeys
            = keysWritable ? QMap<QString, qint64> {{key.name, 60}} : QMap<QString, qint64>();
        QCOMPARE(*keys, expectedKeys);
    }

    // Invalid names are refused everywhere. The longest valid name works on a plain store; a
    // content-addressed store takes only content ids (InvalidArgument for other names).
    void invalidNamesRejected_data() { addFactoryRows(); }
    void invalidNamesRejected()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const QStringList bad = {QString(), QStringLiteral("UPPER"), QStringLiteral("a/b"), QStringLiteral("../etc"),
            QStringLiteral(".."), QStringLiteral("."), QStringLiteral("a.b"), QStringLiteral("name.tmp"),
            QStringLiteral("with space"), QStringLiteral("a\nb"), QString(129, QLatin1Char('a')),
            QStringLiteral("gr\u00fcn")};
        for (FileType type : {FileType::Pack, FileType::Snapshot, FileType::Key}) {
            for (const QString &name : bad) {
                const Handle h {type, name};
                CAIRN_VERIFY_ERROR(backend.save(h, QByteArrayLiteral("x")), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.load(h), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.stat(h), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.remove(h), ErrorCode::InvalidArgument);
            }
        }
        CAIRN_VERIFY_ERROR(backend.save(Handle {FileType::Config, QStringLiteral("other")}, QByteArrayLiteral("x")),
            ErrorCode::InvalidArgument);
        const QString longest(128, QLatin1Char('z'));
        QMap<QString, qint64> packs;
        if (b.traits.contentAddressed) {
            CAIRN_VERIFY_ERROR(
                backend.save(Handle {FileType::Pack, longest}, QByteArrayLiteral("x")), ErrorCode::InvalidArgument);
        } else {
            CAIRN_VERIFY_OK(backend.save(Handle {FileType::Pack, longest}, QByteArrayLiteral("x")));
            packs.insert(longest, 1);
        }
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            const auto expected = expectedListing(b, type, type == FileType::Pack ? packs : QMap<QString, qint64>());
            CAIRN_VERIFY_OK(expected);
            QCOMPARE(*listed, *expected);
        }
    }

    // Many threads save and load at once. Everyone also races on one snapshot name: on a plain
    // store with their own bytes (one version wins whole), on a content-addressed one with the
    // same bytes.
    void concurrentSavesAndLoads_data() { addFactoryRows(); }
    void concurrentSavesAndLoads()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        constexpr int Threads = 8;
        constexpr int FilesPerThread = 16;
        auto nameOf = [](int t, int i) {
            return QStringLiteral("%1%2c0ffee").arg(t, 2, 10, QLatin1Char('0')).arg(i, 2, 10, QLatin1Char('0'));
        };
        std::vector<std::vector<TestFile>> files(Threads);
        QMap<QString, qint64> expectedPacks;
        for (int t = 0; t < Threads; ++t) {
            for (int i = 0; i < FilesPerThread; ++i) {
                CAIRN_TEST_FILE(file, b, FileType::Pack, nameOf(t, i), (t * FilesPerThread + i) * 9973 % 300000 + 1,
                    quint64(t * 100 + i));
                files[size_t(t)].push_back(file);
                expectedPacks.insert(file.handle.name, file.data.size());
            }
        }
        std::vector<TestFile> sharedVersions;
        for (int t = 0; t < Threads; ++t) {
            if (b.traits.contentAddressed && t > 0) {
                sharedVersions.push_back(sharedVersions.front());
                continue;
            }
            CAIRN_TEST_FILE(version, b, FileType::Snapshot, QStringLiteral("shared"), 5000 + t, quint64(1000 + t));
            sharedVersions.push_back(version);
            for (auto p = version.alsoStoredPacks.cbegin(); p != version.alsoStoredPacks.cend(); ++p)
                expectedPacks.insert(p.key(), p.value());
        }
        const Handle shared = sharedVersions.front().handle;

        std::mutex mutex;
        QStringList failures;
        auto fail = [&](const QString &what) {
            std::lock_guard<std::mutex> lock(mutex);
            failures.append(what);
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back([&, t] {
                const std::vector<TestFile> &own = files[size_t(t)];
                for (int i = 0; i < FilesPerThread; ++i) {
                    const Status s = backend.save(own[size_t(i)].handle, own[size_t(i)].data);
                    if (!s)
                        fail(QStringLiteral("save: ") + s.error().message);
                    if (i % 4 == 0) { // everyone also races on one name
                        const Status s2 = backend.save(shared, sharedVersions[size_t(t)].data);
                        if (!s2)
                            fail(QStringLiteral("save shared: ") + s2.error().message);
                    }
                }
                for (int i = 0; i < FilesPerThread; ++i) {
                    // Own files, and the neighbour's (which may or may not be there yet).
                    const TestFile &mine = own[size_t(i)];
                    const Result<QByteArray> loaded = backend.load(mine.handle);
                    if (!loaded || *loaded != mine.data)
                        fail(QStringLiteral("load %1 is wrong").arg(mine.handle.name));
                    const qint64 half = mine.data.size() / 2;
                    const Result<QByteArray> part = backend.load(mine.handle, half, -1);
                    if (!part || *part != mine.data.mid(half))
                        fail(QStringLiteral("ranged load %1 is wrong").arg(mine.handle.name));
                    const TestFile &next = files[size_t((t + 1) % Threads)][size_t(i)];
                    const Result<QByteArray> other = backend.load(next.handle);
                    if (other ? *other != next.data : other.error().code != ErrorCode::NotFound)
                        fail(QStringLiteral("load %1 is wrong").arg(next.handle.name));
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));

        const auto listed = listedFiles(backend, FileType::Pack);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, expectedPacks);
        for (const std::vector<TestFile> &own : files) {
            for (const TestFile &file : own) {
                const Result<QByteArray> loaded = backend.load(file.handle);
                CAIRN_VERIFY_OK(loaded);
                QVERIFY(*loaded == file.data);
            }
        }
        const Result<QByteArray> last = backend.load(shared);
        CAIRN_VERIFY_OK(last);
        bool isOneVersion = false;
        for (const TestFile &version : sharedVersions)
            isOneVersion = isOneVersion || *last == version.data;
        QVERIFY2(isOneVersion, "the racing saves of one name left a mixture");
    }
};

} // namespace cairn::test
