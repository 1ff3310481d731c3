// cairn-server: the backup server (HTTPS API, catalog, pack store) and its admin commands.
#include "ServerCommands.h"
#include "crypto/ProcessInit.h"

#include <QCoreApplication>

#include <malloc.h>

int main(int argc, char *argv[])
{
    // Packs travel as 16 MiB buffers. Left to glibc's defaults, each one is a fresh mmap() whose
    // pages are faulted in and zeroed, then unmapped — a third of the server's CPU while serving
    // a restore. Kept in the heap (and not trimmed back at once) they are reused instead.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    cairn::crypto::initForProcess();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    return cairn::server::runServerCommand(QCoreApplication::arguments().mid(1));
}
