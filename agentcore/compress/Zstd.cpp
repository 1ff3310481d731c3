// zstd single-frame compression with one compression and one decompression context per thread.
#include "compress/Zstd.h"

#include <zstd.h>

#include <QtGlobal>

#include <memory>

namespace cairn::zstd {

namespace {

struct CCtxFree {
    void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx *c) const { ZSTD_freeDCtx(c); }
};

ZSTD_CCtx *threadCCtx()
{
    thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
    if (!ctx)
        qFatal("zstd: ZSTD_createCCtx failed");
    return ctx.get();
}

ZSTD_DCtx *threadDCtx()
{
    thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
    if (!ctx)
        qFatal("zstd: ZSTD_createDCtx failed");
    return ctx.get();
}

Error corrupt(const QString &what)
{
    return Error(ErrorCode::Corrupt, QStringLiteral("zstd: ") + what);
}

} // namespace

void compress(const void *data, size_t n, int level, QByteArray &out)
{
    out.clear();
    out.resize(qsizetype(ZSTD_compressBound(n)));
    const size_t r = ZSTD_compressCCtx(threadCCtx(), out.data(), size_t(out.size()), data, n, level);
    if (ZSTD_isError(r))
        qFatal("zstd: compression failed: %s", ZSTD_getErrorName(r)); // only on misuse or no memory
    out.resize(qsizetype(r));
}

Result<QByteArray> decompress(const void *data, size_t n, size_t rawSize)
{
    if (rawSize > MaxBlobRawSize)
        return corrupt(QStringLiteral("raw size %1 exceeds the blob limit").arg(qulonglong(rawSize)));
    const unsigned long long frameSize = ZSTD_getFrameContentSize(data, n);
    if (frameSize == ZSTD_CONTENTSIZE_ERROR)
        return corrupt(QStringLiteral("not a zstd frame"));
    if (frameSize != ZSTD_CONTENTSIZE_UNKNOWN && frameSize != rawSize)
        return corrupt(
            QStringLiteral("frame holds %1 bytes, expected %2").arg(frameSize).arg(qulonglong(rawSize)));
    const size_t frameLen = ZSTD_findFrameCompressedSize(data, n);
    if (ZSTD_isError(frameLen))
        return corrupt(QString::fromLatin1(ZSTD_getErrorName(frameLen)));
    if (frameLen != n)
        return corrupt(QStringLiteral("%1 trailing bytes after the frame").arg(qulonglong(n - frameLen)));

    QByteArray out(qsizetype(rawSize), Qt::Uninitialized);
    char dummy = 0;
    void *dst = rawSize > 0 ? static_cast<void *>(out.data()) : static_cast<void *>(&dummy);
    const size_t r = ZSTD_decompressDCtx(threadDCtx(), dst, rawSize, data, n);
    if (ZSTD_isError(r))
        return corrupt(QString::fromLatin1(ZSTD_getErrorName(r)));
    if (r != rawSize)
        return corrupt(QStringLiteral("frame expanded to %1 bytes, expected %2")
                           .arg(qulonglong(r))
                           .arg(qulonglong(rawSize)));
    return out;
}

} // namespace cairn::zstd
