// cairn-server: the backup server (HTTPS API, catalog, pack store) and its admin commands.
#include "ServerCommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    return cairn::server::runServerCommand(QCoreApplication::arguments().mid(1));
}
