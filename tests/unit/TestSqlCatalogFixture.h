// Shared by the SqlCatalog tests: a fresh catalog in a temporary folder, deterministic ids and
// pack entries, and quick ways to make tenants and enrolled agents. Used on the test's thread.
#pragma once

#include "catalog/SqlCatalog.h"

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

// Fails the test with the error's message unless the Result/Status `r` (a variable) is ok.
#define QVERIFY_OK(r) QVERIFY2((r).ok(), (r).ok() ? "" : qPrintable((r).error().message))
// Fails the test unless `r` failed with ErrorCode `code`.
#define QVERIFY_ERROR(r, expected)                                                                                     \
    do {                                                                                                               \
        QVERIFY2(!(r).ok(), "expected an error, got success");                                                         \
        QCOMPARE(cairn::errorCodeName((r).error().code), cairn::errorCodeName(expected));                              \
    } while (0)

namespace cairn::test::catalog {

using namespace cairn::server;

// A fixed, readable point in time (UTC) that tests count from.
inline QDateTime baseTime()
{
    return QDateTime(QDate(2024, 3, 1), QTime(9, 0), Qt::UTC);
}

// A 32-byte id that is a pure function of (seed, salt): distinct seeds give distinct ids.
template <typename Id> Id idFrom(quint64 seed, char salt = 'c')
{
    QByteArray in(reinterpret_cast<const char *>(&seed), sizeof seed);
    in.append(salt);
    return *Id::fromBytes(QCryptographicHash::hash(in, QCryptographicHash::Sha256));
}

inline ChunkId chunkId(quint64 seed)
{
    return idFrom<ChunkId>(seed, 'c');
}
inline PackId packId(quint64 seed)
{
    return idFrom<PackId>(seed, 'p');
}
inline SnapshotId snapshotId(quint64 seed)
{
    return idFrom<SnapshotId>(seed, 's');
}

// Entries for chunk seeds `seeds`, laid out back to back from offset 0 with `length` bytes each.
inline std::vector<PackEntry> entriesFor(const std::vector<quint64> &seeds, uint32_t length = 4096)
{
    std::vector<PackEntry> out;
    out.reserve(seeds.size());
    uint32_t offset = 0;
    for (quint64 s : seeds) {
        PackEntry e;
        e.type = (s % 5 == 0) ? BlobType::Tree : BlobType::Data;
        e.id = chunkId(s);
        e.offset = offset;
        e.length = length;
        e.rawLength = length + 100;
        offset += length;
        out.push_back(e);
    }
    return out;
}

inline std::vector<quint64> seedRange(quint64 first, int n)
{
    std::vector<quint64> out;
    for (int i = 0; i < n; ++i)
        out.push_back(first + quint64(i));
    return out;
}

inline qint64 packSizeFor(const std::vector<PackEntry> &entries)
{
    qint64 end = 0;
    for (const PackEntry &e : entries)
        end = std::max(end, qint64(e.offset) + qint64(e.length));
    return end + 64; // header and trailer
}

inline QByteArray sha256(const QByteArray &in)
{
    return QCryptographicHash::hash(in, QCryptographicHash::Sha256);
}

inline Result<Tenant> addTenant(Catalog &catalog, const QString &name)
{
    Tenant t;
    t.name = name;
    t.reportRecipients = {QStringLiteral("ops@%1.example").arg(name)};
    t.wrappedKeys = QByteArray("wrapped-keys-of-") + name.toUtf8();
    t.repositoryConfig = QByteArray("{\"chunker\":\"fastcdc\"}");
    t.createdAt = baseTime();
    return catalog.addTenant(t);
}

// Adds an enrollment code for the tenant and enrolls an agent with it.
inline Result<Agent> enrollAgent(Catalog &catalog, qint64 tenantId, const QString &hostname)
{
    EnrollmentCode code;
    code.codeHash = sha256("code-" + hostname.toUtf8() + QByteArray::number(tenantId));
    code.tenantId = tenantId;
    code.createdAt = baseTime();
    code.expiresAt = baseTime().addDays(1);
    CAIRN_TRY(catalog.addEnrollmentCode(code));
    Agent a;
    a.hostname = hostname;
    a.os = QStringLiteral("Debian 12");
    a.version = QStringLiteral("0.1.0");
    a.tokenHash = sha256("token-" + hostname.toUtf8() + QByteArray::number(tenantId));
    return catalog.enrollAgent(code.codeHash, a, baseTime().addSecs(60));
}

// A new catalog file in `dir`; fails the test if it cannot be created.
inline std::unique_ptr<SqlCatalog> createCatalog(
    const QTemporaryDir &dir, const QString &name = QStringLiteral("catalog.db"))
{
    auto c = SqlCatalog::open(dir.filePath(name), SqlCatalog::OpenMode::CreateNew);
    if (!c) {
        QTest::qFail(qPrintable(c.error().message), __FILE__, __LINE__);
        return nullptr;
    }
    return std::move(c).value();
}

} // namespace cairn::test::catalog
