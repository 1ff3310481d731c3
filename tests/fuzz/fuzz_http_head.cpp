// Fuzz target: the server's HTTP request head parser (http/RequestHeadParser.h), fed hostile bytes
// the way a connection delivers them. The first byte chooses the size of the pieces the rest is
// cut into. Properties:
//   - the parser never takes more bytes than it was given, and takes nothing once done;
//   - a completed head is within the size and field limits, its method is a token and its target
//     begins with '/' or is "*";
//   - the outcome does not depend on how the bytes were cut: whole, in pieces and byte by byte
//     give the same state, the same bytes taken and the same head.
// Single-threaded.
#include "FuzzSupport.h"

#include "http/RequestHeadParser.h"

#include <QHostAddress>

#include <algorithm>
#include <cctype>

using namespace cairn;
using cairn::server::ParsedRequestHead;
using cairn::server::RequestHeadParser;

namespace {

constexpr int kMaxCount = 100;
constexpr int kMaxBytes = 16 * 1024;

struct Outcome {
    RequestHeadParser::State state;
    qsizetype taken = 0;
    int failure = 0;
    ParsedRequestHead head;
};

Outcome feed(const QByteArray &input, qsizetype piece)
{
    RequestHeadParser parser(kMaxCount, kMaxBytes);
    Outcome o;
    for (qsizetype at = 0; at < input.size(); at += piece) {
        const QByteArrayView part = QByteArrayView(input).sliced(at, std::min(piece, input.size() - at));
        const bool done = parser.state() != RequestHeadParser::State::Incomplete;
        const qsizetype took = parser.feed(part);
        fuzz::check(took >= 0 && took <= part.size(), "the parser takes at most what it is given");
        fuzz::check(!done || took == 0, "the parser takes nothing once done");
        o.taken += took;
        if (parser.state() != RequestHeadParser::State::Incomplete)
            break;
        fuzz::check(took == part.size(), "an incomplete parser takes everything");
    }
    o.state = parser.state();
    o.failure = parser.failureStatus();
    o.head = parser.head();
    if (o.state == RequestHeadParser::State::Failed)
        fuzz::check(o.failure == 400 || o.failure == 431 || o.failure == 501 || o.failure == 505,
            "a refused head gets a 4xx/5xx status");
    return o;
}

bool isToken(const QByteArray &s)
{
    static const QByteArray extra = "!#$%&'*+-.^_`|~";
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!(std::isalnum(uchar(c)) || extra.contains(c)))
            return false;
    return true;
}

bool sameHead(const ParsedRequestHead &a, const ParsedRequestHead &b)
{
    return a.method == b.method && a.target == b.target && a.minorVersion == b.minorVersion && a.headers == b.headers
        && a.contentLength == b.contentLength && a.transferEncoding == b.transferEncoding && a.keepAlive == b.keepAlive
        && a.expect == b.expect && a.webSocketUpgrade == b.webSocketUpgrade && a.bytes == b.bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const Outcome whole = feed(input, std::max<qsizetype>(1, input.size()));
    const Outcome pieces = feed(input, piece);
    const Outcome bytes = feed(input, 1);
    for (const Outcome *o : {&pieces, &bytes}) {
        fuzz::check(o->state == whole.state && o->taken == whole.taken && o->failure == whole.failure,
            "the outcome does not depend on how the bytes arrive");
        if (whole.state == RequestHeadParser::State::Complete)
            fuzz::check(sameHead(o->head, whole.head), "the head does not depend on how the bytes arrive");
    }
    if (whole.state != RequestHeadParser::State::Complete)
        return 0;
    const ParsedRequestHead &h = whole.head;
    fuzz::check(h.bytes <= kMaxBytes && h.bytes == whole.taken, "a head is within its size limit and ends where taken");
    fuzz::check(h.headers.size() <= kMaxCount, "a head is within its field limit");
    fuzz::check(isToken(h.method), "the method is a token");
    fuzz::check(h.target.startsWith('/') || h.target == "*", "the target is origin-form");
    fuzz::check(h.contentLength >= -1, "content length is -1 or a length");
    (void)h.toRequestHead(QHostAddress(QHostAddress::LocalHost));
    (void)h.rawPath(), (void)h.rawQuery();
    return 0;
}
