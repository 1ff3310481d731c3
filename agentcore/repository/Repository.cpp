#include "repository/Repository.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace cairn {

namespace {
constexpr int kQueueLimit = 1; // finished packs waiting for the saver (one more is being saved): bounds memory

} // namespace

QByteArray RepositoryConfig::toJson() const
{
    const RepositoryConfig &c = *this;
    QJsonObject chunker;
    chunker.insert(QStringLiteral("min"), qint64(c.chunker.minSize));
    chunker.insert(QStringLiteral("avg"), qint64(c.chunker.avgSize));
    chunker.insert(QStringLiteral("max"), qint64(c.chunker.maxSize));
    QJsonObject o;
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("id"), c.id);
    o.insert(QStringLiteral("chunker"), chunker);
    o.insert(QStringLiteral("compression_level"), c.compressionLevel);
    o.insert(QStringLiteral("pack_size"), c.packSize);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Status Repository::init(Backend &backend, const QByteArray &passphrase, const RepositoryOptions &options)
{
    CAIRN_TRY(Chunker::validate(options.chunker));
    if (options.compressionLevel < 1 || options.compressionLevel > 19)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("compression level must be 1-19"));
    auto existing = backend.stat({FileType::Config, QStringLiteral("config")});
    if (existing)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("a repository already exists at %1").arg(backend.location()));
    if (existing.error().code != ErrorCode::NotFound)
        return existing.error();
    KeySet keys = KeySet::generate();
    auto keyFile = KeyFile::create(keys, passphrase, options.kdf);
    keys.wipe();
    if (!keyFile)
        return keyFile.error();
    RepositoryConfig c;
    c.id = QString::fromLatin1(crypto::randomBytes(16).toHex());
    c.chunker = options.chunker;
    c.compressionLevel = options.compressionLevel;
    CAIRN_TRY(backend.save({FileType::Key, QStringLiteral("%1").arg(keys.keyId, 8, 16, QLatin1Char('0'))}, *keyFile));
    // The config is written last: a repository without one is not a repository yet.
    return backend.save({FileType::Config, QStringLiteral("config")}, c.toJson());
}

Result<RepositoryConfig> Repository::loadConfig(Backend &backend)
{
    auto raw = backend.load({FileType::Config, QStringLiteral("config")});
    if (!raw) {
        if (raw.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound, QStringLiteral("no repository at %1").arg(backend.location()));
        return raw.error();
    }
    return RepositoryConfig::fromJson(*raw);
}

Result<RepositoryConfig> RepositoryConfig::fromJson(const QByteArray &json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return Error(ErrorCode::Corrupt, QStringLiteral("repository config is not JSON"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("version")).toInt() != 1)
        return Error(ErrorCode::Unsupported, QStringLiteral("repository version %1 is not supported")
                                                 .arg(o.value(QStringLiteral("version")).toInt()));
    RepositoryConfig c;
    c.id = o.value(QStringLiteral("id")).toString();
    const QJsonObject ch = o.value(QStringLiteral("chunker")).toObject();
    c.chunker.minSize = uint32_t(ch.value(QStringLiteral("min")).toInteger());
    c.chunker.avgSize = uint32_t(ch.value(QStringLiteral("avg")).toInteger());
    c.chunker.maxSize = uint32_t(ch.value(QStringLiteral("max")).toInteger());
    c.compressionLevel = o.value(QStringLiteral("compression_level")).toInt(2);
    c.packSize = o.value(QStringLiteral("pack_size")).toInteger(16 << 20);
    if (Status s = Chunker::validate(c.chunker); !s.ok())
        return s.error().wrapped(QStringLiteral("repository config"));
    if (c.compressionLevel < 1 || c.compressionLevel > 19 || c.packSize < (1 << 20) || c.packSize > (256 << 20))
        return Error(ErrorCode::Corrupt, QStringLiteral("repository config has out-of-range values"));
    return c;
}

Result<std::unique_ptr<Repository>> Repository::open(std::unique_ptr<Backend> backend, std::unique_ptr<Index> index,
                                                     const QByteArray &passphrase)
{
    auto config = loadConfig(*backend);
    if (!config)
        return config.error();
    std::vector<FileInfo> keyFiles;
    CAIRN_TRY(backend->list(FileType::Key, [&](const FileInfo &f) { keyFiles.push_back(f); }));
    if (keyFiles.empty())
        return Error(ErrorCode::Corrupt, QStringLiteral("repository has no key file"));
    std::optional<Error> lastError;
    for (const FileInfo &f : keyFiles) {
        auto raw = backend->load({FileType::Key, f.name});
        if (!raw) {
            lastError = raw.error();
            continue;
        }
        auto keys = KeyFile::open(*raw, passphrase);
        if (keys) {
            std::unique_ptr<Repository> repo(new Repository(std::move(backend), std::move(index), *keys, *config));
            keys->wipe();
            return repo;
        }
        // A wrong passphrase is the likelier story than one damaged key file among several.
        if (!lastError || keys.error().code == ErrorCode::WrongPassphrase)
            lastError = keys.error();
    }
    return *lastError;
}

