// cairn-agent: the program on every protected machine. `run` is the service systemd starts;
// `status`, `backup --now`, `snapshots` and `restore` are for an administrator on the machine;
// `enroll` joins a tenant; `remote …` and `local …` are the engine's commands against the
// tenant's repository on the server and against a local repository folder.
#include "cli/LocalCommands.h"
#include "cli/RemoteCommands.h"
#include "cli/ServiceCommands.h"
#include "crypto/ProcessInit.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    cairn::crypto::initForProcess();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cairn-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAIRN_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" || args.first() == u"help") {
        std::printf("cairn-agent %s — Cairn backup agent\n\n%s\n%s\n%s", CAIRN_VERSION,
                    cairn::cli::serviceUsage().toLocal8Bit().constData(),
                    cairn::cli::remoteUsage().toLocal8Bit().constData(),
                    cairn::cli::localUsage().toLocal8Bit().constData());
        return args.isEmpty() ? cairn::cli::ExitUsage : cairn::cli::ExitOk;
    }
    const QString command = args.takeFirst();
    if (command == u"--version") {
        std::printf("cairn-agent %s\n", CAIRN_VERSION);
        return 0;
    }
    if (command == u"run")
        return cairn::cli::runService(args);
    if (command == u"status")
        return cairn::cli::runStatus(args);
    if (command == u"backup")
        return cairn::cli::runBackupNow(args);
    if (command == u"snapshots" || command == u"restore")
        return cairn::cli::runRemote(QStringList {command} + args);
    if (command == u"enroll")
        return cairn::cli::runEnroll(args);
    if (command == u"remote")
        return cairn::cli::runRemote(args);
    if (command == u"local")
        return cairn::cli::runLocal(args);
    std::fprintf(stderr, "cairn-agent: unknown command '%s'\nTry 'cairn-agent --help'.\n",
                 command.toLocal8Bit().constData());
    return cairn::cli::ExitUsage;
}
