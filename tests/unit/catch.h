// Catch2 2 and 3 from one test tree. Debian 12 ships Catch2 2.13 (one header,
// catch2/catch.hpp, Catch::Contains); Debian 13, Fedora and Arch ship Catch2 3
// (split headers, Catch::Matchers::ContainsSubstring, CATCH_CONFIG_MAIN gone,
// Catch2::Catch2WithMain instead). tests/CMakeLists.txt detects the major
// version and defines TOOLBOX_CATCH2_MAJOR; tests include only this header and
// use the matchers under the names below.
#pragma once

#include <string>

#if TOOLBOX_CATCH2_MAJOR >= 3
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

namespace tbx::test {
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
}  // namespace tbx::test
#else
#include <catch2/catch.hpp>

namespace tbx::test {
// Catch2 2 calls it Contains; 3 renamed it (Contains there is the range matcher).
inline Catch::Matchers::StdString::ContainsMatcher ContainsSubstring(const std::string& s) {
  return Catch::Matchers::Contains(s);
}
using Catch::Matchers::StartsWith;
}  // namespace tbx::test
#endif