Result<std::unique_ptr<Repository>> Repository::openWithKeys(std::unique_ptr<Backend> backend,
                                                             std::unique_ptr<Index> index, const KeySet &keys,
                                                             const RepositoryConfig &config)
{
    CAIRN_TRY(Chunker::validate(config.chunker));
    return std::unique_ptr<Repository>(new Repository(std::move(backend), std::move(index), keys, config));
}

Repository::Repository(std::unique_ptr<Backend> backend, std::unique_ptr<Index> index, const KeySet &keys,
                       const RepositoryConfig &config)
    : m_backend(std::move(backend)),
      m_index(std::move(index)),
      m_keys(keys),
      m_config(config),
      m_codec(std::make_unique<BlobCodec>(keys, config.compressionLevel)),
      m_gear(std::make_unique<GearTable>(
          QByteArray(reinterpret_cast<const char *>(keys.chunkerKey.data()), int(keys.chunkerKey.size())))),
      m_chunker(std::make_unique<Chunker>(*m_gear, config.chunker)),
      m_dataPack(std::make_unique<PackWriter>(*m_codec, config.packSize + (1 << 20))),
      m_treePack(std::make_unique<PackWriter>(*m_codec))
{
    m_saver = std::thread([this] { saverLoop(); });
}

Repository::~Repository()
{
    {
        std::lock_guard lock(m_packMutex);
        m_stopping = true;
    }
    m_queueChanged.notify_all();
    m_saver.join();
    m_keys.wipe();
}

Result<int> Repository::indexUnknownPacks()
{
    std::vector<FileInfo> unknown;
    Status listed = m_backend->list(FileType::Pack, [&](const FileInfo &f) {
        const auto id = PackId::fromHex(f.name);
        if (!id)
            return;
        auto known = m_index->packSize(*id);
        if (known && !known->has_value())
            unknown.push_back(f);
    });
    CAIRN_TRY(listed);
    int added = 0;
    for (const FileInfo &f : unknown) {
        const auto id = *PackId::fromHex(f.name);
        const Handle h{FileType::Pack, f.name};
        auto tail = m_backend->load(h, std::max<qint64>(0, f.size - kPackTrailerSize), std::min<qint64>(f.size, kPackTrailerSize));
        if (!tail)
            continue; // unreadable: the checker reports it
        auto headerLen = parsePackTrailer(*tail, f.size);
        if (!headerLen)
            continue;
        auto sealed = m_backend->load(h, f.size - kPackTrailerSize - *headerLen, *headerLen);
        if (!sealed)
            continue;
        auto entries = parsePackHeader(*m_codec, *sealed, f.size);
        if (!entries)
            continue;
        CAIRN_TRY(m_index->addPack(id, f.size, *entries));
        ++added;
    }
    return added;
}

Result<bool> Repository::claim(const ChunkId &id)
{
    std::lock_guard lock(m_claimMutex);
    // Pending first, then the index: the saver indexes a pack before it forgets its ids.
    if (m_pending.count(id))
        return false;
    auto loc = m_index->lookup(id);
    if (!loc)
        return loc.error();
    if (loc->has_value())
        return false;
    m_pending.insert(id);
    return true;
}

Result<qint64> Repository::storeBlob(BlobType type, const ChunkId &id, const void *data, size_t n)
{
    thread_local QByteArray sealed;
    sealed.clear();
    m_codec->seal(id, data, n, sealed);
    PackEntry e;
    e.type = type;
    e.id = id;
    e.rawLength = uint32_t(n);
    std::unique_lock lock(m_packMutex);
    if (m_error)
        return *m_error;
    PackWriter &w = type == BlobType::Tree ? *m_treePack : *m_dataPack;
    w.addSealed(e, sealed);
    if (w.size() >= m_config.packSize)
        CAIRN_TRY(queueFinished(w, lock));
    return qint64(sealed.size());
}

Status Repository::queueFinished(PackWriter &writer, std::unique_lock<std::mutex> &lock)
{
    // Backpressure: wait while the saver is behind.
    m_queueChanged.wait(lock, [&] { return int(m_queue.size()) < kQueueLimit || m_error; });
    if (m_error)
        return *m_error;
    m_queue.push_back(writer.finish());
    m_queueChanged.notify_all();
    return {};
}

Status Repository::flush()
{
    std::unique_lock lock(m_packMutex);
    for (PackWriter *w : {m_dataPack.get(), m_treePack.get()})
        if (!w->isEmpty())
            CAIRN_TRY(queueFinished(*w, lock));
    m_queueChanged.wait(lock, [&] { return (m_queue.empty() && m_saving == 0) || m_error; });
    if (m_error)
        return *m_error;
    return {};
}

Status Repository::savePack(PackWriter::Finished &pack)
{
    CAIRN_TRY(m_backend->save({FileType::Pack, pack.id.toHex()}, pack.bytes));
    CAIRN_TRY(m_index->addPack(pack.id, pack.bytes.size(), pack.entries));
    std::lock_guard lock(m_claimMutex);
    for (const PackEntry &e : pack.entries)
        m_pending.erase(e.id);
    return {};
}

