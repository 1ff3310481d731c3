// SqlCatalog: garbage collection's changes to a tenant's packs and chunk index (see
// ops/GarbageCollector.h for the algorithm). A condemned pack is out of the index — its rows moved
// to condemned_chunks — and has a new sequence number, so the index feed tells agents to drop it;
// its file stays until GC deletes it, after which its row stays as a tombstone (deleted_at) the
// feed keeps reporting. Each change is one transaction. Any thread (see SqlCatalog.h).
#include "catalog/SqlCatalog.h"

#include "catalog/SqlSupport.h"

#include <QStringList>

namespace cairn::server {

using sql::Statement;
using sql::Transaction;

namespace {

const QString kPackColumns = QStringLiteral("size, seq, created_at, condemned_at, deleted_at, pack_id, id");

PackRecord packRow(const Statement &st)
{
    PackRecord p;
    p.size = st.value(0).toLongLong();
    p.seq = st.value(1).toLongLong();
    p.createdAt = sql::timeFrom(st.value(2));
    p.condemnedAt = sql::optTimeFrom(st.value(3));
    p.deletedAt = sql::optTimeFrom(st.value(4));
    p.id = sql::idFrom<PackId>(st.value(5));
    return p;
}

PackEntry entryFrom(const Statement &st, int first)
{
    PackEntry e;
    e.id = sql::idFrom<ChunkId>(st.value(first));
    e.type = BlobType(st.value(first + 1).toInt());
    e.offset = uint32_t(st.value(first + 2).toLongLong());
    e.length = uint32_t(st.value(first + 3).toLongLong());
    e.rawLength = uint32_t(st.value(first + 4).toLongLong());
    return e;
}

// The pack's row id and record; NotFound if the tenant has no such pack.
Result<std::pair<qint64, PackRecord>> findPackRow(const QSqlDatabase &db, qint64 tenantId, const PackId &pack, const QString &what)
{
    auto st = Statement::run(db, QStringLiteral("SELECT %1 FROM packs WHERE tenant_id = ? AND pack_id = ?").arg(kPackColumns),
        what, {tenantId, sql::idValue(pack)});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return sql::notFound(QStringLiteral("pack %1").arg(pack.shortHex()));
    }
    return std::make_pair(qint64(st->value(6).toLongLong()), packRow(*st));
}

// The tenant's next index sequence number (see addPack).
Result<qint64> nextSeq(const QSqlDatabase &db, qint64 tenantId, const QString &what)
{
    auto st = Statement::run(db, QStringLiteral("UPDATE tenants SET pack_seq = pack_seq + 1 WHERE id = ? RETURNING pack_seq"),
        what, {tenantId});
    if (!st)
        return st.error();
    if (!st->next()) {
        CAIRN_TRY(st->rowsDone());
        return sql::notFound(QStringLiteral("tenant %1").arg(tenantId));
    }
    return qint64(st->value(0).toLongLong());
}

Status addChunkCount(const QSqlDatabase &db, qint64 tenantId, qint64 delta, const QString &what)
{
    if (delta == 0)
        return {};
    auto st = Statement::run(db, QStringLiteral("UPDATE tenants SET chunk_count = chunk_count + ? WHERE id = ?"), what,
        {delta, tenantId});
    return st ? Status() : Status(st.error());
}

Result<qint64> scalar(const QSqlDatabase &db, const QString &text, const QString &what, std::initializer_list<QVariant> values)
{
    auto st = Statement::run(db, text, what, values);
    if (!st)
        return st.error();
    if (!st->next())
        return st->error();
    return qint64(st->value(0).toLongLong());
}

// Moves every index row of pack `row` to condemned_chunks; returns how many moved.
Result<qint64> moveRowsToCondemned(const QSqlDatabase &db, qint64 row, const QString &what)
{
    auto moved = Statement::run(db,
        QStringLiteral("INSERT INTO condemned_chunks (tenant_id, chunk_id, pack, blob_type, blob_offset, blob_length, raw_length) "
                       "SELECT tenant_id, chunk_id, pack, blob_type, blob_offset, blob_length, raw_length FROM chunks WHERE pack = ?"),
        what, {row});
    if (!moved)
        return moved.error();
    const qint64 n = moved->rowsAffected();
    auto del = Statement::run(db, QStringLiteral("DELETE FROM chunks WHERE pack = ?"), what, {row});
    if (!del)
        return del.error();
    return n;
}

Status condemnRow(const QSqlDatabase &db, qint64 tenantId, qint64 row, const QDateTime &now, const QString &what)
{
    auto seq = nextSeq(db, tenantId, what);
    if (!seq)
        return seq.error();
    auto st = Statement::run(db, QStringLiteral("UPDATE packs SET condemned_at = ?, seq = ? WHERE id = ?"), what,
        {sql::timeValue(now), *seq, row});
    return st ? Status() : Status(st.error());
}

} // namespace

