// SqlCatalog: packs and each tenant's chunk index — the hot path of uploads. addPack writes a pack
// and its few thousand blobs in one transaction through one prepared INSERT run as a batch;
// missingChunks answers up to 10,000 ids in one read transaction with one prepared lookup. Any
// thread (see SqlCatalog.h).
//
// Measured through QtSql's QSQLITE driver on this machine kind: execBatch of a one-row INSERT
// ~125k rows/s; multi-row VALUES lists are no faster (80–100k rows/s) because the driver's cost is
// per bound value and a long statement must be prepared anew for each odd-sized remainder.
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

#include <unordered_set>

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

PackRecord packFrom(const Statement &st, const PackId &id)
{
    PackRecord p;
    p.id = id;
    p.size = st.value(0).toLongLong();
    p.seq = st.value(1).toLongLong();
    p.createdAt = sql::timeFrom(st.value(2));
    p.condemnedAt = sql::optTimeFrom(st.value(3));
    p.deletedAt = sql::optTimeFrom(st.value(4));
    return p;
}

Result<std::optional<PackRecord>> findPack(const QSqlDatabase &db, qint64 tenantId, const PackId &pack)
{
    auto st = Statement::run(db,
        QStringLiteral("SELECT size, seq, created_at, condemned_at, deleted_at FROM packs "
                       "WHERE tenant_id = ? AND pack_id = ?"),
        QStringLiteral("read pack %1").arg(pack.shortHex()), {tenantId, sql::idValue(pack)});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return std::optional<PackRecord>();
    }
    return std::optional<PackRecord>(packFrom(*st, pack));
}

Status checkEntries(const PackId &pack, qint64 size, const std::vector<PackEntry> &entries)
{
    const QString what = QStringLiteral("add pack %1").arg(pack.shortHex());
    if (pack.isNull())
        return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": the pack id is null"));
    if (size < 0 || size > qint64(kMaxPackSize))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: invalid pack size %2").arg(what).arg(size));
    for (const PackEntry &e : entries) {
        if (qint64(e.offset) + qint64(e.length) > size)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1: blob %2 at %3+%4 lies outside the pack (%5 bytes)")
                    .arg(what, e.id.shortHex())
                    .arg(e.offset)
                    .arg(e.length)
                    .arg(size));
        if (e.type != BlobType::Data && e.type != BlobType::Tree)
            return Error(ErrorCode::InvalidArgument,
                QStringLiteral("%1: blob %2 has an unknown type").arg(what, e.id.shortHex()));
    }
    return {};
}

} // namespace

