#include "catch.h"

#include "exec_plan.h"

using namespace handler;

namespace {

KernelInvocation invocation(std::vector<char*>& args) {
  KernelInvocation inv;
  inv.filename = "/usr/bin/toolbox";
  inv.argv0 = "toolbox";
  inv.argv0_preserved = true;
  inv.args = std::span<char* const>(args.data(), args.size());
  return inv;
}

}  // namespace

TEST_CASE("container: host loader, no cache, library path, argv0, then the binary", "[exec]") {
  Plan plan;
  plan.where = Where::container;
  plan.loader = "/run/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";
  plan.loader_has_argv0 = true;
  plan.library_path = {"/run/host/usr/lib/x86_64-linux-gnu", "/run/host/usr/lib"};
  std::string a1 = "run", a2 = "ls";
  std::vector<char*> args{a1.data(), a2.data()};
  const char* env[] = {"HOME=/h", "LD_PRELOAD=/c/libx.so", "LD_AUDIT=/c/a.so", "LD_LIBRARY_PATH=/c",
                       "TOOLBOX_HANDLER_SAVED_LD_PRELOAD=stale", "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2",
                       "LD_HWCAP_MASK=0", nullptr};
  ExecVector x = build_exec(plan, invocation(args), env);
  CHECK(x.path == plan.loader);
  CHECK(x.argv == std::vector<std::string>{plan.loader, "--inhibit-cache", "--library-path",
                                           "/run/host/usr/lib/x86_64-linux-gnu:/run/host/usr/lib", "--argv0",
                                           "toolbox", "/usr/bin/toolbox", "run", "ls"});
  CHECK(x.envp == std::vector<std::string>{"HOME=/h", "TOOLBOX_HANDLER_SAVED_LD_PRELOAD=/c/libx.so",
                                           "TOOLBOX_HANDLER_SAVED_LD_AUDIT=/c/a.so", "LD_LIBRARY_PATH=/c",
                                           "TOOLBOX_HANDLER_SAVED_GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2",
                                           "TOOLBOX_HANDLER_SAVED_LD_HWCAP_MASK=0"});
}

TEST_CASE("host: the binary's own loader, environment untouched, no --argv0 on old loaders", "[exec]") {
  Plan plan;
  plan.where = Where::host;
  plan.loader = "/lib64/ld-linux-x86-64.so.2";
  plan.loader_has_argv0 = false;
  std::vector<char*> args;
  const char* env[] = {"LD_PRELOAD=/x.so", "LD_PRELOADX=1", nullptr};
  ExecVector x = build_exec(plan, invocation(args), env);
  CHECK(x.argv == std::vector<std::string>{"/lib64/ld-linux-x86-64.so.2", "/usr/bin/toolbox"});
  CHECK(x.envp == std::vector<std::string>{"LD_PRELOAD=/x.so", "LD_PRELOADX=1"});
}

TEST_CASE("a file name that looks like a loader option is made a path", "[exec]") {
  Plan plan;
  plan.loader = "/lib64/ld-linux-x86-64.so.2";
  std::vector<char*> args;
  KernelInvocation inv = invocation(args);
  inv.filename = "--list";
  ExecVector x = build_exec(plan, inv, nullptr);
  CHECK(x.argv.back() == "./--list");
}

TEST_CASE("only exact variable names are moved", "[exec]") {
  const char* env[] = {"LD_PRELOADX=1", "LD_PRELOAD=", "XLD_AUDIT=2", nullptr};
  CHECK(build_environment(Where::container, env) ==
        std::vector<std::string>{"LD_PRELOADX=1", "TOOLBOX_HANDLER_SAVED_LD_PRELOAD=", "XLD_AUDIT=2"});
}

TEST_CASE("the verified descriptor is the program: /proc/self/fd/N, named for toolbox to close", "[exec]") {
  Plan plan;
  plan.where = Where::host;
  plan.loader = "/lib64/ld-linux-x86-64.so.2";
  plan.loader_has_argv0 = true;
  std::vector<char*> args;
  const char* env[] = {"HOME=/h", "TOOLBOX_HANDLER_EXECFD=9", nullptr};
  ExecVector x = build_exec(plan, invocation(args), env, 3);
  CHECK(x.argv == std::vector<std::string>{plan.loader, "--argv0", "toolbox", "/proc/self/fd/3"});
  CHECK(x.envp == std::vector<std::string>{"HOME=/h", "TOOLBOX_HANDLER_EXECFD=3"});
  // Without --argv0 the name would become argv[0]: the loader gets the path, and
  // a stale number is dropped all the same.
  plan.loader_has_argv0 = false;
  x = build_exec(plan, invocation(args), env, 3);
  CHECK(x.argv == std::vector<std::string>{plan.loader, "/usr/bin/toolbox"});
  CHECK(x.envp == std::vector<std::string>{"HOME=/h"});
}