namespace {

// Packs chosen by `select` (columns kPackColumns), each with its rows from `rowsTable` (chunks or
// condemned_chunks), read in one transaction.
Result<QList<GcPackBlobs>> packsWithRows(const QSqlDatabase &d, const QString &select, const QVariantList &values,
    const QString &rowsTable, const QString &what)
{
    Transaction tx(d, Transaction::Kind::Read, what);
    CAIRN_TRY(tx.begin());
    QList<GcPackBlobs> out;
    std::vector<qint64> rows;
    {
        auto st = Statement::prepare(d, select, what);
        if (!st)
            return st.error();
        CAIRN_TRY(st->exec(values));
        while (st->next()) {
            out.append(GcPackBlobs{packRow(*st), {}});
            rows.push_back(st->value(6).toLongLong());
        }
        CAIRN_TRY(st->rowsDone());
    }
    auto st = Statement::prepare(d,
        QStringLiteral("SELECT chunk_id, blob_type, blob_offset, blob_length, raw_length FROM %1 WHERE pack = ? "
                       "ORDER BY blob_offset")
            .arg(rowsTable),
        what);
    if (!st)
        return st.error();
    for (size_t i = 0; i < rows.size(); ++i) {
        CAIRN_TRY(st->exec({rows[i]}));
        while (st->next())
            out[qsizetype(i)].blobs.push_back(entryFrom(*st, 0));
        CAIRN_TRY(st->rowsDone());
    }
    st->finish();
    CAIRN_TRY(tx.commit());
    return out;
}

} // namespace

Result<QList<GcPackBlobs>> SqlCatalog::gcCandidatePacks(qint64 tenantId, const QDateTime &createdBefore, qint64 afterSeq, int limit)
{
    auto d = db();
    if (!d)
        return d.error();
    return packsWithRows(*d,
        QStringLiteral("SELECT %1 FROM packs WHERE tenant_id = ? AND seq > ? AND condemned_at IS NULL "
                       "AND deleted_at IS NULL AND created_at < ? ORDER BY seq LIMIT ?")
            .arg(kPackColumns),
        {tenantId, afterSeq, sql::timeValue(createdBefore), std::clamp(limit, 1, 1000)}, QStringLiteral("chunks"),
        QStringLiteral("list packs of tenant %1 for garbage collection").arg(tenantId));
}

Result<QList<GcPackBlobs>> SqlCatalog::condemnedPacks(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    return packsWithRows(*d,
        QStringLiteral("SELECT %1 FROM packs WHERE tenant_id = ? AND condemned_at IS NOT NULL ORDER BY seq")
            .arg(kPackColumns),
        {tenantId}, QStringLiteral("condemned_chunks"), QStringLiteral("list condemned packs of tenant %1").arg(tenantId));
}

Status SqlCatalog::condemnPack(qint64 tenantId, const PackId &pack, const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("condemn pack %1 of tenant %2").arg(pack.shortHex()).arg(tenantId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto found = findPackRow(*d, tenantId, pack, what);
        if (!found)
            return found.error();
        if (!found->second.live())
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the pack is already condemned or deleted").arg(what));
        auto moved = moveRowsToCondemned(*d, found->first, what);
        if (!moved)
            return moved.error();
        CAIRN_TRY(addChunkCount(*d, tenantId, -*moved, what));
        return condemnRow(*d, tenantId, found->first, now, what);
    });
}