Result<PackRecord> SqlCatalog::addPack(
    qint64 tenantId, const PackId &pack, qint64 size, const std::vector<PackEntry> &entries, const QDateTime &now)
{
    const QDateTime createdAt = now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc();
    CAIRN_TRY(checkEntries(pack, size, entries));
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("add pack %1 of tenant %2").arg(pack.shortHex()).arg(tenantId);
    // The bound values are made before the write lock is taken; column 2 (the pack's row) after.
    std::vector<QVariantList> columns(7);
    for (QVariantList &c : columns)
        c.reserve(qsizetype(entries.size()));
    for (const PackEntry &e : entries) {
        columns[0] << qlonglong(tenantId);
        columns[1] << sql::idValue(e.id);
        columns[3] << int(e.type);
        columns[4] << qlonglong(e.offset);
        columns[5] << qlonglong(e.length);
        columns[6] << qlonglong(e.rawLength);
    }
    Transaction tx(*d, Transaction::Kind::Write, what, &writeMutex());
    CAIRN_TRY(tx.begin());

    auto existing = findPack(*d, tenantId, pack);
    if (!existing)
        return existing.error();
    if (*existing && (*existing)->live())
        return **existing; // a known pack changes nothing
    if (*existing) {
        // The same bytes again after GC condemned or deleted the pack: it is live again.
        auto revived = revivePack(*d, tenantId, pack, entries, createdAt);
        if (!revived)
            return revived.error();
        CAIRN_TRY(tx.commit());
        return revived;
    }

    PackRecord record;
    record.id = pack;
    record.size = size;
    record.createdAt = createdAt;
    {
        // The tenant's row is the per-tenant counter: taking the next number also serialises the
        // tenant's pack writers on PostgreSQL (row lock); on SQLite BEGIN IMMEDIATE already did.
        auto st = Statement::run(*d,
            QStringLiteral("UPDATE tenants SET pack_seq = pack_seq + 1 WHERE id = ? RETURNING pack_seq"), what,
            {tenantId});
        if (!st)
            return st.error();
        if (!st->next()) {
            CAIRN_TRY(st->rowsDone());
            return Error(ErrorCode::NotFound, QStringLiteral("%1: tenant not found").arg(what));
        }
        record.seq = st->value(0).toLongLong();
    }
    qint64 packRow = 0;
    {
        auto st = Statement::run(*d,
            QStringLiteral("INSERT INTO packs (tenant_id, pack_id, size, seq, created_at) "
                           "VALUES (?, ?, ?, ?, ?) RETURNING id"),
            what, {tenantId, sql::idValue(pack), size, record.seq, sql::timeValue(record.createdAt)});
        if (!st)
            return st.error();
        if (!st->next())
            return st->error();
        packRow = st->value(0).toLongLong();
    }

    // One prepared INSERT executed for every blob; the first location of a blob wins.
    {
        columns[2] = QVariantList(qsizetype(entries.size()), QVariant(qlonglong(packRow)));
        if (!entries.empty()) {
            auto st = Statement::prepare(*d,
                QStringLiteral("INSERT INTO chunks (tenant_id, chunk_id, pack, blob_type, "
                               "blob_offset, blob_length, raw_length) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (tenant_id, chunk_id) DO NOTHING"),
                what);
            if (!st)
                return st.error();
            CAIRN_TRY(st->execBatch(columns));
        }
    }
    // The blobs this pack added to the index are exactly those located in it (the pack is new).
    qint64 inserted = 0;
    if (!entries.empty()) {
        auto st = Statement::run(*d, QStringLiteral("SELECT COUNT(*) FROM chunks WHERE pack = ?"), what, {packRow});
        if (!st)
            return st.error();
        if (!st->next())
            return st->error();
        inserted = st->value(0).toLongLong();
    }
    if (inserted) {
        auto st = Statement::run(*d, QStringLiteral("UPDATE tenants SET chunk_count = chunk_count + ? WHERE id = ?"),
            what, {inserted, tenantId});
        if (!st)
            return st.error();
    }
    CAIRN_TRY(tx.commit());
    return record;
}

Result<std::optional<PackRecord>> SqlCatalog::pack(qint64 tenantId, const PackId &pack)
{
    auto d = db();
    if (!d)
        return d.error();
    return findPack(*d, tenantId, pack);
}

Result<QList<PackRecord>> SqlCatalog::packsAfter(qint64 tenantId, qint64 afterSeq, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT size, seq, created_at, condemned_at, deleted_at, pack_id FROM packs "
                       "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
        QStringLiteral("list packs of tenant %1").arg(tenantId), {tenantId, afterSeq, sql::clampLimit(limit)});
    if (!st)
        return st.error();
    QList<PackRecord> out;
    while (st->next())
        out.append(packFrom(*st, sql::idFrom<PackId>(st->value(5))));
    CAIRN_TRY(st->rowsDone());
    return out;
}

