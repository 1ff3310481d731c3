// Fuzz target: the agent's parsers of the server's index feed and of Content-Range headers, bytes
// a hostile or broken server controls. The first byte selects the parser, the rest is its input:
//   0: parseContentRange (the header of a ranged pack download);
//   1: parseIndexFeedPage (a GET /api/v1/agent/index answer); the second byte is the sequence
//      number the page must follow (`after`), the rest is the JSON.
// Properties: no crash; an accepted range is inside its file and reads back the same from its
// canonical form; an accepted page has increasing sequence numbers above `after`, blobs of a
// known type inside their pack, and holds every id and number exactly as the input has it
// (nothing cut to 32 bits, no pack or blob left out).
// Single-threaded.
#include "FuzzSupport.h"

#include "remote/RemoteBackend.h"
#include "remote/RemoteIndexSync.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace cairn;

namespace {

void contentRange(const QByteArray &in)
{
    const auto r = parseContentRange(in);
    if (!r)
        return;
    fuzz::check(r->size >= 0, "an accepted range has a size");
    const bool whole = r->first == -1 && r->last == -1;
    fuzz::check(
        whole || (r->first >= 0 && r->first <= r->last && r->last < r->size), "an accepted range is in its file");
    const QByteArray canonical = whole ? QByteArray("bytes */") + QByteArray::number(r->size)
                                       : QByteArray("bytes ") + QByteArray::number(r->first) + '-'
            + QByteArray::number(r->last) + '/' + QByteArray::number(r->size);
    const auto again = parseContentRange(canonical);
    fuzz::check(again && again->first == r->first && again->last == r->last && again->size == r->size,
        "a range reads back from its canonical form");
}

bool sameHex(const QString &input, const QString &parsed)
{
    return input.compare(parsed, Qt::CaseInsensitive) == 0; // ids may come in capitals
}

// An accepted page holds what the input says: one entry per input pack, the same numbers.
void checkAgainstInput(const IndexFeedPage &page, const QJsonObject &input)
{
    const QJsonArray packs = input.value(QStringLiteral("packs")).toArray();
    fuzz::check(size_t(packs.size()) == page.entries.size(), "one entry per pack of the input");
    for (size_t i = 0; i < page.entries.size(); ++i) {
        const IndexFeedEntry &e = page.entries[i];
        const QJsonObject o = packs.at(qsizetype(i)).toObject();
        fuzz::check(o.value(QStringLiteral("seq")).toInteger() == e.seq
                && sameHex(o.value(QStringLiteral("id")).toString(), e.pack.toHex()),
            "an entry keeps its sequence number and id");
        if (e.removed)
            continue;
        const QJsonArray blobs = o.value(QStringLiteral("blobs")).toArray();
        fuzz::check(o.value(QStringLiteral("size")).toInteger() == e.size && size_t(blobs.size()) == e.blobs.size(),
            "a pack keeps its size and every blob");
        for (size_t j = 0; j < e.blobs.size(); ++j) {
            const QJsonArray b = blobs.at(qsizetype(j)).toArray();
            const PackEntry &p = e.blobs[j];
            fuzz::check(b.size() == 5 && b.at(0).toInteger() == int(p.type) && sameHex(b.at(1).toString(), p.id.toHex())
                    && b.at(2).toInteger() == qint64(p.offset) && b.at(3).toInteger() == qint64(p.length)
                    && b.at(4).toInteger() == qint64(p.rawLength),
                "a blob keeps its five fields");
        }
    }
}

void feedPage(qint64 after, const QByteArray &in)
{
    const QJsonObject input = QJsonDocument::fromJson(in).object();
    const auto page = parseIndexFeedPage(input, after);
    if (!page)
        return;
    fuzz::check(!page->more || !page->entries.empty(), "an empty page is the last");
    checkAgainstInput(*page, input);
    qint64 last = after;
    for (const IndexFeedEntry &e : page->entries) {
        fuzz::check(e.seq > last, "sequence numbers increase from after");
        last = e.seq;
        fuzz::check(!e.removed || (e.size == 0 && e.blobs.empty()), "a removed pack carries no blobs");
        for (const PackEntry &b : e.blobs) {
            fuzz::check(b.type == BlobType::Data || b.type == BlobType::Tree, "a blob's type is known");
            fuzz::check(qint64(b.offset) + qint64(b.length) <= e.size, "a blob lies inside its pack");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 2 == 0) {
        contentRange(QByteArray(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1)));
    } else if (size >= 2) {
        feedPage(qint64(data[1]), QByteArray(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2)));
    }
    return 0;
}
