// A thread that used OpenSSL and is still ending when the process exits must not lose OpenSSL's
// per-thread state (crypto::initForProcess). OpenSSL frees a thread's state (its DRBGs, its error
// queue) from a thread-exit handler. By default it also tears itself down in an atexit()
// handler, which deletes that handler's key: a thread that ends after it never frees its state.
// QThread::wait() returns before the thread's exit handlers have run, so this happened in real
// runs: LeakSanitizer reported the DRBGs of the HTTP front end's thread after main() returned.
//
// Here the race is made certain. A thread draws random bytes, then waits for a gate. An atexit()
// handler registered before OpenSSL was first used runs after OpenSSL's own one (they run in
// reverse order); it opens the gate and joins the thread. LeakSanitizer checks after every
// atexit() handler: it reports the thread's DRBGs, and the test fails, if OpenSSL's atexit()
// cleanup ran. The test is therefore only meaningful in a LeakSanitizer build (the test build).
#include "crypto/Crypto.h"

#include <QtTest>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace {

struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    bool drew = false;
    bool open = false;
};

Gate g_gate;
std::thread g_thread;

void openGateAndJoin()
{
    {
        std::lock_guard lock(g_gate.mutex);
        g_gate.open = true;
    }
    g_gate.changed.notify_all();
    if (g_thread.joinable())
        g_thread.join();
}

} // namespace

class TestOpenSslThreadExit : public QObject {
    Q_OBJECT
private slots:
    void aThreadEndingAfterMainKeepsItsOpenSslStateFreeable()
    {
        if (g_thread.joinable())
            QSKIP("once per process: the thread of the first run ends only at exit");
        // Registered before this test's first use of OpenSSL: runs after OpenSSL's atexit handler
        // if OpenSSL registered one.
        QCOMPARE(std::atexit(openGateAndJoin), 0);
        g_thread = std::thread([] {
            (void)cairn::crypto::randomBytes(32); // creates this thread's public DRBG
            std::unique_lock lock(g_gate.mutex);
            g_gate.drew = true;
            g_gate.changed.notify_all();
            g_gate.changed.wait(lock, [] { return g_gate.open; });
        });
        std::unique_lock lock(g_gate.mutex);
        QVERIFY(g_gate.changed.wait_for(lock, std::chrono::seconds(30), [] { return g_gate.drew; }));
        // The thread ends during exit(), after OpenSSL's atexit handler would have run.
    }
};

QTEST_GUILESS_MAIN(TestOpenSslThreadExit)
#include "TestOpenSslThreadExit.moc"
