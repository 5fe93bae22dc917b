#include "catch.h"

#include <string>
#include <vector>

#include "kernel_argv.h"

using handler::decode_kernel_argv;

namespace {

struct Argv {
  std::vector<std::string> strings;
  std::vector<char*> ptrs;
  explicit Argv(std::vector<std::string> s) : strings(std::move(s)) {
    for (auto& x : strings) ptrs.push_back(x.data());
    ptrs.push_back(nullptr);
  }
  int argc() const { return static_cast<int>(strings.size()); }
};

}  // namespace

TEST_CASE("P flag: argv[0] preserved, arguments after it", "[argv]") {
  Argv a({"/usr/libexec/toolbox/toolbox-binfmt-handler", "/usr/bin/toolbox", "toolbox", "run", "ls"});
  auto r = decode_kernel_argv(a.argc(), a.ptrs.data(), 3, handler::kAtFlagsPreserveArgv0);
  REQUIRE(r.ok());
  CHECK(r->filename == "/usr/bin/toolbox");
  CHECK(r->argv0 == "toolbox");
  CHECK(r->argv0_preserved);
  REQUIRE(r->args.size() == 2);
  CHECK(std::string(r->args[0]) == "run");
  CHECK(std::string(r->args[1]) == "ls");
  CHECK(r->execfd == 3);
}

TEST_CASE("Linux >= 5.12 without P in AT_FLAGS: argv[0] is the filename", "[argv]") {
  Argv a({"handler", "./toolbox", "run", "ls"});
  auto r = decode_kernel_argv(a.argc(), a.ptrs.data(), std::nullopt, 0);
  REQUIRE(r.ok());
  CHECK(r->argv0 == "./toolbox");
  CHECK_FALSE(r->argv0_preserved);
  REQUIRE(r->args.size() == 2);
  CHECK(std::string(r->args[0]) == "run");
  CHECK_FALSE(r->execfd.has_value());
}

TEST_CASE("P flag with an empty original argv", "[argv]") {
  Argv a({"handler", "/usr/bin/toolbox"});
  auto r = decode_kernel_argv(a.argc(), a.ptrs.data(), 4, handler::kAtFlagsPreserveArgv0);
  REQUIRE(r.ok());
  CHECK(r->argv0 == "/usr/bin/toolbox");
  CHECK(r->args.empty());
}

TEST_CASE("an argument vector without the binary is refused", "[argv]") {
  Argv a({"handler"});
  CHECK_FALSE(decode_kernel_argv(a.argc(), a.ptrs.data(), 3, 1).ok());
  Argv b({"handler", ""});
  CHECK_FALSE(decode_kernel_argv(b.argc(), b.ptrs.data(), 3, 1).ok());
  CHECK_FALSE(decode_kernel_argv(0, nullptr, 3, 1).ok());
}

// Linux < 5.12 sets no AT_FLAGS bit; our entries always have P, so the vector is
// P's: [handler, filename, original argv[0], original argv[1..]].
TEST_CASE("Linux < 5.12 with P: argv[0] preserved though AT_FLAGS is 0", "[argv]") {
  Argv a({"/usr/libexec/toolbox/toolbox-binfmt-handler", "/usr/bin/toolbox", "toolbox", "run", "ls"});
  auto r = decode_kernel_argv(a.argc(), a.ptrs.data(), 3, 0, false);
  REQUIRE(r.ok());
  CHECK(r->filename == "/usr/bin/toolbox");
  CHECK(r->argv0 == "toolbox");
  CHECK(r->argv0_preserved);
  REQUIRE(r->args.size() == 2);
  CHECK(std::string(r->args[0]) == "run");
  CHECK(std::string(r->args[1]) == "ls");
}

TEST_CASE("Linux < 5.12 with P and an empty original argv", "[argv]") {
  Argv a({"handler", "/usr/bin/toolbox"});
  auto r = decode_kernel_argv(a.argc(), a.ptrs.data(), 3, 0, false);
  REQUIRE(r.ok());
  CHECK(r->argv0 == "/usr/bin/toolbox");
  CHECK_FALSE(r->argv0_preserved);
  CHECK(r->args.empty());
}

TEST_CASE("which kernels report P in AT_FLAGS", "[argv]") {
  using handler::kernel_reports_preserve_argv0;
  CHECK_FALSE(kernel_reports_preserve_argv0("4.18.0-553.el8_10.x86_64"));  // RHEL 8
  CHECK_FALSE(kernel_reports_preserve_argv0("5.4.0-200-generic"));         // Ubuntu 20.04
  CHECK_FALSE(kernel_reports_preserve_argv0("5.10.0-33-amd64"));           // Debian 11
  CHECK_FALSE(kernel_reports_preserve_argv0("5.11"));
  CHECK_FALSE(kernel_reports_preserve_argv0("3.10.0-1160.el7.x86_64"));
  CHECK(kernel_reports_preserve_argv0("5.12.0"));
  CHECK(kernel_reports_preserve_argv0("5.14.0-503.el9.x86_64"));
  CHECK(kernel_reports_preserve_argv0("6.18.0"));
  CHECK(kernel_reports_preserve_argv0("10.0"));
  CHECK(kernel_reports_preserve_argv0("garbage"));  // unreadable: trust the bit
  CHECK(kernel_reports_preserve_argv0(""));
}
