// The replay runner of a fuzz target in normal (gcc) builds: feeds every file named on the
// command line, or found directly in a directory named there, to LLVMFuzzerTestOneInput once and
// prints how many inputs it ran. CTest's FuzzReplay_<name> runs it over the committed corpus, so
// every input that once crashed a target stays a regression test. Single-threaded.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdint>
#include <cstdio>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

bool runFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        return false;
    }
    const QByteArray bytes = f.readAll();
    std::fprintf(stderr, "running %s (%lld bytes)\n", qPrintable(path), static_cast<long long>(bytes.size()));
    // A copy in its own allocation, so that ASan sees a read past its end.
    std::vector<uint8_t> copy(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(copy.data(), copy.size());
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    int ran = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        const QFileInfo info(arg);
        if (info.isDir()) {
            const QStringList names = QDir(arg).entryList(QDir::Files, QDir::Name);
            for (const QString &name : names) {
                ok = runFile(QDir(arg).filePath(name)) && ok;
                ++ran;
            }
        } else {
            ok = runFile(arg) && ok;
            ++ran;
        }
    }
    std::printf("replayed %d inputs\n", ran);
    if (ran == 0) {
        std::fprintf(stderr, "no inputs found\n");
        return 1;
    }
    return ok ? 0 : 1;
}
