// The test runner's main(). Catch2 2 generates it here; with Catch2 3 it comes
// from Catch2::Catch2WithMain and this file is not compiled (tests/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