Result<PackRecord> SqlCatalog::replacePacks(qint64 tenantId, const std::vector<PackId> &sources, const PackId &newPack,
    qint64 size, const std::vector<PackEntry> &entries, const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("repack %1 packs of tenant %2 into %3").arg(sources.size()).arg(tenantId).arg(newPack.shortHex());
    if (sources.empty())
        return Error(ErrorCode::InvalidArgument, what + QStringLiteral(": no source packs"));
    for (const PackEntry &e : entries)
        if (qint64(e.offset) + qint64(e.length) > size)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: blob %2 lies outside the new pack").arg(what, e.id.shortHex()));
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Result<PackRecord> {
        QStringList rowList;
        std::vector<qint64> rows;
        for (const PackId &source : sources) {
            auto found = findPackRow(*d, tenantId, source, what);
            if (!found)
                return found.error();
            if (!found->second.live())
                return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: pack %2 is not live").arg(what, source.shortHex()));
            rows.push_back(found->first);
            rowList << QString::number(found->first);
        }
        auto existing = findPackRow(*d, tenantId, newPack, what);
        if (existing)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the new pack is already known").arg(what));
        if (existing.error().code != ErrorCode::NotFound)
            return existing.error();

        // Sources first, so the feed tells agents to drop them before it lists the new pack.
        for (qint64 row : rows)
            CAIRN_TRY(condemnRow(*d, tenantId, row, now, what));
        PackRecord record;
        record.id = newPack;
        record.size = size;
        record.createdAt = now;
        auto seq = nextSeq(*d, tenantId, what);
        if (!seq)
            return seq.error();
        record.seq = *seq;
        auto newRow = scalar(*d,
            QStringLiteral("INSERT INTO packs (tenant_id, pack_id, size, seq, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id"),
            what, {tenantId, sql::idValue(newPack), size, record.seq, sql::timeValue(now)});
        if (!newRow)
            return newRow.error();

        // The rows the new pack takes over must be located in one of the sources.
        const QString inSources = rowList.join(QLatin1Char(','));
        auto move = Statement::prepare(*d,
            QStringLiteral("UPDATE chunks SET pack = ?, blob_offset = ?, blob_length = ?, raw_length = ? "
                           "WHERE tenant_id = ? AND chunk_id = ? AND blob_type = ? AND pack IN (%1)")
                .arg(inSources),
            what);
        if (!move)
            return move.error();
        for (const PackEntry &e : entries) {
            CAIRN_TRY(move->exec({*newRow, qlonglong(e.offset), qlonglong(e.length), qlonglong(e.rawLength), tenantId,
                sql::idValue(e.id), int(e.type)}));
            if (move->rowsAffected() != 1)
                return Error(ErrorCode::InvalidArgument,
                    QStringLiteral("%1: blob %2 is not located in the source packs").arg(what, e.id.shortHex()));
        }
        move->finish();
        // What is left in the sources is dead: kept with the condemned packs until they go.
        qint64 dead = 0;
        for (qint64 row : rows) {
            auto moved = moveRowsToCondemned(*d, row, what);
            if (!moved)
                return moved.error();
            dead += *moved;
        }
        CAIRN_TRY(addChunkCount(*d, tenantId, -dead, what));
        return record;
    });
}

Status SqlCatalog::resurrectPack(qint64 tenantId, const PackId &pack)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("resurrect pack %1 of tenant %2").arg(pack.shortHex()).arg(tenantId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto found = findPackRow(*d, tenantId, pack, what);
        if (!found)
            return found.error();
        if (!found->second.condemnedAt)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the pack is not condemned").arg(what));
        const qint64 row = found->first;
        // A chunk uploaded again meanwhile keeps its newer location.
        auto back = Statement::run(*d,
            QStringLiteral("INSERT INTO chunks (tenant_id, chunk_id, pack, blob_type, blob_offset, blob_length, raw_length) "
                           "SELECT tenant_id, chunk_id, pack, blob_type, blob_offset, blob_length, raw_length "
                           "FROM condemned_chunks WHERE pack = ? ON CONFLICT (tenant_id, chunk_id) DO NOTHING"),
            what, {row});
        if (!back)
            return back.error();
        const qint64 restored = back->rowsAffected();
        auto del = Statement::run(*d, QStringLiteral("DELETE FROM condemned_chunks WHERE pack = ?"), what, {row});
        if (!del)
            return del.error();
        CAIRN_TRY(addChunkCount(*d, tenantId, restored, what));
        auto seq = nextSeq(*d, tenantId, what);
        if (!seq)
            return seq.error();
        auto st = Statement::run(*d, QStringLiteral("UPDATE packs SET condemned_at = NULL, seq = ? WHERE id = ?"), what, {*seq, row});
        return st ? Status() : Status(st.error());
    });
}

