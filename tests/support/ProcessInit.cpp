// Linked into every test program (cairn_add_test): what the products' main() does first
// (crypto::initForProcess), done before main() and before the program's own global objects are
// made (priority 101 runs ahead of every default-priority initialiser of the executable).
#include "crypto/ProcessInit.h"

namespace {

[[gnu::constructor(101)]] void initTestProcess()
{
    cairn::crypto::initForProcess();
}

} // namespace
