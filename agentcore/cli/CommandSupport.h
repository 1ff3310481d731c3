// Pieces every cairn-agent command shares: output to stdout/stderr, the argument parser
// (--name VALUE, --name=VALUE, --flag, "--", positionals), usage errors and failures as exit
// codes, and turning a path argument into a clean absolute byte path. Main thread.
#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace cairn::cli {

enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2, ExitPartial = 3, ExitWrongPassphrase = 4 };

void out(const QString &s);
void err(const QString &s);
// A path from a snapshot (bytes) for display.
QString showPath(const QByteArray &p);

struct Args {
    QHash<QString, QStringList> values;
    QStringList flags;
    QStringList positional;
    QString error; // set when the arguments do not parse

    static Args parse(const QStringList &in, const QStringList &valueOptions, const QStringList &flagOptions);
    QString value(const QString &name) const { return values.value(name).value(0); }
    bool has(const QString &name) const { return flags.contains(name) || values.contains(name); }
};

// Prints "cairn-agent: MESSAGE" and a hint to `cairn-agent COMMAND --help`; returns ExitUsage.
int usageError(const QString &message, const char *command);
// Prints the error; returns ExitWrongPassphrase for a wrong passphrase, else ExitFailure.
int failure(const Error &e);
// `arg` as an absolute path (relative to the working directory) with "//", "." and ".."
// resolved lexically.
QByteArray absolutePath(const QString &arg);
// --help, -h or "help" among the arguments.
bool wantsHelp(const QStringList &args);

} // namespace cairn::cli
