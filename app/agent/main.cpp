// cairn-agent: the program on every protected machine. It offers the engine's local commands,
// enrollment with a cairn-server and the remote twins of the local commands; the service loop
// (`run`) comes later.
#include "cli/LocalCommands.h"
#include "cli/RemoteCommands.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        std::printf("cairn-agent %s — Cairn backup agent\n\n%s\n%s", CAIRN_VERSION,
                    cairn::cli::localUsage().toLocal8Bit().constData(),
                    cairn::cli::remoteUsage().toLocal8Bit().constData());
        return args.isEmpty() ? cairn::cli::ExitUsage : cairn::cli::ExitOk;
    }
    if (args.first() == u"--version") {
        std::printf("cairn-agent %s\n", CAIRN_VERSION);
        return 0;
    }
    if (args.first() == u"local")
        return cairn::cli::runLocal(args.mid(1));
    if (args.first() == u"enroll")
        return cairn::cli::runEnroll(args.mid(1));
    if (args.first() == u"remote")
        return cairn::cli::runRemote(args.mid(1));
    std::fprintf(stderr, "cairn-agent: unknown command '%s'\nTry 'cairn-agent --help'.\n",
                 args.first().toLocal8Bit().constData());
    return cairn::cli::ExitUsage;
}