void Repository::saverLoop()
{
    std::unique_lock lock(m_packMutex);
    for (;;) {
        m_queueChanged.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
        if (m_queue.empty())
            return; // stopping, nothing left
        PackWriter::Finished pack = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_saving;
        m_queueChanged.notify_all();
        lock.unlock();
        Status s = savePack(pack);
        pack.entries = {};
        lock.lock();
        m_dataPack->recycle(std::move(pack.bytes)); // tree packs are small: not worth it
        --m_saving;
        if (!s.ok() && !m_error)
            m_error = s.error().wrapped(QStringLiteral("saving pack"));
        m_queueChanged.notify_all();
    }
}

Result<QByteArray> Repository::loadBlob(const ChunkId &id)
{
    auto loc = m_index->lookup(id);
    if (!loc)
        return loc.error();
    if (!loc->has_value())
        return Error(ErrorCode::NotFound, QStringLiteral("blob %1 is not in the index").arg(id.toHex()));
    return loadBlobAt(id, **loc);
}

Result<QByteArray> Repository::loadBlobAt(const ChunkId &id, const BlobLocation &loc)
{
    auto sealed = m_backend->load({FileType::Pack, loc.pack.toHex()}, loc.offset, loc.length);
    if (!sealed)
        return sealed.error().wrapped(QStringLiteral("pack %1").arg(loc.pack.shortHex()));
    auto plain = m_codec->open(id, sealed->constData(), size_t(sealed->size()), loc.rawLength);
    if (!plain)
        return plain.error().wrapped(QStringLiteral("blob %1 in pack %2").arg(id.shortHex(), loc.pack.shortHex()));
    return plain;
}

Result<ChunkId> Repository::saveTree(const Tree &tree, qint64 *storedBytes)
{
    const QByteArray cbor = encodeTree(tree);
    const ChunkId id = m_codec->chunkId(cbor.constData(), size_t(cbor.size()));
    auto isNew = claim(id);
    if (!isNew)
        return isNew.error();
    if (*isNew) {
        auto stored = storeBlob(BlobType::Tree, id, cbor.constData(), size_t(cbor.size()));
        if (!stored)
            return stored.error();
        if (storedBytes)
            *storedBytes += *stored;
    }
    return id;
}

Result<Tree> Repository::loadTree(const ChunkId &id)
{
    auto raw = loadBlob(id);
    if (!raw)
        return raw.error();
    auto tree = decodeTree(*raw);
    if (!tree)
        return tree.error().wrapped(QStringLiteral("tree %1").arg(id.shortHex()));
    return tree;
}

Result<SnapshotId> Repository::saveSnapshot(const Snapshot &snapshot)
{
    const QByteArray sealed = sealSnapshot(*m_codec, snapshot);
    SnapshotId id;
    id.bytes = crypto::sha256(sealed);
    CAIRN_TRY(m_backend->save({FileType::Snapshot, id.toHex()}, sealed));
    return id;
}

Result<Snapshot> Repository::loadSnapshot(const SnapshotId &id)
{
    auto sealed = m_backend->load({FileType::Snapshot, id.toHex()});
    if (!sealed)
        return sealed.error();
    return openSnapshot(*m_codec, id, *sealed);
}

Result<std::vector<Snapshot>> Repository::listSnapshots(std::vector<Error> *errors)
{
    std::vector<QString> names;
    CAIRN_TRY(m_backend->list(FileType::Snapshot, [&](const FileInfo &f) { names.push_back(f.name); }));
    std::vector<Snapshot> out;
    for (const QString &name : names) {
        const auto id = SnapshotId::fromHex(name);
        auto snap = id ? loadSnapshot(*id) : Result<Snapshot>(Error(ErrorCode::Corrupt, QStringLiteral("bad snapshot name ") + name));
        if (snap)
            out.push_back(std::move(*snap));
        else if (errors)
            errors->push_back(snap.error());
    }
    std::sort(out.begin(), out.end(), [](const Snapshot &a, const Snapshot &b) {
        return a.time != b.time ? a.time < b.time : a.id < b.id;
    });
    return out;
}

Result<Snapshot> Repository::findSnapshot(const QString &spec)
{
    auto all = listSnapshots();
    if (!all)
        return all.error();
    if (spec == u"latest") {
        if (all->empty())
            return Error(ErrorCode::NotFound, QStringLiteral("the repository has no snapshots"));
        return all->back();
    }
    std::optional<Snapshot> found;
    for (const Snapshot &s : *all) {
        if (s.id.toHex().startsWith(spec.toLower()) && !spec.isEmpty()) {
            if (found)
                return Error(ErrorCode::InvalidArgument, QStringLiteral("snapshot prefix %1 is ambiguous").arg(spec));
            found = s;
        }
    }
    if (!found)
        return Error(ErrorCode::NotFound, QStringLiteral("no snapshot %1").arg(spec));
    return *found;
}

} // namespace cairn
