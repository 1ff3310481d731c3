// The process-wide set-up of the crypto library, for every program's main().
#pragma once

namespace cairn::crypto {

// Call first in main(), before any thread starts. OpenSSL then stays set up until the process
// ends instead of tearing itself down in an atexit() handler, which would delete the key of its
// thread-exit handler: a thread still ending during exit() (QThread::wait() returns before the
// thread's exit handlers run) would never free its OpenSSL state, and one still drawing random
// bytes would use freed memory. The system reclaims OpenSSL's memory with the process.
void initForProcess();

} // namespace cairn::crypto
