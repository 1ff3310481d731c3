// Linked into every test program (cairn_add_test): what the products' main() does first, done
// before a test's main() (crypto::initForProcess).
#include "crypto/ProcessInit.h"

namespace {

const bool g_processReady = (cairn::crypto::initForProcess(), true);

} // namespace
