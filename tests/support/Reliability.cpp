// The reliability suite's forms and figures (see Reliability.h). Any thread.
#include "Reliability.h"

#include <QFile>
#include <QMutex>
#include <QtGlobal>

#include <cstdio>

namespace cairn::test {

bool reliabilityLongForm()
{
    return qEnvironmentVariable("CAIRN_RELIABILITY") == QLatin1String("long");
}

int reliabilityScale(int bounded, int longForm)
{
    return reliabilityLongForm() ? longForm : bounded;
}

void reliabilityReport(const QByteArray &area, const Figures &figures)
{
    static QMutex mutex;
    QByteArray line = "reliability: " + area + (reliabilityLongForm() ? " form=long" : " form=bounded");
    for (const auto &f : figures)
        line += ' ' + f.first + '=' + QByteArray::number(f.second);
    line += '\n';
    const QMutexLocker lock(&mutex);
    std::fputs(line.constData(), stdout);
    std::fflush(stdout);
    const QString path = qEnvironmentVariable("CAIRN_RELIABILITY_REPORT");
    if (path.isEmpty())
        return;
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Append))
        file.write(line);
}

} // namespace cairn::test
