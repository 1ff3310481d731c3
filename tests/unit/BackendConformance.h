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
// Runs on the test's main thread; the concurrency tests start their own std::threads and join
// them before checking.
#pragma once

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

// A backend under test plus whatever must outlive it (a temporary directory, a server).
struct BackendUnderTest {
    std::shared_ptr<void> keepAlive; // declared first: destroyed after the backend
    std::unique_ptr<Backend> backend;
};

// Makes a fresh, empty backend; a null backend means it could not (the test then fails).
using BackendFactory = std::function<BackendUnderTest()>;

struct NamedBackendFactory {
    QString name;
    BackendFactory make;
};

// Deterministic pseudo-random bytes: different seeds give different contents.
inline QByteArray testPattern(qint64 size, quint64 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint64 x = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    char *p = out.data();
    for (qint64 i = 0; i < size; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const qint64 n = std::min<qint64>(8, size - i);
        std::memcpy(p + i, &x, size_t(n));
    }
    return out;
}

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

} // namespace cairn::test

Q_DECLARE_METATYPE(cairn::test::BackendFactory)

// The Status/Result expression must succeed; its error message is printed if not.
#define CAIRN_VERIFY_OK(expr)                                                                      \
    do {                                                                                           \
        const auto &cairn_r_ = (expr);                                                             \
        QVERIFY2(cairn_r_.ok(), cairn_r_.ok() ? "" : qPrintable(cairn_r_.error().message));        \
    } while (0)

