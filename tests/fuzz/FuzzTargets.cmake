# The fuzz targets of tests/fuzz: each is fuzz_<name>.cpp with its corpus in corpus/<name>/.
# Read by tests/fuzz/CMakeLists.txt (the executables) and tests/reliability/fuzz.cmake (the
# FuzzReplay_<name> tests); scripts/fuzz.sh runs the same list.
set(cairn_fuzz_targets pack tree records json http_head restore_path feed)