Status SqlCatalog::markPackDeleted(qint64 tenantId, const PackId &pack, const QDateTime &now)
{
    auto d = db();
    if (!d)
        return d.error();
    const QString what = QStringLiteral("mark pack %1 of tenant %2 deleted").arg(pack.shortHex()).arg(tenantId);
    return sql::inWriteTransaction(*d, writeMutex(), what, [&]() -> Status {
        auto found = findPackRow(*d, tenantId, pack, what);
        if (!found)
            return found.error();
        if (!found->second.condemnedAt || found->second.deletedAt)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: only a condemned pack can be deleted").arg(what));
        auto del = Statement::run(*d, QStringLiteral("DELETE FROM condemned_chunks WHERE pack = ?"), what, {found->first});
        if (!del)
            return del.error();
        // The sequence number stays: an agent that has not synced since sees the tombstone. Its
        // condemned_at goes, so the condemned packs a snapshot commit looks up (packs_condemned
        // index) do not grow with the tombstones of every past collection.
        auto st = Statement::run(*d, QStringLiteral("UPDATE packs SET deleted_at = ?, condemned_at = NULL WHERE id = ?"), what,
            {sql::timeValue(now), found->first});
        return st ? Status() : Status(st.error());
    });
}

Result<std::optional<ChunkLocation>> SqlCatalog::locateChunkIncludingCondemned(qint64 tenantId, const ChunkId &id)
{
    auto live = locateChunk(tenantId, id);
    if (!live || *live)
        return live;
    auto d = db();
    if (!d)
        return d.error();
    return sql::locateIn(*d, QStringLiteral("condemned_chunks"), QStringLiteral(" AND p.deleted_at IS NULL LIMIT 1"), tenantId, id);
}

Result<std::optional<QDateTime>> SqlCatalog::earliestRunningJob(qint64 tenantId)
{
    auto d = db();
    if (!d)
        return d.error();
    auto st = Statement::run(*d,
        QStringLiteral("SELECT MIN(COALESCE(started_at, scheduled_at)) FROM jobs "
                       "WHERE tenant_id = ? AND state = 'running'"),
        QStringLiteral("find running jobs of tenant %1").arg(tenantId), {tenantId});
    if (!st)
        return st.error();
    if (!st->next())
        return st->error();
    return sql::optTimeFrom(st->value(0));
}

Result<PackRecord> SqlCatalog::revivePack(const QSqlDatabase &d, qint64 tenantId, const PackId &pack,
    const std::vector<PackEntry> &entries, const QDateTime &now)
{
    const QString what = QStringLiteral("add pack %1 of tenant %2 again").arg(pack.shortHex()).arg(tenantId);
    auto found = findPackRow(d, tenantId, pack, what);
    if (!found)
        return found.error();
    const qint64 row = found->first;
    auto del = Statement::run(d, QStringLiteral("DELETE FROM condemned_chunks WHERE pack = ?"), what, {row});
    if (!del)
        return del.error();
    std::vector<QVariantList> columns(7);
    for (const PackEntry &e : entries) {
        columns[0] << qlonglong(tenantId);
        columns[1] << sql::idValue(e.id);
        columns[2] << qlonglong(row);
        columns[3] << int(e.type);
        columns[4] << qlonglong(e.offset);
        columns[5] << qlonglong(e.length);
        columns[6] << qlonglong(e.rawLength);
    }
    if (!entries.empty()) {
        auto st = Statement::prepare(d,
            QStringLiteral("INSERT INTO chunks (tenant_id, chunk_id, pack, blob_type, blob_offset, blob_length, raw_length) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, chunk_id) DO NOTHING"),
            what);
        if (!st)
            return st.error();
        CAIRN_TRY(st->execBatch(columns));
    }
    auto inserted = scalar(d, QStringLiteral("SELECT COUNT(*) FROM chunks WHERE pack = ?"), what, {row});
    if (!inserted)
        return inserted.error();
    CAIRN_TRY(addChunkCount(d, tenantId, *inserted, what));
    auto seq = nextSeq(d, tenantId, what);
    if (!seq)
        return seq.error();
    auto st = Statement::run(d, QStringLiteral("UPDATE packs SET condemned_at = NULL, deleted_at = NULL, seq = ?, created_at = ? WHERE id = ?"),
        what, {*seq, sql::timeValue(now), row});
    if (!st)
        return st.error();
    PackRecord record = found->second;
    record.seq = *seq;
    record.createdAt = now;
    record.condemnedAt.reset();
    record.deletedAt.reset();
    return record;
}

} // namespace cairn::server