Status SqlCatalog::forEachBlobInPack(
    qint64 tenantId, const PackId &pack, const std::function<void(const PackEntry &)> &visit)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("list blobs of pack %1").arg(pack.shortHex());
    std::vector<PackEntry> blobs;
    {
        Transaction tx(*d, Transaction::Kind::Read, what);
        CAIRN_TRY(tx.begin());
        qint64 packRow = 0;
        {
            auto st = Statement::run(*d, QStringLiteral("SELECT id FROM packs WHERE tenant_id = ? AND pack_id = ?"),
                what, {tenantId, sql::idValue(pack)});
            if (!st)
                return st.error();
            if (!st->next()) {
                CAIRN_TRY(st->rowsDone());
                return Error(ErrorCode::NotFound, QStringLiteral("pack %1 not found").arg(pack.shortHex()));
            }
            packRow = st->value(0).toLongLong();
        }
        auto st = Statement::run(*d,
            QStringLiteral("SELECT chunk_id, blob_type, blob_offset, blob_length, raw_length "
                           "FROM chunks WHERE pack = ? ORDER BY blob_offset"),
            what, {packRow});
        if (!st)
            return st.error();
        while (st->next()) {
            PackEntry e;
            e.id = sql::idFrom<ChunkId>(st->value(0));
            e.type = BlobType(st->value(1).toInt());
            e.offset = uint32_t(st->value(2).toLongLong());
            e.length = uint32_t(st->value(3).toLongLong());
            e.rawLength = uint32_t(st->value(4).toLongLong());
            blobs.push_back(e);
        }
        CAIRN_TRY(st->rowsDone());
        st->finish();
        CAIRN_TRY(tx.commit());
    }
    // Visited outside the transaction: the visitor may call the catalog.
    for (const PackEntry &e : blobs)
        visit(e);
    return {};
}

Result<std::vector<ChunkId>> SqlCatalog::missingChunks(qint64 tenantId, const std::vector<ChunkId> &ids)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("look up %1 chunks of tenant %2").arg(ids.size()).arg(tenantId);
    Transaction tx(*d, Transaction::Kind::Read, what);
    CAIRN_TRY(tx.begin());
    std::vector<ChunkId> missing;
    {
        auto st
            = Statement::prepare(*d, QStringLiteral("SELECT 1 FROM chunks WHERE tenant_id = ? AND chunk_id = ?"), what);
        if (!st)
            return st.error();
        std::unordered_set<ChunkId, IdHash> seen;
        seen.reserve(ids.size());
        const QVariant tenant = QVariant(qlonglong(tenantId));
        for (const ChunkId &id : ids) {
            // The zero chunk is never stored and never needs to be; duplicates are answered once.
            if (id == zeroChunkId() || !seen.insert(id).second)
                continue;
            CAIRN_TRY(st->exec({tenant, sql::idValue(id)}));
            if (!st->next()) {
                CAIRN_TRY(st->rowsDone());
                missing.push_back(id);
            }
        }
    }
    CAIRN_TRY(tx.commit());
    return missing;
}

Result<std::optional<ChunkLocation>> SqlCatalog::locateChunk(qint64 tenantId, const ChunkId &id)
{
    auto d = db();
    if (!d)
        return d.error();
    return sql::locateIn(*d, QStringLiteral("chunks"), QString(), tenantId, id);
}

Result<qint64> SqlCatalog::chunkCount(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d, QStringLiteral("SELECT chunk_count FROM tenants WHERE id = ?"),
        QStringLiteral("count chunks of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return Error(ErrorCode::NotFound, QStringLiteral("tenant %1 not found").arg(tenantId));
    }
    return qint64(st->value(0).toLongLong());
}

Result<TenantUsage> SqlCatalog::usage(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    // One statement, so the figures come from one consistent snapshot.
    auto st = Statement::run(*d,
        QStringLiteral("SELECT t.chunk_count,"
                       " (SELECT COUNT(*) FROM agents a WHERE a.tenant_id = t.id AND a.removed_at IS NULL),"
                       " (SELECT COUNT(*) FROM packs p WHERE p.tenant_id = t.id AND p.deleted_at IS NULL),"
                       " (SELECT COALESCE(SUM(p.size), 0) FROM packs p WHERE p.tenant_id = t.id AND p.deleted_at IS NULL),"
                       " (SELECT COUNT(*) FROM snapshots s WHERE s.tenant_id = t.id)"
                       " FROM tenants t WHERE t.id = ?"),
        QStringLiteral("read usage of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return Error(ErrorCode::NotFound, QStringLiteral("tenant %1 not found").arg(tenantId));
    }
    TenantUsage u;
    u.chunks = st->value(0).toLongLong();
    u.agents = st->value(1).toLongLong();
    u.packs = st->value(2).toLongLong();
    u.storedBytes = st->value(3).toLongLong();
    u.snapshots = st->value(4).toLongLong();
    return u;
}

} // namespace cairn::server