// The Status/Result expression must fail with exactly `expectedCode`.
#define CAIRN_VERIFY_ERROR(expr, expectedCode)                                                     \
    do {                                                                                           \
        const auto &cairn_r_ = (expr);                                                             \
        QVERIFY2(!cairn_r_.ok(), "succeeded unexpectedly: " #expr);                                \
        QCOMPARE(::cairn::errorCodeName(cairn_r_.error().code), ::cairn::errorCodeName(expectedCode)); \
    } while (0)

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

    static QList<FileType> allTypes()
    {
        return {FileType::Pack, FileType::Snapshot, FileType::Key, FileType::Config};
    }

    static Handle handle(FileType type, const QString &name)
    {
        return Handle{type, type == FileType::Config ? QStringLiteral("config") : name};
    }

private slots:
    void roundTripEveryType_data() { addFactoryRows(); }
    void roundTripEveryType()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        // The same name in every type: the types must not share a namespace.
        QMap<FileType, QByteArray> contents;
        quint64 seed = 1;
        for (FileType type : allTypes()) {
            const Handle h = handle(type, QStringLiteral("abc123"));
            const QByteArray data = testPattern(1000 + qint64(seed) * 37, seed);
            ++seed;
            contents.insert(type, data);
            CAIRN_VERIFY_OK(backend.save(h, data));
            const Result<QByteArray> loaded = backend.load(h);
            CAIRN_VERIFY_OK(loaded);
            QVERIFY(*loaded == data);
            const Result<FileInfo> info = backend.stat(h);
            CAIRN_VERIFY_OK(info);
            QCOMPARE(info->name, h.name);
            QCOMPARE(info->size, qint64(data.size()));
        }
        for (FileType type : allTypes()) {
            const Result<QByteArray> loaded = backend.load(handle(type, QStringLiteral("abc123")));
            CAIRN_VERIFY_OK(loaded);
            QVERIFY2(*loaded == contents.value(type), fileTypeName(type));
        }
    }

    void emptyFile_data() { addFactoryRows(); }
    void emptyFile()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const Handle h{FileType::Pack, QStringLiteral("e0")};
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
        QCOMPARE(*listed, (QMap<QString, qint64>{{h.name, 0}}));
    }

    void largeFile_data() { addFactoryRows(); }
    void largeFile()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const qint64 size = 20 << 20;
        const QByteArray data = testPattern(size, 20);
        const Handle h{FileType::Pack, QStringLiteral("b16f11e")};
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
        const QByteArray data = testPattern(1000, 7);
        const Handle h{FileType::Snapshot, QStringLiteral("ranges")};
        CAIRN_VERIFY_OK(backend.save(h, data));
        const std::pair<qint64, qint64> ranges[] = {
            {0, 10}, {0, 1000}, {500, 100}, {990, 10}, {999, 1},   // start, whole, middle, end
            {0, 0}, {500, 0}, {1000, 0},                          // length 0, also at the end
            {0, -1}, {300, -1}, {999, -1}, {1000, -1},            // to the end
        };
        for (const auto &[offset, length] : ranges) {
            const QByteArray what = QByteArray::number(offset) + ", " + QByteArray::number(length);
            const Result<QByteArray> loaded = backend.load(h, offset, length);
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
        const Handle h{FileType::Pack, QStringLiteral("short")};
        CAIRN_VERIFY_OK(backend.save(h, testPattern(1000, 3)));
        const std::pair<qint64, qint64> ranges[] = {{995, 10}, {0, 1001}, {1000, 1}, {1001, 0}, {2000, -1}, {1001, -1}};
        for (const auto &[offset, length] : ranges) {
            const Result<QByteArray> loaded = backend.load(h, offset, length);
            QVERIFY2(!loaded.ok(), qPrintable(QStringLiteral("load(%1, %2) returned %3 bytes")
                                                  .arg(offset).arg(length).arg(loaded.ok() ? loaded->size() : 0)));
            QCOMPARE(errorCodeName(loaded.error().code), errorCodeName(ErrorCode::Permanent));
        }
    }

    void negativeOffsetIsInvalid_data() { addFactoryRows(); }
    void negativeOffsetIsInvalid()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const Handle h{FileType::Pack, QStringLiteral("neg")};
        CAIRN_VERIFY_OK(backend.save(h, testPattern(100, 4)));
        CAIRN_VERIFY_ERROR(backend.load(h, -1, 10), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(backend.load(h, -1, -1), ErrorCode::InvalidArgument);
        CAIRN_VERIFY_ERROR(backend.load(h, -1000, 0), ErrorCode::InvalidArgument);
    }

    void missingIsNotFound_data() { addFactoryRows(); }
    void missingIsNotFound()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        for (FileType type : allTypes()) {
            const Handle h = handle(type, QStringLiteral("missing0"));
            CAIRN_VERIFY_ERROR(backend.load(h), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.load(h, 10, 5), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.stat(h), ErrorCode::NotFound);
            CAIRN_VERIFY_ERROR(backend.remove(h), ErrorCode::NotFound);
        }
    }

    void overwriteReplaces_data() { addFactoryRows(); }
    void overwriteReplaces()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const Handle h{FileType::Snapshot, QStringLiteral("again")};
        const QByteArray first = testPattern(3000, 10);
        const QByteArray second = testPattern(1234, 11);
        CAIRN_VERIFY_OK(backend.save(h, first));
        CAIRN_VERIFY_OK(backend.save(h, second));
        const Result<QByteArray> loaded = backend.load(h);
        CAIRN_VERIFY_OK(loaded);
        QVERIFY(*loaded == second);
        const auto listed = listedFiles(backend, FileType::Snapshot);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, (QMap<QString, qint64>{{h.name, 1234}}));
    }

    void overwriteIsAtomicForReaders_data() { addFactoryRows(); }
    void overwriteIsAtomicForReaders()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const Handle h{FileType::Pack, QStringLiteral("flipflop")};
        const QByteArray versions[] = {testPattern(96 << 10, 12), testPattern(160 << 10, 13)};
        CAIRN_VERIFY_OK(backend.save(h, versions[0]));

        std::mutex mutex;
        QStringList failures;
        auto fail = [&](const QString &what) {
            std::lock_guard<std::mutex> lock(mutex);
            failures.append(what);
        };
        std::atomic<bool> done{false};
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

    void listReturnsExactlyTheSavedFiles_data() { addFactoryRows(); }
    void listReturnsExactlyTheSavedFiles()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            QVERIFY2(listed->isEmpty(), fileTypeName(type));
        }
        const QMap<FileType, QMap<QString, qint64>> expected = {
            {FileType::Pack, {{QStringLiteral("00aa"), 10}, {QStringLiteral("00ab"), 0}, {QStringLiteral("ff01"), 300},
                              {QStringLiteral("1"), 7}, {QStringLiteral("a-b_c"), 1},
                              {QString(64, QLatin1Char('e')), 4096}}},
            {FileType::Snapshot, {{QStringLiteral("s1"), 20}, {QStringLiteral("s2"), 21}}},
            {FileType::Key, {{QStringLiteral("k1"), 33}}},
            {FileType::Config, {{QStringLiteral("config"), 55}}},
        };
        quint64 seed = 100;
        for (auto t = expected.cbegin(); t != expected.cend(); ++t)
            for (auto f = t->cbegin(); f != t->cend(); ++f)
                CAIRN_VERIFY_OK(backend.save(Handle{t.key(), f.key()}, testPattern(f.value(), seed++)));
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            QCOMPARE(*listed, expected.value(type));
        }
    }

    void removeThenList_data() { addFactoryRows(); }
    void removeThenList()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        for (const QString &name : {QStringLiteral("aa01"), QStringLiteral("aa02"), QStringLiteral("bb03")})
            CAIRN_VERIFY_OK(backend.save(Handle{FileType::Pack, name}, testPattern(50, 5)));
        CAIRN_VERIFY_OK(backend.save(Handle{FileType::Key, QStringLiteral("aa02")}, testPattern(60, 6)));
        const Handle gone{FileType::Pack, QStringLiteral("aa02")};
        CAIRN_VERIFY_OK(backend.remove(gone));
        const auto listed = listedFiles(backend, FileType::Pack);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(*listed, (QMap<QString, qint64>{{QStringLiteral("aa01"), 50}, {QStringLiteral("bb03"), 50}}));
        CAIRN_VERIFY_ERROR(backend.load(gone), ErrorCode::NotFound);
        CAIRN_VERIFY_ERROR(backend.stat(gone), ErrorCode::NotFound);
        CAIRN_VERIFY_ERROR(backend.remove(gone), ErrorCode::NotFound);
        // The key of the same name is untouched.
        const auto keys = listedFiles(backend, FileType::Key);
        CAIRN_VERIFY_OK(keys);
        QCOMPARE(*keys, (QMap<QString, qint64>{{QStringLiteral("aa02"), 60}}));
    }

    void invalidNamesRejected_data() { addFactoryRows(); }
    void invalidNamesRejected()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        const QStringList bad = {QString(), QStringLiteral("UPPER"), QStringLiteral("a/b"), QStringLiteral("../etc"),
                                 QStringLiteral(".."), QStringLiteral("."), QStringLiteral("a.b"),
                                 QStringLiteral("name.tmp"), QStringLiteral("with space"), QStringLiteral("a\nb"),
                                 QString(129, QLatin1Char('a')), QStringLiteral("gr\u00fcn")};
        for (FileType type : {FileType::Pack, FileType::Snapshot, FileType::Key}) {
            for (const QString &name : bad) {
                const Handle h{type, name};
                CAIRN_VERIFY_ERROR(backend.save(h, QByteArrayLiteral("x")), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.load(h), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.stat(h), ErrorCode::InvalidArgument);
                CAIRN_VERIFY_ERROR(backend.remove(h), ErrorCode::InvalidArgument);
            }
        }
        CAIRN_VERIFY_ERROR(backend.save(Handle{FileType::Config, QStringLiteral("other")}, QByteArrayLiteral("x")),
                           ErrorCode::InvalidArgument);
        // The longest valid name works.
        const QString longest(128, QLatin1Char('z'));
        CAIRN_VERIFY_OK(backend.save(Handle{FileType::Pack, longest}, QByteArrayLiteral("x")));
        for (FileType type : allTypes()) {
            const auto listed = listedFiles(backend, type);
            CAIRN_VERIFY_OK(listed);
            const QMap<QString, qint64> expected = type == FileType::Pack ? QMap<QString, qint64>{{longest, 1}} : QMap<QString, qint64>();
            QCOMPARE(*listed, expected);
        }
    }

    void concurrentSavesAndLoads_data() { addFactoryRows(); }
    void concurrentSavesAndLoads()
    {
        BackendUnderTest b = makeBackend();
        QVERIFY(b.backend);
        Backend &backend = *b.backend;
        constexpr int Threads = 8;
        constexpr int FilesPerThread = 16;
        auto nameOf = [](int t, int i) { return QStringLiteral("%1%2c0ffee").arg(t, 2, 10, QLatin1Char('0')).arg(i, 2, 10, QLatin1Char('0')); };
        auto contentOf = [](int t, int i) { return testPattern((t * FilesPerThread + i) * 9973 % 300000 + 1, quint64(t * 100 + i)); };
        const Handle shared{FileType::Snapshot, QStringLiteral("shared")};

        std::mutex mutex;
        QStringList failures;
        auto fail = [&](const QString &what) {
            std::lock_guard<std::mutex> lock(mutex);
            failures.append(what);
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < FilesPerThread; ++i) {
                    const Status s = backend.save(Handle{FileType::Pack, nameOf(t, i)}, contentOf(t, i));
                    if (!s)
                        fail(QStringLiteral("save: ") + s.error().message);
                    if (i % 4 == 0) { // everyone also races on one name
                        const Status s2 = backend.save(shared, testPattern(5000 + t, quint64(1000 + t)));
                        if (!s2)
                            fail(QStringLiteral("save shared: ") + s2.error().message);
                    }
                }
                for (int i = 0; i < FilesPerThread; ++i) {
                    // Own files, and the neighbour's (which may or may not be there yet).
                    const QByteArray expected = contentOf(t, i);
                    const Result<QByteArray> own = backend.load(Handle{FileType::Pack, nameOf(t, i)});
                    if (!own || *own != expected)
                        fail(QStringLiteral("load %1 is wrong").arg(nameOf(t, i)));
                    const qint64 half = expected.size() / 2;
                    const Result<QByteArray> part = backend.load(Handle{FileType::Pack, nameOf(t, i)}, half, -1);
                    if (!part || *part != expected.mid(half))
                        fail(QStringLiteral("ranged load %1 is wrong").arg(nameOf(t, i)));
                    const int n = (t + 1) % Threads;
                    const Result<QByteArray> other = backend.load(Handle{FileType::Pack, nameOf(n, i)});
                    if (other ? *other != contentOf(n, i) : other.error().code != ErrorCode::NotFound)
                        fail(QStringLiteral("load %1 is wrong").arg(nameOf(n, i)));
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));

        const auto listed = listedFiles(backend, FileType::Pack);
        CAIRN_VERIFY_OK(listed);
        QCOMPARE(listed->size(), Threads * FilesPerThread);
        for (int t = 0; t < Threads; ++t) {
            for (int i = 0; i < FilesPerThread; ++i) {
                const QByteArray expected = contentOf(t, i);
                QCOMPARE(listed->value(nameOf(t, i), -1), qint64(expected.size()));
                const Result<QByteArray> loaded = backend.load(Handle{FileType::Pack, nameOf(t, i)});
                CAIRN_VERIFY_OK(loaded);
                QVERIFY(*loaded == expected);
            }
        }
        const Result<QByteArray> last = backend.load(shared);
        CAIRN_VERIFY_OK(last);
        bool isOneVersion = false;
        for (int t = 0; t < Threads; ++t)
            isOneVersion = isOneVersion || *last == testPattern(5000 + t, quint64(1000 + t));
        QVERIFY2(isOneVersion, "the racing saves of one name left a mixture");
    }
};

} // namespace cairn::test
